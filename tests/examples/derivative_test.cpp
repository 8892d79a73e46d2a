// Tour step 1, examples/01_derivative.cpp: autograd's derivative equals the hand-derived one.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "tests/examples/expect_rejected.h"

namespace {

using namespace testing_examples;

TEST(DerivativeExample, AutogradEqualsEveryHandDerivedDerivative) {
  const std::string out = make_temporary_directory("nabla_derivative_");
  for (const char* x : {"0.7", "-2.5", "9"}) {
    SCOPED_TRACE(x);
    const ProgramResult r = run_program(DERIVATIVE_PROGRAM, {"--x", x, "--out", out});
    ASSERT_TRUE(r.exited()) << r.err;
    EXPECT_EQ(r.exit_code, 0) << r.err;
    // Every "by hand H  autograd A" line: both numbers, equal to rounding, not trivially zero.
    int lines = 0;
    for (size_t at = r.out.find("by hand "); at != std::string::npos; at = r.out.find("by hand ", at + 1)) {
      std::istringstream line(r.out.substr(at));
      std::string by, hand, autograd;
      double h = NAN, a = NAN;
      line >> by >> hand >> h >> autograd >> a;
      EXPECT_EQ(autograd, "autograd");
      EXPECT_NEAR(a, h, 1e-12 * (1 + std::abs(h)));
      EXPECT_NE(h, 0);
      ++lines;
    }
    EXPECT_EQ(lines, 4) << r.out;
  }
  // x^3 at 0.7: the first line, against the power rule done here.
  const ProgramResult r = run_program(DERIVATIVE_PROGRAM, {"--x", "0.7", "--out", out});
  EXPECT_NE(r.out.find("by hand 1.4699999999999998  autograd 1.4699999999999998"), std::string::npos) << r.out;
  EXPECT_GT(std::filesystem::file_size(out + "/derivative.svg"), 1000u);
}

TEST(DerivativeExample, HelpOnlyPrintsTheUsage) { expect_help_only_prints(DERIVATIVE_PROGRAM, "derivative"); }

TEST(DerivativeExample, BadArgumentsAreRefused) {
  expect_rejected(DERIVATIVE_PROGRAM, "derivative",
                  {
                      {{"--x", "0"}, "--x must not be 0: sin(x)/x is 0/0 there"},
                      {{"--x", "11"}, "--x must be >= -10 and <= 10, got 11"},
                      {{"--x", "1,5"}, "--x expects a number, got '1,5'"},
                      {{"--x"}, "--x needs a value"},
                      {{"--out", "/proc/nabla/x"}, "--out '/proc/nabla/x': cannot create the directory"},
                      {{"--y", "1"}, "unknown option '--y'; options are --x, --out, --help"},
                  });
}

}  // namespace
