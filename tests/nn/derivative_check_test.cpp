#include "nn/activations/derivative_check.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "nn/activations/custom.h"
#include "nn/nn.h"

namespace nabla {
namespace {

// The failure reported at the kink x (reverse mode), or null.
const DerivativeCheck* kink_failure(const SubgradcheckResult& r, double x) {
  for (const DerivativeCheck& c : r.failures) {
    if (c.kind == "kink" && c.x == x && c.mode == "reverse mode") return &c;
  }
  return nullptr;
}

std::string text(const SubgradcheckResult& r) {
  std::ostringstream s;
  s << r;
  return s.str();
}

TEST(DerivativeCheck, TheGridHoldsEveryKinkAndPointsAMillionthAndABillionthAroundIt) {
  const std::vector<double> points = derivative_check_points(activation("relu6"));
  for (double kink : {0.0, 6.0}) {
    for (double offset : {0.0, -1e-9, 1e-9, -1e-6, 1e-6}) {
      EXPECT_NE(std::find(points.begin(), points.end(), kink + offset), points.end()) << kink << " + " << offset;
    }
  }
  const std::vector<double> sqrt_points = derivative_check_points(activation("sqrt"));
  EXPECT_EQ(*std::min_element(sqrt_points.begin(), sqrt_points.end()), 0);  // nothing outside the domain
}

// Every built-in, at its kinks, around them and on the plotted range, by both modes of AD:
// no false failure.
TEST(DerivativeCheck, EveryBuiltInActivationPassesItsKinksIncluded) {
  std::vector<std::string> specs;
  for (const std::string& name : activation_names()) {
    if (activation(name).builtin) specs.push_back(name);
  }
  for (const char* variant : {"leaky_relu(0.2)", "hardtanh(-2, 2)", "elu(2)", "celu(0.5)"}) {
    if (has_activation(variant)) specs.push_back(variant);
  }
  int kinks_checked = 0;
  for (const std::string& spec : specs) {
    const SubgradcheckResult r = check_derivative(activation(spec));
    EXPECT_TRUE(r.passed) << spec << ": " << r;
    kinks_checked += static_cast<int>(r.kinks.size());
  }
  EXPECT_GE(kinks_checked, 20);
}

TEST(DerivativeCheck, LeakyReluWithItsSlopeOnTheWrongSideFailsAtTheKink) {
  const Activation wrong = elementwise_activation(
      {.name = "leaky_relu_wrong_side", .kinks = {0}}, [](double x) { return x > 0 ? x : 0.01 * x; },
      [](double x) { return x > 0 ? 0.01 : 1.0; });
  const SubgradcheckResult r = check_derivative(wrong);
  const DerivativeCheck* k = kink_failure(r, 0);
  ASSERT_NE(k, nullptr) << r;
  EXPECT_NEAR(k->left_numeric, 0.01, 1e-9);
  EXPECT_NEAR(k->right_numeric, 1, 1e-9);
  EXPECT_EQ(k->left_analytic, 1);
  EXPECT_EQ(k->right_analytic, 0.01);
  EXPECT_NE(text(r).find("the left slope is 1 by f' but 0.01 by f's one-sided differences"), std::string::npos) << r;
}

TEST(DerivativeCheck, HardtanhWithItsDerivativeAtTheWrongEdgesFails) {
  // hardtanh(-2, 2) whose derivative is 1 on (-1, 1), the default edges, instead of (-2, 2).
  const Activation wrong = elementwise_activation(
      {.name = "hardtanh_wrong_edges", .kinks = {-2, 2}}, [](double x) { return std::clamp(x, -2.0, 2.0); },
      [](double x) { return -1 < x && x < 1 ? 1.0 : 0.0; });
  const SubgradcheckResult r = check_derivative(wrong);
  for (double edge : {-2.0, 2.0}) {
    const DerivativeCheck* k = kink_failure(r, edge);
    ASSERT_NE(k, nullptr) << edge << ": " << r;
    const double inner_numeric = edge < 0 ? k->right_numeric : k->left_numeric;
    const double inner_analytic = edge < 0 ? k->right_analytic : k->left_analytic;
    EXPECT_NEAR(inner_numeric, 1, 1e-9);
    EXPECT_EQ(inner_analytic, 0);
  }
}

TEST(DerivativeCheck, Relu6WithItsKinkAtZeroInsteadOfSixFails) {
  const Activation wrong = elementwise_activation(
      {.name = "relu6_one_kink", .kinks = {0, 6}}, [](double x) { return std::clamp(x, 0.0, 6.0); },
      [](double x) { return x > 0 ? 1.0 : 0.0; });
  const SubgradcheckResult r = check_derivative(wrong);
  EXPECT_EQ(kink_failure(r, 0), nullptr) << r;
  const DerivativeCheck* k = kink_failure(r, 6);
  ASSERT_NE(k, nullptr) << r;
  EXPECT_NEAR(k->left_numeric, 1, 1e-9);
  EXPECT_NEAR(k->right_numeric, 0, 1e-9);
  EXPECT_EQ(k->right_analytic, 1);
  EXPECT_EQ(k->convention, 1);
}

TEST(DerivativeCheck, SignedSqrtWithoutItsHalfFails) {
  const Activation wrong = elementwise_activation(
      {.name = "signed_sqrt_no_half", .kinks = {0}}, [](double x) { return std::copysign(std::sqrt(std::abs(x)), x); },
      [](double x) { return 1 / std::sqrt(std::abs(x)); });
  const SubgradcheckResult r = check_derivative(wrong);
  ASSERT_FALSE(r.passed);
  // Both one-sided slopes at 0 are infinite, right or wrong; every point around it is off by 2.
  for (const DerivativeCheck& k : r.kinks) EXPECT_EQ(k.left_numeric, INFINITY);
  for (const DerivativeCheck& c : r.failures) {
    ASSERT_NE(c.kind, "kink") << c;
    EXPECT_NEAR(c.analytic / c.numeric, 2, 1e-3) << c;
  }
  const auto near = std::find_if(r.failures.begin(), r.failures.end(), [](const DerivativeCheck& c) { return c.x == 1e-9; });
  EXPECT_NE(near, r.failures.end()) << r;
}

TEST(DerivativeCheck, EluWithItsLeftDerivativeOffByAlphaFailsAtTheKink) {
  // elu(alpha = 2)'s f'(x < 0) written as alpha (e^x - 1), which is f(x), instead of f(x) + alpha.
  const double alpha = 2;
  const Activation wrong = elementwise_activation(
      {.name = "elu_slip", .kinks = {0}}, [alpha](double x) { return x > 0 ? x : alpha * std::expm1(x); },
      [alpha](double x) { return x > 0 ? 1.0 : alpha * std::expm1(x); });
  const SubgradcheckResult r = check_derivative(wrong);
  const DerivativeCheck* k = kink_failure(r, 0);
  ASSERT_NE(k, nullptr) << r;
  EXPECT_NEAR(k->left_numeric, alpha, 1e-7);  // a one-sided difference: off by f''' h^2 / 3
  EXPECT_NEAR(k->left_analytic, 0, 1e-8);
  EXPECT_NEAR(k->right_numeric, 1, 1e-9);
}

TEST(DerivativeCheck, ACustomActivationWithAKinkItDidNotDeclareFails) {
  // relu clipped at 1 that declares only its kink at 0.
  const Activation forgot = elementwise_activation(
      {.name = "relu1_forgot_a_kink", .kinks = {0}}, [](double x) { return std::clamp(x, 0.0, 1.0); },
      [](double x) { return 0 < x && x < 1 ? 1.0 : 0.0; });
  const SubgradcheckResult r = check_derivative(forgot);
  const auto at_one = std::find_if(r.failures.begin(), r.failures.end(),
                                   [](const DerivativeCheck& c) { return c.x == 1 && c.kind == "undeclared kink"; });
  ASSERT_NE(at_one, r.failures.end()) << r;
  EXPECT_NEAR(at_one->left_numeric, 1, 1e-6);
  EXPECT_NEAR(at_one->right_numeric, 0, 1e-6);
  Activation declared = forgot;
  declared.kinks = {0, 1};
  EXPECT_TRUE(check_derivative(declared).passed);
}

}  // namespace
}  // namespace nabla
