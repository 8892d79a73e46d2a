// The SVG chart writer: tick values, escaping, gaps at NaN, clipping, well-formed output,
// saving, image grids.
#include "nn/plot/svg_plot.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace plot = nabla::plot;

namespace {

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + needle.size())) {
    ++count;
  }
  return count;
}

// The value of `attribute` in the first element after `from` that carries `marker`.
std::string attribute_after(const std::string& svg, const std::string& marker, const std::string& attribute,
                            std::size_t from = 0) {
  const std::size_t element = svg.find(marker, from);
  if (element == std::string::npos) return "";
  const std::size_t start = svg.find(attribute + "=\"", svg.rfind('<', element));
  if (start == std::string::npos) return "";
  const std::size_t value = start + attribute.size() + 2;
  return svg.substr(value, svg.find('"', value) - value);
}

// The d attributes of every data line, in drawing order.
std::vector<std::string> series_paths(const std::string& svg) {
  std::vector<std::string> paths;
  for (std::size_t pos = svg.find("class=\"series\""); pos != std::string::npos;
       pos = svg.find("class=\"series\"", pos + 1)) {
    paths.push_back(attribute_after(svg, "class=\"series\"", "d", pos));
  }
  return paths;
}

// All numbers in a path's data.
std::vector<double> path_numbers(const std::string& d) {
  std::vector<double> numbers;
  std::string cleaned = d;
  for (char& c : cleaned) {
    if (std::isalpha(static_cast<unsigned char>(c))) c = ' ';
  }
  std::istringstream in(cleaned);
  for (double v; in >> v;) numbers.push_back(v);
  return numbers;
}

// Enough of an XML parser to catch what a writer gets wrong: every element closed, in
// order; no stray '<' or '&' in text or attributes.
::testing::AssertionResult is_well_formed(const std::string& xml) {
  std::vector<std::string> open;
  for (std::size_t pos = 0; pos < xml.size(); ++pos) {
    if (xml[pos] == '&') {
      bool known = false;
      for (const char* entity : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"}) {
        known = known || xml.compare(pos, std::string(entity).size(), entity) == 0;
      }
      if (!known) return ::testing::AssertionFailure() << "bare '&' at " << pos;
      continue;
    }
    if (xml[pos] != '<') continue;
    const std::size_t end = xml.find('>', pos);
    if (end == std::string::npos) return ::testing::AssertionFailure() << "unterminated tag at " << pos;
    const std::string tag = xml.substr(pos + 1, end - pos - 1);
    if (tag.find('<') != std::string::npos) return ::testing::AssertionFailure() << "'<' inside tag: " << tag;
    if (tag.empty()) return ::testing::AssertionFailure() << "empty tag at " << pos;
    if (tag[0] == '/') {
      const std::string name = tag.substr(1);
      if (open.empty() || open.back() != name) {
        return ::testing::AssertionFailure() << "</" << name << "> closes <" << (open.empty() ? "" : open.back()) << ">";
      }
      open.pop_back();
    } else if (tag.back() != '/') {
      open.push_back(tag.substr(0, tag.find_first_of(" \n")));
    }
    pos = end;
  }
  if (!open.empty()) return ::testing::AssertionFailure() << "<" << open.back() << "> is never closed";
  return ::testing::AssertionSuccess();
}

std::vector<double> linspace(double from, double to, int count) {
  std::vector<double> v;
  for (int i = 0; i < count; ++i) v.push_back(from + (to - from) * i / (count - 1));
  return v;
}

}  // namespace

TEST(SvgTicks, RoundStepsForTypicalRanges) {
  EXPECT_EQ(plot::nice_ticks(0, 1, 6), (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1}));
  EXPECT_EQ(plot::nice_ticks(-5, 5, 6), (std::vector<double>{-4, -2, 0, 2, 4}));
  EXPECT_EQ(plot::nice_ticks(-5, 5, 11), (std::vector<double>{-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(plot::nice_ticks(0, 100, 6), (std::vector<double>{0, 20, 40, 60, 80, 100}));
  EXPECT_EQ(plot::nice_ticks(0, 23, 6), (std::vector<double>{0, 5, 10, 15, 20}));
  EXPECT_EQ(plot::nice_ticks(-3.7, -1.2, 6), (std::vector<double>{-3.5, -3, -2.5, -2, -1.5}));
  EXPECT_EQ(plot::nice_ticks(1e6, 5e6, 6), (std::vector<double>{1e6, 2e6, 3e6, 4e6, 5e6}));
  EXPECT_EQ(plot::nice_ticks(0.0001, 0.0009, 6), (std::vector<double>{0.0002, 0.0004, 0.0006, 0.0008}));
  // Decimal ticks are the doubles nearest the decimals, not sums of an inexact step.
  EXPECT_EQ(plot::nice_ticks(0.25, 0.75, 6), (std::vector<double>{0.3, 0.4, 0.5, 0.6, 0.7}));
}

TEST(SvgTicks, EdgeCases) {
  EXPECT_EQ(plot::nice_ticks(1, 0, 6), plot::nice_ticks(0, 1, 6));  // reversed ends
  EXPECT_EQ(plot::nice_ticks(3, 3, 6), std::vector<double>{3});
  EXPECT_TRUE(plot::nice_ticks(0, NAN, 6).empty());
  EXPECT_TRUE(plot::nice_ticks(-INFINITY, 1, 6).empty());
  EXPECT_EQ(plot::nice_ticks(0, 10, 0).size(), 2u);  // at least two ticks are asked for
  // A span near the resolution of doubles at that magnitude still ends, within the limit.
  EXPECT_LE(plot::nice_ticks(1e17, 1e17 + 64, 6).size(), 6u);
}

TEST(SvgTicks, PropertiesHoldOnRandomRanges) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> exponent(-6, 6);
  std::uniform_real_distribution<double> unit(-1, 1);
  for (int trial = 0; trial < 2000; ++trial) {
    const double scale = std::pow(10.0, exponent(rng));
    const double a = unit(rng) * scale;
    const double b = a + std::abs(unit(rng)) * scale + 1e-3 * scale;
    const int max_ticks = 2 + trial % 9;
    const std::vector<double> ticks = plot::nice_ticks(a, b, max_ticks);
    ASSERT_LE(ticks.size(), static_cast<std::size_t>(max_ticks)) << a << " " << b;
    if (ticks.size() < 2) continue;
    const double step = ticks[1] - ticks[0];
    // The step is 1, 2 or 5 times a power of ten.
    const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    EXPECT_TRUE(std::abs(mantissa - 1) < 1e-6 || std::abs(mantissa - 2) < 1e-6 || std::abs(mantissa - 5) < 1e-6)
        << "step " << step << " for [" << a << ", " << b << "]";
    for (std::size_t i = 0; i < ticks.size(); ++i) {
      EXPECT_GE(ticks[i], a - 1e-9 * step);
      EXPECT_LE(ticks[i], b + 1e-9 * step);
      EXPECT_NEAR(ticks[i] - ticks[0], i * step, 1e-6 * step);
      EXPECT_NEAR(ticks[i] / step, std::round(ticks[i] / step), 1e-6);  // multiples of the step
    }
  }
}

TEST(SvgTicks, LabelsAreCompact) {
  EXPECT_EQ(plot::format_tick(0.30000000000000004, 0.1), "0.3");
  EXPECT_EQ(plot::format_tick(-4, 2), "-4");
  EXPECT_EQ(plot::format_tick(-0.0, 1), "0");
  EXPECT_EQ(plot::format_tick(1e-17, 0.2), "0");  // rounding dust next to zero
  EXPECT_EQ(plot::format_tick(1, 0.5), "1.0");    // every label of an axis has the same decimals
  EXPECT_EQ(plot::format_tick(0.05, 0.05), "0.05");
  EXPECT_EQ(plot::format_tick(0.75, 0.25), "0.75");
  EXPECT_EQ(plot::format_tick(20000, 10000), "20000");
  EXPECT_EQ(plot::format_tick(1500000, 500000), "1.5e6");
  EXPECT_EQ(plot::format_tick(3e6, 1e6), "3e6");
  EXPECT_EQ(plot::format_tick(2e-4, 1e-4), "2e-4");
  EXPECT_EQ(plot::format_tick(-2.5e-5, 5e-6), "-2.5e-5");
}

TEST(SvgTicks, WholeXTicksLeaveOutFractions) {
  plot::Figure figure(1, 1);
  plot::Chart& chart = figure.chart(0, 0);
  chart.x_range = plot::Range{1, 2};
  chart.add_line("accuracy", {1, 2}, {0.5, 0.8});
  // Labels between 1 and 2 start with "1." (the y ticks here are 0.5 to 0.8).
  EXPECT_GT(count_of(figure.to_svg(), ">1."), 0u) << "the test needs a fractional tick to begin with";
  chart.whole_x_ticks = true;
  const std::string svg = figure.to_svg();
  EXPECT_EQ(count_of(svg, ">1."), 0u);
  EXPECT_EQ(count_of(svg, ">1</text>"), 1u);
  EXPECT_EQ(count_of(svg, ">2</text>"), 1u);
}

TEST(SvgText, XmlEscape) {
  EXPECT_EQ(plot::xml_escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
  EXPECT_EQ(plot::xml_escape("plain text"), "plain text");
  EXPECT_EQ(plot::xml_escape("tab\there\x01\x1f"), "tab\there");  // XML 1.0 forbids other control characters
  EXPECT_EQ(plot::xml_escape("f\u2032(x) \u2212 \u221Ax"), "f\u2032(x) \u2212 \u221Ax");  // UTF-8 passes through
}

TEST(SvgText, UserTextIsEscapedInTheDocument) {
  plot::Figure figure(1, 1, "Loss & <accuracy>");
  plot::Chart& chart = figure.chart(0, 0);
  chart.title = "<script>alert(1)</script>";
  chart.x_label = "x \"quoted\"";
  chart.add_line("a & b", {0, 1}, {0, 1});
  const std::string svg = figure.to_svg();
  EXPECT_EQ(svg.find("<script>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(svg.find("Loss &amp; &lt;accuracy&gt;"), std::string::npos);
  EXPECT_NE(svg.find("a &amp; b"), std::string::npos);
  EXPECT_TRUE(is_well_formed(svg));
}

TEST(SvgSeries, NanAndInfinitySplitTheLine) {
  plot::Figure figure(1, 1);
  plot::Chart& chart = figure.chart(0, 0);
  chart.add_line("gaps", {0, 1, 2, 3, 4, 5, 6, 7, 8}, {0, 1, NAN, 3, 4, INFINITY, 6, 7, 8});
  const std::string svg = figure.to_svg();
  const std::vector<std::string> paths = series_paths(svg);
  ASSERT_EQ(paths.size(), 1u);
  EXPECT_EQ(count_of(paths[0], "M"), 3u) << paths[0];  // [0,1], [3,4], [6,8]
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
}

TEST(SvgSeries, SqrtHasNoLineLeftOfZero) {
  const std::vector<double> x = linspace(-5, 5, 101);
  std::vector<double> y;
  for (const double v : x) y.push_back(v < 0 ? NAN : std::sqrt(v));
  plot::Figure figure(1, 1);
  plot::Chart& chart = figure.chart(0, 0);
  chart.x_range = plot::Range{-5, 5};
  chart.add_line("sqrt", x, y);
  chart.add_line("identity", x, x);  // spans the whole width, to find where x = 0 is drawn
  const std::vector<std::string> paths = series_paths(figure.to_svg());
  ASSERT_EQ(paths.size(), 2u);
  ASSERT_EQ(count_of(paths[0], "M"), 1u);
  const std::vector<double> sqrt_points = path_numbers(paths[0]);
  const std::vector<double> identity_points = path_numbers(paths[1]);
  const double x_of_minus_5 = identity_points.front();
  const double x_of_plus_5 = identity_points[identity_points.size() - 2];
  const double x_of_zero = (x_of_minus_5 + x_of_plus_5) / 2;
  EXPECT_NEAR(sqrt_points.front(), x_of_zero, 0.01);  // starts at x = 0, not before
}

TEST(SvgSeries, ValuesOutsideAFixedRangeAreClipped) {
  plot::Figure figure(1, 1);
  figure.panel_width = 400;
  figure.panel_height = 300;
  plot::Chart& chart = figure.chart(0, 0);
  chart.y_range = plot::Range{-1, 1};
  chart.add_line("huge", {0, 1, 2, 3, 4}, {0, 1e12, 0.5, -1e300, 0});
  const std::string svg = figure.to_svg();
  const std::vector<std::string> paths = series_paths(svg);
  ASSERT_EQ(paths.size(), 1u);
  // Only points near the plot area are written: no coordinate is anywhere near 1e12.
  for (const double v : path_numbers(paths[0])) {
    EXPECT_GT(v, -20);
    EXPECT_LT(v, 420);
  }
  // The cut is finished by a clipPath that the line's group refers to.
  const std::string clip_reference = attribute_after(svg, "clip-path=", "clip-path");
  ASSERT_EQ(clip_reference.rfind("url(#", 0), 0u);
  const std::string id = clip_reference.substr(5, clip_reference.size() - 6);
  EXPECT_NE(svg.find("<clipPath id=\"" + id + "\">"), std::string::npos);
  EXPECT_LT(svg.find("<clipPath id=\"" + id + "\">"), svg.find("class=\"series\""));
}

TEST(SvgSeries, PaletteColoursAndDashes) {
  plot::Figure figure(1, 1);
  plot::Chart& chart = figure.chart(0, 0);
  chart.add_line("first", {0, 1}, {0, 1});
  chart.add_line("second", {0, 1}, {1, 0}, plot::LineStyle::Dashed);
  chart.add_line("third", {0, 1}, {0.5, 0.5}).color = "#123456";
  const std::string svg = figure.to_svg();
  const std::string first = attribute_after(svg, "class=\"series\"", "stroke");
  const std::size_t second_at = svg.find("class=\"series\"", svg.find("class=\"series\"") + 1);
  const std::string second = attribute_after(svg, "class=\"series\"", "stroke", second_at);
  EXPECT_NE(first, second);
  EXPECT_FALSE(attribute_after(svg, "class=\"series\"", "stroke-dasharray", second_at).empty());
  EXPECT_NE(svg.find("stroke=\"#123456\""), std::string::npos);
}

TEST(SvgSeries, MismatchedLengthsAreRejected) {
  plot::Chart chart;
  EXPECT_THROW(chart.add_line("bad", {0, 1, 2}, {0, 1}), std::invalid_argument);
  plot::Figure figure(1, 1);
  figure.chart(0, 0).series.push_back({"bad", {0, 1}, {0}, "", plot::LineStyle::Solid, false});
  EXPECT_THROW(figure.to_svg(), std::invalid_argument);
}

TEST(SvgLegend, ListsNamedSeriesOnly) {
  plot::Figure figure(1, 1);
  plot::Chart& chart = figure.chart(0, 0);
  chart.add_line("relu", {0, 1}, {0, 1});
  chart.add_line("", {0, 1}, {1, 0});
  const std::string svg = figure.to_svg();
  EXPECT_EQ(count_of(svg, ">relu</text>"), 1u);
  chart.legend = plot::LegendPosition::None;
  EXPECT_EQ(count_of(figure.to_svg(), ">relu</text>"), 0u);
}

TEST(SvgLegend, SharedLegendNamesEachSeriesOnce) {
  plot::Figure figure(1, 2);
  figure.shared_legend = true;
  for (int c = 0; c < 2; ++c) {
    figure.chart(0, c).add_line("linear", {1, 2, 3}, {3, 2, 1});
    figure.chart(0, c).add_line("mlp", {1, 2, 3}, {3, 1, 0.5});
  }
  const std::string svg = figure.to_svg();
  EXPECT_EQ(count_of(svg, ">linear</text>"), 1u);
  EXPECT_EQ(count_of(svg, ">mlp</text>"), 1u);
}

TEST(SvgDocument, IsWellFormedSvg) {
  plot::Figure figure(2, 2, "Activations");
  for (int k = 0; k < 3; ++k) {
    plot::Chart& chart = figure.chart(k / 2, k % 2);
    chart.title = "chart " + std::to_string(k);
    chart.x_label = "x";
    chart.y_label = "f(x)";
    const std::vector<double> x = linspace(-5, 5, 201);
    std::vector<double> y;
    for (const double v : x) y.push_back(std::tanh(v) * (k + 1));
    chart.add_line("tanh", x, y);
    chart.add_line("tanh'", x, y, plot::LineStyle::Dotted).markers = true;
    chart.add_hline(0, "y = 0");
    chart.add_vline(0);
  }
  figure.image_grid(1, 1).add_image(2, 2, {0, 1, 1, 0}, "pred 1");
  const std::string svg = figure.to_svg();
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\"", 0), 0u);
  ASSERT_GE(svg.size(), 7u);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  EXPECT_EQ(count_of(svg, "<svg"), 1u);
  EXPECT_TRUE(is_well_formed(svg));
  // Three charts, three distinct clip paths.
  EXPECT_EQ(count_of(svg, "<clipPath id="), 3u);
}

TEST(SvgDocument, EmptyAndDegenerateChartsStillDraw) {
  plot::Figure figure(1, 3);
  figure.chart(0, 0);                                                  // nothing at all
  figure.chart(0, 1).add_line("zero", {-5, 5}, {0, 0});               // a constant, such as relu''
  figure.chart(0, 2).add_line("undefined", {0, 1, 2}, {NAN, NAN, NAN});  // nothing finite
  const std::string svg = figure.to_svg();
  EXPECT_TRUE(is_well_formed(svg));
  EXPECT_EQ(series_paths(svg).size(), 1u);  // only the constant has a line to draw
  EXPECT_EQ(svg.find("nan"), std::string::npos);
}

TEST(SvgDocument, FixedRangesAreValidated) {
  plot::Figure figure(1, 1);
  figure.chart(0, 0).y_range = plot::Range{1, 1};
  EXPECT_THROW(figure.to_svg(), std::invalid_argument);
}

TEST(SvgFigure, CellsOutsideTheGridThrow) {
  plot::Figure figure(2, 3);
  EXPECT_NO_THROW(figure.chart(1, 2));
  EXPECT_THROW(figure.chart(2, 0), std::out_of_range);
  EXPECT_THROW(figure.image_grid(0, 3), std::out_of_range);
  EXPECT_THROW(figure.chart(-1, 0), std::out_of_range);
  EXPECT_THROW(plot::Figure(0, 1), std::invalid_argument);
}

TEST(SvgFigure, ACellHoldsOnePanel) {
  plot::Figure figure(1, 1);
  figure.chart(0, 0).add_line("line", {0, 1}, {0, 1});
  figure.image_grid(0, 0).add_image(1, 1, {1}, "pixel");  // replaces the chart
  const std::string svg = figure.to_svg();
  EXPECT_TRUE(series_paths(svg).empty());
  EXPECT_EQ(count_of(svg, "class=\"image\""), 1u);
}

TEST(SvgSave, WritesTheDocumentAndLeavesNoTemporaryFile) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "nabla_svg_plot_test";
  std::filesystem::create_directories(dir);
  const std::filesystem::path path = dir / "chart.svg";
  plot::Figure figure(1, 1, "saved");
  figure.chart(0, 0).add_line("line", {0, 1}, {0, 1});
  figure.save(path.string());
  std::ifstream in(path, std::ios::binary);
  const std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(written, figure.to_svg());
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp"));
  std::filesystem::remove_all(dir);
}

TEST(SvgSave, UnwritablePathThrowsNamingThePath) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "nabla_no_such_directory_4711" / "chart.svg").string();
  plot::Figure figure(1, 1);
  figure.chart(0, 0).add_line("line", {0, 1}, {0, 1});
  try {
    figure.save(path);
    FAIL() << "saving into a missing directory should throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

TEST(SvgImageGrid, WritesOneImagePerPicture) {
  plot::Figure figure(1, 1);
  plot::ImageGrid& grid = figure.image_grid(0, 0);
  grid.title = "test digits";
  for (int i = 0; i < 7; ++i) {
    std::vector<float> pixels(28 * 28, 0.0f);
    pixels[i * 29] = 1.0f;
    grid.add_image(28, 28, pixels, "pred " + std::to_string(i));
  }
  grid.images[3].caption_color = "#cc0000";
  const std::string svg = figure.to_svg();
  EXPECT_EQ(count_of(svg, "class=\"image\""), 7u);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(count_of(svg, ">pred " + std::to_string(i) + "</text>"), 1u);
  EXPECT_EQ(count_of(svg, "fill=\"#cc0000\""), 1u);
  EXPECT_TRUE(is_well_formed(svg));
}

TEST(SvgImageGrid, DarkPixelsBecomeRectanglesInTheirRows) {
  plot::Figure figure(1, 1);
  plot::ImageGrid& grid = figure.image_grid(0, 0);
  grid.value_range = plot::Range{0, 1};
  // A 3x2 image: a full-ink run of two pixels on row 0, one ink pixel on row 1.
  grid.add_image(3, 2, {1, 1, 0, 0, 0, 1});
  const std::string svg = figure.to_svg();
  const std::string ink = attribute_after(svg, "fill=\"#000000\" d=", "d");
  EXPECT_EQ(ink, "M0 0h2v1h-2zM2 1h1v1h-1z");
  EXPECT_EQ(count_of(svg, "fill=\"#000000\" d="), 1u);  // white pixels are not drawn
}

TEST(SvgImageGrid, WrongPixelCountIsRejected) {
  plot::ImageGrid grid;
  EXPECT_THROW(grid.add_image(28, 28, std::vector<float>(27 * 28)), std::invalid_argument);
  EXPECT_THROW(grid.add_image(0, 28, {}), std::invalid_argument);
}

TEST(SvgLegend, BestSpotAvoidsTheData) {
  // A diagonal from bottom left to top right leaves the other two corners free; the top
  // left one comes first in the order of preference.
  plot::Figure figure(1, 1);
  figure.panel_width = 440;
  figure.panel_height = 320;
  plot::Chart& chart = figure.chart(0, 0);
  chart.add_line("diagonal", linspace(0, 1, 50), linspace(0, 1, 50));
  const std::string svg = figure.to_svg();
  const double x = std::stod(attribute_after(svg, "fill-opacity=\"0.9\"", "x"));
  const double y = std::stod(attribute_after(svg, "fill-opacity=\"0.9\"", "y"));
  EXPECT_LT(x, 440 / 3.0);
  EXPECT_LT(y, 320 / 3.0);

  chart.legend = plot::LegendPosition::BottomRight;  // an explicit corner is obeyed
  const std::string moved = figure.to_svg();
  EXPECT_GT(std::stod(attribute_after(moved, "fill-opacity=\"0.9\"", "x")), 440 / 2.0);
  EXPECT_GT(std::stod(attribute_after(moved, "fill-opacity=\"0.9\"", "y")), 320 / 2.0);
}
