// Tour step 3, examples/03_gradcheck.cpp: finite differences are most accurate at a middle
// step, and gradcheck passes the right backward and rejects the wrong one, naming where.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "tests/examples/expect_rejected.h"

namespace {

using namespace testing_examples;

TEST(GradcheckExample, RejectsTheWrongDerivativeAndShowsBothValues) {
  const std::string out = make_temporary_directory("nabla_gradcheck_");
  const ProgramResult r = run_program(GRADCHECK_PROGRAM, {"--out", out});
  ASSERT_TRUE(r.exited()) << r.err;
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sigmoid, backward s (1 - s):\ngradcheck PASSED"), std::string::npos) << r.out;
  const size_t wrong = r.out.find("sigmoid, backward s (the slip):\ngradcheck FAILED: analytic and numeric gradients disagree");
  ASSERT_NE(wrong, std::string::npos) << r.out;
  // The report's worst element: the wrong backward gave s, the finite difference s (1 - s).
  const size_t numeric = r.out.find(" vs numeric ", wrong);
  ASSERT_NE(numeric, std::string::npos) << r.out;
  const size_t analytic = r.out.rfind("analytic ", numeric);
  const double s = std::stod(r.out.substr(analytic + 9)), ds = std::stod(r.out.substr(numeric + 12));
  EXPECT_GT(s, 0);
  EXPECT_NEAR(ds, s * (1 - s), 1e-5) << r.out;
  EXPECT_GT(std::filesystem::file_size(out + "/finite_differences.svg"), 1000u);
}

TEST(GradcheckExample, CentralDifferencesAreBestAtAMiddleStep) {
  const std::string out = make_temporary_directory("nabla_gradcheck_");
  const ProgramResult r = run_program(GRADCHECK_PROGRAM, {"--x", "-0.3", "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const size_t at = r.out.find("smallest error ");
  ASSERT_NE(at, std::string::npos) << r.out;
  const size_t eps_at = r.out.find("at eps = ", at);
  const double error = std::stod(r.out.substr(at + 15)), eps = std::stod(r.out.substr(eps_at + 9));
  EXPECT_LT(error, 1e-9);
  EXPECT_GE(eps, 1e-7);  // rounding wins below, truncation above
  EXPECT_LE(eps, 1e-4);
}

TEST(GradcheckExample, HelpOnlyPrintsTheUsage) { expect_help_only_prints(GRADCHECK_PROGRAM, "gradcheck"); }

TEST(GradcheckExample, BadArgumentsAreRefused) {
  expect_rejected(GRADCHECK_PROGRAM, "gradcheck",
                  {
                      {{"--x", "6"}, "--x must be >= -5 and <= 5, got 6"},
                      {{"--x", ""}, "--x expects a number, got ''"},
                      {{"--out", "/proc/nabla/x"}, "--out '/proc/nabla/x': cannot create the directory"},
                      {{"--eps", "1e-6"}, "unknown option '--eps'; options are --x, --out, --help"},
                  });
}

}  // namespace
