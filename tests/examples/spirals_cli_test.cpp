// examples/spirals run as a user would: every bad input gets a message, never an abort.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/examples/expect_rejected.h"

namespace {

using namespace testing_examples;

TEST(SpiralsCommandLine, HelpOnlyPrintsTheUsage) { expect_help_only_prints(SPIRALS_PROGRAM, "spirals"); }

TEST(SpiralsCommandLine, BadArgumentsAreRefusedBeforeTraining) {
  expect_rejected(SPIRALS_PROGRAM, "spirals",
                  {
                      {{"--activation", "nope"}, "--activation must be one of "},
                      {{"--activation", ""}, "--activation must be one of"},
                      {{"--activation"}, "--activation needs a value"},
                      {{"--steps", "abc"}, "--steps expects a whole number, got 'abc'"},
                      {{"--steps", "16x"}, "--steps expects a whole number, got '16x'"},
                      {{"--steps", "4"}, "--steps must be from 5 to 1000000, got 4"},
                      {{"--steps", "-1"}, "--steps must be from 5"},
                      {{"--stpes", "300"}, "unknown option '--stpes'; options are --activation, --steps, --out, --help"},
                      {{"relu"}, "unexpected argument 'relu'"},
                      {{"--out", "/proc/nabla/x"}, "--out '/proc/nabla/x': cannot create the directory"},
                      {{}, "NABLA_NUM_THREADS must be from 1 to 256, got 99999", {"NABLA_NUM_THREADS=99999"}},
                      {{}, "NABLA_NUM_THREADS expects a whole number, got 'abc'", {"NABLA_NUM_THREADS=abc"}},
                  });
}

TEST(SpiralsCommandLine, SqrtFailsWithADomainDiagnosisNotAnAbort) {
  const ProgramResult r = run_program(SPIRALS_PROGRAM, {"--activation", "SQRT", "--steps", "5", "--out", make_temporary_directory("nabla_spirals_")});
  ASSERT_TRUE(r.exited()) << r.err;
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("identity step"), std::string::npos) << "the linear model's progress was lost:\n" << r.out;
  EXPECT_NE(r.err.find("spirals: error: sqrt, step 1: the loss became NaN: layer 1 applies sqrt, which is defined "
                       "only for x >= 0"),
            std::string::npos)
      << r.err;
}

TEST(SpiralsCommandLine, MissingTheAccuracyTargetIsSaidNotSilent) {
  const ProgramResult r = run_program(SPIRALS_PROGRAM, {"--steps", "5", "--out", make_temporary_directory("nabla_spirals_")});
  ASSERT_TRUE(r.exited()) << r.err;
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("spirals: error: expected over 95% with relu and under 75% without activations"),
            std::string::npos)
      << r.err;
}

TEST(SpiralsCommandLine, DrawsWhatBothNetworksPredictOverThePlane) {
  const std::string out = make_temporary_directory("nabla_spirals_");
  const ProgramResult r = run_program(SPIRALS_PROGRAM, {"--steps", "5", "--activation", "tanh", "--out", out});
  ASSERT_TRUE(r.exited()) << r.err;
  std::ifstream file(out + "/spirals.svg");
  ASSERT_TRUE(file) << r.out << r.err;
  const std::string svg{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  EXPECT_NE(svg.find(">no activation: "), std::string::npos);
  EXPECT_NE(svg.find(">tanh: "), std::string::npos);
  EXPECT_EQ(svg.rfind("</svg>"), svg.size() - 7) << "not a whole SVG document";
}

}  // namespace
