// examples/09_depth.cpp run as a user would: --help states the full run's time and threads,
// every bad input gets one line, before any data is read, and a small run prints the verdict
// the tour's step 9 teaches. (The experiment's measurements, at tiny settings, are
// depth_experiment_test.cpp.)
#include <gtest/gtest.h>

#include <filesystem>

#include "datasets/mnist.h"
#include "tests/examples/expect_rejected.h"
#include "tests/examples/run_program.h"
#include "tests/test_util.h"

namespace {

using namespace testing_examples;

TEST(DepthCommandLine, HelpOnlyPrintsTheUsage) { expect_help_only_prints(DEPTH_PROGRAM, "depth"); }

TEST(DepthCommandLine, HelpStatesTheFullRunsTimeAndThreads) {
  const ProgramResult r = run_program(DEPTH_PROGRAM, {"--help"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("The full run (--bad-init and the defaults: 50 networks) needs about 4.5 minutes of CPU time on 2 threads"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Extrapolated from 6 of the 50 runs"), std::string::npos) << r.out;
}

TEST(DepthCommandLine, BadArgumentsAreRefusedBeforeTraining) {
  expect_rejected(DEPTH_PROGRAM, "depth",
                  {
                      {{"--depths", "0"}, "--depths must be from 1 to 64, got 0"},
                      {{"--depths", "2,x"}, "--depths expects a whole number, got 'x'"},
                      {{"--activations", "relu,nope"}, "--activations must be one of identity, relu,"},
                      {{"--images", "60001"}, "--images must be from 1 to 60000, got 60001"},
                      {{"--lr", "0"}, "--lr must be > 0 and <= 10, got 0"},
                      {{"--epochs", "1.5"}, "--epochs expects a whole number, got '1.5'"},
                      {{"--threads", "0"}, "--threads must be from 1 to 256, got 0"},
                      {{"--bad-init=yes"}, "--bad-init takes no value"},
                      {{"--out", "/proc/nabla/x"}, "--out '/proc/nabla/x': cannot create the directory"},
                      {{"--depth", "2"}, "unknown option '--depth'; options are --depths, --activations,"},
                      {{}, "NABLA_NUM_THREADS must be from 1 to 256", {"NABLA_NUM_THREADS=0"}},
                  });
}

TEST(DepthCommandLine, AMissingDataDirectoryIsOneLineAndExitCode1) {
  expect_rejected(DEPTH_PROGRAM, "depth", {{{"--data", "/nonexistent/nabla"}, "MNIST directory '/nonexistent/nabla' does not exist", {}, 1}});
}

// The claim the program prints from its numbers: at 16 hidden layers relu (He init) trains and
// sigmoid stays at chance. The quick run the tour (examples/README.md, step 9) suggests.
TEST(DepthProgram, AtDepth16ReluTrainsAndSigmoidDoesNot) {
  NABLA_REQUIRE(std::filesystem::exists(nabla::datasets::default_data_directory()),
                "Fashion-MNIST (apt-get install dataset-fashion-mnist)");
  const std::string out = make_temporary_directory("nabla_depth_");
  const ProgramResult r = run_program(
      DEPTH_PROGRAM, {"--depths", "2,16", "--activations", "relu,sigmoid", "--out", out});
  ASSERT_TRUE(r.exited() && r.exit_code == 0) << r.err;
  const size_t verdict = r.out.find("depth 16: trains (test accuracy >= 50%, chance is 10%): relu (");
  ASSERT_NE(verdict, std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n  does not train: sigmoid (", verdict), std::string::npos) << r.out;
  for (const char* picture : {"accuracy.svg", "gradients.svg", "dead_units.svg", "accuracy.tsv"}) {
    EXPECT_TRUE(std::filesystem::exists(out + "/" + picture)) << picture;
  }
}

}  // namespace
