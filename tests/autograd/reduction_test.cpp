#include "autograd/ops/reduction.h"

#include <gtest/gtest.h>

#include "autograd/autograd.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;
using testing::expect_values_near;
using testing::random_leaf;

const Tensor kMatrix = tensor({1, 5, 3, 4, 2, 6}, {2, 3}, kFloat64);

TEST(Reduction, SumAndMeanOverAllOrOneDimension) {
  EXPECT_EQ(kMatrix.sum().item(), 21);
  EXPECT_EQ(kMatrix.mean().item(), 3.5);
  expect_values_near(kMatrix.sum(0), {5, 7, 9});
  expect_values_near(kMatrix.sum(1), {9, 12});
  expect_values_near(kMatrix.mean(-1), {3, 4});
  EXPECT_EQ(kMatrix.sum(0, /*keepdim=*/true).sizes(), Shape({1, 3}));
  EXPECT_EQ(kMatrix.sum(1).sizes(), Shape({2}));
}

TEST(Reduction, MaxAndArgmax) {
  EXPECT_EQ(kMatrix.max().item(), 6);
  EXPECT_EQ(kMatrix.min().item(), 1);
  EXPECT_EQ(kMatrix.argmax().item<int64_t>(), 5);
  auto [values, indices] = kMatrix.max(1);
  expect_values_near(values, {5, 6});
  expect_values_near(indices, {1, 2});
  EXPECT_EQ(indices.dtype(), kInt64);
  expect_values_near(kMatrix.argmax(0), {1, 0, 1});
  EXPECT_EQ(kMatrix.amax(0, true).sizes(), Shape({1, 3}));
}

TEST(Reduction, Float32SumOfAMillionElementsKeepsItsDigits) {
  // Naive float accumulation drifts by hundreds here.
  EXPECT_EQ(ones({1 << 24}).sum().item(), static_cast<double>(1 << 24));
}

TEST(Reduction, GradientsMatchFiniteDifferences) {
  const Tensor x = random_leaf({3, 4, 2}, 31);
  const std::vector<std::pair<const char*, std::function<Tensor(const Tensor&)>>> cases = {
      {"sum", [](const Tensor& t) { return t.sum(); }},
      {"sum0", [](const Tensor& t) { return t.sum(0); }},
      {"sum1_keepdim", [](const Tensor& t) { return t.sum(1, true); }},
      {"mean", [](const Tensor& t) { return t.mean(); }},
      {"mean_last", [](const Tensor& t) { return t.mean(-1); }},
      {"max", [](const Tensor& t) { return t.max(); }},
      {"min", [](const Tensor& t) { return t.min(); }},
      {"amax1", [](const Tensor& t) { return t.amax(1); }},
      {"amax2_keepdim", [](const Tensor& t) { return t.amax(2, true); }},
  };
  for (const auto& [name, f] : cases) {
    const GradcheckResult r = gradcheck(f, x);
    EXPECT_TRUE(r.passed) << name << "\n" << r;
  }
}

TEST(Reduction, SecondDerivativesThroughReductions) {
  const GradcheckResult r = gradgradcheck([](const Tensor& t) { return (t * t).sum(1).mean(); }, random_leaf({3, 4}, 32));
  EXPECT_TRUE(r.passed) << r;
}

TEST(Reduction, MaxSendsTheGradientToTheFirstMaximum) {
  Tensor x = tensor({3, 7, 7, 1}, kFloat64).requires_grad_();
  x.max().backward();
  expect_values_near(x.grad(), {0, 1, 0, 0});
}

TEST(Reduction, SumToUndoesBroadcasting) {
  const Tensor g = ones({2, 3, 4}, kFloat64);
  expect_values_near(sum_to(g, {4}), {6, 6, 6, 6});
  expect_values_near(sum_to(g, {3, 1}), {8, 8, 8});
  EXPECT_EQ(sum_to(g, {1, 3, 1}).sizes(), Shape({1, 3, 1}));
  expect_error<ShapeError>([&] { sum_to(g, {5}); }, "not a broadcast of");
}

TEST(Reduction, EmptyTensorsHaveNoMaximumOrMean) {
  expect_error<ShapeError>([] { zeros({0}).max(); }, "max: the tensor is empty");
  expect_error<ShapeError>([] { zeros({0}).mean(); }, "mean: the tensor is empty");
}

TEST(Reduction, BadDimensionIsNamed) {
  expect_error<ShapeError>([] { zeros({2, 3}).sum(2); }, "sum: dimension 2 is out of range");
}

}  // namespace
}  // namespace nabla
