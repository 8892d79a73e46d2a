// examples/06_fit_function.cpp run as a user would: it fits sin(x), and refuses bad input.
#include <gtest/gtest.h>

#include <sstream>

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

// Tour step 6's claim for this program: gradient descent with autograd's gradients fits the
// cubic, odd like sin(x), with a small error (least squares on [-pi, pi] gives 0.857 x - 0.0933 x^3).
TEST(FitFunctionCommandLine, GradientDescentFitsTheCubicToSin) {
  const ProgramResult r = run_program(FIT_FUNCTION_PROGRAM, {});
  ASSERT_TRUE(r.exited()) << r.err;
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const size_t last = r.out.find("step 1000   loss ");
  ASSERT_NE(last, std::string::npos) << r.out;
  EXPECT_LT(std::stod(r.out.substr(last + 17)), 0.01) << r.out;
  const size_t fit = r.out.find("sin(x) ~ ");
  ASSERT_NE(fit, std::string::npos) << r.out;
  std::istringstream in(r.out.substr(fit + 9));
  double a = 0, b = 0, c = 0, d = 0;
  std::string plus, power;
  in >> a >> plus >> b >> power >> plus >> c >> power >> plus >> d;
  EXPECT_NEAR(a, 0, 0.01);
  EXPECT_NEAR(b, 0.857, 0.01);
  EXPECT_NEAR(c, 0, 0.01);
  EXPECT_NEAR(d, -0.0933, 0.005);
}

}  // namespace
