// Tour step 12, examples/12_forward_vs_reverse.cpp: jacfwd makes n passes and jacrev m, the two
// Jacobians agree, the two Hessians agree to 1e-12, and the picture has both modes' curves.
// Times are noisy, so nothing here depends on them, beyond the crossover lying where the
// program says it found it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/examples/expect_rejected.h"

namespace {

using namespace testing_examples;

struct FastRun {
  std::string out_directory;
  ProgramResult result;
};

// One fast run, shared by the tests: sizes up to n = 100, one timing each.
const FastRun& fast_run() {
  static const FastRun run = [] {
    FastRun r;
    r.out_directory = make_temporary_directory("nabla_forward_vs_reverse_");
    r.result = run_program(FORWARD_VS_REVERSE_PROGRAM, {"--max-n", "100", "--repeats", "1", "--out", r.out_directory});
    return r;
  }();
  return run;
}

struct TableRow {
  long long n = 0, m = 0, forward_passes = 0, reverse_passes = 0;
  double forward_ms = 0, reverse_ms = 0, ratio = 0, difference = -1;
};

// The rows of the Jacobian table: the lines between its header and "Jacobians agree".
std::vector<TableRow> table(const std::string& out) {
  std::vector<TableRow> rows;
  const size_t header = out.find("forward passes   reverse passes");
  if (header == std::string::npos) return rows;
  std::istringstream lines(out.substr(out.find('\n', header) + 1));
  std::string line;
  while (std::getline(lines, line) && line.rfind("Jacobians agree", 0) != 0) {
    TableRow r;
    std::istringstream fields(line);
    fields >> r.n >> r.m >> r.forward_passes >> r.reverse_passes >> r.forward_ms >> r.reverse_ms >> r.ratio >>
        r.difference;
    if (!fields) ADD_FAILURE() << "a table row that does not read as eight numbers: '" << line << "'";
    rows.push_back(r);
  }
  return rows;
}

// The number printed right after `phrase`, or NaN if the phrase is missing.
double number_after(const std::string& text, const std::string& phrase) {
  const size_t at = text.find(phrase);
  return at == std::string::npos ? NAN : std::stod(text.substr(at + phrase.size()));
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// How many elements starting with `start` contain `attribute`.
int count(const std::string& svg, const std::string& start, const std::string& attribute) {
  int found = 0;
  for (size_t at = svg.find(start); at != std::string::npos; at = svg.find(start, at + 1)) {
    found += svg.substr(at, svg.find("/>", at) - at).find(attribute) != std::string::npos;
  }
  return found;
}

struct SvgPath {
  std::string stroke;
  bool dashed = false;
  int points = 0;  // M and L commands: the line's corners
};

// Every data line the chart drew (<path class="series" ...>), read loosely.
std::vector<SvgPath> series_paths(const std::string& svg) {
  std::vector<SvgPath> paths;
  for (size_t at = svg.find("<path class=\"series\""); at != std::string::npos;
       at = svg.find("<path class=\"series\"", at + 1)) {
    const std::string element = svg.substr(at, svg.find("/>", at) - at);
    SvgPath p;
    const size_t stroke = element.find(" stroke=\"");
    if (stroke != std::string::npos) p.stroke = element.substr(stroke + 9, element.find('"', stroke + 9) - stroke - 9);
    p.dashed = element.find("stroke-dasharray") != std::string::npos;
    const size_t d = element.find(" d=\"");
    for (size_t i = d + 4; d != std::string::npos && i < element.size() && element[i] != '"'; ++i) {
      p.points += element[i] == 'M' || element[i] == 'L';
    }
    paths.push_back(p);
  }
  return paths;
}

TEST(ForwardVsReverseExample, JacfwdMakesOnePassPerInputAndJacrevOnePerOutputAndTheyAgree) {
  const ProgramResult& r = fast_run().result;
  ASSERT_TRUE(r.exited()) << r.err;
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const std::vector<TableRow> rows = table(r.out);
  ASSERT_EQ(rows.size(), 5u) << r.out;  // n = 1, 3, 10, 32, 100: none above --max-n
  const long long expected_n[] = {1, 3, 10, 32, 100}, expected_m[] = {1000, 333, 100, 31, 10};
  for (size_t k = 0; k < rows.size(); ++k) {
    SCOPED_TRACE("n = " + std::to_string(rows[k].n));
    EXPECT_EQ(rows[k].n, expected_n[k]);
    EXPECT_EQ(rows[k].m, expected_m[k]);
    // Counted by an op at f's output, not computed from n and m.
    EXPECT_EQ(rows[k].forward_passes, rows[k].n);
    EXPECT_EQ(rows[k].reverse_passes, rows[k].m);
    EXPECT_GE(rows[k].difference, 0);
    EXPECT_LE(rows[k].difference, 1e-10);
    EXPECT_GT(rows[k].forward_ms, 0);
    EXPECT_GT(rows[k].reverse_ms, 0);
  }
  EXPECT_LE(number_after(r.out, "Jacobians agree: largest relative difference "), 1e-10) << r.out;
  EXPECT_NE(r.out.find("jacrev evaluated f once per size"), std::string::npos) << r.out;
}

TEST(ForwardVsReverseExample, HessiansByForwardOverReverseAndReverseOverReverseAgreeTo1e12) {
  const ProgramResult& r = fast_run().result;
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("in its 105 parameters\n(105 x 105"), std::string::npos) << r.out;  // 2-8-8-1: 24 + 72 + 9
  EXPECT_NE(r.out.find("forward over reverse (func::hessian) "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("reverse over reverse (func::hessian_reverse_over_reverse) "), std::string::npos) << r.out;
  const double difference = number_after(r.out, "Hessians agree: largest relative difference ");
  EXPECT_GE(difference, 0) << r.out;
  EXPECT_LE(difference, 1e-12) << r.out;
}

// The theory's crossover is the ratio of the two per-pass costs it prints, and a measured
// crossover lies between the two sizes the program names.
TEST(ForwardVsReverseExample, TheCrossoversAreWhereTheirNumbersPutThem) {
  const ProgramResult& r = fast_run().result;
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const size_t theory = r.out.find("they cross at n / m = ");
  ASSERT_NE(theory, std::string::npos) << r.out;
  double backward_us = 0, tangent_us = 0, ratio = 0;
  ASSERT_EQ(std::sscanf(r.out.c_str() + theory, "they cross at n / m = %lf / %lf = %lf", &backward_us, &tangent_us, &ratio), 3)
      << r.out;
  EXPECT_NEAR(ratio, backward_us / tangent_us, 0.01 + 0.01 * ratio);
  EXPECT_GT(number_after(r.out, "forward with tangents (a jvp) "), 0);
  const size_t measured = r.out.find("measured: the two times cross at n / m = ");
  if (measured == std::string::npos) {
    EXPECT_NE(r.out.find("measured: no crossing within n <= 100"), std::string::npos) << r.out;
    return;
  }
  double at = 0, log_at = 0;
  long long below = 0, above = 0;
  ASSERT_EQ(std::sscanf(r.out.c_str() + measured,
                        "measured: the two times cross at n / m = %lf (log10 %lf), between n = %lld and n = %lld", &at,
                        &log_at, &below, &above),
            4)
      << r.out;
  const std::vector<TableRow> rows = table(r.out);
  for (size_t k = 0; k + 1 < rows.size(); ++k) {
    if (rows[k].n != below) continue;
    EXPECT_EQ(rows[k + 1].n, above);
    EXPECT_NEAR(at, std::pow(10.0, log_at), 0.01 + 0.02 * at);
    EXPECT_GE(log_at, std::log10(static_cast<double>(rows[k].n) / static_cast<double>(rows[k].m)) - 0.006);
    EXPECT_LE(log_at, std::log10(static_cast<double>(rows[k + 1].n) / static_cast<double>(rows[k + 1].m)) + 0.006);
    // Forward mode is the cheaper below the crossover and the dearer above it.
    EXPECT_LE(rows[k].ratio, 1.001);  // printed to three decimals
    EXPECT_GE(rows[k + 1].ratio, 0.999);
    return;
  }
  ADD_FAILURE() << "the crossover names n = " << below << ", which is not a row of the table\n" << r.out;
}

TEST(ForwardVsReverseExample, ThePictureHasBothModesMeasuredAndTheirTheoryDashed) {
  const FastRun& run = fast_run();
  ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
  const std::string svg = read_text(std::filesystem::path(run.out_directory) / "jacobian_cost.svg");
  ASSERT_FALSE(svg.empty());
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  for (const char* name : {"forward mode (jacfwd): n passes", "reverse mode (jacrev): m passes", "theory: n x one jvp",
                           "theory: m x one backward", "theory&apos;s crossover: n/m = "}) {
    EXPECT_NE(svg.find(name), std::string::npos) << name;
  }
  // A solid line and a dashed one in each mode's colour (a straight run of points may be
  // drawn with fewer, so the points are counted by their markers).
  int measured_forward = 0, measured_reverse = 0, dashed_forward = 0, dashed_reverse = 0;
  for (const SvgPath& p : series_paths(svg)) {
    if (p.points < 2) continue;
    if (p.stroke == "#1f77b4") (p.dashed ? dashed_forward : measured_forward)++;
    if (p.stroke == "#d62728") (p.dashed ? dashed_reverse : measured_reverse)++;
  }
  EXPECT_EQ(measured_forward, 1);
  EXPECT_EQ(measured_reverse, 1);
  EXPECT_EQ(dashed_forward, 1);
  EXPECT_EQ(dashed_reverse, 1);
  // One marker per size of the table, and one on the legend's swatch.
  EXPECT_EQ(count(svg, "<circle cx=\"", "fill=\"#1f77b4\""), 6);
  EXPECT_EQ(count(svg, "<circle cx=\"", "fill=\"#d62728\""), 6);
}

TEST(ForwardVsReverseExample, HelpOnlyPrintsTheUsage) {
  expect_help_only_prints(FORWARD_VS_REVERSE_PROGRAM, "forward_vs_reverse");
}

TEST(ForwardVsReverseExample, BadOptionsAreRefusedBeforeAnyWork) {
  expect_rejected(FORWARD_VS_REVERSE_PROGRAM, "forward_vs_reverse",
                  {
                      {{"--max-n", "2"}, "--max-n must be from 3 to 1000, got 2"},
                      {{"--max-n", "1001"}, "--max-n must be from 3 to 1000, got 1001"},
                      {{"--max-n"}, "--max-n needs a value"},
                      {{"--repeats", "0"}, "--repeats must be from 1 to 100, got 0"},
                      {{"--repeats", "many"}, "--repeats expects a whole number, got 'many'"},
                      {{"--out", "/proc/nabla/x"}, "--out '/proc/nabla/x': cannot create the directory"},
                      {{"--n", "5"}, "unknown option '--n'; options are --max-n, --repeats, --out, --help"},
                  });
}

}  // namespace
