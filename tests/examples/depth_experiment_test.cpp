// The robust part of examples/09_depth.cpp's claim, at tiny settings: at 8 hidden layers the
// gradient reaching the first layer at initialisation has vanished for sigmoid and has not
// for relu with He init; a negative bias kills relu units; a short run trains and probes.
// The data comes from Debian's dataset-fashion-mnist, which .ci/run installs.
#include "examples/depth/experiment.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "tests/test_util.h"

namespace {

using namespace nabla;

class DepthExperiment : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string dir = datasets::default_data_directory();
    if (!std::filesystem::exists(dir)) return;
    train_ = std::make_unique<datasets::MNIST>(dir, datasets::Split::Train, 1000);
    test_ = std::make_unique<datasets::MNIST>(datasets::MNIST(dir, datasets::Split::Test).subset(500));
    std::vector<int64_t> first(500);
    for (size_t i = 0; i < first.size(); ++i) first[i] = static_cast<int64_t>(i);
    train_->fill_batch(first, images_, labels_, datasets::kFashionMnistNormalization);
  }
  void SetUp() override {
    if (train_) return;
    NABLA_REQUIRE(false, "Fashion-MNIST (apt-get install dataset-fashion-mnist)");
  }
  // First layer's weight gradient norm over the output layer's, at init, 8 hidden layers.
  static double first_over_last_at_init(const depth::NetworkSpec& spec) {
    manual_seed(0);
    nn::Sequential model = depth::make_network(spec);
    const depth::Probe p = depth::probe(model, spec.activation, images_, labels_);
    EXPECT_EQ(p.gradient_norms.size(), static_cast<size_t>(spec.depth + 1));
    EXPECT_GT(p.gradient_norms.back(), 0.0);  // a ratio of two zeros would prove nothing
    return p.gradient_norms.front() / p.gradient_norms.back();
  }
  static inline std::unique_ptr<datasets::MNIST> train_, test_;
  static inline Tensor images_, labels_;
};

TEST_F(DepthExperiment, SigmoidGradientVanishesTowardTheInputAtDepth8) {
  const double ratio = first_over_last_at_init({.activation = "sigmoid", .depth = 8});
  EXPECT_GT(ratio, 0.0);
  EXPECT_LT(ratio, 0.1);  // measured ~4e-5: each sigmoid layer passes back at most 1/4
}

TEST_F(DepthExperiment, ReluWithHeInitKeepsTheGradientWithin10xAtDepth8) {
  const double ratio = first_over_last_at_init({.activation = "relu", .depth = 8});
  EXPECT_GT(ratio, 0.1);
  EXPECT_LT(ratio, 10.0);  // measured ~1.3
}

TEST_F(DepthExperiment, ANegativeBiasKillsReluUnitsThatHeInitKeepsAlive) {
  manual_seed(0);
  nn::Sequential healthy = depth::make_network({.activation = "relu", .depth = 8});
  nn::Sequential shifted = depth::make_network({.activation = "relu", .depth = 8, .bias_shift = -1.0});
  const depth::Probe good = depth::probe(healthy, "relu", images_, labels_);
  const depth::Probe bad = depth::probe(shifted, "relu", images_, labels_);
  ASSERT_EQ(good.dead.size(), 8u);
  ASSERT_EQ(bad.dead.size(), 8u);
  EXPECT_LT(good.dead.back(), 0.2);
  EXPECT_GT(bad.dead.back(), 0.9);  // the shift compounds: deep layers see almost no input
}

TEST_F(DepthExperiment, SaturationIsMeasuredFromTheSlopeOfTheActivation) {
  manual_seed(0);
  nn::Sequential model = depth::make_network({.activation = "identity", .depth = 2});
  const depth::Probe p = depth::probe(model, "identity", images_, labels_);
  ASSERT_EQ(p.flat.size(), 2u);
  EXPECT_EQ(p.flat[0], 0.0);  // identity' = 1 everywhere
  manual_seed(0);
  nn::Sequential relu_model = depth::make_network({.activation = "relu", .depth = 2});
  const depth::Probe r = depth::probe(relu_model, "relu", images_, labels_);
  EXPECT_GT(r.flat[0], 0.2);  // relu' = 0 wherever z < 0: about half the pre-activations
  EXPECT_LT(r.flat[0], 0.8);
}

TEST_F(DepthExperiment, AShortRunLearnsAndProbesBeforeAndAfter) {
  const depth::RunResult r = depth::run({.activation = "relu", .depth = 2}, *train_, *test_,
                                        {.epochs = 2, .learning_rate = 0.05}, 500);
  EXPECT_FALSE(r.diverged);
  EXPECT_GT(r.test_accuracy, 0.5);  // chance is 0.1; 1000 images, 2 epochs reach ~0.65-0.7
  EXPECT_TRUE(std::isfinite(r.final_loss));
  EXPECT_EQ(r.at_init.gradient_norms.size(), 3u);
  EXPECT_EQ(r.at_end.gradient_norms.size(), 3u);
  EXPECT_NE(r.at_init.gradient_norms[0], r.at_end.gradient_norms[0]);  // the weights moved
}

TEST_F(DepthExperiment, TheVerdictSortsNetworksByTheirMeasuredAccuracy) {
  auto result = [](const std::string& activation, int depth, double accuracy) {
    depth::RunResult r{.spec = {.activation = activation, .depth = depth}, .test_accuracy = accuracy};
    return r;
  };
  const std::vector<depth::RunResult> results = {result("relu", 16, 0.71), result("sigmoid", 16, 0.10),
                                                 result("tanh", 32, 0.64)};
  const std::string at16 = depth::verdict(results, 16);
  EXPECT_NE(at16.find("trains (test accuracy >= 50%, chance is 10%): relu (71%)"), std::string::npos) << at16;
  EXPECT_NE(at16.find("does not train: sigmoid (10%)"), std::string::npos) << at16;
  EXPECT_EQ(at16.find("tanh"), std::string::npos) << at16;
  EXPECT_EQ(depth::verdict(results, 8), "");
}

// These need no data set: random inputs are enough to see the init and the dead units.

TEST(DepthExperimentInit, SeluGetsLecunNormalByDefault) {
  manual_seed(0);
  nn::Sequential model = depth::make_network({.activation = "selu", .depth = 1, .width = 256});
  const Tensor w = dynamic_cast<nn::Dense&>(model[0]).weight();
  // LeCun normal: std 1 / sqrt(784) = 0.0357 (He uniform's would be sqrt(2 / 784) = 0.0505).
  EXPECT_NEAR(std::sqrt(w.square().mean().item()), 1.0 / std::sqrt(784.0), 0.001);
  EXPECT_EQ(nn::default_init_for("selu"), nn::Init::LecunNormal);
}

// A unit is dead when its slope is below kFlatSlope on every image: gelu and its tanh
// approximation, the same function to 1e-3, are dead alike far left, although float32 rounds
// the tanh one's output there to exactly 0 and not gelu's.
TEST(DepthExperimentProbe, DeadIsASlopeThresholdNotAnOutputOfExactlyZero) {
  const Tensor images = randn({64, 784}).mul_(0.1);
  const Tensor labels = zeros({64}, kInt64);
  std::vector<double> dead;
  for (const char* name : {"gelu", "gelu_tanh"}) {
    manual_seed(0);
    nn::Sequential model = depth::make_network({.activation = name, .depth = 1, .width = 32, .bias_shift = -12});
    dead.push_back(depth::probe(model, name, images, labels).dead.at(0));
  }
  EXPECT_EQ(dead[0], 1.0);  // every unit at z ~ -12: no gradient for either
  EXPECT_EQ(dead[1], 1.0);
}

}  // namespace
