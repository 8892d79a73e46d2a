// plot::HtmlPage: a well-formed, self-contained page, text escaped, figures inlined with
// ids that do not collide. tests/html_check.h is the checker; it is tested here too.
#include "nn/plot/html.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "nn/plot/svg_plot.h"
#include "tests/html_check.h"

namespace nabla::plot {
namespace {

using nabla::testing::check_html;

std::string problems_of(const std::string& html) {
  std::string all;
  for (const std::string& p : check_html(html).problems) all += p + "\n";
  return all;
}

Figure small_figure(const std::string& title) {
  Figure figure(1, 2, title);
  figure.chart(0, 0).add_line("f", {0, 1, 2}, {0, 1, 4});
  figure.chart(0, 1).add_line("g", {0, 1, 2}, {2, 1, 0});
  return figure;
}

TEST(HtmlChecker, AcceptsAWellFormedPage) {
  EXPECT_EQ(problems_of("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"/><title>a &amp; b</title></head>"
                        "<body><p id=\"x\">1 &lt; 2<br/></p><a href=\"#x\">up</a></body></html>"),
            "");
}

TEST(HtmlChecker, FindsEachKindOfMistake) {
  // A checker that cannot fail proves nothing: each of these must be reported.
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"<p><b>crossed</p></b>", "</p> closes <b>"},
      {"<div><p>open</div>", "</div> closes <p>"},
      {"<p>never closed", "<p> never closed"},
      {"<p>1 < 2</p>", "unescaped '<'"},
      {"<p>a > b</p>", "unescaped '>'"},
      {"<p>fish & chips</p>", "'&' that starts no entity"},
      {"<img src=\"plot.svg\"/>", "src= loads a file"},
      {"<a href=\"plot.svg\">x</a>", "reference to outside the page"},
      {"<a href=\"http://example.com\">x</a>", "reference to outside the page"},
      {"<a href=\"#nowhere\">x</a>", "reference to #nowhere"},
      {"<svg><g clip-path=\"url(#c)\"></g></svg>", "reference to #c"},
      {"<p id=\"a\"></p><p id=\"a\"></p>", "duplicate id 'a'"},
      {"<style>@import 'x.css';</style>", "the style sheet loads something"},
  };
  for (const auto& [html, expected] : bad) {
    EXPECT_NE(problems_of(html).find(expected), std::string::npos) << html << "\nreported:\n" << problems_of(html);
  }
}

TEST(HtmlPage, WritesAWellFormedSelfContainedPage) {
  HtmlPage page("Report");
  page.contents();
  page.heading("Numbers", "numbers");
  page.table({"name", "value"}, {{"a", "1"}, {"b"}});
  page.heatmap("net", {"relu", "sigmoid"}, {"2", "4"}, {{0.9, 0.8}, {0.5, std::nan("")}});
  page.heading("Pictures", "pictures");
  page.figure(small_figure("first"), "one figure");
  page.figure(small_figure("second"));
  page.preformatted("  col  col\n  1    2");
  const std::string html = page.to_html();
  const auto summary = check_html(html);
  EXPECT_TRUE(summary.problems.empty()) << problems_of(html);
  EXPECT_EQ(summary.elements.at("svg"), 2);
  EXPECT_EQ(summary.elements.at("table"), 2);
  EXPECT_NE(html.find("<a href=\"#numbers\">Numbers</a>"), std::string::npos) << "contents lists the headings";
  EXPECT_NE(html.find("<a href=\"#pictures\">Pictures</a>"), std::string::npos) << "even those added after it";
  EXPECT_NE(html.find(">90.0%</td>"), std::string::npos);
}

TEST(HtmlPage, EscapesEveryText) {
  HtmlPage page("a < b & c > d");
  page.heading("x < 0 ? \"a\" : 'b'");
  page.paragraph("f(x) = x if x > 0 & more");
  page.table({"<name>"}, {{"1 & 2"}});
  page.preformatted("</pre><script>");
  page.heatmap("<corner>", {"<row>"}, {"<col>"}, {{0.5}});
  const std::string html = page.to_html();
  EXPECT_EQ(problems_of(html), "");
  EXPECT_NE(html.find("<title>a &lt; b &amp; c &gt; d</title>"), std::string::npos) << html;
  EXPECT_NE(html.find("x if x &gt; 0 &amp; more"), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
}

TEST(HtmlPage, InlinedFiguresKeepTheirOwnClipPaths) {
  // Every Figure names its clip paths nabla-clip-ROW-COL: two on one page must not share.
  HtmlPage page("Two figures");
  page.figure(small_figure("a"));
  page.figure(small_figure("b"));
  const std::string html = page.to_html();
  EXPECT_EQ(problems_of(html), "") << "ids unique, every url(#id) resolves";
  EXPECT_NE(html.find("id=\"svg1-nabla-clip-0-0\""), std::string::npos);
  EXPECT_NE(html.find("url(#svg2-nabla-clip-0-0)"), std::string::npos);
}

TEST(HtmlPage, InlinesAnSvgFileDroppingItsXmlDeclaration) {
  HtmlPage page("File");
  page.svg("<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><rect id=\"r\"/></svg>\n");
  const std::string html = page.to_html();
  EXPECT_EQ(html.find("<?xml"), std::string::npos);
  EXPECT_NE(html.find("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect id=\"svg1-r\"/></svg>"), std::string::npos);
  EXPECT_EQ(problems_of(html), "");
}

TEST(HtmlPage, RefusesBadInputWithTypedErrors) {
  HtmlPage page("Bad");
  EXPECT_THROW(page.svg("<p>not a picture</p>"), std::invalid_argument);
  EXPECT_THROW(page.heading("x", "has space"), std::invalid_argument);
  EXPECT_THROW(page.table({"one"}, {{"a", "b"}}), std::invalid_argument);
  EXPECT_THROW(page.heatmap("", {"r"}, {"c1", "c2"}, {{0.1}}), std::invalid_argument);
  EXPECT_THROW(page.heatmap("", {"r", "s"}, {"c"}, {{0.1}}), std::invalid_argument);
}

TEST(HtmlPage, SaveWritesTheFileAndNamesAPathItCannotWrite) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() / "nabla_html_page_test.html";
  HtmlPage page("Saved");
  page.paragraph("hello");
  page.save(path.string());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), page.to_html());
  std::filesystem::remove(path);
  try {
    page.save("/proc/nabla/no/report.html");
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/proc/nabla/no/report.html"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nabla::plot
