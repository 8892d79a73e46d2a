// examples/fit_function run as a user would.
#include <gtest/gtest.h>

#include "tests/examples/expect_rejected.h"

namespace {

using namespace testing_examples;

TEST(FitFunctionCommandLine, HelpOnlyPrintsTheUsage) { expect_help_only_prints(FIT_FUNCTION_PROGRAM, "fit_function"); }

TEST(FitFunctionCommandLine, BadArgumentsAreRefused) {
  expect_rejected(FIT_FUNCTION_PROGRAM, "fit_function",
                  {
                      {{"--steps", "-1"}, "--steps must be from 0 to 10000000, got -1"},
                      {{"--steps", "1e3"}, "--steps expects a whole number, got '1e3'"},
                      {{"--lr", "0"}, "--lr must be > 0 and <= 100, got 0"},
                      {{"--learning-rate", "0.1"}, "unknown option '--learning-rate'; options are --steps, --lr"},
                      {{}, "NABLA_NUM_THREADS must be from 1 to 256", {"NABLA_NUM_THREADS=0"}},
                  });
}

TEST(FitFunctionCommandLine, DivergenceStopsWithAMessage) {
  const ProgramResult r = run_program(FIT_FUNCTION_PROGRAM, {"--lr", "50", "--steps", "100000"});
  ASSERT_TRUE(r.exited()) << r.err;
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("step    0"), std::string::npos) << "printed steps were lost";
  EXPECT_NE(r.err.find("gradient descent diverged; try a smaller --lr"), std::string::npos) << r.err;
}

TEST(FitFunctionCommandLine, RunsWithItsOptions) {
  const ProgramResult r = run_program(FIT_FUNCTION_PROGRAM, {"--steps", "10", "--lr", "0.1"});
  ASSERT_TRUE(r.exited()) << r.err;
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("step   10"), std::string::npos) << r.out;
}

}  // namespace
