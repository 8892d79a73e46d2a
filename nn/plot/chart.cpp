// Drawing one Chart: ranges, layout, axes, lines, legend.
#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <utility>

#include "nn/plot/draw.h"

namespace nabla::plot {

Series& Chart::add_line(std::string name, std::vector<double> x, std::vector<double> y, LineStyle style) {
  if (x.size() != y.size()) {
    throw std::invalid_argument("plot::Chart::add_line: series '" + name + "' has " + std::to_string(x.size()) +
                                " x values but " + std::to_string(y.size()) + " y values");
  }
  Series s;
  s.name = std::move(name);
  s.x = std::move(x);
  s.y = std::move(y);
  s.style = style;
  series.push_back(std::move(s));
  return series.back();
}

void Chart::add_hline(double y, std::string label) {
  reference_lines.push_back({ReferenceLine::Axis::Horizontal, y, std::move(label)});
}

void Chart::add_vline(double x, std::string label) {
  reference_lines.push_back({ReferenceLine::Axis::Vertical, x, std::move(label)});
}

}  // namespace nabla::plot

namespace nabla::plot::detail {
namespace {

constexpr double kLineWidth = 1.8;
constexpr double kTickLength = 4;
constexpr double kMarkerRadius = 2.6;
// Points closer than this (in pixels) to the straight line through their neighbours are
// dropped: invisible on screen, and a 1,000-point curve shrinks to the few dozen it needs.
constexpr double kSimplifyTolerance = 0.15;

// The fields of a Chart are public, so they are checked when drawn, not when set.
void check_chart(const Chart& chart) {
  for (const Series& s : chart.series) {
    if (s.x.size() != s.y.size()) {
      throw std::invalid_argument("plot::Chart '" + chart.title + "': series '" + s.name + "' has " +
                                  std::to_string(s.x.size()) + " x values but " + std::to_string(s.y.size()) +
                                  " y values");
    }
  }
  auto check_range = [&](const std::optional<Range>& range, const char* axis) {
    if (range && !(std::isfinite(range->min) && std::isfinite(range->max) && range->min < range->max)) {
      throw std::invalid_argument("plot::Chart '" + chart.title + "': the " + axis +
                                  " range must be finite with min < max");
    }
  };
  check_range(chart.x_range, "x");
  check_range(chart.y_range, "y");
}

// The range an axis shows when the user fixed none: every finite value (and every
// reference line on that axis) with 5% padding, so no point sits on the frame.
// `visible_x`, when set, limits the y values considered to points inside it.
Range fitted_range(const Chart& chart, bool for_y, const std::optional<Range>& visible_x) {
  double lo = INFINITY;
  double hi = -INFINITY;
  auto include = [&](double v) {
    if (std::isfinite(v)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  };
  for (const Series& s : chart.series) {
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!for_y) {
        include(s.x[i]);
      } else if (!visible_x || (s.x[i] >= visible_x->min && s.x[i] <= visible_x->max)) {
        include(s.y[i]);
      }
    }
  }
  const auto wanted = for_y ? ReferenceLine::Axis::Horizontal : ReferenceLine::Axis::Vertical;
  for (const ReferenceLine& r : chart.reference_lines) {
    if (r.axis == wanted) include(r.at);
  }
  if (lo > hi) return {0, 1};  // nothing finite to show
  if (lo == hi) {
    // A constant, such as relu'' = 0: centre it in a range of sensible size.
    const double half = lo == 0 ? 1 : 0.1 * std::abs(lo);
    return {lo - half, hi + half};
  }
  const double padding = 0.05 * (hi - lo);
  return {lo - padding, hi + padding};
}

// Tick labels with a real minus sign (U+2212): a hyphen is too short to read as one.
std::string tick_label(double value, double step) {
  std::string text = format_tick(value, step);
  std::string out;
  for (const char c : text) out += c == '-' ? std::string("\u2212") : std::string(1, c);
  return out;
}

double tick_step(const std::vector<double>& ticks, const Range& range) {
  return ticks.size() >= 2 ? ticks[1] - ticks[0] : range.max - range.min;
}

// Maps data coordinates to pixels in the plot area.
struct Axes {
  Box area;
  Range x;
  Range y;
  Point to_pixels(double data_x, double data_y) const {
    return {area.left + (data_x - x.min) / (x.max - x.min) * area.width(),
            area.bottom - (data_y - y.min) / (y.max - y.min) * area.height()};
  }
};

bool is_finite(Point p) { return std::isfinite(p.x) && std::isfinite(p.y); }

// Liang-Barsky: the part of segment a->b inside `box`, as the parameters [t0, t1] of
// a + t (b - a); nothing if the segment misses the box. Cutting lines here, rather than
// leaving it all to the clipPath, keeps coordinates such as 1e30 out of the file, which
// renderers handle badly.
std::optional<std::pair<double, double>> clip_segment(Point a, Point b, const Box& box) {
  double t0 = 0;
  double t1 = 1;
  // The line is inside an edge where p * t <= q.
  auto inside_edge = [&](double p, double q) {
    if (p == 0) return q >= 0;  // parallel to the edge: wholly in or wholly out
    const double t = q / p;
    if (p < 0) {
      if (t > t1) return false;
      t0 = std::max(t0, t);
    } else {
      if (t < t0) return false;
      t1 = std::min(t1, t);
    }
    return true;
  };
  const double dx = b.x - a.x;
  const double dy = b.y - a.y;
  if (!std::isfinite(dx) || !std::isfinite(dy)) return std::nullopt;
  if (inside_edge(-dx, a.x - box.left) && inside_edge(dx, box.right - a.x) && inside_edge(-dy, a.y - box.top) &&
      inside_edge(dy, box.bottom - a.y)) {
    return std::pair{t0, t1};
  }
  return std::nullopt;
}

Point along(Point a, Point b, double t) { return {a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)}; }

double distance_to_segment(Point p, Point a, Point b) {
  const double dx = b.x - a.x;
  const double dy = b.y - a.y;
  const double length_squared = dx * dx + dy * dy;
  double t = length_squared > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / length_squared : 0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

// Ramer-Douglas-Peucker: keep the point farthest from the chord if it is farther than the
// tolerance, and repeat on both halves. With an explicit stack, not recursion, so that a
// long wiggly series cannot overflow the call stack.
std::vector<Point> simplify(const std::vector<Point>& line, double tolerance) {
  if (line.size() < 3) return line;
  std::vector<bool> keep(line.size(), false);
  keep.front() = keep.back() = true;
  std::vector<std::pair<std::size_t, std::size_t>> pending{{0, line.size() - 1}};
  while (!pending.empty()) {
    const auto [first, last] = pending.back();
    pending.pop_back();
    double farthest = 0;
    std::size_t farthest_index = first;
    for (std::size_t i = first + 1; i < last; ++i) {
      const double d = distance_to_segment(line[i], line[first], line[last]);
      if (d > farthest) {
        farthest = d;
        farthest_index = i;
      }
    }
    if (farthest > tolerance) {
      keep[farthest_index] = true;
      pending.push_back({first, farthest_index});
      pending.push_back({farthest_index, last});
    }
  }
  std::vector<Point> kept;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (keep[i]) kept.push_back(line[i]);
  }
  return kept;
}

// The visible pieces of a series in pixels. A NaN or infinite value ends a piece (sqrt
// for x < 0 leaves a gap), and so does leaving `box`.
std::vector<std::vector<Point>> visible_pieces(const Series& s, const Axes& axes, const Box& box) {
  std::vector<std::vector<Point>> pieces;
  std::vector<Point> current;
  auto end_piece = [&] {
    if (current.size() >= 2) pieces.push_back(simplify(current, kSimplifyTolerance));
    current.clear();
  };
  for (std::size_t i = 1; i < s.x.size(); ++i) {
    const Point a = axes.to_pixels(s.x[i - 1], s.y[i - 1]);
    const Point b = axes.to_pixels(s.x[i], s.y[i]);
    const auto kept = is_finite(a) && is_finite(b) ? clip_segment(a, b, box) : std::nullopt;
    if (!kept) {
      end_piece();
      continue;
    }
    const auto [t0, t1] = *kept;
    if (t0 > 0 || current.empty()) {  // entering the box, or starting after a gap
      end_piece();
      current.push_back(along(a, b, t0));
    }
    current.push_back(along(a, b, t1));
    if (t1 < 1) end_piece();  // leaving the box
  }
  end_piece();
  return pieces;
}

std::string path_data(const std::vector<std::vector<Point>>& pieces) {
  std::string d;
  for (const auto& piece : pieces) {
    for (std::size_t i = 0; i < piece.size(); ++i) {
      append(d, i == 0 ? "M" : "L", num(piece[i].x), " ", num(piece[i].y));
    }
  }
  return d;
}

// What has been drawn in the plot area, in pixels: what a legend should not hide.
struct Footprint {
  std::vector<std::vector<Point>> lines;  // visible pieces of every series
  std::vector<std::vector<Point>> reference_lines;
  std::vector<Point> markers;
};

// Length of the polylines' parts inside `box`, in pixels.
double length_inside(const std::vector<std::vector<Point>>& lines, const Box& box) {
  double length = 0;
  for (const auto& line : lines) {
    for (std::size_t i = 1; i < line.size(); ++i) {
      if (const auto kept = clip_segment(line[i - 1], line[i], box)) {
        const double dx = line[i].x - line[i - 1].x;
        const double dy = line[i].y - line[i - 1].y;
        length += (kept->second - kept->first) * std::hypot(dx, dy);
      }
    }
  }
  return length;
}

// How much a legend at `box` would hide: pixels of line, a reference line counting a
// quarter (it carries less information), a marked data point as much as 25 pixels of line.
double hidden_by(const Footprint& drawn, const Box& box) {
  double cost = length_inside(drawn.lines, box) + 0.25 * length_inside(drawn.reference_lines, box);
  for (const Point& p : drawn.markers) {
    if (box.grown(3).contains(p)) cost += 25;
  }
  return cost;
}

struct LegendLayout {
  double width = 0;
  double height = 0;
  double row_height = 0;
};

LegendLayout legend_layout(const std::vector<LegendEntry>& entries, double font) {
  LegendLayout layout;
  layout.row_height = font * 1.45;
  double widest = 0;
  for (const LegendEntry& e : entries) widest = std::max(widest, text_width(e.name, font));
  layout.width = 8 + kLegendSwatchLength + 6 + widest + 8;
  layout.height = entries.size() * layout.row_height + 6;
  return layout;
}

// A legend box inside the plot area: `across` and `down` run from 0 (left, top) to 1
// (right, bottom) through the room the box leaves free.
Box legend_box(double across, double down, const Box& area, const LegendLayout& legend) {
  constexpr double inset = 6;
  const double x = area.left + inset + across * (area.width() - 2 * inset - legend.width);
  const double y = area.top + inset + down * (area.height() - 2 * inset - legend.height);
  return {x, y, x + legend.width, y + legend.height};
}

Box best_legend_box(const Footprint& drawn, const Box& area, const LegendLayout& legend) {
  // Corners first, then the middles of the sides (matplotlib's order). A corner is the
  // expected place for a legend, so a later spot must hide clearly less to win.
  constexpr std::array<std::pair<double, double>, 8> kSpots = {
      {{1, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 0.5}, {0, 0.5}, {0.5, 1}, {0.5, 0}}};
  std::array<double, kSpots.size()> cost{};
  for (std::size_t i = 0; i < kSpots.size(); ++i) {
    cost[i] = hidden_by(drawn, legend_box(kSpots[i].first, kSpots[i].second, area, legend));
  }
  const double least = *std::min_element(cost.begin(), cost.end());
  std::size_t chosen = 0;
  while (cost[chosen] > least + 20) ++chosen;  // the first spot within 20 pixels of line of the best
  return legend_box(kSpots[chosen].first, kSpots[chosen].second, area, legend);
}

void draw_legend(SvgBuilder& svg, const std::vector<LegendEntry>& entries, LegendPosition position,
                 const Box& area, const Footprint& drawn, double font) {
  if (entries.empty() || position == LegendPosition::None) return;
  const LegendLayout layout = legend_layout(entries, font);
  Box box;
  switch (position) {
    case LegendPosition::TopLeft: box = legend_box(0, 0, area, layout); break;
    case LegendPosition::TopRight: box = legend_box(1, 0, area, layout); break;
    case LegendPosition::BottomLeft: box = legend_box(0, 1, area, layout); break;
    case LegendPosition::BottomRight: box = legend_box(1, 1, area, layout); break;
    default: box = best_legend_box(drawn, area, layout); break;
  }
  // Slightly see-through, so a line under the legend is still seen to pass there.
  svg.rect(box, "white", "#cccccc", 0.8, "fill-opacity=\"0.9\" rx=\"3\"");
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const double centre_y = box.top + 3 + (i + 0.5) * layout.row_height;
    draw_legend_entry(svg, {box.left + 8, centre_y}, entries[i], font);
  }
}

// Widest tick label, in pixels.
double widest_label(const std::vector<double>& ticks, const Range& range, double font) {
  double widest = 0;
  for (const double t : ticks) widest = std::max(widest, text_width(tick_label(t, tick_step(ticks, range)), font));
  return widest;
}

// As many x ticks as fit without their labels touching: at least a space between labels.
std::vector<double> fitting_x_ticks(const Range& range, double plot_width, double font) {
  int max_ticks = std::clamp(static_cast<int>(plot_width / (font * 4.5)), 2, 11);
  for (;; --max_ticks) {
    std::vector<double> ticks = nice_ticks(range.min, range.max, max_ticks);
    if (max_ticks == 2 || ticks.size() < 2) return ticks;
    const double spacing = (ticks[1] - ticks[0]) / (range.max - range.min) * plot_width;
    if (widest_label(ticks, range, font) + font * 1.2 <= spacing) return ticks;
  }
}

// Everything about where a chart's parts go, worked out before anything is drawn.
struct ChartLayout {
  double width = 0;  // of the whole panel
  double height = 0;
  double font = 0;  // axis labels; titles are a little larger, tick labels a little smaller
  double title_font = 0;
  double tick_font = 0;
  double pad = 0;  // empty border around the panel
  Axes axes;       // the plot area and the data ranges it shows
  std::vector<double> x_ticks;
  std::vector<double> y_ticks;
};

ChartLayout layout_chart(const Chart& chart, double width, double height) {
  ChartLayout layout;
  layout.width = width;
  layout.height = height;
  layout.font = panel_font_size(width, height);
  layout.title_font = layout.font * 1.15;
  layout.tick_font = layout.font * 0.9;
  layout.pad = std::max(6.0, layout.font * 0.6);
  const double font = layout.font;
  const double tick_font = layout.tick_font;
  const double pad = layout.pad;

  Axes& axes = layout.axes;
  axes.x = chart.x_range ? *chart.x_range : fitted_range(chart, false, std::nullopt);
  axes.y = chart.y_range ? *chart.y_range : fitted_range(chart, true, chart.x_range);

  // Outside in: title on top, x tick labels and x label below, y label and y tick labels on
  // the left. The y ticks come first, because the width of their labels sets the left margin.
  Box& area = axes.area;
  area.top = pad + (chart.title.empty() ? tick_font * 0.6 : layout.title_font * 1.6);
  area.bottom = height - pad - (chart.x_label.empty() ? 0 : font * 1.6) - tick_font * 1.35 - kTickLength;
  // Room for a y tick every ~2.6 lines of text. Generous, because the next nice step can be
  // 2.5 times the last (0.2 -> 0.5): a limit of 6 could leave a 1.4-high axis two ticks.
  const int max_y_ticks = std::clamp(static_cast<int>(area.height() / (tick_font * 2.6)), 2, 10);
  layout.y_ticks = nice_ticks(axes.y.min, axes.y.max, max_y_ticks);
  area.left = pad + (chart.y_label.empty() ? 0 : font * 1.6) + widest_label(layout.y_ticks, axes.y, tick_font) +
              kTickLength + 4;
  area.right = width - pad - 4;
  // An axis that counts things (layers, epochs) has no tick between two whole numbers.
  auto x_ticks = [&] {
    std::vector<double> ticks = fitting_x_ticks(axes.x, area.width(), tick_font);
    if (chart.whole_x_ticks) std::erase_if(ticks, [](double t) { return t != std::floor(t); });
    return ticks;
  };
  layout.x_ticks = x_ticks();
  // The last x tick label is centred on its tick; if that pushes it out of the panel,
  // narrow the plot area to make room for it.
  if (!layout.x_ticks.empty()) {
    const std::string last = tick_label(layout.x_ticks.back(), tick_step(layout.x_ticks, axes.x));
    const double overflow = axes.to_pixels(layout.x_ticks.back(), 0).x + text_width(last, tick_font) / 2 - (width - 2);
    if (overflow > 0) {
      area.right -= overflow;
      layout.x_ticks = x_ticks();
    }
  }
  return layout;
}

// Light lines at the ticks, drawn first so that everything else lies over them.
void draw_grid(SvgBuilder& svg, const ChartLayout& layout) {
  const Axes& axes = layout.axes;
  std::string d;
  for (const double t : layout.x_ticks) {
    append(d, "M", num(axes.to_pixels(t, 0).x), " ", num(axes.area.top), "V", num(axes.area.bottom));
  }
  for (const double t : layout.y_ticks) {
    append(d, "M", num(axes.area.left), " ", num(axes.to_pixels(0, t).y), "H", num(axes.area.right));
  }
  if (!d.empty()) svg.raw("<path class=\"grid\" d=\"" + d + "\" stroke=\"" + kGridColor + "\" fill=\"none\"/>\n");
}

// Reference lines and series, cut off at the plot area. Returns where they were drawn,
// for the legend to avoid.
Footprint draw_data(SvgBuilder& svg, const Chart& chart, const ChartLayout& layout, const std::string& clip_id) {
  const Axes& axes = layout.axes;
  const Box& area = axes.area;
  svg.raw("<defs><clipPath id=\"" + clip_id + "\"><rect x=\"" + num(area.left) + "\" y=\"" + num(area.top) +
          "\" width=\"" + num(area.width()) + "\" height=\"" + num(area.height()) + "\"/></clipPath></defs>\n");
  svg.open_group("clip-path=\"url(#" + clip_id + ")\"");
  Footprint drawn;
  for (const ReferenceLine& r : chart.reference_lines) {
    if (!std::isfinite(r.at)) continue;
    std::vector<Point> line;
    if (r.axis == ReferenceLine::Axis::Horizontal) {
      const double py = axes.to_pixels(0, r.at).y;
      line = {{area.left, py}, {area.right, py}};
    } else {
      const double px = axes.to_pixels(r.at, 0).x;
      line = {{px, area.top}, {px, area.bottom}};
    }
    svg.line(line[0], line[1], kReferenceColor, 1);
    drawn.reference_lines.push_back(line);
  }
  // Lines may run a little past the plot area, so that the clipPath, not the geometry,
  // makes the cut: a line ending exactly on the frame would show a round cap there.
  const Box cut_box = area.grown(kLineWidth * 2);
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const Series& s = chart.series[i];
    const std::vector<std::vector<Point>> pieces = visible_pieces(s, axes, cut_box);
    drawn.lines.insert(drawn.lines.end(), pieces.begin(), pieces.end());
    const std::string d = path_data(pieces);
    const std::string color = series_color(s, i);
    if (!d.empty()) {
      std::string element;
      append(element, "<path class=\"series\" d=\"", d, "\" fill=\"none\" stroke=\"", xml_escape(color),
             "\" stroke-width=\"", num(kLineWidth), "\" stroke-linejoin=\"round\" stroke-linecap=\"round\"");
      if (s.style != LineStyle::Solid) append(element, " stroke-dasharray=\"", dash_array(s.style, kLineWidth), "\"");
      svg.raw(element + "/>\n");
    }
    if (s.markers) {
      for (std::size_t k = 0; k < s.x.size(); ++k) {
        const Point p = axes.to_pixels(s.x[k], s.y[k]);
        if (is_finite(p) && cut_box.contains(p)) {
          svg.circle(p, kMarkerRadius, color, "white", 0.8);
          drawn.markers.push_back(p);
        }
      }
    }
  }
  svg.close_group();

  // Labels of reference lines sit just inside the frame, at the end of their line.
  for (const ReferenceLine& r : chart.reference_lines) {
    if (r.label.empty() || !std::isfinite(r.at)) continue;
    const Point p = axes.to_pixels(r.at, r.at);
    if (r.axis == ReferenceLine::Axis::Horizontal && p.y >= area.top && p.y <= area.bottom) {
      svg.text({area.right - 4, p.y - 4}, r.label, layout.tick_font, Anchor::End, kMutedTextColor);
    } else if (r.axis == ReferenceLine::Axis::Vertical && p.x >= area.left && p.x <= area.right) {
      svg.text({p.x + 4, area.top + layout.tick_font * 1.2}, r.label, layout.tick_font, Anchor::Start,
               kMutedTextColor);
    }
  }
  return drawn;
}

// The frame around the plot area, tick marks and tick labels.
void draw_axes(SvgBuilder& svg, const ChartLayout& layout) {
  const Axes& axes = layout.axes;
  const Box& area = axes.area;
  svg.rect(area, "none", kFrameColor, 1);
  std::string ticks;
  for (const double t : layout.x_ticks) {
    append(ticks, "M", num(axes.to_pixels(t, 0).x), " ", num(area.bottom), "v", num(kTickLength));
  }
  for (const double t : layout.y_ticks) {
    append(ticks, "M", num(area.left), " ", num(axes.to_pixels(0, t).y), "h", num(-kTickLength));
  }
  if (!ticks.empty()) svg.raw("<path d=\"" + ticks + "\" stroke=\"" + kFrameColor + "\" fill=\"none\"/>\n");

  const double x_step = tick_step(layout.x_ticks, axes.x);
  for (const double t : layout.x_ticks) {
    const Point at{axes.to_pixels(t, 0).x, area.bottom + kTickLength + layout.tick_font * 1.05};
    svg.text(at, tick_label(t, x_step), layout.tick_font, Anchor::Middle, kMutedTextColor);
  }
  const double y_step = tick_step(layout.y_ticks, axes.y);
  for (const double t : layout.y_ticks) {
    // 0.35 em below the tick puts the middle of the digits level with it.
    const Point at{area.left - kTickLength - 3, axes.to_pixels(0, t).y + 0.35 * layout.tick_font};
    svg.text(at, tick_label(t, y_step), layout.tick_font, Anchor::End, kMutedTextColor);
  }
}

// Chart title and axis labels, shrunk if needed to fit.
void draw_titles(SvgBuilder& svg, const Chart& chart, const ChartLayout& layout) {
  const Box& area = layout.axes.area;
  const double font = layout.font;
  const double pad = layout.pad;
  const double centre_x = (area.left + area.right) / 2;
  if (!chart.title.empty()) {
    const double size = fitting_font_size(chart.title, layout.title_font, layout.width - 2 * pad, font * 0.75);
    // Centred over the plot area, unless that would push it out of the panel.
    const double half = text_width(chart.title, size) / 2;
    const double x = std::clamp(centre_x, pad + half, std::max(pad + half, layout.width - pad - half));
    svg.text({x, pad + layout.title_font}, chart.title, size, Anchor::Middle);
  }
  if (!chart.x_label.empty()) {
    const double size = fitting_font_size(chart.x_label, font, area.width(), font * 0.75);
    svg.text({centre_x, layout.height - pad - font * 0.25}, chart.x_label, size, Anchor::Middle);
  }
  if (!chart.y_label.empty()) {
    const double size = fitting_font_size(chart.y_label, font, area.height(), font * 0.75);
    const Point centre{pad + font * 0.85, (area.top + area.bottom) / 2};
    svg.text({0, 0}, chart.y_label, size, Anchor::Middle, kTextColor,
             "transform=\"translate(" + num(centre.x) + " " + num(centre.y) + ") rotate(-90)\"");
  }
}

}  // namespace

void draw_chart(SvgBuilder& svg, const Chart& chart, double width, double height, const std::string& id,
                bool with_legend) {
  check_chart(chart);
  const ChartLayout layout = layout_chart(chart, width, height);
  draw_grid(svg, layout);
  const Footprint drawn = draw_data(svg, chart, layout, id);
  draw_axes(svg, layout);
  draw_titles(svg, chart, layout);
  if (with_legend) draw_legend(svg, legend_entries(chart), chart.legend, layout.axes.area, drawn, layout.tick_font);
}

}  // namespace nabla::plot::detail
