// The examples' argument helper (examples/common/args.h): typed, ranged, case-insensitive
// choices, unknown options rejected, --help that only prints.
#include "examples/common/args.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/examples/run_program.h"

namespace {

using examples::Arguments;
using examples::UsageError;

struct Parsed {
  int steps = 10;
  double lr = 0.1;
  uint64_t seed = 0;
  std::vector<int64_t> hidden = {4};
  std::string optimizer = "adam";
  std::vector<std::string> activations = {"relu"};
  bool progress = true;
};

// Parses `words` (without the program name) into a fresh Parsed; returns parse()'s answer.
bool parse(const std::vector<std::string>& words, Parsed& p) {
  Arguments args("prog", "A program.");
  args.option("--steps", p.steps, "N", "steps", {.min = 1, .max = 100});
  args.option("--lr", p.lr, "X", "learning rate", {.min = 0, .max = 10, .min_exclusive = true});
  args.option("--seed", p.seed, "N", "seed", {});
  args.option("--hidden", p.hidden, "A,B", "sizes", {.min = 1, .max = 1000});
  args.choice("--optimizer", p.optimizer, {"adam", "sgd"}, "optimizer");
  args.choices("--activations", p.activations, {"relu", "tanh", "My_Act"}, "activations");
  args.flag("--no-progress", p.progress, false, "quiet");
  std::vector<const char*> argv = {"prog"};
  for (const std::string& w : words) argv.push_back(w.c_str());
  return args.parse(static_cast<int>(argv.size()), argv.data());
}

std::string error_of(const std::vector<std::string>& words) {
  Parsed p;
  try {
    parse(words, p);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ExampleArguments, ReadsEveryTypeAndKeepsDefaultsOtherwise) {
  Parsed p;
  ASSERT_TRUE(parse({"--steps", "20", "--lr=0.5", "--hidden", "8,16", "--no-progress", "--seed", "7"}, p));
  EXPECT_EQ(p.steps, 20);
  EXPECT_EQ(p.lr, 0.5);
  EXPECT_EQ(p.seed, 7u);
  EXPECT_EQ(p.hidden, (std::vector<int64_t>{8, 16}));
  EXPECT_FALSE(p.progress);
  EXPECT_EQ(p.optimizer, "adam");
}

TEST(ExampleArguments, ChoicesMatchIgnoringCaseAndAreStoredAsDeclared) {
  Parsed p;
  ASSERT_TRUE(parse({"--optimizer", "SGD", "--activations", "TANH,my_act"}, p));
  EXPECT_EQ(p.optimizer, "sgd");
  EXPECT_EQ(p.activations, (std::vector<std::string>{"tanh", "My_Act"}));
}

TEST(ExampleArguments, AnUnknownChoiceListsTheValidOnes) {
  EXPECT_EQ(error_of({"--optimizer", "foo"}), "--optimizer must be one of adam, sgd; got 'foo'");
  EXPECT_EQ(error_of({"--activations", "relu,nope"}), "--activations must be one of relu, tanh, My_Act; got 'nope'");
  EXPECT_EQ(error_of({"--activations", ""}), "--activations needs at least one name; got ''");
}

TEST(ExampleArguments, NumbersMustBeWholeAndInRange) {
  EXPECT_EQ(error_of({"--steps", "abc"}), "--steps expects a whole number, got 'abc'");
  EXPECT_EQ(error_of({"--steps", "16x"}), "--steps expects a whole number, got '16x'");
  EXPECT_EQ(error_of({"--steps", "0"}), "--steps must be from 1 to 100, got 0");
  EXPECT_EQ(error_of({"--steps", "99999999999999999999"}), "--steps is out of range, got '99999999999999999999'");
  EXPECT_EQ(error_of({"--seed", "-1"}), "--seed must be from 0 to 9223372036854775807, got -1");
  EXPECT_EQ(error_of({"--lr", "-1"}), "--lr must be > 0 and <= 10, got -1");
  EXPECT_EQ(error_of({"--lr", "0"}), "--lr must be > 0 and <= 10, got 0");
  EXPECT_EQ(error_of({"--lr", "nan"}), "--lr must be > 0 and <= 10, got nan");
  EXPECT_EQ(error_of({"--lr", "1e-3x"}), "--lr expects a number, got '1e-3x'");
  EXPECT_EQ(error_of({"--lr", ""}), "--lr expects a number, got ''");
}

TEST(ExampleArguments, ListsRejectEmptyAndMalformedParts) {
  EXPECT_EQ(error_of({"--hidden", ""}), "--hidden needs at least one value, like A,B; got ''");
  EXPECT_EQ(error_of({"--hidden", "16,,16"}), "--hidden expects a whole number, got ''");
  EXPECT_EQ(error_of({"--hidden", "16,"}), "--hidden expects a whole number, got ''");
  EXPECT_EQ(error_of({"--hidden", "16x"}), "--hidden expects a whole number, got '16x'");
  EXPECT_EQ(error_of({"--hidden", "0"}), "--hidden must be from 1 to 1000, got 0");
}

TEST(ExampleArguments, UnknownOptionsAndStrayWordsAreRejectedNamingTheKnownOnes) {
  EXPECT_EQ(error_of({"--stpes", "3"}),
            "unknown option '--stpes'; options are --steps, --lr, --seed, --hidden, --optimizer, --activations, "
            "--no-progress, --help");
  EXPECT_EQ(error_of({"extra"}).rfind("unexpected argument 'extra'", 0), 0u);
  EXPECT_EQ(error_of({"--steps"}), "--steps needs a value (N)");
  EXPECT_EQ(error_of({"--no-progress=yes"}), "--no-progress takes no value, got 'yes'");
}

TEST(ExampleArguments, HelpOnlyPrintsEvenBesideBadOptions) {
  Parsed p;
  testing::internal::CaptureStdout();
  const bool go_on = parse({"--steps", "0", "--help"}, p);
  const std::string printed = testing::internal::GetCapturedStdout();
  EXPECT_FALSE(go_on);
  EXPECT_NE(printed.find("usage: prog [options]"), std::string::npos);
  EXPECT_NE(printed.find("--optimizer NAME"), std::string::npos);
  EXPECT_NE(printed.find("(adam, sgd)"), std::string::npos);
  EXPECT_NE(printed.find("(default 10)"), std::string::npos);
  EXPECT_EQ(p.steps, 10);  // nothing was read
}

TEST(ExampleArguments, AnOutputDirectoryIsCreatedAndTestWrittenWhenParsingEnds) {
  const std::filesystem::path root = testing_examples::make_temporary_directory("nabla_args_");
  std::filesystem::path out;
  Arguments args("prog", "A program.");
  args.output_directory("--out", out, "pictures");
  const std::string target = (root / "a" / "b").string();
  const char* argv[] = {"prog", "--out", target.c_str()};
  ASSERT_TRUE(args.parse(3, argv));
  EXPECT_TRUE(std::filesystem::is_directory(target));
  EXPECT_TRUE(std::filesystem::is_empty(target));  // the probe file is gone
  std::filesystem::remove_all(root);
}

TEST(ExampleArguments, AnUnwritableOutputDirectoryIsAUsageError) {
  EXPECT_THROW(examples::require_writable_directory("/proc/nabla_cannot_be_here", "--out"), UsageError);
  const std::filesystem::path root = testing_examples::make_temporary_directory("nabla_args_");
  std::ofstream(root / "file") << "x";
  try {
    examples::require_writable_directory(root / "file", "--out");
    ADD_FAILURE() << "a regular file was accepted as the output directory";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--out '" + (root / "file").string() + "'"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(root);
}

TEST(ExampleArguments, TheThreadVariableMustBeASensibleCount) {
  const char* saved = std::getenv("NABLA_NUM_THREADS");
  const std::string restore = saved ? saved : "";
  setenv("NABLA_NUM_THREADS", "abc", 1);
  EXPECT_THROW(examples::check_thread_environment(), UsageError);
  setenv("NABLA_NUM_THREADS", "99999", 1);
  EXPECT_THROW(examples::check_thread_environment(), UsageError);
  setenv("NABLA_NUM_THREADS", "0", 1);
  EXPECT_THROW(examples::check_thread_environment(), UsageError);
  setenv("NABLA_NUM_THREADS", "2", 1);
  EXPECT_NO_THROW(examples::check_thread_environment());
  if (saved) setenv("NABLA_NUM_THREADS", restore.c_str(), 1); else unsetenv("NABLA_NUM_THREADS");
}

TEST(ExampleArguments, RunTurnsErrorsIntoExitCodes) {
  testing::internal::CaptureStderr();
  EXPECT_EQ(examples::run("prog", [] { return 0; }), 0);
  EXPECT_EQ(examples::run("prog", []() -> int { throw UsageError("--x is bad"); }), 2);
  EXPECT_EQ(examples::run("prog", []() -> int { throw std::runtime_error("disk full"); }), 1);
  const std::string printed = testing::internal::GetCapturedStderr();
  EXPECT_EQ(printed, "prog: error: --x is bad (see prog --help)\nprog: error: disk full\n");
}

// Activations may carry parameters: a comma inside parentheses does not split the list, and
// the parameters are checked while parsing, before any work starts.
TEST(ExampleArguments, ActivationsTakeParametersInParentheses) {
  auto parse_activations = [](const std::string& text, std::vector<std::string>& value) {
    Arguments args("prog", "A program.");
    args.choices("--activations", value, {"relu", "leaky_relu", "hardtanh"}, "activations");
    const char* argv[] = {"prog", "--activations", text.c_str()};
    return args.parse(3, argv);
  };
  std::vector<std::string> value;
  ASSERT_TRUE(parse_activations("relu,hardtanh(-2, 2),LEAKY_RELU(slope=0.2)", value));
  EXPECT_EQ(value, (std::vector<std::string>{"relu", "hardtanh(-2, 2)", "leaky_relu(slope=0.2)"}));
  auto error = [&](const std::string& text) {
    try {
      parse_activations(text, value);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(error("leaky_relu(abc)"),
            "--activations: activation 'leaky_relu(abc)': 'abc' is not a number; leaky_relu takes "
            "leaky_relu(slope = 0.01)");
  EXPECT_EQ(error("hardtanh(1, 2, 3)"),
            "--activations: activation 'hardtanh(1, 2, 3)': too many values (3); hardtanh takes "
            "hardtanh(min_val = -1, max_val = 1)");
  EXPECT_EQ(error("relu(1)"), "--activations: activation 'relu(1)': relu takes no parameters");

  std::string one = "relu";
  Arguments args("prog", "A program.");
  args.choice("--activation", one, {"relu", "leaky_relu"}, "activation");
  const char* argv[] = {"prog", "--activation", "leaky_relu(0.3)"};
  ASSERT_TRUE(args.parse(3, argv));
  EXPECT_EQ(one, "leaky_relu(0.3)");
}

}  // namespace
