// The Figure: lays its panels out in a grid and writes the SVG document.
#include <algorithm>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <utility>

#include "nn/plot/draw.h"
#include "nn/plot/save_file.h"

namespace nabla::plot {
namespace {

using detail::Anchor;
using detail::LegendEntry;
using detail::SvgBuilder;

constexpr double kMargin = 10;
constexpr double kTitleFont = 17;
constexpr double kSharedLegendFont = 12.5;
constexpr double kSharedLegendRow = kSharedLegendFont * 1.7;

// The named series of all charts, each name once, in the order first met.
std::vector<LegendEntry> shared_entries(const std::vector<const Chart*>& charts) {
  std::vector<LegendEntry> entries;
  for (const Chart* chart : charts) {
    for (LegendEntry& e : detail::legend_entries(*chart)) {
      const bool known = std::any_of(entries.begin(), entries.end(), [&](const LegendEntry& k) { return k.name == e.name; });
      if (!known) entries.push_back(std::move(e));
    }
  }
  return entries;
}

double entry_width(const LegendEntry& e) {
  return detail::kLegendSwatchLength + 6 + detail::text_width(e.name, kSharedLegendFont) + 22;
}

// Entries flowed into centred rows no wider than `width`; returns the rows' entry indices.
std::vector<std::vector<std::size_t>> legend_rows(const std::vector<LegendEntry>& entries, double width) {
  std::vector<std::vector<std::size_t>> rows;
  double used = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const double w = entry_width(entries[i]);
    if (rows.empty() || (used + w > width && !rows.back().empty())) {
      rows.emplace_back();
      used = 0;
    }
    rows.back().push_back(i);
    used += w;
  }
  return rows;
}

}  // namespace

Figure::Figure(int rows, int cols, std::string title) : title(std::move(title)), rows_(rows), cols_(cols) {
  if (rows < 1 || cols < 1) {
    throw std::invalid_argument("plot::Figure: a grid needs at least one row and one column, got " +
                                std::to_string(rows) + "x" + std::to_string(cols));
  }
  cells_.resize(static_cast<std::size_t>(rows) * cols);
}

Figure::Cell& Figure::cell(int row, int col) {
  if (row < 0 || row >= rows_ || col < 0 || col >= cols_) {
    throw std::out_of_range("plot::Figure: cell (" + std::to_string(row) + ", " + std::to_string(col) +
                            ") is outside the " + std::to_string(rows_) + "x" + std::to_string(cols_) + " grid");
  }
  return cells_[static_cast<std::size_t>(row) * cols_ + col];
}

Chart& Figure::chart(int row, int col) {
  Cell& c = cell(row, col);
  c.images.reset();
  if (!c.chart) c.chart.emplace();
  return *c.chart;
}

ImageGrid& Figure::image_grid(int row, int col) {
  Cell& c = cell(row, col);
  c.chart.reset();
  if (!c.images) c.images.emplace();
  return *c.images;
}

std::string Figure::to_svg() const {
  if (!(panel_width > 0) || !(panel_height > 0)) {
    throw std::invalid_argument("plot::Figure: panel_width and panel_height must be positive");
  }
  const double width = 2 * kMargin + cols_ * panel_width;
  double top = kMargin;

  SvgBuilder svg;
  if (!title.empty()) {
    const double size = detail::fitting_font_size(title, kTitleFont, width - 2 * kMargin, 10);
    svg.text({width / 2, top + kTitleFont}, title, size, Anchor::Middle, detail::kTextColor, "font-weight=\"bold\"");
    top += kTitleFont * 1.8;
  }

  if (shared_legend) {
    std::vector<const Chart*> charts;
    for (const Cell& c : cells_) {
      if (c.chart) charts.push_back(&*c.chart);
    }
    const std::vector<LegendEntry> entries = shared_entries(charts);
    for (const auto& row : legend_rows(entries, width - 2 * kMargin)) {
      double row_width = 0;
      for (const std::size_t i : row) row_width += entry_width(entries[i]);
      double x = (width - row_width) / 2 + 11;  // the last entry's trailing gap, split between both ends
      const double centre_y = top + kSharedLegendRow / 2;
      for (const std::size_t i : row) {
        detail::draw_legend_entry(svg, {x, centre_y}, entries[i], kSharedLegendFont);
        x += entry_width(entries[i]);
      }
      top += kSharedLegendRow;
    }
    if (!entries.empty()) top += 4;
  }

  for (int r = 0; r < rows_; ++r) {
    for (int c = 0; c < cols_; ++c) {
      const Cell& cell = cells_[static_cast<std::size_t>(r) * cols_ + c];
      if (!cell.chart && !cell.images) continue;
      const double x = kMargin + c * panel_width;
      const double y = top + r * panel_height;
      svg.open_group("transform=\"translate(" + detail::num(x) + " " + detail::num(y) + ")\"");
      if (cell.chart) {
        const std::string clip_id = "nabla-clip-" + std::to_string(r) + "-" + std::to_string(c);
        detail::draw_chart(svg, *cell.chart, panel_width, panel_height, clip_id, !shared_legend);
      } else {
        detail::draw_image_grid(svg, *cell.images, panel_width, panel_height);
      }
      svg.close_group();
    }
  }
  const double height = top + rows_ * panel_height + kMargin;

  // SVG 1.1 needs no XML declaration: UTF-8 is XML's default encoding.
  const std::string w = detail::num(width);
  const std::string h = detail::num(height);
  std::string document = "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + w + "\" height=\"" +
                         h + "\" viewBox=\"0 0 " + w + " " + h + "\" font-family=\"" + detail::kFontFamily +
                         "\" fill=\"" + detail::kTextColor + "\">\n";
  document += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  document += svg.str();
  document += "</svg>\n";
  return document;
}

void Figure::save(const std::string& path) const {
  const std::string document = to_svg();
  save_file_atomically(path, document, "plot::Figure::save");
}

}  // namespace nabla::plot
