#include <gtest/gtest.h>

#include <cmath>

#include "nn/nn.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;

const Activation& composite_softsign() {
  static const Activation& row = register_activation(
      {.name = "test_composite_softsign", .formula = "x / (1 + |x|)", .apply = [](const Tensor& x) {
         return x / (abs(x) + 1.0);
       }});
  return row;
}

const Activation& pair_signed_sqrt() {
  static const Activation& row = register_activation(elementwise_activation(
      {.name = "test_pair_signed_sqrt", .formula = "sign(x) sqrt(|x|)", .kinks = {0}},
      [](double x) { return std::copysign(std::sqrt(std::abs(x)), x); },
      [](double x) { return 0.5 / std::sqrt(std::abs(x)); }));
  return row;
}

TEST(CustomActivation, CompositeIsDifferentiatedByAutograd) {
  const Activation& a = composite_softsign();
  const Tensor x = tensor({-2.0, -0.5, 0.7, 3.0}, kFloat64).requires_grad_();
  EXPECT_TRUE(gradcheck(a.apply, x).passed);
  EXPECT_TRUE(gradgradcheck(a.apply, x).passed);
  testing::expect_tensors_near(a(x.detach()), softsign(x.detach()), 1e-15);
}

TEST(CustomActivation, ElementwisePairMatchesTheBuiltIn) {
  const Activation& a = pair_signed_sqrt();
  const Tensor x = tensor({-4.0, -0.25, 0.09, 9.0}, kFloat64).requires_grad_();
  const GradcheckResult r = gradcheck(a.apply, x);
  EXPECT_TRUE(r.passed) << r;
  testing::expect_tensors_near(a(x.detach()), signed_sqrt(x.detach()), 1e-15);
  EXPECT_FALSE(a.twice_differentiable);
  EXPECT_EQ(a(x).grad_fn()->name(), "test_pair_signed_sqrt");
}

TEST(CustomActivation, RegisteredNamesWorkLikeBuiltIns) {
  pair_signed_sqrt();
  EXPECT_TRUE(has_activation("test_pair_signed_sqrt"));
  const auto names = activation_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "test_pair_signed_sqrt"), names.end());
  EXPECT_EQ(apply_activation("test_pair_signed_sqrt", full({1}, 4.0)).item(), 2.0);
}

TEST(CustomActivation, AWrongDerivativeFailsGradcheck) {
  const Activation wrong = elementwise_activation(
      {.name = "wrong_signed_sqrt"}, [](double x) { return std::copysign(std::sqrt(std::abs(x)), x); },
      [](double x) { return 1.0 / std::sqrt(std::abs(x)); });  // forgot the 1/2
  const GradcheckResult r = gradcheck(wrong.apply, tensor({1.0, 4.0}, kFloat64).requires_grad_());
  EXPECT_FALSE(r.passed);
  EXPECT_NEAR(r.analytic, 1.0, 1e-12);  // at x = 1: 1 claimed, 0.5 true
  EXPECT_NEAR(r.numeric, 0.5, 1e-6);
}

TEST(CustomActivation, SecondDerivativeWhenGiven) {
  const Activation cube = elementwise_activation(
      {.name = "cube"}, [](double x) { return x * x * x; }, [](double x) { return 3 * x * x; },
      [](double x) { return 6 * x; });
  EXPECT_TRUE(cube.twice_differentiable);
  EXPECT_TRUE(gradgradcheck(cube.apply, tensor({-1.5, 0.5, 2.0}, kFloat64).requires_grad_()).passed);
}

TEST(CustomActivation, SecondDerivativeRefusedWhenNotGiven) {
  const Activation& a = pair_signed_sqrt();
  Tensor x = full({1}, 4.0, kFloat64).requires_grad_();
  const Tensor dy = autograd::grad({a(x)}, {x}, {}, true, true)[0];
  expect_error<AutogradError>([&] { autograd::grad({dy}, {x}); }, "no second derivative was given");
}

TEST(CustomActivation, NamesCannotBeTakenTwice) {
  expect_error<std::invalid_argument>(
      [] { register_activation({.name = "relu", .apply = [](const Tensor& x) { return x; }}); }, "already taken");
  expect_error<std::invalid_argument>([] { register_activation({.name = "no_function"}); }, "has no function");
}

}  // namespace
}  // namespace nabla
