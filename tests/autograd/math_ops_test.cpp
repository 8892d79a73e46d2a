#include "autograd/ops/math_ops.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "autograd/autograd.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::away_from_zero;
using testing::expect_error;
using testing::expect_values_near;
using testing::positive;
using testing::random_leaf;

// The ops of one tensor and a number (the functions of one tensor alone are unary_ops_test's).
struct UnaryCase {
  const char* name;
  std::function<Tensor(const Tensor&)> f;
  std::function<Tensor(const Shape&, uint64_t)> input;
  bool smooth;
  // How gtest shows the parameter in a failure: the op's name, not 80 bytes of hex.
  friend void PrintTo(const UnaryCase& c, std::ostream* out) { *out << c.name; }
};

std::vector<UnaryCase> unary_cases() {
  auto any = [](const Shape& s, uint64_t seed) { return random_leaf(s, seed); };
  return {
      {"pow3", [](const Tensor& x) { return pow(x, 3.0); }, any, true},
      {"pow_half", [](const Tensor& x) { return pow(x, 0.5); }, positive, true},
      {"pow_negative", [](const Tensor& x) { return pow(x, -1.5); }, positive, true},
      {"clamp", [](const Tensor& x) { return clamp(x, -0.5, 0.5); }, away_from_zero, false},
      {"add_scalar", [](const Tensor& x) { return x + 2.0; }, any, false},
      {"mul_scalar", [](const Tensor& x) { return x * -3.0; }, any, false},
      {"rsub", [](const Tensor& x) { return 1.0 - x; }, any, false},
      {"rdiv", [](const Tensor& x) { return 2.0 / x; }, away_from_zero, true},
  };
}

class UnaryOps : public ::testing::TestWithParam<UnaryCase> {};

TEST_P(UnaryOps, GradientMatchesFiniteDifferences) {
  const UnaryCase& c = GetParam();
  for (const Shape& shape : {Shape{}, Shape{7}, Shape{3, 4}, Shape{2, 3, 2}}) {
    const GradcheckResult r = gradcheck(c.f, c.input(shape, 11));
    EXPECT_TRUE(r.passed) << c.name << " " << to_string(shape) << "\n" << r;
  }
}

std::vector<UnaryCase> smooth_unary_cases() {
  std::vector<UnaryCase> out;
  for (const UnaryCase& c : unary_cases()) {
    if (c.smooth) out.push_back(c);
  }
  return out;
}

class SmoothUnaryOps : public ::testing::TestWithParam<UnaryCase> {};

TEST_P(SmoothUnaryOps, SecondDerivativeMatchesFiniteDifferences) {
  const UnaryCase& c = GetParam();
  const GradcheckResult r = gradgradcheck(c.f, c.input({3, 4}, 12));
  EXPECT_TRUE(r.passed) << c.name << "\n" << r;
}

INSTANTIATE_TEST_SUITE_P(Elementwise, UnaryOps, ::testing::ValuesIn(unary_cases()),
                         [](const auto& info) { return std::string(info.param.name); });
INSTANTIATE_TEST_SUITE_P(Elementwise, SmoothUnaryOps, ::testing::ValuesIn(smooth_unary_cases()),
                         [](const auto& info) { return std::string(info.param.name); });

struct BinaryCase {
  const char* name;
  std::function<Tensor(const Tensor&, const Tensor&)> f;
  friend void PrintTo(const BinaryCase& c, std::ostream* out) { *out << c.name; }
};

std::vector<BinaryCase> binary_cases() {
  return {
      {"add", [](const Tensor& a, const Tensor& b) { return a + b; }},
      {"sub", [](const Tensor& a, const Tensor& b) { return a - b; }},
      {"mul", [](const Tensor& a, const Tensor& b) { return a * b; }},
      {"div", [](const Tensor& a, const Tensor& b) { return a / b; }},
      {"maximum", [](const Tensor& a, const Tensor& b) { return maximum(a, b); }},
      {"minimum", [](const Tensor& a, const Tensor& b) { return minimum(a, b); }},
  };
}

class BinaryOps : public ::testing::TestWithParam<BinaryCase> {};

// Same shapes, and the broadcasting cases: row vector, column, scalar, both sides.
const std::vector<std::pair<Shape, Shape>> kShapePairs = {
    {{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{3, 4}, {3, 1}}, {{3, 4}, {}}, {{3, 1}, {1, 4}}, {{2, 3, 4}, {3, 1}}};

TEST_P(BinaryOps, GradientMatchesFiniteDifferencesWithBroadcasting) {
  const BinaryCase& c = GetParam();
  for (const auto& [sa, sb] : kShapePairs) {
    // Denominators away from zero; max/min operands apart so no tie sits within eps.
    Tensor a = random_leaf(sa, 21);
    Tensor b = away_from_zero(sb, 22);
    const GradcheckResult r = gradcheck([&](const TensorList& in) { return c.f(in[0], in[1]); }, {a, b});
    EXPECT_TRUE(r.passed) << c.name << " " << to_string(sa) << " with " << to_string(sb) << "\n" << r;
  }
}

class SmoothBinaryOps : public ::testing::TestWithParam<BinaryCase> {};

TEST_P(SmoothBinaryOps, SecondDerivativeMatchesFiniteDifferences) {
  const BinaryCase& c = GetParam();
  const GradcheckResult r = gradgradcheck([&](const TensorList& in) { return c.f(in[0], in[1]); },
                                          {random_leaf({3, 4}, 23), away_from_zero({4}, 24)});
  EXPECT_TRUE(r.passed) << c.name << "\n" << r;
}

INSTANTIATE_TEST_SUITE_P(Elementwise, BinaryOps, ::testing::ValuesIn(binary_cases()),
                         [](const auto& info) { return std::string(info.param.name); });
INSTANTIATE_TEST_SUITE_P(Elementwise, SmoothBinaryOps,
                         ::testing::Values(binary_cases()[2], binary_cases()[3]),  // mul, div
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Elementwise, ForwardValues) {
  const Tensor a = tensor({1, -2, 3}, kFloat64), b = tensor({4, 5, -6}, kFloat64);
  expect_values_near(a + b, {5, 3, -3});
  expect_values_near(a - b, {-3, -7, 9});
  expect_values_near(a * b, {4, -10, -18});
  expect_values_near(a / b, {0.25, -0.4, -0.5});
  expect_values_near(maximum(a, b), {4, 5, 3});
  expect_values_near(minimum(a, b), {1, -2, -6});
  expect_values_near(sign(tensor({-3, 0, 2})), {-1, 0, 1});
  expect_values_near(clamp(a, -1, 2), {1, -1, 2});
  expect_values_near(gt(a, 0.0), {1, 0, 1});
  expect_values_near(where(gt(a, 0.0), a, b), {1, 5, 3});
}

TEST(Elementwise, RowVectorBroadcastsOverEveryRow) {
  const Tensor m = tensor({1, 2, 3, 4, 5, 6}, {2, 3}, kFloat64);
  expect_values_near(m + tensor({10, 20, 30}, kFloat64), {11, 22, 33, 14, 25, 36});
  expect_values_near(m * tensor({2, 3}, {2, 1}, kFloat64), {2, 4, 6, 12, 15, 18});
}

TEST(Elementwise, MaximumSplitsTheGradientAtTies) {
  Tensor a = tensor({1.0}, kFloat64).requires_grad_();
  Tensor b = tensor({1.0}, kFloat64).requires_grad_();
  maximum(a, b).sum().backward();
  EXPECT_EQ(a.grad().item(), 0.5);
  EXPECT_EQ(b.grad().item(), 0.5);
}

TEST(Elementwise, ClampPassesTheGradientOnlyInsideTheRange) {
  Tensor x = tensor({-2, 0, 2}, kFloat64).requires_grad_();
  clamp(x, -1, 1).sum().backward();
  expect_values_near(x.grad(), {0, 1, 0});
}

TEST(Elementwise, WhereRoutesTheGradientToTheChosenSide) {
  Tensor a = random_leaf({2, 3}, 5), b = random_leaf({3}, 6);
  const Tensor cond = tensor({1, 0, 1, 0, 0, 1}, {2, 3}, kFloat64);
  const GradcheckResult r = gradcheck([&](const TensorList& in) { return where(cond, in[0], in[1]); }, {a, b});
  EXPECT_TRUE(r.passed) << r;
}

TEST(Elementwise, MaximumAndMinimumPropagateNaNFromEitherSide) {
  const Tensor nan = full({1}, NAN, kFloat64), one = ones({1}, kFloat64);
  for (const Tensor& r : {maximum(nan, one), maximum(one, nan), minimum(nan, one), minimum(one, nan)}) {
    EXPECT_TRUE(std::isnan(r.item()));
  }
}

TEST(Elementwise, MixedDtypesNeedAnExplicitCast) {
  expect_error<DtypeError>([] { zeros({2}) + zeros({2}, kFloat64); }, "add: mixed dtypes float32 and float64");
}

TEST(Elementwise, NonBroadcastableShapesAreNamed) {
  expect_error<ShapeError>([] { zeros({2, 3}) * zeros({2}); }, "mul: shapes [2, 3] and [2] cannot be broadcast");
}

TEST(Elementwise, LargeInputsGiveTheSameResultAsSmallOnes) {
  // Past the threshold where loops are split across threads.
  const int64_t n = 1 << 20;
  const Tensor x = linspace(-3, 3, n, kFloat64);
  const Tensor y = exp(x) * x + 1.0;
  const double* p = y.data_ptr<double>();
  const double* px = x.data_ptr<double>();
  for (int64_t i : {int64_t{0}, n / 3, n / 2, n - 1}) EXPECT_NEAR(p[i], std::exp(px[i]) * px[i] + 1.0, 1e-12);
}

}  // namespace
}  // namespace nabla
