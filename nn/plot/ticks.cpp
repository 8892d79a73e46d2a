// Tick values and their labels: the part of a chart that makes it readable at a glance.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <utility>

#include "nn/plot/svg_plot.h"

namespace nabla::plot {
namespace {

// k * mantissa * 10^exponent as the double nearest to that decimal. Multiplying by a step
// such as 0.1 (itself inexact) would give 0.30000000000000004 for k = 3; dividing exact
// integers by an exact power of ten rounds once, to the double nearest 0.3.
double tick_value(double k, double mantissa, int exponent) {
  if (exponent >= 0) return k * mantissa * std::pow(10.0, exponent);
  return k * mantissa / std::pow(10.0, -exponent);  // powers of ten up to 1e22 are exact doubles
}

}  // namespace

std::vector<double> nice_ticks(double min, double max, int max_ticks) {
  if (!std::isfinite(min) || !std::isfinite(max)) return {};
  if (min > max) std::swap(min, max);
  if (min == max) return {min};
  max_ticks = std::max(max_ticks, 2);

  // A step of span / max_ticks would give about max_ticks ticks. Start from the power of
  // ten just below it and try 1, 2, 5, 10, 20, 50, ... until the ticks are few enough.
  int exponent = static_cast<int>(std::floor(std::log10((max - min) / max_ticks)));
  if (exponent < -300) return {min, max};  // a span too small for doubles to step through
  for (;; ++exponent) {
    for (const double mantissa : {1.0, 2.0, 5.0}) {
      const double step = mantissa * std::pow(10.0, exponent);
      // The small slack keeps a tick that lands on an end, up to rounding, e.g. 0.3 / 0.1.
      const double first = std::ceil(min / step - 1e-9);
      const double last = std::floor(max / step + 1e-9);
      if (last - first + 1 > max_ticks) continue;
      // Counted with an int: past 2^53, ++k on a double can leave k unchanged.
      const int count = static_cast<int>(last - first) + 1;
      std::vector<double> ticks;
      for (int i = 0; i < count; ++i) ticks.push_back(tick_value(first + i, mantissa, exponent));
      return ticks;
    }
  }
}

std::string format_tick(double value, double step) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  step = std::abs(step);
  if (!(step > 0) || !std::isfinite(step)) step = std::max(std::abs(value), 1.0);
  if (std::abs(value) < step * 1e-9) return "0";  // also turns -0 and 1e-17 into a plain 0

  const int step_exponent = static_cast<int>(std::floor(std::log10(step) + 1e-9));
  std::array<char, 64> buffer{};
  char* const begin = buffer.data();
  char* const end_of_buffer = begin + buffer.size();

  // The step, not the value, picks the notation, so every tick of an axis is written alike:
  // "0.0002" is longer and harder to read than "2e-4", and so is "300000" next to "3e5".
  const bool scientific = step_exponent >= 5 || step_exponent <= -4;
  if (!scientific) {
    // As many decimals as the step has: one for 0.2, two for 0.05 (or for 0.25).
    int decimals = std::max(0, -step_exponent);
    while (decimals < 12) {
      const double scaled = step * std::pow(10.0, decimals);
      if (std::abs(scaled - std::round(scaled)) < 1e-6 * scaled) break;
      ++decimals;
    }
    const auto result = std::to_chars(begin, end_of_buffer, value, std::chars_format::fixed, decimals);
    return std::string(begin, result.ptr);
  }

  // Enough significant digits to tell neighbouring ticks apart, then the short form:
  // 1.50e+06 -> 1.5e6, 2e-04 -> 2e-4.
  const int value_exponent = static_cast<int>(std::floor(std::log10(std::abs(value)) + 1e-9));
  const int digits_after_point = std::max(0, value_exponent - step_exponent);
  const auto result = std::to_chars(begin, end_of_buffer, value, std::chars_format::scientific, digits_after_point);
  std::string text(begin, result.ptr);
  const std::size_t e = text.find('e');
  std::string mantissa = text.substr(0, e);
  if (mantissa.find('.') != std::string::npos) {
    mantissa.erase(mantissa.find_last_not_of('0') + 1);
    if (mantissa.back() == '.') mantissa.pop_back();
  }
  const int exponent = std::stoi(text.substr(e + 1));
  return mantissa + "e" + std::to_string(exponent);
}

}  // namespace nabla::plot
