#include "nn/progress.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <stdexcept>

#if __has_include(<unistd.h>)
#include <unistd.h>  // isatty
#endif

namespace nabla::nn {
namespace {

// Whether `stream` is a terminal, where a line can be redrawn in place. Only the standard
// streams can be asked: any other ostream (a file, a string) counts as a log.
bool is_terminal(const std::ostream* stream) {
#if __has_include(<unistd.h>)
  if (stream == &std::cerr || stream == &std::clog) return ::isatty(::fileno(stderr)) != 0;
  if (stream == &std::cout) return ::isatty(::fileno(stdout)) != 0;
#endif
  (void)stream;
  return false;
}

// "0:07", "12:34", "1:02:03".
std::string duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto s = static_cast<int64_t>(std::llround(seconds));
  char text[32];
  if (s >= 3600) {
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  } else {
    std::snprintf(text, sizeof text, "%lld:%02lld", static_cast<long long>(s / 60), static_cast<long long>(s % 60));
  }
  return text;
}

// Four significant digits: enough to see a loss move, short enough to keep the line still.
std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

}  // namespace

ProgressBar::ProgressBar(int64_t total, std::string label, ProgressOptions options)
    : total_(total), label_(std::move(label)), options_(std::move(options)) {
  if (total_ <= 0) throw std::invalid_argument("ProgressBar: total must be positive, got " + std::to_string(total_));
  if (options_.bar_width < 1) throw std::invalid_argument("ProgressBar: bar_width must be positive");
  out_ = options_.stream != nullptr ? options_.stream : &std::cerr;
  interactive_ = options_.interactive.value_or(is_terminal(out_));
  start_ = now();
  last_draw_ = start_;
}

ProgressBar::~ProgressBar() {
  if (finished_) return;
  // Left early (an exception, a break): keep what is on screen, and in a log record where
  // the loop stopped. Never "done": it was not.
  try {
    if (interactive_ && last_drawn_step_ >= 0) {
      *out_ << '\n' << std::flush;
    } else if (!interactive_ && has_loss_ && last_drawn_step_ != step_) {
      *out_ << line() << '\n' << std::flush;
    }
  } catch (...) {  // a destructor must not throw
  }
}

double ProgressBar::now() const {
  if (options_.clock) return options_.clock();
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void ProgressBar::update(int64_t step, double loss,
                         std::initializer_list<std::pair<std::string_view, double>> metrics) {
  if (finished_) return;
  step_ = std::clamp<int64_t>(step, 0, total_);
  loss_ = loss;
  has_loss_ = true;
  // Assigning into the strings already there reuses their memory: no allocation per step.
  metrics_.resize(metrics.size());
  size_t i = 0;
  for (const auto& [name, value] : metrics) {
    metrics_[i].first.assign(name);
    metrics_[i].second = value;
    ++i;
  }
  const double t = now();
  elapsed_ = t - start_;
  if (interactive_) {
    // The first step shows at once; then at most one redraw per redraw_interval, and the
    // last step always, so the bar is seen full even without finish().
    const bool due = last_drawn_step_ < 0 || t - last_draw_ >= options_.redraw_interval ||
                     (step_ == total_ && last_drawn_step_ != total_);
    if (due) draw(t);
  } else {
    // A line per tenth of the way (the last one is finish()'s), or when the log has been
    // silent for log_interval seconds.
    const int64_t tenth = step_ * 10 / total_;
    const bool new_tenth = options_.log_tenths && tenth > last_tenth_ && step_ < total_;
    if (new_tenth || t - last_draw_ >= options_.log_interval) {
      last_tenth_ = std::max(last_tenth_, tenth);
      draw(t);
    }
  }
}

void ProgressBar::finish() {
  if (finished_) return;
  elapsed_ = now() - start_;
  finished_ = true;
  const std::string text = line();
  if (interactive_) {
    // Spaces wipe whatever the longer previous line left to the right.
    const size_t pad = drawn_width_ > text.size() ? drawn_width_ - text.size() : 0;
    *out_ << '\r' << text << std::string(pad, ' ') << '\n' << std::flush;
  } else {
    *out_ << text << '\n' << std::flush;
  }
}

void ProgressBar::draw(double now) {
  const std::string text = line();
  if (interactive_) {
    const size_t pad = drawn_width_ > text.size() ? drawn_width_ - text.size() : 0;
    *out_ << '\r' << text << std::string(pad, ' ') << std::flush;
    drawn_width_ = text.size();
  } else {
    *out_ << text << '\n' << std::flush;
  }
  last_draw_ = now;
  last_drawn_step_ = step_;
}

std::string ProgressBar::line() const {
  std::string out = label_.empty() ? "" : label_ + " ";

  // [=========>          ]
  const int width = options_.bar_width;
  const auto filled = static_cast<int>(step_ * width / total_);
  out += '[';
  out += std::string(static_cast<size_t>(filled), '=');
  if (filled < width) {
    out += step_ > 0 ? '>' : ' ';
    out += std::string(static_cast<size_t>(width - filled - 1), ' ');
  }
  out += ']';

  // "  450/1000  45%": the step padded to the width of the total, so the line keeps still.
  const std::string total = std::to_string(total_);
  const std::string step = std::to_string(step_);
  out += "  " + std::string(total.size() - std::min(total.size(), step.size()), ' ') + step + "/" + total;
  char percent[16];
  std::snprintf(percent, sizeof percent, "  %3d%%", static_cast<int>(step_ * 100 / total_));
  out += percent;

  if (has_loss_) out += "  loss " + number(loss_);
  for (const auto& [name, value] : metrics_) out += "  " + name + " " + number(value);

  if (options_.batch_size > 0 && step_ > 0 && elapsed_ > 0) {
    const double rate = static_cast<double>(step_ * options_.batch_size) / elapsed_;
    char text[48];
    std::snprintf(text, sizeof text, rate >= 100 ? "  %.0f samples/s" : "  %.1f samples/s", rate);
    out += text;
  }

  if (finished_) {
    out += "  in " + duration(elapsed_);
  } else if (step_ > 0 && elapsed_ > 0) {
    // The average time per step so far, times the steps left.
    out += "  ETA " + duration(elapsed_ / static_cast<double>(step_) * static_cast<double>(total_ - step_));
  } else {
    out += "  ETA ?";
  }
  return out;
}

}  // namespace nabla::nn
