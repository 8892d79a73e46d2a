#include "autograd/ops/reduction.h"

#include <gtest/gtest.h>

#include <cmath>

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

// libtorch's other names: min along a dim (values and indices), amin, and amax/amin of all elements.
TEST(Reduction, MinAlongADimAndAminMirrorMaxAndAmax) {
  auto [values, indices] = kMatrix.min(1);
  expect_values_near(values, {1, 2});
  expect_values_near(indices, {0, 1});
  EXPECT_EQ(indices.dtype(), kInt64);
  expect_values_near(nabla::amin(kMatrix, 0), {1, 2, 3});
  EXPECT_EQ(kMatrix.amin(0, true).sizes(), Shape({1, 3}));
  EXPECT_EQ(kMatrix.amax().item(), 6);
  EXPECT_EQ(nabla::amin(kMatrix).item(), 1);
  // A NaN is the minimum of its slice, at its own index (PyTorch: tensor([3., nan, 1.]).min(0) = (nan, 1)).
  auto [nan_value, nan_index] = tensor({3.0, NAN, 1.0}, kFloat64).min(0);
  EXPECT_TRUE(std::isnan(nan_value.item()));
  EXPECT_EQ(nan_index.item<int64_t>(), 1);
  // Ties share amin's gradient; min(dim) sends it to the index it returns.
  const Tensor x = tensor({1.0, 1.0, 2.0}, kFloat64).requires_grad_();
  x.amin().backward();
  expect_values_near(x.grad(), {0.5, 0.5, 0});
  const Tensor y = tensor({1.0, 1.0, 2.0}, kFloat64).requires_grad_();
  std::get<0>(y.min(0)).backward();
  expect_values_near(y.grad(), {1, 0, 0});
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return std::get<0>(t.min(1)); }, random_leaf({3, 4}, 7)));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return t.amin(0); }, random_leaf({3, 4}, 8)));
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

// Reference values from PyTorch 1.13 (float64):
//   torch.tensor([1,3,3,2,3.]).max().backward()        -> grad [0, 1/3, 1/3, 0, 1/3]
//   torch.tensor([1,1,3,2,3.]).min().backward()        -> grad [0.5, 0.5, 0, 0, 0]
//   torch.tensor([1,nan,3,nan]).max().backward()       -> grad [0, 0.5, 0, 0.5]
TEST(Reduction, MaxAndMinShareTheGradientEvenlyAmongTies) {
  Tensor x = tensor({1, 3, 3, 2, 3}, kFloat64).requires_grad_();
  x.max().backward();
  expect_values_near(x.grad(), {0, 1.0 / 3, 1.0 / 3, 0, 1.0 / 3});

  Tensor y = tensor({1, 1, 3, 2, 3}, kFloat64).requires_grad_();
  y.min().backward();
  expect_values_near(y.grad(), {0.5, 0.5, 0, 0, 0});

  const double nan = std::nan("");
  Tensor z = tensor({1, nan, 3, nan}, kFloat64).requires_grad_();
  z.max().backward();
  expect_values_near(z.grad(), {0, 0.5, 0, 0.5});

  Tensor single = tensor({3, 7, 5}).requires_grad_();  // float32, no tie: all of it to the maximum
  (single.max() * 2.0).backward();
  expect_values_near(single.grad(), {0, 2, 0});
}

// PyTorch 1.13: x = [[1,3,3],[2,2,0]]; x.amax(1).backward([1,10]) -> [[0,.5,.5],[5,5,0]];
// x.max(1) returns indices [1, 0] and its backward([1,10]) gives [[0,1,0],[10,0,0]].
TEST(Reduction, AmaxSharesTiesButMaxAlongADimFollowsItsIndex) {
  const Tensor values = tensor({1, 3, 3, 2, 2, 0}, {2, 3}, kFloat64);
  const Tensor weights = tensor({1, 10}, kFloat64);
  Tensor a = values.clone().requires_grad_();
  (a.amax(1) * weights).sum().backward();
  expect_values_near(a.grad(), {0, 0.5, 0.5, 5, 5, 0});

  Tensor m = values.clone().requires_grad_();
  auto [maxima, indices] = m.max(1);
  expect_values_near(indices, {1, 0});
  (maxima * weights).sum().backward();
  expect_values_near(m.grad(), {0, 1, 0, 10, 0, 0});

  // Along dimension 0 with keepdim: PyTorch gives [[0,10,100],[1,0,0]] for [[1,3,3],[3,2,0]].
  Tensor c = tensor({1, 3, 3, 3, 2, 0}, {2, 3}, kFloat64).requires_grad_();
  (c.amax(0, /*keepdim=*/true) * tensor({1, 10, 100}, {1, 3}, kFloat64)).sum().backward();
  expect_values_near(c.grad(), {0, 10, 100, 1, 0, 0});
}

TEST(Reduction, TiedGradientsHaveSecondDerivatives) {
  // The tie weights are constants: the gradient of amax is linear in g, so its own gradient
  // (through create_graph) exists and the second derivative of a sum of maxima is zero.
  Tensor x = tensor({1, 3, 3, 2, 2, 0}, {2, 3}, kFloat64).requires_grad_();
  const Tensor g = autograd::grad({(x.amax(1) * x.amax(1)).sum()}, {x}, {}, /*retain_graph=*/true,
                                  /*create_graph=*/true)[0];
  expect_values_near(g, {0, 3, 3, 2, 2, 0});  // 2 max / ties at each tie
  const Tensor gg = autograd::grad({g.sum()}, {x})[0];
  expect_values_near(gg, {0, 1, 1, 1, 1, 0});  // sum(g) = 2 max per row, whose gradient is 2 / t at each tie
}

TEST(Reduction, SumToUndoesBroadcasting) {
  const Tensor g = ones({2, 3, 4}, kFloat64);
  expect_values_near(sum_to(g, {4}), {6, 6, 6, 6});
  expect_values_near(sum_to(g, {3, 1}), {8, 8, 8});
  EXPECT_EQ(sum_to(g, {1, 3, 1}).sizes(), Shape({1, 3, 1}));
  expect_error<ShapeError>([&] { sum_to(g, {5}); }, "not a broadcast of");
}

// PyTorch 1.13: torch.zeros(0).sum() = 0, .mean() = nan, torch.zeros(2,0).mean(1) = [nan, nan],
// torch.zeros(0).max() and torch.zeros(2,0).max(1) raise, torch.zeros(0,3).max(1) is empty.
TEST(Reduction, EmptyTensorsSumToZeroAndAverageToNaN) {
  EXPECT_EQ(zeros({0}).sum().item(), 0.0);
  EXPECT_TRUE(std::isnan(zeros({0}).mean().item()));
  EXPECT_TRUE(std::isnan(zeros({0}, kFloat64).mean().item()));
  expect_values_near(zeros({2, 0}).sum(1), {0, 0});
  const Tensor means = zeros({2, 0}).mean(1);
  ASSERT_EQ(means.sizes(), Shape({2}));
  EXPECT_TRUE(std::isnan(means.to_vector()[0]) && std::isnan(means.to_vector()[1]));
  EXPECT_EQ(zeros({0, 3}).mean(1).sizes(), Shape({0}));

  Tensor leaf = zeros({0}, kFloat64).requires_grad_();
  leaf.mean().backward();
  EXPECT_EQ(leaf.grad().sizes(), Shape({0}));
}

TEST(Reduction, EmptyTensorsHaveNoMaximum) {
  expect_error<ShapeError>([] { zeros({0}).max(); }, "max: the tensor [0] is empty");
  expect_error<ShapeError>([] { zeros({0}).min(); }, "min: the tensor [0] is empty");
  expect_error<ShapeError>([] { zeros({0}).argmax(); }, "argmax: the tensor [0] is empty");
  expect_error<ShapeError>([] { zeros({2, 0}).max(1); }, "max: dimension 1 of [2, 0] is empty, so it has no maximum");
  expect_error<ShapeError>([] { zeros({2, 0}).amax(-1); }, "amax: dimension 1 of [2, 0] is empty");
  expect_error<ShapeError>([] { zeros({2, 0}).min(1); }, "min: dimension 1 of [2, 0] is empty, so it has no minimum");
  expect_error<ShapeError>([] { zeros({2, 0}).amin(1); }, "amin: dimension 1 of [2, 0] is empty, so it has no minimum");
  expect_error<ShapeError>([] { zeros({0}).amax(); }, "amax: the tensor [0] is empty, so it has no maximum");
  expect_error<ShapeError>([] { zeros({0}).amin(); }, "amin: the tensor [0] is empty, so it has no minimum");
  // Along a dimension that is not empty, an empty tensor has empty maxima.
  auto [values, indices] = zeros({0, 3}).max(1);
  EXPECT_EQ(values.sizes(), Shape({0}));
  EXPECT_EQ(indices.sizes(), Shape({0}));
  EXPECT_EQ(zeros({0, 3}).amax(1).sizes(), Shape({0}));
}

TEST(Reduction, BadDimensionIsNamed) {
  expect_error<ShapeError>([] { zeros({2, 3}).sum(2); }, "sum: dimension 2 is out of range");
}

}  // namespace
}  // namespace nabla
