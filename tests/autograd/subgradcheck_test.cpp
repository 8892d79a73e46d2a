#include "autograd/subgradcheck.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "autograd/autograd.h"
#include "tests/autograd/cube_function.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;

const std::vector<double> kPoints = {-2, -1, -0.5, -1e-6, -1e-9, 0, 1e-9, 1e-6, 0.5, 1, 2};

std::string text(const SubgradcheckResult& r) {
  std::ostringstream s;
  s << r;
  return s.str();
}

// relu has a kink at 0: slope 0 on the left, 1 on the right, and relu'(0) = 0 by convention.
TEST(Subgradcheck, PassesAKinkWhereCentralDifferencesFailFalsely) {
  const GradcheckResult relu_central = gradcheck([](const Tensor& x) { return x.relu(); }, tensor({0.0}, kFloat64).requires_grad_());
  EXPECT_FALSE(relu_central.passed);  // 0.5 against relu'(0) = 0
  const SubgradcheckResult r = subgradcheck([](const Tensor& x) { return x.relu(); }, {.points = kPoints, .kinks = {0}});
  EXPECT_TRUE(r.passed) << r;
  ASSERT_EQ(r.kinks.size(), 2u);  // reverse mode and forward mode
  for (const DerivativeCheck& k : r.kinks) {
    EXPECT_EQ(k.x, 0);
    EXPECT_NEAR(k.left_numeric, 0, 1e-9);
    EXPECT_NEAR(k.right_numeric, 1, 1e-9);
    EXPECT_EQ(k.left_analytic, 0);
    EXPECT_EQ(k.right_analytic, 1);
    EXPECT_EQ(k.convention, 0);
  }
}

TEST(Subgradcheck, ReportsAKinkThatIsNotDeclared) {
  const SubgradcheckResult r = subgradcheck([](const Tensor& x) { return x.relu(); }, {.points = kPoints});
  ASSERT_FALSE(r.passed);
  // Every point whose stencil straddles 0 reports it; the one at 0 measures both slopes.
  const auto at_zero = std::find_if(r.failures.begin(), r.failures.end(), [](const DerivativeCheck& c) { return c.x == 0; });
  ASSERT_NE(at_zero, r.failures.end()) << r;
  EXPECT_EQ(at_zero->kind, "undeclared kink");
  EXPECT_NEAR(at_zero->left_numeric, 0, 1e-9);
  EXPECT_NEAR(at_zero->right_numeric, 1, 1e-9);
  for (const DerivativeCheck& c : r.failures) EXPECT_LE(std::abs(c.x), 1e-6) << c;
  EXPECT_NE(text(r).find("not declared: list it in kinks"), std::string::npos) << text(r);
}

TEST(Subgradcheck, AConventionOutsideTheOneSidedSlopesFails) {
  // relu with f'(0) = 2: no subgradient of relu at 0 is 2.
  const auto f = [](const Tensor& x) { return x.relu() + (x.relu() - x.relu()) * 0.0; };
  struct Relu2AtZero : autograd::Function<Relu2AtZero> {
    static Tensor forward(autograd::AutogradContext* ctx, const Tensor& x) {
      ctx->save_for_backward({x});
      return x.relu();
    }
    static TensorList backward(autograd::AutogradContext* ctx, const TensorList& g) {
      const Tensor x = ctx->get_saved_variables()[0];
      return {g[0] * where(x == 0.0, full_like(x, 2.0), (x > 0.0).to(kFloat64))};
    }
  };
  EXPECT_TRUE(subgradcheck(f, {.points = kPoints, .kinks = {0}}).passed);
  const SubgradcheckResult r = subgradcheck([](const Tensor& x) { return Relu2AtZero::apply(x); },
                                            {.points = kPoints, .kinks = {0}, .check_forward_ad = false});
  ASSERT_FALSE(r.passed);
  EXPECT_EQ(r.failures.front().kind, "kink");
  EXPECT_EQ(r.failures.front().convention, 2);
  EXPECT_NE(r.failures.front().problem.find("f' at the kink is 2, outside [0, 1], the one-sided slopes"),
            std::string::npos)
      << r;
}

TEST(Subgradcheck, InfiniteOneSidedSlopesAreRecognisedOnBothSides) {
  // sign(x) sqrt(|x|): slope +inf on both sides of 0, f'(0) = inf.
  struct SignedSqrt : autograd::Function<SignedSqrt> {
    static Tensor forward(autograd::AutogradContext* ctx, const Tensor& x) {
      ctx->save_for_backward({x});
      return sign(x) * sqrt(abs(x));
    }
    // d/dx sign(x) sqrt(|x|) = 1 / (2 sqrt(|x|))
    static TensorList backward(autograd::AutogradContext* ctx, const TensorList& g) {
      return {g[0] * 0.5 / sqrt(abs(ctx->get_saved_variables()[0]))};
    }
  };
  const SubgradcheckResult r = subgradcheck([](const Tensor& x) { return SignedSqrt::apply(x); },
                                            {.points = kPoints, .kinks = {0}, .check_forward_ad = false});
  EXPECT_TRUE(r.passed) << r;
  for (const DerivativeCheck& k : r.kinks) {
    EXPECT_EQ(k.left_numeric, INFINITY);
    EXPECT_EQ(k.right_numeric, INFINITY);
    EXPECT_EQ(k.left_analytic, INFINITY);
    EXPECT_EQ(k.right_analytic, INFINITY);
  }
}

TEST(Subgradcheck, ReportsTheNaNTrapOfWhere) {
  // where(x > 0, sqrt(x), 0): right values, but sqrt(x) of the negative x's is NaN, and the zero
  // gradient where() sends it comes back as 0 / NaN = NaN.
  const auto trap = [](const Tensor& x) { return where(x > 0.0, x.sqrt(), zeros_like(x)); };
  const SubgradcheckResult r = subgradcheck(trap, {.points = {-2, -1, 1, 2}, .check_forward_ad = false});
  ASSERT_FALSE(r.passed);
  EXPECT_EQ(r.failures.size(), 2u);  // the two negative points
  EXPECT_TRUE(std::isnan(r.failures.front().analytic));
  EXPECT_NEAR(r.failures.front().numeric, 0, 1e-12);
  EXPECT_NE(r.failures.front().problem.find("the NaN trap of where()"), std::string::npos) << r;
  // The cure: give the unselected branch a safe input.
  const auto safe = [](const Tensor& x) { return where(x > 0.0, where(x > 0.0, x, ones_like(x)).sqrt(), zeros_like(x)); };
  EXPECT_TRUE(subgradcheck(safe, {.points = {-2, -1, 1, 2}, .check_forward_ad = false}).passed);
}

TEST(Subgradcheck, ADomainEdgeIsCheckedFromTheInsideOnly) {
  const auto sqrt_of = [](const Tensor& x) { return x.sqrt(); };
  const SubgradcheckResult r = subgradcheck(sqrt_of, {.points = {0, 1e-9, 1e-6, 0.5, 1, 4}, .domain_edge = 0});
  EXPECT_TRUE(r.passed) << r;
  ASSERT_FALSE(r.kinks.empty());
  EXPECT_EQ(r.kinks.front().kind, "domain edge");
  EXPECT_EQ(r.kinks.front().right_numeric, INFINITY);
  EXPECT_TRUE(std::isnan(r.kinks.front().left_numeric));
}

TEST(Subgradcheck, ChecksForwardModeToo) {
  // x^3 with a right backward and a forward-mode rule of 2 x^2 instead of 3 x^2.
  const SubgradcheckResult r =
      subgradcheck([](const Tensor& x) { return testing::CubeWithWrongJvp::apply(x); }, {.points = {0.5, 2}});
  ASSERT_FALSE(r.passed);
  for (const DerivativeCheck& c : r.failures) EXPECT_EQ(c.mode, "forward mode");
}

TEST(Subgradcheck, AFunctionThatIsNotElementwiseIsRefused) {
  EXPECT_THROW(subgradcheck([](const Tensor& x) { return x.sum(); }, {.points = {1, 2}}), std::invalid_argument);
}

TEST(Subgradcheck, BadOptionsAreRefusedSayingWhich) {
  const auto relu = [](const Tensor& x) { return x.relu(); };
  expect_error<std::invalid_argument>([&] { subgradcheck(relu, {}); }, "no points and no kinks given");
  expect_error<std::invalid_argument>([&] { subgradcheck(relu, {.points = {1, NAN}}); }, "must be finite, got nan");
  expect_error<std::invalid_argument>([&] { subgradcheck(relu, {.points = {1}, .step = 0}); }, "got step 0");
  expect_error<std::invalid_argument>([&] { subgradcheck(relu, {.points = {1}, .rtol = -1}); }, "rtol -1");
}

}  // namespace
}  // namespace nabla
