// examples/activations --html: one page, well-formed, with every SVG the program wrote and
// every results file it found inlined, nothing loaded from outside, text escaped, and a
// section whose results are missing saying which command makes them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "examples/common/table_file.h"
#include "tests/examples/run_program.h"
#include "tests/html_check.h"

namespace {

namespace fs = std::filesystem;
using namespace testing_examples;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string problems_of(const nabla::testing::HtmlSummary& summary) {
  std::string all;
  for (const std::string& p : summary.problems) all += p + "\n";
  return all;
}

// Runs the program and returns the page it wrote into `out`.
std::string report(const fs::path& out, const fs::path& results) {
  const ProgramResult r =
      run_program(ACTIVATIONS_PROGRAM, {"--html", "--no-timing", "--out", out.string(), "--results", results.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("report.html"), std::string::npos) << "says where the page is";
  return read(out / "report.html");
}

// A small SVG as Figure::save writes them: an id, and a reference to it.
const std::string kResultSvg =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><defs><clipPath id=\"nabla-clip-0-0\">"
    "<rect width=\"5\" height=\"5\"/></clipPath></defs><g clip-path=\"url(#nabla-clip-0-0)\"><text>%s</text></g></svg>\n";

std::string result_svg(const std::string& text) { return std::regex_replace(kResultSvg, std::regex("%s"), text); }

TEST(ActivationsReport, InlinesEveryPlotAndEveryResultIntoOneWellFormedPage) {
  const fs::path out = make_temporary_directory("nabla_report_out_");
  const fs::path results = make_temporary_directory("nabla_report_results_");
  fs::create_directories(results / "mnist");
  fs::create_directories(results / "depth");
  // A model name with & < > in it: the page must show it escaped, not break on it.
  examples::write_table(results / "mnist" / "results.tsv",
                        {{"model", "params", "test acc", "stopped"},
                         {{"deep a<b & c>d", "10", "88.0%", ""}, {"deep tanh", "10", "87.7%", ""}}});
  examples::write_table(results / "mnist" / "collapse.tsv", {{"deep linear network", "same prediction"}, {{"784-10", "10000"}}});
  write(results / "mnist" / "training.svg", result_svg("TRAINING CURVES"));
  examples::write_table(results / "depth" / "accuracy.tsv",
                        {{"network", "2", "16"}, {{"relu", "0.8731", "0.6702"}, {"sigmoid", "0.7100", "0.1000"}}});
  write(results / "depth" / "gradients.svg", result_svg("GRADIENT NORMS"));

  const std::string html = report(out, results);
  const auto summary = nabla::testing::check_html(html);
  EXPECT_EQ(problems_of(summary), "");

  // Every SVG the program wrote is in the page, as it is in its file (the ids prefixed).
  const std::string unprefixed = std::regex_replace(html, std::regex("(id=\"|url\\(#)svg[0-9]+-"), "$1");
  int written = 0;
  for (const auto& entry : fs::directory_iterator(out)) {
    if (entry.path().extension() != ".svg") continue;
    ++written;
    std::string svg = read(entry.path());
    svg.pop_back();  // the final line break
    EXPECT_NE(unprefixed.find(svg), std::string::npos) << entry.path() << " is not inlined";
  }
  EXPECT_GT(written, 20) << "an overview and one plot per activation";
  EXPECT_NE(html.find("TRAINING CURVES"), std::string::npos);
  EXPECT_NE(html.find("GRADIENT NORMS"), std::string::npos);
  EXPECT_EQ(summary.elements.at("svg"), written + 2) << "each SVG inlined once";

  EXPECT_NE(html.find("<td>deep a&lt;b &amp; c&gt;d</td>"), std::string::npos) << "the model name, escaped";
  EXPECT_EQ(html.find("<th>stopped</th>"), std::string::npos) << "a column empty in every row is left out";
  EXPECT_NE(html.find("<td>784-10</td><td>10000</td>"), std::string::npos) << "the collapse table";
  EXPECT_NE(html.find(">87.3%</td>"), std::string::npos) << "the depth heatmap";
  EXPECT_NE(html.find(">10.0%</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>leaky_relu</td><td>x if x &gt; 0, else 0.01 x</td>"), std::string::npos)
      << "the audit table, with each formula escaped";
  // The two pictures not given are named as missing, the page still well-formed.
  EXPECT_NE(html.find("predictions.svg is missing"), std::string::npos);
  EXPECT_NE(html.find("dead_units.svg is missing"), std::string::npos);
  EXPECT_EQ(html.find("Not run yet"), std::string::npos);
}

TEST(ActivationsReport, NamesTheCommandForEachMissingExperiment) {
  const fs::path out = make_temporary_directory("nabla_report_out_");
  const fs::path results = make_temporary_directory("nabla_report_results_");
  const std::string html = report(out, results);
  EXPECT_EQ(problems_of(nabla::testing::check_html(html)), "");
  EXPECT_NE(html.find("Not run yet: " + (results / "mnist" / "results.tsv").string()), std::string::npos);
  EXPECT_NE(html.find("mnist_collapse --out " + (results / "mnist").string()), std::string::npos);
  EXPECT_NE(html.find("Not run yet: " + (results / "depth" / "accuracy.tsv").string()), std::string::npos);
  EXPECT_NE(html.find("depth --bad-init --out " + (results / "depth").string()), std::string::npos);
}

TEST(ActivationsReport, WritesNoPageWithoutHtml) {
  const fs::path out = make_temporary_directory("nabla_report_out_");
  const ProgramResult r = run_program(ACTIVATIONS_PROGRAM, {"--no-timing", "--out", out.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(out / "report.html"));
}

}  // namespace
