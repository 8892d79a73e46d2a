// examples/activations and examples/custom_activation run with bad arguments.
#include <gtest/gtest.h>

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
