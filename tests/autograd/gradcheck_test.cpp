#include "autograd/gradcheck.h"

#include <gtest/gtest.h>

#include <sstream>

#include "autograd/autograd.h"
#include "tests/autograd/cube_function.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using autograd::AutogradContext;
using testing::BuggyCube;
using testing::random_leaf;

// Right on the sum, wrong element by element: gradients of a reversed vector returned in
// the original order. A check through sum(f) alone would pass it.
struct BuggyReverse : autograd::Function<BuggyReverse> {
  static Tensor forward(AutogradContext*, const Tensor& x) {
    std::vector<int64_t> reversed;
    for (int64_t i = x.numel() - 1; i >= 0; --i) reversed.push_back(i);
    return index_select(x, 0, reversed) * tensor({1.0, 2.0, 3.0}, kFloat64);
  }
  static TensorList backward(AutogradContext*, const TensorList& g) { return {g[0] * tensor({1.0, 2.0, 3.0}, kFloat64)}; }
};

// Claims a zero derivative for a function that has one.
struct ZeroBackward : autograd::Function<ZeroBackward> {
  static Tensor forward(AutogradContext*, const Tensor& x) { return x * 0.0; }
  static TensorList backward(AutogradContext*, const TensorList& g) { return {zeros_like(g[0])}; }
};

TEST(Gradcheck, PassesACorrectGradient) {
  const GradcheckResult r = gradcheck([](const Tensor& x) { return (x * x).sum(); }, random_leaf({5}, 1));
  EXPECT_TRUE(r.passed);
  EXPECT_LT(r.max_abs_error, 1e-6);
}

TEST(Gradcheck, FailsAWrongBackwardAndSaysWhere) {
  const Tensor x = tensor({0.5, -1.0, 2.0}, kFloat64).requires_grad_();
  const GradcheckResult r = gradcheck([](const Tensor& t) { return BuggyCube::apply(t); }, x);
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.input_index, 0);
  EXPECT_EQ(r.element_index, 2);  // the largest |x| has the largest error: 3*4 vs 2*4
  EXPECT_NEAR(r.numeric, 12.0, 1e-4);
  EXPECT_NEAR(r.analytic, 8.0, 1e-12);
  std::ostringstream s;
  s << r;
  EXPECT_NE(s.str().find("FAILED"), std::string::npos);
  EXPECT_NE(s.str().find("analytic 8 vs numeric 12"), std::string::npos) << s.str();
}

TEST(Gradcheck, AReportSaysWhichDerivativeItChecked) {
  const Tensor x = random_leaf({3}, 4);
  std::ostringstream first, second;
  first << gradcheck([](const Tensor& t) { return (t * t * t).sum(); }, x);
  second << gradgradcheck([](const Tensor& t) { return (t * t * t).sum(); }, x);
  EXPECT_EQ(first.str().rfind("gradcheck PASSED: ", 0), 0u) << first.str();
  EXPECT_EQ(second.str().rfind("gradgradcheck PASSED: ", 0), 0u) << second.str();
}

TEST(Gradcheck, ChecksTheFullJacobianNotOnlyItsSum) {
  const GradcheckResult r = gradcheck([](const Tensor& t) { return BuggyReverse::apply(t); }, random_leaf({3}, 2));
  EXPECT_FALSE(r.passed) << r;
  const GradcheckResult through_sum =
      gradcheck([](const Tensor& t) { return BuggyReverse::apply(t).sum(); }, random_leaf({3}, 2));
  EXPECT_FALSE(through_sum.passed);  // here the wrong order shows up too, as weights 1,2,3 vs 3,2,1
}

TEST(Gradcheck, RefusesToPassWhenBothGradientsAreZero) {
  const GradcheckResult r = gradcheck([](const Tensor& t) { return ZeroBackward::apply(t); }, random_leaf({3}, 3));
  EXPECT_FALSE(r.passed);
  EXPECT_NE(r.message.find("both gradients are zero"), std::string::npos);
  const GradcheckResult told = gradcheck([](const Tensor& t) { return ZeroBackward::apply(t); }, random_leaf({3}, 3),
                                         {.expect_zero_gradient = true});
  EXPECT_TRUE(told.passed);
}

TEST(Gradcheck, ChecksInFloat64EvenForFloat32Inputs) {
  const Tensor x = random_leaf({4}, 4).detach().to(kFloat32).requires_grad_();
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return t.exp(); }, x).passed);
}

TEST(Gradcheck, ANaNOnOneSideOnlyFails) {
  // sqrt'(0) is infinite analytically, finite differences see NaN on the left.
  const Tensor x = tensor({0.0}, kFloat64).requires_grad_();
  EXPECT_FALSE(gradcheck([](const Tensor& t) { return t.sqrt(); }, x).passed);
}

TEST(Gradcheck, ToleranceOptionsAreHonoured) {
  const Tensor x = tensor({1.0}, kFloat64).requires_grad_();
  // BuggyCube at x=1: analytic 2, numeric 3; a tolerance of 2 lets it through.
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return BuggyCube::apply(t); }, x, {.atol = 2.0}).passed);
}

// 2x, with a wrong derivative (3 instead of 2).
struct BuggyDouble : autograd::Function<BuggyDouble> {
  static Tensor forward(AutogradContext*, const Tensor& x) { return x * 2.0; }
  static TensorList backward(AutogradContext*, const TensorList& g) { return {g[0] * 3.0}; }
};

// x^2 with a right first derivative (2x) computed by an op whose own derivative is wrong.
struct SquareWithBuggySecondDerivative : autograd::Function<SquareWithBuggySecondDerivative> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x) {
    ctx->save_for_backward({x});
    return x * x;
  }
  static TensorList backward(AutogradContext* ctx, const TensorList& g) {
    return {g[0] * BuggyDouble::apply(ctx->get_saved_variables()[0])};
  }
};

TEST(Gradgradcheck, FailsAWrongSecondDerivative) {
  const auto f = [](const Tensor& t) { return SquareWithBuggySecondDerivative::apply(t); };
  EXPECT_TRUE(gradcheck(f, random_leaf({3}, 5)).passed);
  EXPECT_FALSE(gradgradcheck(f, random_leaf({3}, 5)).passed);
}

TEST(Gradgradcheck, PassesACorrectSecondDerivative) {
  const GradcheckResult r = gradgradcheck([](const Tensor& t) { return (t.exp() * t).sum(); }, random_leaf({3}, 6));
  EXPECT_TRUE(r.passed) << r;
}

}  // namespace
}  // namespace nabla
