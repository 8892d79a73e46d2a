// examples/mnist_collapse run as a user would, on a small MNIST-format directory the test
// writes itself: every bad input gets a message before any work, never an abort; an
// activation outside its domain fails its own row with a diagnosis, the others still run.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/examples/expect_rejected.h"
#include "tests/examples/mnist_files.h"

namespace {

using namespace testing_examples;

class MnistCollapseCommandLine : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = make_temporary_directory("nabla_mnist_data_");
    write_mnist_directory(data_, cycling_labels(300), cycling_labels(100));
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(data_); }
  void SetUp() override { out_ = make_temporary_directory("nabla_mnist_out_"); }
  void TearDown() override { std::filesystem::remove_all(out_); }

  // Tiny settings, then `extra`.
  std::vector<std::string> tiny(const std::vector<std::string>& extra) const {
    std::vector<std::string> args = {"--data", data_, "--out", out_, "--epochs", "1", "--hidden", "16",
                                     "--batch-size", "50", "--no-progress"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  static inline std::string data_;
  std::string out_;
};

TEST_F(MnistCollapseCommandLine, HelpOnlyPrintsTheUsage) {
  expect_help_only_prints(MNIST_COLLAPSE_PROGRAM, "mnist_collapse");
}

TEST_F(MnistCollapseCommandLine, BadArgumentsAreRefusedBeforeAnyWork) {
  expect_rejected(MNIST_COLLAPSE_PROGRAM, "mnist_collapse",
                  {
                      {tiny({"--optimizer", "foo"}), "--optimizer must be one of adam, sgd; got 'foo'"},
                      {tiny({"--activations", "nope"}), "--activations must be one of "},
                      {tiny({"--activations", "relu,"}), "--activations must be one of "},
                      {tiny({"--activations", ""}), "--activations needs at least one name"},
                      {tiny({"--hidden", "0"}), "--hidden must be from 1 to 100000, got 0"},
                      {tiny({"--hidden", "16x"}), "--hidden expects a whole number, got '16x'"},
                      {tiny({"--hidden", ""}), "--hidden needs at least one value"},
                      {tiny({"--hidden", "16,,16"}), "--hidden expects a whole number, got ''"},
                      {tiny({"--lr", "-1"}), "--lr must be > 0 and <= 10, got -1"},
                      {tiny({"--lr", "inf"}), "--lr must be > 0"},
                      {tiny({"--lr", "fast"}), "--lr expects a number, got 'fast'"},
                      {tiny({"--epochs", "0"}), "--epochs must be from 1 to 1000, got 0"},
                      {tiny({"--batch-size", "0"}), "--batch-size must be from 1 to 60000, got 0"},
                      {tiny({"--limit", "0"}), "--limit must be from 1 to"},
                      {tiny({"--seed", "-1"}), "--seed must be from 0 to"},
                      {tiny({"--threads", "-1"}), "--threads must be from 1 to 256, got -1"},
                      {tiny({"--threads", "0"}), "--threads must be from 1 to 256, got 0"},
                      {tiny({"--dataset", "cifar"}), "--dataset must be one of auto, fashion, mnist; got 'cifar'"},
                      {tiny({"--out", "/proc/nabla/x"}), "--out '/proc/nabla/x': cannot create the directory"},
                      {tiny({"--bogus"}), "unknown option '--bogus'; options are --data, --dataset, --epochs"},
                      {tiny({"extra"}), "unexpected argument 'extra'"},
                      {tiny({"--lr"}), "--lr needs a value (X)"},
                      {tiny({"--no-progress=1"}), "--no-progress takes no value"},
                      {tiny({}), "NABLA_NUM_THREADS must be from 1 to 256, got 99999", {"NABLA_NUM_THREADS=99999"}},
                      {tiny({}), "NABLA_NUM_THREADS expects a whole number, got 'abc'", {"NABLA_NUM_THREADS=abc"}},
                      {tiny({}), "NABLA_NUM_THREADS must be from 1 to 256, got -1", {"NABLA_NUM_THREADS=-1"}},
                  });
}

TEST_F(MnistCollapseCommandLine, AnOutputPathThatIsAFileIsRefusedUpFront) {
  const std::string file = out_ + "/not_a_directory";
  std::ofstream(file) << "x";
  expect_rejected(MNIST_COLLAPSE_PROGRAM, "mnist_collapse", {{tiny({"--out", file}), "--out '" + file + "'"}});
}

// The README quotes the line a bad option gets, with its exit code: the program's own line.
TEST_F(MnistCollapseCommandLine, TheReadmesBadOptionLineIsTheOneTheProgramPrints) {
  const ProgramResult r = run_program(MNIST_COLLAPSE_PROGRAM, {"--lr", "-1"});
  ASSERT_TRUE(r.exited()) << r.err;
  EXPECT_EQ(r.exit_code, 2);
  const std::string line = r.err.substr(0, r.err.find('\n'));
  std::ifstream readme(NABLA_SOURCE_DIR "/README.md");
  std::stringstream text;
  text << readme.rdbuf();
  EXPECT_NE(text.str().find("(`" + line + "`, exit code 2)"), std::string::npos) << line;
}

TEST_F(MnistCollapseCommandLine, MissingDataIsARuntimeErrorWithOneLine) {
  const ProgramResult r = run_program(MNIST_COLLAPSE_PROGRAM, tiny({"--data", out_ + "/nowhere"}));
  ASSERT_TRUE(r.exited()) << r.err;
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.rfind("mnist_collapse: error: MNIST directory '" + out_ + "/nowhere' does not exist", 0), 0u) << r.err;
}

TEST_F(MnistCollapseCommandLine, CaseInsensitiveChoicesRunAndTheDatasetNameFollowsTheOption) {
  const ProgramResult r =
      run_program(MNIST_COLLAPSE_PROGRAM, tiny({"--optimizer", "SGD", "--activations", "ReLU", "--dataset", "Fashion"}));
  ASSERT_TRUE(r.exited()) << r.err;
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("data: Fashion-MNIST in " + data_), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sgd lr"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("deep relu"), std::string::npos) << r.out;
  std::ifstream svg(out_ + "/predictions.svg");
  std::stringstream text;
  text << svg.rdbuf();
  EXPECT_NE(text.str().find("deep relu on Fashion-MNIST"), std::string::npos);  // names the model
  EXPECT_NE(text.str().find("true: "), std::string::npos) << "no mistake is shown";
}

TEST_F(MnistCollapseCommandLine, UnknownFilesAreCalledMnistFormatData) {
  const ProgramResult r = run_program(MNIST_COLLAPSE_PROGRAM, tiny({"--activations", "tanh"}));
  ASSERT_TRUE(r.exited()) << r.err;
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("data: MNIST-format data in"), std::string::npos) << r.out;
}

TEST_F(MnistCollapseCommandLine, AnActivationOutsideItsDomainFailsItsRowWithADiagnosis) {
  const ProgramResult r = run_program(MNIST_COLLAPSE_PROGRAM, tiny({"--activations", "sqrt,relu,log"}));
  ASSERT_TRUE(r.exited()) << r.err;
  EXPECT_EQ(r.exit_code, 1);
  // The rows that trained are printed, the failed ones say so and why.
  EXPECT_NE(r.out.find("logistic regression"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("deep relu"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("deep sqrt stopped at epoch 1, step 1: the loss became NaN: layer 1 applies sqrt, which is "
                       "defined only for x >= 0"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("applies log, which is defined only for x > 0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("pictures:"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "mnist_collapse: error: 2 of 5 models stopped with a NaN/inf loss; the diagnosis is printed above\n");
}

}  // namespace
