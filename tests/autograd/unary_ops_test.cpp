#include "autograd/ops/unary_ops.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "tests/unary_ops_rows.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::away_from_zero;
using testing::expect_values_near;
using testing::positive;
using testing::random_leaf;
using testing::unary_row;
using testing::unary_row_names;
using testing::UnaryRow;

// Inside (-1.2, 1.2), away from tan's poles at +-pi/2.
Tensor within_a_half_period(const Shape& shape, uint64_t seed) {
  NoGradGuard g;
  Tensor x = sin(random_leaf(shape, seed).detach()) * 1.2;
  return x.requires_grad_();
}

// How each row of unary_ops.def is gradient-checked (in float64): where its inputs are drawn,
// whether it is smooth there (then its second derivative is checked too), and whether its
// gradient is zero (then gradcheck is told so, rather than taking zero for a broken backward).
struct GradientCase {
  std::function<Tensor(const Shape&, uint64_t)> input;
  bool smooth;
  bool zero_gradient = false;
};

const std::map<std::string, GradientCase>& gradient_cases() {
  static const auto any = [](const Shape& s, uint64_t seed) { return random_leaf(s, seed); };
  static const std::map<std::string, GradientCase> cases = {
      {"neg", {any, false}},      {"square", {any, true}},          {"exp", {any, true}},
      {"log", {positive, true}},  {"sqrt", {positive, true}},       {"abs", {away_from_zero, false}},
      {"sign", {away_from_zero, false, true}},                      {"sin", {any, true}},
      {"cos", {any, true}},       {"tan", {within_a_half_period, true}},
  };
  return cases;
}

const GradientCase& gradient_case(const std::string& name) {
  const auto found = gradient_cases().find(name);
  if (found == gradient_cases().end()) throw std::invalid_argument("no gradient case for the unary op " + name);
  return found->second;
}

std::string row_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

class UnaryOpTable : public ::testing::TestWithParam<std::string> {};

TEST_P(UnaryOpTable, GradientMatchesFiniteDifferences) {
  const UnaryRow& row = unary_row(GetParam());
  const GradientCase& c = gradient_case(GetParam());
  const GradcheckOptions options{.expect_zero_gradient = c.zero_gradient};
  for (const Shape& shape : {Shape{}, Shape{7}, Shape{3, 4}, Shape{2, 3, 2}}) {
    const GradcheckResult r = gradcheck(row.function, c.input(shape, 11), options);
    EXPECT_TRUE(r.passed) << row.name << " " << to_string(shape) << "\n" << r;
  }
}

TEST_P(UnaryOpTable, MethodIsTheFreeFunction) {
  const UnaryRow& row = unary_row(GetParam());
  const Tensor x = positive({2, 3}, 13).detach();
  const Tensor by_method = (x.*row.method)();
  const Tensor by_function = row.function(x);
  EXPECT_EQ(by_method.to_vector(), by_function.to_vector()) << row.name;
}

INSTANTIATE_TEST_SUITE_P(Rows, UnaryOpTable, ::testing::ValuesIn(unary_row_names()), row_name);

std::vector<std::string> smooth_rows() {
  std::vector<std::string> names;
  for (const std::string& name : unary_row_names()) {
    const auto found = gradient_cases().find(name);
    if (found == gradient_cases().end() || found->second.smooth) names.push_back(name);  // a missing case fails there
  }
  return names;
}

class SmoothUnaryOpTable : public ::testing::TestWithParam<std::string> {};

TEST_P(SmoothUnaryOpTable, SecondDerivativeMatchesFiniteDifferences) {
  const GradcheckResult r = gradgradcheck(unary_row(GetParam()).function, gradient_case(GetParam()).input({3, 4}, 12));
  EXPECT_TRUE(r.passed) << GetParam() << "\n" << r;
}

INSTANTIATE_TEST_SUITE_P(Rows, SmoothUnaryOpTable, ::testing::ValuesIn(smooth_rows()), row_name);

// tan, its derivative and its second derivative as PyTorch 1.13 gives them (torch.tan, then
// torch.autograd.grad twice with create_graph=True, in float64), up to a pole's neighbourhood.
TEST(Elementwise, TanAndItsDerivativesMatchPyTorch) {
  const Tensor x = tensor({-1.2, -0.5, 0.0, 0.3, 1.0, 1.5}, kFloat64).requires_grad_();
  const Tensor y = tan(x);
  const Tensor dy = autograd::grad({y.sum()}, {x}, {}, /*retain_graph=*/true, /*create_graph=*/true)[0];
  const Tensor d2y = autograd::grad({dy.sum()}, {x})[0];
  expect_values_near(y, {-2.5721516221263188, -0.5463024898437905, 0.0, 0.30933624960962325, 1.5574077246549023,
                         14.101419947171719}, 1e-14);
  expect_values_near(dy, {7.615963967207053, 1.2984464104095248, 1.0, 1.095688915322547, 3.42551882081476,
                          199.85004452649244}, 1e-12);
  expect_values_near(d2y, {-39.17882814461443, -1.4186890138709112, 0.0, 0.6778725996094256, 10.669858944975319,
                           5636.3388086580735}, 1e-9);
  // float32 as torch.tan computes it: within an ulp
  expect_values_near(tan(tensor({-1.2, -0.5, 0.0, 0.3, 1.0, 1.5}, kFloat32)),
                     {-2.5721518993377686, -0.5463024973869324, 0.0, 0.30933627486228943, 1.5574077367782593,
                      14.101420402526855}, 2e-6);
}

// float32 exp and log run vectorised code of their own (fast_math.h): IEEE's special values
// and the subnormal range, at sizes past the vector width and unroll so the vector loop sees them.
TEST(Elementwise, Float32ExpAndLogKeepIeeeSpecialValues) {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> exp_inputs = {inf, -inf, nan, 88.8f, 88.7f, -87.5f, -100.0f, -103.0f, -104.5f, 0.0f, -0.0f, 1.0f};
  const std::vector<float> log_inputs = {inf, -inf, nan, 0.0f, -0.0f, -1.0f, 1e-45f, 1e-40f, 1.17549435e-38f, 1.0f, 3.4e38f, 0.5f};
  for (int64_t copies : {1, 7}) {
    std::vector<double> xe, xl;
    for (int64_t c = 0; c < copies; ++c) {
      xe.insert(xe.end(), exp_inputs.begin(), exp_inputs.end());
      xl.insert(xl.end(), log_inputs.begin(), log_inputs.end());
    }
    const std::vector<double> e = exp(tensor(xe, {static_cast<int64_t>(xe.size())}, kFloat32)).to_vector();
    const std::vector<double> l = log(tensor(xl, {static_cast<int64_t>(xl.size())}, kFloat32)).to_vector();
    for (size_t i = 0; i < xe.size(); ++i) {
      const float expected = std::exp(static_cast<float>(xe[i]));
      if (std::isnan(expected)) {
        EXPECT_TRUE(std::isnan(e[i])) << "exp(" << xe[i] << ")";
      } else {
        EXPECT_EQ(static_cast<float>(e[i]), expected) << "exp(" << xe[i] << ")";
      }
    }
    for (size_t i = 0; i < xl.size(); ++i) {
      const float expected = std::log(static_cast<float>(xl[i]));
      if (std::isnan(expected)) {
        EXPECT_TRUE(std::isnan(l[i])) << "log(" << xl[i] << ")";
      } else {
        EXPECT_EQ(static_cast<float>(l[i]), expected) << "log(" << xl[i] << ")";
      }
    }
  }
}
}  // namespace
}  // namespace nabla
