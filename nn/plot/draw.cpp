#include "nn/plot/draw.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string_view>

namespace nabla::plot {

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: {
        // XML 1.0 allows no control character but tab, newline and carriage return, not
        // even as an entity; a stray one would make the whole file unreadable.
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 || c == '\t' || c == '\n' || c == '\r') out += c;
      }
    }
  }
  return out;
}

}  // namespace nabla::plot

namespace nabla::plot::detail {

const char* palette_color(std::size_t index) {
  // Okabe & Ito (2008). Yellow is last: it is the hardest to see on white.
  static constexpr std::array<const char*, 8> kPalette = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                          "#E69F00", "#56B4E9", "#000000", "#F0E442"};
  return kPalette[index % kPalette.size()];
}

std::string num(double value) {
  if (!std::isfinite(value)) return "0";  // never reached by the drawers; keeps the file valid anyway
  // std::to_chars ignores the locale, unlike printf and streams, which could write "12,5".
  std::array<char, 64> buffer{};
  const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                          std::chars_format::fixed, 2);
  std::string text(buffer.data(), error == std::errc() ? end : buffer.data());
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text == "-0" ? "0" : text;
}

double text_width(const std::string& text, double size) {
  // Advance widths of DejaVu Sans in ems, grouped coarsely; overestimating a little is
  // the safe side, since it only leaves more room.
  double ems = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      if ((c & 0xC0) == 0x80) continue;  // a UTF-8 continuation byte: counted with its lead byte
      ems += 0.75;                       // Greek letters, primes, the minus sign, ...
    } else if (std::string_view(" .,:;'!|iljtfI()[]").find(static_cast<char>(c)) != std::string_view::npos) {
      ems += 0.36;
    } else if (c >= '0' && c <= '9') {
      ems += 0.64;
    } else if ((c >= 'A' && c <= 'Z') || c == 'm' || c == 'w') {
      ems += 0.76;
    } else {
      ems += 0.61;
    }
  }
  return ems * size;
}

double fitting_font_size(const std::string& text, double size, double width, double min_size) {
  const double natural = text_width(text, size);
  if (natural <= width || natural <= 0) return size;
  return std::max(min_size, size * width / natural);
}

std::string dash_array(LineStyle style, double stroke_width) {
  switch (style) {
    case LineStyle::Solid: return "";
    // Dash lengths grow with the stroke so thick dashed lines still read as dashed.
    case LineStyle::Dashed: return num(3.5 * stroke_width) + " " + num(2.2 * stroke_width);
    // With round caps, a dash of almost zero length draws a round dot.
    case LineStyle::Dotted: return "0.01 " + num(2.2 * stroke_width);
  }
  return "";
}

namespace {

const char* anchor_name(Anchor anchor) {
  switch (anchor) {
    case Anchor::Start: return "start";
    case Anchor::Middle: return "middle";
    case Anchor::End: return "end";
  }
  return "start";
}

}  // namespace

void SvgBuilder::text(Point baseline, const std::string& content, double size, Anchor anchor,
                      const std::string& color, const std::string& extra_attributes) {
  append(out_, "<text x=\"", num(baseline.x), "\" y=\"", num(baseline.y), "\" font-size=\"", num(size), "\"");
  if (anchor != Anchor::Start) append(out_, " text-anchor=\"", anchor_name(anchor), "\"");
  if (color != kTextColor) append(out_, " fill=\"", xml_escape(color), "\"");
  if (!extra_attributes.empty()) append(out_, " ", extra_attributes);
  append(out_, ">", xml_escape(content), "</text>\n");
}

void SvgBuilder::line(Point from, Point to, const std::string& color, double width, LineStyle style) {
  append(out_, "<line x1=\"", num(from.x), "\" y1=\"", num(from.y), "\" x2=\"", num(to.x), "\" y2=\"", num(to.y),
         "\" stroke=\"", xml_escape(color), "\" stroke-width=\"", num(width), "\"");
  if (style != LineStyle::Solid) {
    append(out_, " stroke-dasharray=\"", dash_array(style, width), "\" stroke-linecap=\"round\"");
  }
  out_ += "/>\n";
}

void SvgBuilder::rect(const Box& box, const std::string& fill, const std::string& stroke, double stroke_width,
                      const std::string& extra_attributes) {
  append(out_, "<rect x=\"", num(box.left), "\" y=\"", num(box.top), "\" width=\"", num(box.width()),
         "\" height=\"", num(box.height()), "\" fill=\"", xml_escape(fill), "\"");
  if (stroke != "none") append(out_, " stroke=\"", xml_escape(stroke), "\" stroke-width=\"", num(stroke_width), "\"");
  if (!extra_attributes.empty()) append(out_, " ", extra_attributes);
  out_ += "/>\n";
}

void SvgBuilder::circle(Point center, double radius, const std::string& fill, const std::string& stroke,
                        double stroke_width) {
  append(out_, "<circle cx=\"", num(center.x), "\" cy=\"", num(center.y), "\" r=\"", num(radius), "\" fill=\"",
         xml_escape(fill), "\"");
  if (stroke != "none") append(out_, " stroke=\"", xml_escape(stroke), "\" stroke-width=\"", num(stroke_width), "\"");
  out_ += "/>\n";
}

void SvgBuilder::open_group(const std::string& attributes) { append(out_, "<g ", attributes, ">\n"); }

void SvgBuilder::close_group() { out_ += "</g>\n"; }

void SvgBuilder::raw(const std::string& markup) { out_ += markup; }

std::string series_color(const Series& series, std::size_t index) {
  return series.color.empty() ? palette_color(index) : series.color;
}

std::vector<LegendEntry> legend_entries(const Chart& chart) {
  std::vector<LegendEntry> entries;
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const Series& s = chart.series[i];
    if (!s.name.empty()) entries.push_back({s.name, series_color(s, i), s.style, s.markers});
  }
  return entries;
}

void draw_legend_entry(SvgBuilder& svg, Point swatch_start, const LegendEntry& entry, double font_size) {
  const Point swatch_end{swatch_start.x + kLegendSwatchLength, swatch_start.y};
  svg.line(swatch_start, swatch_end, entry.color, 2, entry.style);
  if (entry.markers) {
    svg.circle({(swatch_start.x + swatch_end.x) / 2, swatch_start.y}, 2.6, entry.color, "white", 0.8);
  }
  // 0.35 em below the centre line puts the middle of lower-case letters on the swatch.
  svg.text({swatch_end.x + 6, swatch_start.y + 0.35 * font_size}, entry.name, font_size);
}

double panel_font_size(double width, double height) {
  return std::clamp(std::min(width, height) / 26.0, 9.0, 12.5);
}

}  // namespace nabla::plot::detail
