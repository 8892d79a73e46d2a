#pragma once
// Internal to nabla_plot (users include svg_plot.h): the SVG primitives the panels are
// drawn with, and the panel drawers the Figure calls. Every panel draws in its own coordinates,
// (0, 0) at its top-left corner; the Figure moves it into place with a translate().
#include <cstddef>
#include <string>
#include <vector>

#include "nn/plot/svg_plot.h"

namespace nabla::plot::detail {

struct Point {
  double x = 0;
  double y = 0;
};

// An axis-aligned rectangle in pixels; y grows downwards, as in SVG.
struct Box {
  double left = 0;
  double top = 0;
  double right = 0;
  double bottom = 0;
  double width() const { return right - left; }
  double height() const { return bottom - top; }
  bool contains(Point p) const { return p.x >= left && p.x <= right && p.y >= top && p.y <= bottom; }
  Box grown(double by) const { return {left - by, top - by, right + by, bottom + by}; }
};

inline constexpr const char* kFontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif";
inline constexpr const char* kTextColor = "#222222";
inline constexpr const char* kMutedTextColor = "#444444";
inline constexpr const char* kFrameColor = "#555555";
inline constexpr const char* kGridColor = "#e6e6e6";
inline constexpr const char* kReferenceColor = "#777777";

// The colour of the i-th series of a chart, from the Okabe-Ito palette, whose colours stay
// distinguishable with every common kind of colour blindness.
const char* palette_color(std::size_t index);

// A number for an SVG attribute: at most two decimals (a hundredth of a pixel is plenty),
// no trailing zeros, and always a '.' whatever the locale: "12.5", "3", "-0.25".
std::string num(double value);

// About how wide `text` is, in pixels, at font `size`, from DejaVu Sans metrics. Only used to
// keep labels from overlapping: the SVG is written without a font engine to measure with.
double text_width(const std::string& text, double size);

// The largest font size, at most `size` and at least `min_size`, at which `text` fits in `width`.
double fitting_font_size(const std::string& text, double size, double width, double min_size);

// stroke-dasharray for a line style at a given stroke width ("" for solid).
std::string dash_array(LineStyle style, double stroke_width);

// Appends the parts in turn: out += a, then b, ... Cheaper than out += a + b + ..., which
// builds temporaries (and, with g++ 12 at -O3, trips a false -Wrestrict warning).
template <class... Parts>
void append(std::string& out, const Parts&... parts) {
  (out += ... += parts);
}

enum class Anchor { Start, Middle, End };

// Collects the SVG elements of a document; each method writes one element. Text content
// is XML-escaped here, so callers pass plain strings.
class SvgBuilder {
 public:
  void text(Point baseline, const std::string& content, double size, Anchor anchor = Anchor::Start,
            const std::string& color = kTextColor, const std::string& extra_attributes = "");
  void line(Point from, Point to, const std::string& color, double width, LineStyle style = LineStyle::Solid);
  void rect(const Box& box, const std::string& fill, const std::string& stroke = "none", double stroke_width = 0,
            const std::string& extra_attributes = "");
  void circle(Point center, double radius, const std::string& fill, const std::string& stroke = "none",
              double stroke_width = 0);
  void open_group(const std::string& attributes);
  void close_group();
  void raw(const std::string& markup);  // markup the caller has already escaped

  const std::string& str() const { return out_; }

 private:
  std::string out_;
};

// One line of a legend: a short sample of the line, then its name.
struct LegendEntry {
  std::string name;
  std::string color;
  LineStyle style = LineStyle::Solid;
  bool markers = false;
};

inline constexpr double kLegendSwatchLength = 22;  // pixels of sample line before the name

// The named series of a chart, with the colours they are drawn in.
std::vector<LegendEntry> legend_entries(const Chart& chart);
// The colour a series is drawn in: its own, or the palette's for its position.
std::string series_color(const Series& series, std::size_t index);
void draw_legend_entry(SvgBuilder& svg, Point swatch_start, const LegendEntry& entry, double font_size);

// Panel drawers, called by Figure::to_svg. `id` makes the panel's SVG ids unique in the document.
void draw_chart(SvgBuilder& svg, const Chart& chart, double width, double height, const std::string& id,
                bool with_legend);
void draw_image_grid(SvgBuilder& svg, const ImageGrid& grid, double width, double height);

// Font size for a panel of the given size: small panels in big grids get smaller text.
double panel_font_size(double width, double height);

}  // namespace nabla::plot::detail
