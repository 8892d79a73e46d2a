// softmax and log_softmax (autograd/ops/softmax.h): probabilities, overflow, gradients.
#include "autograd/ops/softmax.h"

#include <gtest/gtest.h>

#include <cmath>

#include "autograd/autograd.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::random_leaf;

TEST(Softmax, RowsAreProbabilities) {
  const Tensor p = softmax(random_leaf({4, 7}, 1).detach(), 1);
  testing::expect_values_near(p.sum(1), {1, 1, 1, 1}, 1e-12);
  EXPECT_GT(p.min().item(), 0.0);
}

TEST(Softmax, LargeInputsDoNotOverflow) {
  const Tensor x = tensor({1000.0, 1001.0, 1002.0}, kFloat32);
  const std::vector<double> p = softmax(x, 0).to_vector();
  const double e1 = std::exp(-1.0), e2 = std::exp(-2.0), total = 1 + e1 + e2;
  EXPECT_NEAR(p[2], 1 / total, 1e-6);
  EXPECT_NEAR(p[0], e2 / total, 1e-6);
  const std::vector<double> lp = log_softmax(x, 0).to_vector();
  EXPECT_NEAR(lp[2], -std::log(total), 1e-5);
  EXPECT_TRUE(std::isfinite(log_softmax(tensor({-1e4, 0.0, 1e4}), 0).to_vector()[0]));
}

TEST(Softmax, LogSoftmaxIsTheLogOfSoftmax) {
  const Tensor x = random_leaf({3, 5}, 2).detach();
  testing::expect_tensors_near(log_softmax(x, 1), log(softmax(x, 1)), 1e-12);
}

TEST(Softmax, GradientsAlongEveryDimension) {
  for (int dim : {0, 1, -1}) {
    const Tensor x = random_leaf({3, 4}, 3);
    // A weighted sum, so the check sees the whole Jacobian, not just sum(softmax) = 1.
    EXPECT_TRUE(gradcheck([dim](const Tensor& t) { return softmax(t, dim); }, x).passed) << dim;
    EXPECT_TRUE(gradcheck([dim](const Tensor& t) { return log_softmax(t, dim); }, x).passed) << dim;
    EXPECT_TRUE(gradgradcheck([dim](const Tensor& t) { return softmax(t, dim); }, x).passed) << dim;
    EXPECT_TRUE(gradgradcheck([dim](const Tensor& t) { return log_softmax(t, dim); }, x).passed) << dim;
  }
}

TEST(Softmax, ThreeDimensionalMiddleAxis) {
  const Tensor x = random_leaf({2, 3, 4}, 4);
  testing::expect_values_near(softmax(x.detach(), 1).sum(1).reshape({-1}), std::vector<double>(8, 1.0), 1e-12);
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return log_softmax(t, 1); }, x).passed);
}

}  // namespace
}  // namespace nabla
