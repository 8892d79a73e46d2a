// Runs the MNIST experiment of examples/08_mnist_collapse.cpp on a few hundred Fashion-MNIST
// images for one epoch and asserts floors on what it must reach. The data comes from
// Debian's dataset-fashion-mnist, which .ci/run installs.
#include "examples/mnist/experiment.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "tests/test_util.h"

namespace {

using namespace nabla;

class MnistExperiment : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string dir = datasets::default_data_directory();
    if (!std::filesystem::exists(dir)) return;
    train_ = std::make_unique<datasets::MNIST>(dir, datasets::Split::Train, 2000);
    test_ = std::make_unique<datasets::MNIST>(datasets::MNIST(dir, datasets::Split::Test).subset(1000));
  }
  void SetUp() override {
    if (train_) return;
    NABLA_REQUIRE(false, "Fashion-MNIST (apt-get install dataset-fashion-mnist)");
  }
  static mnist::TrainConfig config() { return {.epochs = 2, .batch_size = 32, .progress = false}; }
  static inline std::unique_ptr<datasets::MNIST> train_, test_;
};

TEST_F(MnistExperiment, NonLinearNetworksLearn) {
  manual_seed(0);
  nn::Sequential relu_net = nn::mlp({784, 64, 64, 10}, "relu");
  const mnist::ModelResult r = mnist::train_and_evaluate("relu", relu_net, *train_, *test_, config());
  ASSERT_EQ(r.epochs.size(), 2u);
  EXPECT_GT(r.epochs.back().test_accuracy, 0.70);  // chance is 0.10; 2000 images reach ~0.75-0.8
  EXPECT_LT(r.epochs.back().train_loss, r.epochs.front().train_loss);
  EXPECT_EQ(r.gradient_norms.size(), 3u);
  EXPECT_GE(r.dead_relu_fraction, 0.0);
  EXPECT_LT(r.dead_relu_fraction, 0.5);
}

TEST_F(MnistExperiment, TheDeepLinearNetworkCollapsesWithTheSamePredictions) {
  manual_seed(0);
  nn::Sequential deep_linear = nn::mlp({784, 64, 64, 10}, "identity");
  mnist::train_and_evaluate("linear", deep_linear, *train_, *test_, config());
  const nn::Dense single = nn::collapse(deep_linear);
  nn::Sequential one({single});
  const Tensor a = mnist::predict(deep_linear, *test_), b = mnist::predict(one, *test_);
  EXPECT_LT(((a - b).abs().max() / a.abs().max()).item(), 1e-4);
  EXPECT_EQ(mnist::accuracy(a, *test_), mnist::accuracy(b, *test_));
}

TEST_F(MnistExperiment, SameSeedSameLossesBitForBit) {
  auto run = [&] {
    manual_seed(3);
    nn::Sequential net = nn::mlp({784, 32, 10}, "tanh");
    return mnist::train_and_evaluate("tanh", net, *train_, *test_, {.epochs = 1, .batch_size = 64, .progress = false});
  };
  const mnist::ModelResult a = run(), b = run();
  EXPECT_EQ(a.epochs[0].train_loss, b.epochs[0].train_loss);
  EXPECT_EQ(a.epochs[0].test_accuracy, b.epochs[0].test_accuracy);
}

}  // namespace
