#pragma once
// A small SVG chart writer: line charts and grids of labelled grayscale images, laid out
// in a Figure and saved as one self-contained SVG 1.1 file. No dependencies beyond the
// standard library, so every example can draw what it computes.
//
//   plot::Figure figure(1, 2, "Training");
//   plot::Chart& loss = figure.chart(0, 0);
//   loss.title = "training loss";
//   loss.x_label = "epoch";
//   loss.add_line("linear", epochs, linear_loss);
//   loss.add_line("tanh MLP", epochs, mlp_loss, plot::LineStyle::Dashed);
//   figure.save("training.svg");
//
// A single chart is a Figure(1, 1). Charts and image grids are plain structs: fill their
// fields, or use the add_ helpers.
//
// NaN and infinite values are gaps: a line stops before them and starts again after, so
// sqrt(x) over [-5, 5] shows no line left of zero. Lines leaving a fixed range are cut at
// the edge of the plot area.
//
// Where it fits: nn/plot depends on nothing else in nabla (plain vectors of doubles in,
// text out), so it can draw anything the examples compute. html.h puts several figures on
// one self-contained HTML page.
#include <optional>
#include <string>
#include <vector>

namespace nabla::plot {

enum class LineStyle { Solid, Dashed, Dotted };

// Where a chart's legend goes. Best picks the inside corner that hides the least data.
enum class LegendPosition { Best, TopLeft, TopRight, BottomLeft, BottomRight, None };

struct Range {
  double min = 0;
  double max = 1;
};

struct Series {
  std::string name;  // shown in the legend; empty = left out of it
  std::vector<double> x;
  std::vector<double> y;  // same length as x
  std::string color;      // any SVG colour ("#cc0000", "black"); empty = next palette colour
  LineStyle style = LineStyle::Solid;
  bool markers = false;  // a dot on every point, e.g. one per epoch
};

// A straight line across the whole plot area, such as y = 0 or x = 0.
struct ReferenceLine {
  enum class Axis { Horizontal, Vertical };
  Axis axis = Axis::Horizontal;
  double at = 0;
  std::string label;  // small text at the end of the line; may be empty
};

// One plot area with axes. Fill the fields, then place the chart in a Figure.
struct Chart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::optional<Range> x_range;  // unset: fit the data (and reference lines) with a little padding
  std::optional<Range> y_range;
  std::vector<Series> series;
  std::vector<ReferenceLine> reference_lines;
  LegendPosition legend = LegendPosition::Best;
  bool whole_x_ticks = false;  // x ticks at whole numbers only (an axis of layers, epochs, ...)

  // Adds a series and returns it, to set a colour or markers: chart.add_line(...).markers = true;
  Series& add_line(std::string name, std::vector<double> x, std::vector<double> y,
                   LineStyle style = LineStyle::Solid);
  // A reference line across the whole plot at y (horizontal) or x (vertical), e.g. y = 0.
  void add_hline(double y, std::string label = "");
  void add_vline(double x, std::string label = "");
};

// A grayscale picture (e.g. a 28x28 digit) with a caption under it.
struct Image {
  int width = 0;
  int height = 0;
  std::vector<float> pixels;  // row by row, width * height values
  std::string caption;        // e.g. "pred 7"
  std::string caption_color;  // e.g. "#cc0000" for a wrong prediction; empty = default text colour
};

// A panel of small images in rows, each with its caption. Higher pixel values are drawn
// darker, ink on paper, the way a digit is written.
struct ImageGrid {
  std::string title;
  int columns = 0;                   // 0 = choose from the panel's shape
  std::optional<Range> value_range;  // values drawn white..black; unset = each image's own min..max
  std::vector<Image> images;

  // Adds an image; std::invalid_argument if pixels.size() != width * height.
  Image& add_image(int width, int height, std::vector<float> pixels, std::string caption = "");
};

// A rows x cols grid of panels under an overall title, written as one SVG document.
class Figure {
 public:
  // std::invalid_argument unless rows and cols are at least 1.
  Figure(int rows, int cols, std::string title = "");

  std::string title;
  double panel_width = 440;  // size of one grid cell, in pixels
  double panel_height = 320;
  // One legend under the title, listing every named series of every chart once, instead
  // of a legend inside each chart. For grids whose charts share their series.
  bool shared_legend = false;

  int rows() const { return rows_; }
  int cols() const { return cols_; }

  // The panel in a cell, created empty on first use. A cell holds a chart or an image
  // grid; asking for the other kind replaces it. Throws std::out_of_range outside the grid.
  Chart& chart(int row, int col);
  ImageGrid& image_grid(int row, int col);

  // The whole figure as one SVG 1.1 document (no XML declaration; UTF-8).
  std::string to_svg() const;
  // Writes to a temporary file beside `path`, then renames it, so a reader never sees half
  // a file. Throws std::runtime_error naming the path if it cannot be written.
  void save(const std::string& path) const;

 private:
  struct Cell {
    std::optional<Chart> chart;
    std::optional<ImageGrid> images;
  };
  Cell& cell(int row, int col);

  int rows_;
  int cols_;
  std::vector<Cell> cells_;  // row by row
};

// Building blocks, public because they are useful (and tested) on their own.

// Round tick values covering [min, max]: multiples of a step 1, 2 or 5 x 10^k, the
// smallest such step that gives at most max_ticks ticks.
std::vector<double> nice_ticks(double min, double max, int max_ticks = 6);

// A tick value written as briefly as its step allows: 0.30000000000000004 with step 0.1
// is "0.3", 1500000 with step 500000 is "1.5e6", -0.0 is "0".
std::string format_tick(double value, double step);

// Text made safe inside an XML element or attribute: & < > " ' become entities, and the
// control characters XML 1.0 forbids are dropped.
std::string xml_escape(const std::string& text);

}  // namespace nabla::plot
