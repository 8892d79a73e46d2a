// examples/09_depth.cpp run as a user would: --help states the full run's time and threads,
// and every bad input gets one line, before any data is read. (The experiment's claim, at
// tiny settings, is depth_experiment_test.cpp.)
#include <gtest/gtest.h>

#include "tests/examples/expect_rejected.h"

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

}  // namespace
