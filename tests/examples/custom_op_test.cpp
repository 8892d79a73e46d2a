// Tour step 10, examples/10_custom_op.cpp: the op written with autograd::Function passes
// gradcheck and gradgradcheck, and its forward is exact where the composite overflows.
#include <gtest/gtest.h>

#include <string>

#include "tests/examples/expect_rejected.h"

namespace {

using namespace testing_examples;

TEST(CustomOpExample, HypotPassesGradcheckAndGradgradcheck) {
  for (const char* seed : {"0", "1"}) {
    const ProgramResult r = run_program(CUSTOM_OP_PROGRAM, {"--size", "4", "--seed", seed});
    ASSERT_TRUE(r.exited()) << r.err;
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("first derivatives:  gradcheck PASSED"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("second derivatives: gradgradcheck PASSED"), std::string::npos) << r.out;
  }
}

TEST(CustomOpExample, TheCustomForwardIsExactWhereTheCompositeOverflows) {
  const ProgramResult r = run_program(CUSTOM_OP_PROGRAM, {"--size", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("b = 4e200: inf\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("at the same:  5e+200\n"), std::string::npos) << r.out;
}

TEST(CustomOpExample, HelpOnlyPrintsTheUsage) { expect_help_only_prints(CUSTOM_OP_PROGRAM, "custom_op"); }

TEST(CustomOpExample, BadArgumentsAreRefused) {
  expect_rejected(CUSTOM_OP_PROGRAM, "custom_op",
                  {
                      {{"--size", "0"}, "--size must be from 1 to 1000, got 0"},
                      {{"--size", "1001"}, "--size must be from 1 to 1000, got 1001"},
                      {{"--seed", "-1"}, "--seed must be from 0"},
                      {{"--seed", "1.5"}, "--seed expects a whole number, got '1.5'"},
                      {{"--sizes", "3"}, "unknown option '--sizes'; options are --size, --seed, --help"},
                  });
}

}  // namespace
