// examples/04_activations.cpp and 07_custom_activation.cpp (tour steps 4 and 7) run as a
// user would: what they claim, and bad arguments.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/examples/expect_rejected.h"

namespace {

using namespace testing_examples;

TEST(ActivationsCommandLine, HelpOnlyPrintsTheUsage) { expect_help_only_prints(ACTIVATIONS_PROGRAM, "activations"); }

TEST(ActivationsCommandLine, BadArgumentsAreRefused) {
  expect_rejected(ACTIVATIONS_PROGRAM, "activations",
                  {
                      {{"--out", "/proc/nabla/x"}, "--out '/proc/nabla/x': cannot create the directory"},
                      {{"--out"}, "--out needs a value (DIR)"},
                      {{"--no-timing=yes"}, "--no-timing takes no value"},
                      {{"--timing"}, "unknown option '--timing'; options are --out, --no-timing, --html, --results, --help"},
                  });
}

// Step 4's claim: the audit calls the linear activation poor and relu good, and every
// activation gets its plot.
TEST(ActivationsCommandLine, TheAuditTellsGoodFromPoorAndEveryPlotIsWritten) {
  const std::string out = make_temporary_directory("nabla_activations_");
  const ProgramResult r = run_program(ACTIVATIONS_PROGRAM, {"--no-timing", "--out", out});
  ASSERT_TRUE(r.exited()) << r.err;
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("  poor: identity"), std::string::npos) << r.out;
  const size_t good = r.out.find("  good: ");
  ASSERT_NE(good, std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" relu,", good), std::string::npos) << r.out;
  for (const char* file : {"activations_overview.svg", "activation_relu.svg", "activation_sigmoid.svg"}) {
    EXPECT_TRUE(std::filesystem::exists(out + "/" + file)) << file;
  }
}

// Step 7's claim: gradcheck passes the right f' of sign(x) sqrt(|x|) and fails the one
// that forgot the 1/2, showing the factor of 2; the network still learns.
TEST(CustomActivationCommandLine, GradcheckCatchesTheForgottenHalf) {
  const std::string out = make_temporary_directory("nabla_custom_activation_");
  const ProgramResult r = run_program(CUSTOM_ACTIVATION_PROGRAM, {"--out", out});
  ASSERT_TRUE(r.exited()) << r.err;
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const size_t wrong = r.out.find("(forgot the 1/2):\n  gradcheck FAILED");
  ASSERT_NE(wrong, std::string::npos) << r.out;
  const size_t numeric = r.out.find(" vs numeric ", wrong);
  ASSERT_NE(numeric, std::string::npos) << r.out;
  const double analytic = std::stod(r.out.substr(r.out.rfind("analytic ", numeric) + 9));
  EXPECT_NEAR(analytic, 2 * std::stod(r.out.substr(numeric + 12)), 1e-4) << r.out;
  EXPECT_TRUE(std::filesystem::exists(out + "/my_signed_sqrt.svg"));
}

TEST(CustomActivationCommandLine, HelpOnlyPrintsTheUsage) {
  expect_help_only_prints(CUSTOM_ACTIVATION_PROGRAM, "custom_activation");
}

TEST(CustomActivationCommandLine, BadArgumentsAreRefused) {
  expect_rejected(CUSTOM_ACTIVATION_PROGRAM, "custom_activation",
                  {
                      {{"--out", "/proc/nabla/x"}, "--out '/proc/nabla/x': cannot create the directory"},
                      {{"out"}, "unexpected argument 'out'"},
                      {{}, "NABLA_NUM_THREADS expects a whole number", {"NABLA_NUM_THREADS=2x"}},
                  });
}

}  // namespace
