// nn::init: libtorch's in-place initialisers, each checked against its distribution.
#include "nn/init.h"

#include <gtest/gtest.h>

#include <cmath>

#include "nn/nn.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;

double stddev_of(const Tensor& t) {
  const Tensor centred = t.to(kFloat64) - t.to(kFloat64).mean();
  return std::sqrt((centred * centred).mean().item<double>());
}

TEST(Init, ConstantZerosOnesFillInPlaceAndReturnTheTensor) {
  Tensor w = empty({3, 2});
  const Tensor same = nn::init::constant_(w, 0.5);
  EXPECT_TRUE(same.is_same(w));
  EXPECT_EQ(w.sum().item<double>(), 3.0);
  nn::init::ones_(w);
  EXPECT_EQ(w.sum().item<double>(), 6.0);
  nn::init::zeros_(w);
  EXPECT_EQ(w.abs().sum().item<double>(), 0.0);
}

TEST(Init, WorksOnParametersThatRequireGradWithoutRecording) {
  nn::Linear fc(20, 30);
  Tensor w = fc.weight();
  nn::init::normal_(w, 0.0, 0.01);
  EXPECT_TRUE(w.is_leaf());
  EXPECT_TRUE(w.requires_grad());
  EXPECT_LT(w.abs().max().item<double>(), 0.1);
}

TEST(Init, UniformAndNormalFollowTheirParameters) {
  manual_seed(1);
  Tensor u = empty({200, 200}, kFloat64);
  nn::init::uniform_(u, -2.0, 3.0);
  EXPECT_GE(u.min().item<double>(), -2.0);
  EXPECT_LT(u.max().item<double>(), 3.0);
  EXPECT_NEAR(u.mean().item<double>(), 0.5, 0.05);
  Tensor n = empty({200, 200}, kFloat64);
  nn::init::normal_(n, 1.0, 2.0);
  EXPECT_NEAR(n.mean().item<double>(), 1.0, 0.05);
  EXPECT_NEAR(stddev_of(n), 2.0, 0.05);
}

TEST(Init, XavierAndKaimingHaveTheirStandardDeviations) {
  manual_seed(2);
  Tensor w = empty({300, 500}, kFloat64);  // fan_out 300, fan_in 500
  nn::init::xavier_uniform_(w);
  EXPECT_NEAR(stddev_of(w), std::sqrt(2.0 / 800.0), 0.01 * std::sqrt(2.0 / 800.0) * 5);
  EXPECT_LE(w.abs().max().item<double>(), std::sqrt(6.0 / 800.0));
  nn::init::xavier_normal_(w, 2.0);
  EXPECT_NEAR(stddev_of(w), 2.0 * std::sqrt(2.0 / 800.0), 0.05 * 2.0 * std::sqrt(2.0 / 800.0));
  nn::init::kaiming_uniform_(w);  // leaky relu with a = 0: the relu gain sqrt(2), fan_in
  EXPECT_NEAR(stddev_of(w), std::sqrt(2.0 / 500.0), 0.05 * std::sqrt(2.0 / 500.0));
  EXPECT_LE(w.abs().max().item<double>(), std::sqrt(6.0 / 500.0));
  nn::init::kaiming_normal_(w, 0.0, kFanOut, kReLU);
  EXPECT_NEAR(stddev_of(w), std::sqrt(2.0 / 300.0), 0.05 * std::sqrt(2.0 / 300.0));
  nn::init::kaiming_normal_(w, 0.0, kFanIn, kTanh);
  EXPECT_NEAR(stddev_of(w), 5.0 / 3.0 / std::sqrt(500.0), 0.05 * 5.0 / 3.0 / std::sqrt(500.0));
}

TEST(Init, GainsAreLibtorchs) {
  EXPECT_DOUBLE_EQ(nn::init::calculate_gain(kLinear), 1.0);
  EXPECT_DOUBLE_EQ(nn::init::calculate_gain(kSigmoid), 1.0);
  EXPECT_DOUBLE_EQ(nn::init::calculate_gain(kTanh), 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(nn::init::calculate_gain(kReLU), std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(nn::init::calculate_gain(kLeakyReLU, 0.2), std::sqrt(2.0 / 1.04));
}

TEST(Init, FansNeedTwoDimensions) {
  expect_error<ShapeError>([] { nn::init::xavier_uniform_(zeros({5})); },
                           "xavier_uniform_: fan in and fan out need a tensor of at least 2 dimensions, got shape [5]");
  expect_error<ShapeError>([] { nn::init::kaiming_normal_(scalar_tensor(1.0)); }, "kaiming_normal_");
  // A convolution-shaped weight [out, in, k, k] counts the receptive field in both fans.
  manual_seed(3);
  Tensor conv = empty({64, 16, 3, 3}, kFloat64);
  nn::init::kaiming_normal_(conv, 0.0, kFanIn, kReLU);
  EXPECT_NEAR(stddev_of(conv), std::sqrt(2.0 / (16 * 9)), 0.05 * std::sqrt(2.0 / (16 * 9)));
}

TEST(Init, LecunNormalHasStdOneOverSqrtFanIn) {
  manual_seed(3);
  Tensor w = zeros({400, 250}, kFloat64);
  nn::init::lecun_normal_(w);
  const double mean = w.mean().item(), stddev = std::sqrt(w.square().mean().item() - mean * mean);
  EXPECT_NEAR(mean, 0.0, 0.002);
  EXPECT_NEAR(stddev, 1.0 / std::sqrt(250.0), 0.002);
  // Init::LecunNormal in nn::initialize, and selu's Dense, draw the same.
  Tensor v = zeros({400, 250}, kFloat64);
  nn::initialize(v, nn::Init::LecunNormal);
  EXPECT_NEAR(std::sqrt(v.square().mean().item()), 1.0 / std::sqrt(250.0), 0.002);
  EXPECT_EQ(nn::to_string(nn::Init::LecunNormal), "lecun_normal");
}

}  // namespace
}  // namespace nabla
