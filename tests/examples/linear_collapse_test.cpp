// Tour step 5, examples/05_linear_collapse.cpp: the collapsed layer predicts the same as the
// deep linear network, and a network with relu is refused.
#include <gtest/gtest.h>

#include <string>

#include "tests/examples/expect_rejected.h"

namespace {

using namespace testing_examples;

TEST(LinearCollapseExample, TheOneLayerPredictsTheSameAsTheDeepLinearNetwork) {
  const ProgramResult r = run_program(LINEAR_COLLAPSE_PROGRAM, {"--sizes", "5,16,16,16,16,3", "--inputs", "300", "--seed", "7"});
  ASSERT_TRUE(r.exited()) << r.err;
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("collapse: one Dense(5 -> 3)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("same prediction on 300 of 300"), std::string::npos) << r.out;
  const size_t at = r.out.find("largest output difference ");
  ASSERT_NE(at, std::string::npos) << r.out;
  EXPECT_LT(std::stod(r.out.substr(at + 26)), 1e-12);
  EXPECT_NE(r.out.find("parameters: 963 in the deep network, 18 in the one layer"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("with relu between the layers: collapse: layer 0 is Dense(5 -> 16, relu)"), std::string::npos)
      << r.out;
}

TEST(LinearCollapseExample, HelpOnlyPrintsTheUsage) {
  expect_help_only_prints(LINEAR_COLLAPSE_PROGRAM, "linear_collapse");
}

TEST(LinearCollapseExample, BadArgumentsAreRefused) {
  expect_rejected(LINEAR_COLLAPSE_PROGRAM, "linear_collapse",
                  {
                      {{"--sizes", "8,4"}, "--sizes needs at least 3 widths"},
                      {{"--sizes", "8,0,4"}, "--sizes must be from 1 to 1024, got 0"},
                      {{"--sizes", "8,,4"}, "--sizes expects a whole number, got ''"},
                      {{"--inputs", "0"}, "--inputs must be from 1 to 100000, got 0"},
                      {{"--seed", "-1"}, "--seed must be from 0"},
                      {{}, "NABLA_NUM_THREADS must be from 1 to 256", {"NABLA_NUM_THREADS=0"}},
                  });
}

}  // namespace
