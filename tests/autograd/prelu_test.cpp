// The prelu op: its checks, its derivatives to second order, its fast backward against its
// differentiable one, and its gradient for the slope, d/da = sum of g x over x <= 0, at sizes
// that cross the vector width, the unroll, the block and the threading threshold. GCC 12 once
// miscompiled the vectorised reduction under -fno-trapping-math: a test on small
// tensors cannot see that, so this one compares every size against a long-double sum.
#include "autograd/ops/prelu.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "autograd/autograd.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;

TEST(Prelu, ValuesAreXAboveZeroAndAXBelow) {
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    const Tensor y = prelu(tensor({-2.0, -0.0, 0.0, 3.0}, {2, 2}, dtype), full({1}, 0.25, dtype));
    EXPECT_EQ(y.sizes(), (Shape{2, 2}));
    EXPECT_EQ(y.dtype(), dtype);
    EXPECT_EQ(y.to_vector(), (std::vector<double>{-0.5, 0.0, 0.0, 3.0}));
  }
}

TEST(Prelu, TheSlopeMustBeOneElementOfTheInputsDtype) {
  expect_error<ShapeError>([] { prelu(zeros({3}), zeros({2})); }, "prelu: the slope must have one element, got shape [2]");
  expect_error<DtypeError>([] { prelu(zeros({3}), zeros({1}, kFloat64)); }, "prelu: mixed dtypes float32 and float64");
}

TEST(Prelu, LearnsItsSlope) {
  Tensor x = tensor({-2.0, 3.0}, kFloat64).requires_grad_();
  Tensor a = full({1}, 0.25, kFloat64).requires_grad_();
  const GradcheckResult r = gradcheck([](const TensorList& in) { return prelu(in[0], in[1]); }, {x, a});
  EXPECT_TRUE(r.passed) << r;
  // Its second derivatives (the backward is recorded when a graph of it is asked for).
  const GradcheckResult second = gradgradcheck([](const TensorList& in) { return prelu(in[0], in[1]) * in[0]; }, {x, a});
  EXPECT_TRUE(second.passed) << second;
}

// The fast backward (one kernel pass) and the differentiable one (ops, run under
// create_graph) give the same input gradient, bit for bit, and the same slope gradient up to
// the order of the sum's additions.
TEST(Prelu, FastAndDifferentiableBackwardsAgree) {
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    for (int64_t n : {7, 5000}) {
      Generator gen(static_cast<uint64_t>(n));
      std::vector<double> xs = randn({n}, dtype, &gen).to_vector();
      xs[1] = 0.0;
      const Tensor x = tensor(xs, {n}, dtype).requires_grad_();
      const Tensor a = full({1}, -0.3, dtype).requires_grad_();
      const Tensor g = randn({n}, dtype, &gen);
      const Tensor y = prelu(x, a);
      const TensorList fast = autograd::grad({y}, {x, a}, {g}, /*retain_graph=*/true);
      const TensorList differentiable = autograd::grad({y}, {x, a}, {g}, true, /*create_graph=*/true);
      ASSERT_TRUE(differentiable[0].requires_grad());  // the differentiable backward did run
      EXPECT_EQ(fast[0].to_vector(), differentiable[0].to_vector()) << to_string(dtype) << ", " << n;
      const double magnitude = (abs(x) * abs(g)).sum().item();
      const double eps = dtype == kFloat32 ? 1e-6 : 1e-14;
      EXPECT_NE(fast[1].item(), 0.0);
      EXPECT_NEAR(fast[1].item(), differentiable[1].item(), eps * magnitude) << to_string(dtype) << ", " << n;
    }
  }
}

TEST(Prelu, SlopeGradientOfNinePositiveAndSevenNegativeOnesIsMinusSeven) {
  std::vector<double> values(16, 1.0);
  for (int i = 9; i < 16; ++i) values[i] = -1.0;
  for (ScalarType t : {kFloat64, kFloat32}) {
    Tensor x = tensor(values, {16}, t).requires_grad_();
    Tensor a = full({1}, 0.25, t).requires_grad_();
    prelu(x, a).sum().backward();
    EXPECT_EQ(a.grad().item(), -7.0) << to_string(t);
  }
}

// x of both signs (a few exact zeros, which count as x <= 0), g random: the slope gradient
// against the long-double sum of g x over x <= 0.
void expect_slope_gradient_matches_reference(ScalarType dtype, int64_t n) {
  Generator gen(static_cast<uint64_t>(n));
  std::vector<double> xs = randn({n}, dtype, &gen).to_vector();
  const Tensor g = randn({n}, dtype, &gen);
  for (int64_t i = 0; i < n; i += 97) xs[i] = 0.0;
  Tensor x = tensor(xs, {n}, dtype).requires_grad_();
  Tensor a = full({1}, 0.25, dtype).requires_grad_();
  prelu(x, a).backward(g);

  const std::vector<double> gs = g.to_vector();
  long double reference = 0, magnitude = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (xs[i] > 0) continue;
    reference += static_cast<long double>(gs[i]) * xs[i];
    magnitude += std::fabs(static_cast<long double>(gs[i]) * xs[i]);
  }
  // The sum accumulates in double: its error is a few eps(double) times the sum of the
  // magnitudes. The result is then rounded once to the dtype.
  const double eps = dtype == kFloat32 ? std::numeric_limits<float>::epsilon() : std::numeric_limits<double>::epsilon();
  const double tolerance = 1e-13 * static_cast<double>(magnitude) + eps * std::fabs(static_cast<double>(reference));
  EXPECT_NEAR(a.grad().item(), static_cast<double>(reference), tolerance)
      << "prelu slope gradient, " << to_string(dtype) << ", " << n << " elements";
  // And the input's gradient: g where x > 0, else a g.
  const std::vector<double> gx = x.grad().to_vector();
  for (int64_t i = 0; i < n; ++i) {
    const double expected = xs[i] > 0 ? gs[i] : (dtype == kFloat32 ? double(0.25f * float(gs[i])) : 0.25 * gs[i]);
    ASSERT_EQ(gx[i], expected) << "prelu input gradient at element " << i << " of " << n << ", " << to_string(dtype);
  }
}

TEST(Prelu, SlopeGradientMatchesALongDoubleSumAtEverySize) {
  for (ScalarType dtype : {kFloat64, kFloat32}) {
    for (int64_t n : {1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 127, 128, 129, 1003, 4099, 65537, 1000003}) {
      expect_slope_gradient_matches_reference(dtype, n);
    }
  }
}

namespace prelu_test {

Tensor slope_gradient_of(const Tensor& x_values, const Tensor& g) {
  Tensor x = x_values.detach().requires_grad_();
  Tensor a = full({1}, 0.25, x.dtype()).requires_grad_();
  prelu(x, a).backward(g);
  return a.grad();
}

}  // namespace prelu_test

// The slope gradient sums in fixed blocks added in order: the same bits on 1 and 3 threads.
TEST(Prelu, SlopeGradientIsTheSameOnOneAndThreeThreads) {
  const int threads_before = get_num_threads();
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    Generator gen(7);
    const Tensor x = randn({1000003}, dtype, &gen), g = randn({1000003}, dtype, &gen);
    set_num_threads(1);
    const double one = prelu_test::slope_gradient_of(x, g).item();
    set_num_threads(3);
    const double three = prelu_test::slope_gradient_of(x, g).item();
    EXPECT_EQ(one, three) << to_string(dtype);
  }
  set_num_threads(threads_before);
}

// Only elements with x <= 0 enter the slope gradient: an infinite g where x > 0 leaves it
// finite (a mask that multiplied by 0 would make it NaN), and a NaN x still reaches it.
TEST(Prelu, SlopeGradientIgnoresPositiveElementsButNotNaN) {
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    for (int64_t n : {5, 17, 5000}) {
      std::vector<double> xs(static_cast<size_t>(n), -1.0), gs(static_cast<size_t>(n), 1.0);
      xs[3] = 2.0;
      gs[3] = std::numeric_limits<double>::infinity();
      const Tensor x = tensor(xs, {n}, dtype);
      EXPECT_EQ(prelu_test::slope_gradient_of(x, tensor(gs, {n}, dtype)).item(), -static_cast<double>(n - 1))
          << to_string(dtype) << ", " << n;
      xs[1] = std::numeric_limits<double>::quiet_NaN();
      EXPECT_TRUE(std::isnan(prelu_test::slope_gradient_of(tensor(xs, {n}, dtype), tensor(gs, {n}, dtype)).item()))
          << to_string(dtype) << ", " << n;
    }
  }
}

}  // namespace
}  // namespace nabla
