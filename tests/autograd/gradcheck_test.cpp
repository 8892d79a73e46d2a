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
using testing::CubeWithWrongJvp;
using testing::away_from_zero;
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

TEST(Gradcheck, ANaNFromTheBranchWhereDidNotSelectIsExplained) {
  const Tensor x = tensor({-1.0, 2.0}, kFloat64).requires_grad_();
  const GradcheckResult r = gradcheck([](const Tensor& t) { return where(t > 0.0, t.sqrt(), zeros_like(t)); }, x);
  EXPECT_FALSE(r.passed);
  EXPECT_NE(r.message.find("the graph has a where()"), std::string::npos) << r;
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


TEST(Gradcheck, BadOptionsAreRefusedSayingWhich) {
  const auto square = [](const Tensor& t) { return t * t; };
  const Tensor x = random_leaf({2}, 1);
  testing::expect_error<std::invalid_argument>([&] { gradcheck(square, x, {.eps = 0}); }, "got eps 0");
  testing::expect_error<std::invalid_argument>([&] { gradcheck(square, x, {.eps = NAN}); }, "eps must be positive");
  testing::expect_error<std::invalid_argument>([&] { gradcheck(square, x, {.atol = -1}); }, "atol -1");
}

TEST(GradcheckForwardMode, PassesOpsWhoseForwardModeRulesAreRight) {
  const auto f = [](const TensorList& in) { return (in[0].tanh() * in[1] + in[0].exp() / in[1]).mm(in[2]); };
  const GradcheckResult r = gradcheck(f, {random_leaf({2, 3}, 1), away_from_zero({2, 3}, 2), random_leaf({3, 2}, 3)},
                                      {.check_forward_ad = true});
  EXPECT_TRUE(r.passed) << r;
}

TEST(GradcheckForwardMode, FailsAWrongForwardModeRuleAndSaysWhichModeAndWhere) {
  const Tensor x = tensor({0.5, -1.0, 2.0}, kFloat64).requires_grad_();
  const auto f = [](const Tensor& t) { return CubeWithWrongJvp::apply(t); };
  EXPECT_TRUE(gradcheck(f, x).passed);  // reverse mode alone cannot see it
  const GradcheckResult r = gradcheck(f, x, {.check_forward_ad = true});
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.mode, "forward mode");  // against finite differences, the larger error of the two
  EXPECT_EQ(r.element_index, 2);
  EXPECT_EQ(r.output_index, 2);
  EXPECT_NEAR(r.analytic, 8.0, 1e-12);
  EXPECT_NEAR(r.numeric, 12.0, 1e-4);
  std::ostringstream s;
  s << r;
  EXPECT_NE(s.str().find("worst (forward mode) at input 0 element 2 (x = 2), output 2: analytic 8 vs numeric 12"),
            std::string::npos)
      << s.str();
}

TEST(GradcheckForwardMode, AFunctionWithoutAForwardModeRuleFailsNamingIt) {
  const GradcheckResult r =
      gradcheck([](const Tensor& t) { return BuggyCube::apply(t); }, random_leaf({3}, 7), {.check_forward_ad = true});
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.mode, "forward mode");
  EXPECT_NE(r.message.find("BuggyCube: forward mode needs its rule"), std::string::npos) << r.message;
}

TEST(GradcheckForwardMode, GradgradcheckChecksForwardOverReverse) {
  const GradcheckResult r = gradgradcheck([](const Tensor& t) { return (t.exp() * t.sin()).sum(); },
                                          random_leaf({4}, 8), {.check_forward_ad = true});
  EXPECT_TRUE(r.passed) << r;
}

TEST(GradcheckFastMode, PassesWhatTheFullCheckPasses) {
  const auto f = [](const TensorList& in) { return (in[0].mm(in[1]) + in[2]).tanh(); };
  const TensorList inputs{random_leaf({3, 4}, 1), random_leaf({4, 5}, 2), random_leaf({5}, 3)};
  const GradcheckResult full = gradcheck(f, inputs, {.check_forward_ad = true});
  const GradcheckResult fast = gradcheck(f, inputs, {.check_forward_ad = true, .fast_mode = true});
  EXPECT_TRUE(full.passed) << full;
  EXPECT_TRUE(fast.passed) << fast;
  EXPECT_TRUE(fast.fast_mode);
}

TEST(GradcheckFastMode, CatchesAWrongBackwardAndTracesItToOneEntry) {
  const Tensor x = tensor({0.5, -1.0, 2.0, 1.5}, kFloat64).requires_grad_();
  for (uint64_t seed = 0; seed < 5; ++seed) {
    const GradcheckResult r =
        gradcheck([](const Tensor& t) { return BuggyCube::apply(t); }, x, {.fast_mode = true, .seed = seed});
    ASSERT_FALSE(r.passed) << "seed " << seed;
    EXPECT_EQ(r.mode, "reverse mode");
    ASSERT_GE(r.element_index, 0);
    // Traced to a diagonal entry (the Jacobian of an elementwise op has no other): 2 x^2 vs 3 x^2.
    EXPECT_EQ(r.output_index, r.element_index);
    EXPECT_NEAR(r.analytic, 2 * r.input_value * r.input_value, 1e-12);
    EXPECT_NEAR(r.numeric, 3 * r.input_value * r.input_value, 1e-6);
    EXPECT_NEAR(r.projected_numeric / r.projected_analytic, 1.5, 1e-6);  // 3 x^2 against 2 x^2 in every entry
  }
}

TEST(GradcheckFastMode, SeesAPermutedGradientThatASumWouldNot) {
  const GradcheckResult r = gradcheck([](const Tensor& t) { return BuggyReverse::apply(t); }, random_leaf({3}, 2),
                                      {.fast_mode = true});
  EXPECT_FALSE(r.passed) << r;
  // J has 1, 2, 3 on its anti-diagonal, the backward says 1, 2, 3 on the diagonal: the traced
  // entry is one where they differ (not the centre, where both say 2).
  EXPECT_FALSE(r.element_index == 1 && r.output_index == 1) << r;
  EXPECT_GE(std::abs(r.analytic - r.numeric), 1.0 - 1e-6) << r;
}

TEST(GradcheckFastMode, CatchesAWrongForwardModeRuleAndNamesTheMode) {
  const GradcheckResult r = gradcheck([](const Tensor& t) { return CubeWithWrongJvp::apply(t); },
                                      away_from_zero({6}, 9), {.check_forward_ad = true, .fast_mode = true});
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.mode, "forward mode");
  EXPECT_EQ(r.output_index, r.element_index);
  EXPECT_NEAR(r.analytic, 2 * r.input_value * r.input_value, 1e-12);
  std::ostringstream s;
  s << r;
  EXPECT_NE(s.str().find("fast mode, forward mode: v^T J u for input 0"), std::string::npos) << s.str();
  EXPECT_NE(s.str().find("traced to input 0 element"), std::string::npos) << s.str();
}

// Tour step 3's slip, sigmoid's backward written as s instead of s (1 - s), inside a
// 784-256-10 network: fast mode checks its 200 000 weights in a few passes and still sees it.
template <bool kRight>
struct HandWrittenSigmoid : autograd::Function<HandWrittenSigmoid<kRight>> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x) {
    Tensor s = 1.0 / (exp(-x) + 1.0);
    ctx->save_for_backward({s});
    return s;
  }
  // sigmoid' = s (1 - s)
  static TensorList backward(AutogradContext* ctx, const TensorList& g) {
    const Tensor s = ctx->get_saved_variables()[0];
    return {kRight ? g[0] * s * (1.0 - s) : g[0] * s};
  }
};

template <bool kRight>
GradcheckResult check_mlp_784_256_10() {
  const Tensor images = random_leaf({4, 784}, 11, 0.3).detach();
  const TensorList parameters{random_leaf({256, 784}, 12, 0.05), random_leaf({256}, 13, 0.1),
                              random_leaf({10, 256}, 14, 0.1), random_leaf({10}, 15, 0.1)};
  const auto mlp = [images](const TensorList& p) {
    const Tensor hidden = HandWrittenSigmoid<kRight>::apply(linear(images, p[0], p[1]));
    return linear(hidden, p[2], p[3]);
  };
  return gradcheck(mlp, parameters, {.fast_mode = true});
}

TEST(GradcheckFastMode, CatchesTheWrongSigmoidBackwardInA784x256x10Network) {
  const GradcheckResult right = check_mlp_784_256_10<true>();
  EXPECT_TRUE(right.passed) << right;
  const GradcheckResult wrong = check_mlp_784_256_10<false>();
  ASSERT_FALSE(wrong.passed) << wrong;
  EXPECT_LE(wrong.input_index, 1);  // the first layer's weight or bias: the sigmoid's backward feeds them
  EXPECT_GE(wrong.element_index, 0);
  EXPECT_GE(wrong.output_index, 0);
  EXPECT_GT(std::abs(wrong.analytic - wrong.numeric), 1e-3 * std::abs(wrong.numeric)) << wrong;
}

}  // namespace
}  // namespace nabla
