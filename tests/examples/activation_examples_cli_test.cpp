// examples/04_activations.cpp and 07_custom_activation.cpp (tour steps 4 and 7) run as a
// user would: what they claim, and bad arguments.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/examples/expect_rejected.h"
#include "tests/examples/run_program.h"

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
  // The network with the custom activation learns the four quadrants (chance is 50%).
  const std::string learns = "network with my_signed_sqrt learns the quadrants: ";
  const size_t accuracy = r.out.find(learns);
  ASSERT_NE(accuracy, std::string::npos) << r.out;
  EXPECT_GE(std::stod(r.out.substr(accuracy + learns.size())), 95.0) << r.out;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The plots mark log's and sqrt's 0 as the edge of the domain, not a kink; relu6's range
// reaches past its upper kink at 6; the audit's output says what dead and vanish count and
// gives log's range from the math.
TEST(ActivationsProgram, PlotsAndAuditFollowTheDescriptions) {
  const std::string out = make_temporary_directory("nabla_activations_plots");
  const ProgramResult r = run_program(ACTIVATIONS_PROGRAM, {"--out", out, "--no-timing"});
  ASSERT_TRUE(r.exited() && r.exit_code == 0) << r.err;
  for (const char* name : {"log", "sqrt"}) {
    const std::string svg = read_file(std::filesystem::path(out) / ("activation_" + std::string(name) + ".svg"));
    EXPECT_NE(svg.find("domain edge"), std::string::npos) << name;
    EXPECT_EQ(svg.find(">kink<"), std::string::npos) << name;
  }
  const std::string relu6 = read_file(std::filesystem::path(out) / "activation_relu6.svg");
  const size_t first_kink = relu6.find(">kink<");
  ASSERT_NE(first_kink, std::string::npos);
  EXPECT_NE(relu6.find(">kink<", first_kink + 1), std::string::npos) << "both kinks, at 0 and at 6, are drawn";
  EXPECT_NE(relu6.find(">6<"), std::string::npos) << "the x axis should reach past the kink at 6";
  EXPECT_NE(r.out.find("dead%: where f' = 0 exactly"), std::string::npos) << r.out;
  const size_t log_row = r.out.find("\nlog ");
  ASSERT_NE(log_row, std::string::npos) << r.out;
  EXPECT_NE(r.out.substr(log_row, 120).find("[-inf, inf]"), std::string::npos) << r.out.substr(log_row, 120);
  std::filesystem::remove_all(out);
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
