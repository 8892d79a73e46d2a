// Every activation in the table, checked the same way: the tests read the table, so a new
// row (built-in or custom) is checked without writing a new test.
#include <gtest/gtest.h>

#include <cmath>

#include "nn/nn.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;

// Points of [-8, 8] (and far out, where naive formulas overflow) inside the activation's
// domain, at least `margin` from every kink.
Tensor sample_points(const Activation& a, double margin = 0.01) {
  std::vector<double> xs;
  for (int i = 0; i <= 800; ++i) xs.push_back(-8.0 + 0.02 * i + 0.003);
  for (double far : {30.0, 100.0}) {
    xs.push_back(far);
    xs.push_back(-far);
  }
  std::vector<double> kept;
  for (double x : xs) {
    bool ok = a.domain == Domain::AllReals || (a.domain == Domain::NonNegative ? x >= 0 : x > 0);
    for (double k : a.kinks) ok = ok && std::abs(x - k) > margin;
    if (a.domain != Domain::AllReals) ok = ok && std::abs(x - a.domain_edge()) > margin;
    if (ok) kept.push_back(x);
  }
  return tensor(kept, {static_cast<int64_t>(kept.size())}, kFloat64).requires_grad_();
}

class EveryActivation : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryActivation, GradientMatchesFiniteDifferencesAcrossTheLine) {
  const Activation& a = activation(GetParam());
  Tensor x = sample_points(a);
  // Far from zero sqrt and log have tiny derivatives: compare with a relative tolerance.
  const GradcheckResult r = gradcheck(a.apply, x, {.atol = 1e-6, .rtol = 1e-4});
  EXPECT_TRUE(r.passed) << a.name << "\n" << r;
}

TEST_P(EveryActivation, SecondDerivativeMatchesFiniteDifferences) {
  const Activation& a = activation(GetParam());
  EXPECT_TRUE(a.twice_differentiable) << "every built-in's f'' flows through the engine";
  if (a.piecewise_linear || a.name == "identity") {
    // Linear, or linear piece by piece: f'' is zero wherever it exists, and the engine must say so.
    const GradcheckResult r = gradgradcheck(a.apply, sample_points(a, 0.05), {.expect_zero_gradient = true});
    EXPECT_TRUE(r.passed) << a.name << "\n" << r;
    return;
  }
  // f'' jumps at kinks and at 0 for the piecewise ones (elu, celu, softsign): keep away.
  Activation around = a;
  around.kinks.push_back(0);
  const GradcheckResult r = gradgradcheck(a.apply, sample_points(around, 0.05), {.atol = 1e-5, .rtol = 1e-3});
  EXPECT_TRUE(r.passed) << a.name << "\n" << r;
}

TEST_P(EveryActivation, Float32AgreesWithFloat64) {
  const Activation& a = activation(GetParam());
  const Tensor x64 = sample_points(a).detach();
  const std::vector<double> exact = a(x64).to_vector();
  const std::vector<double> fast = a(x64.to(kFloat32)).to_vector();
  for (size_t i = 0; i < exact.size(); ++i) {
    EXPECT_NEAR(fast[i], exact[i], 2e-6 * std::max(1.0, std::abs(exact[i])))
        << a.name << " at x = " << x64.data_ptr<double>()[i];
  }
}

TEST_P(EveryActivation, Float32GradientAgreesWithFloat64) {
  const Activation& a = activation(GetParam());
  const Tensor x64 = sample_points(a).detach();
  auto derivative = [&](const Tensor& x) {
    Tensor leaf = x.clone().requires_grad_();
    a(leaf).backward(ones_like(leaf));
    return leaf.grad().to_vector();
  };
  const std::vector<double> exact = derivative(x64), fast = derivative(x64.to(kFloat32));
  for (size_t i = 0; i < exact.size(); ++i) {
    EXPECT_NEAR(fast[i], exact[i], 2e-6 * std::max(1.0, std::abs(exact[i])))
        << a.name << " at x = " << x64.data_ptr<double>()[i];
  }
}

// PyTorch's values (1.13, float32 and float64): gelu(inf) = inf, gelu(1e30) = 1e30,
// gelu(-1e30) = 0, gelu(-inf) = NaN (-inf times 0). The float32 Phi once gave NaN at inf.
TEST(Gelu, InfinitiesAndHugeValuesGivePyTorchsLimits) {
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    const std::vector<double> y = gelu(tensor({INFINITY, 1e30, -1e30, -INFINITY}, dtype)).to_vector();
    EXPECT_EQ(y[0], INFINITY) << to_string(dtype);
    EXPECT_EQ(y[1], static_cast<double>(dtype == kFloat32 ? 1e30f : 1e30)) << to_string(dtype);
    EXPECT_EQ(y[2], 0.0) << to_string(dtype);
    EXPECT_TRUE(std::isnan(y[3])) << to_string(dtype);
  }
}

TEST_P(EveryActivation, NaNInNaNOut) {
  const Activation& a = activation(GetParam());
  for (ScalarType t : {kFloat32, kFloat64}) {
    EXPECT_TRUE(std::isnan(a(full({1}, NAN, t)).item())) << a.name << " " << to_string(t);
  }
}

INSTANTIATE_TEST_SUITE_P(Table, EveryActivation, ::testing::ValuesIn(activation_names()),
                         [](const auto& info) { return info.param; });

// d/dx at each kink, as PyTorch 1.13 computes it (see bench/kink_conventions.py).
TEST(Activations, DerivativeAtKinksFollowsPyTorch) {
  const std::vector<std::tuple<std::string, double, double>> conventions = {
      {"relu", 0, 0},       {"leaky_relu", 0, 0.01}, {"prelu", 0, 0.25},     {"hardtanh", -1, 0},
      {"hardtanh", 1, 0},   {"relu6", 0, 0},         {"relu6", 6, 0},        {"hard_sigmoid", -3, 0},
      {"hard_sigmoid", 3, 0}, {"hardswish", -3, -0.5}, {"hardswish", 3, 1.5}, {"elu", 0, 1},
      {"selu", 0, 1.7580993408473766}, {"celu", 0, 1}, {"softsign", 0, 1},
  };
  for (const auto& [name, x, expected] : conventions) {
    for (ScalarType t : {kFloat32, kFloat64}) {
      Tensor leaf = full({1}, x, t).requires_grad_();
      activation(name)(leaf).sum().backward();
      EXPECT_NEAR(leaf.grad().item(), expected, 1e-6) << name << "'(" << x << ") in " << to_string(t);
    }
  }
  Tensor zero = zeros({1}, kFloat64).requires_grad_();
  signed_sqrt(zero).sum().backward();
  EXPECT_TRUE(std::isinf(zero.grad().item())) << "signed_sqrt has an infinite slope at 0";
}

// f'' at 0 and at each kink, as PyTorch 1.13's double backward gives it (torch.autograd.grad
// with create_graph=True, float64). Where f' jumps (elu, celu, selu, softsign at 0) PyTorch
// takes f'' from the x > 0 side although f' takes the x <= 0 side; nabla follows it.
TEST(Activations, SecondDerivativeAtZeroAndKinksFollowsPyTorch) {
  const std::vector<std::tuple<std::string, double, double>> conventions = {
      {"relu", 0, 0},        {"leaky_relu", 0, 0},     {"prelu", 0, 0},           {"elu", 0, 0},
      {"selu", 0, 0},        {"celu", 0, 0},           {"gelu", 0, 0.7978845608028654},
      {"gelu_tanh", 0, 0.7978845608028654},            {"silu", 0, 0.5},          {"mish", 0, 0.64},
      {"softplus", 0, 0.25}, {"softsign", 0, 0},       {"sigmoid", 0, 0},         {"log_sigmoid", 0, -0.25},
      {"tanh", 0, 0},        {"hardtanh", -1, 0},      {"hardtanh", 1, 0},        {"relu6", 0, 0},
      {"relu6", 6, 0},       {"hardswish", -3, 0},     {"hardswish", 3, 0},       {"square", 0, 2},
      {"hard_sigmoid", -3, 0}, {"hard_sigmoid", 3, 0},  // PyTorch 1.13 has no double backward here
  };
  for (const auto& [name, x, expected] : conventions) {
    for (ScalarType t : {kFloat32, kFloat64}) {
      Tensor leaf = full({1}, x, t).requires_grad_();
      const Tensor dy = autograd::grad({activation(name)(leaf)}, {leaf}, {}, true, true)[0];
      const Tensor d2y = dy.requires_grad() ? autograd::grad({dy}, {leaf}, {}, true, false, true)[0] : Tensor();
      const double value = d2y.defined() ? d2y.item() : 0.0;
      EXPECT_NEAR(value, expected, 1e-6) << name << "''(" << x << ") in " << to_string(t);
    }
  }
}

// f' at 0 for the smooth ones, as PyTorch 1.13 gives it.
TEST(Activations, DerivativeAtZeroFollowsPyTorch) {
  const std::vector<std::pair<std::string, double>> slopes = {
      {"identity", 1}, {"gelu", 0.5},     {"gelu_tanh", 0.5}, {"silu", 0.5},  {"mish", 0.6},   {"softplus", 0.5},
      {"sigmoid", 0.25}, {"hard_sigmoid", 1.0 / 6}, {"log_sigmoid", 0.5}, {"tanh", 1}, {"hardtanh", 1},
      {"hardswish", 0.5}, {"square", 0},
  };
  for (const auto& [name, expected] : slopes) {
    for (ScalarType t : {kFloat32, kFloat64}) {
      Tensor leaf = zeros({1}, t).requires_grad_();
      activation(name)(leaf).sum().backward();
      EXPECT_NEAR(leaf.grad().item(), expected, 1e-7) << name << "'(0) in " << to_string(t);
    }
  }
}

// Where the naive formulas overflow: e^-x for sigmoid, e^x for softplus, ...
TEST(Activations, SaturatingActivationsStayFiniteAndAccurateFarOut) {
  const std::vector<double> xs = {-1e4, -1000, -100, -30, 30, 100, 1000, 1e4};
  struct Expected {
    const char* name;
    double (*f)(double);
    double (*df)(double);
  };
  const std::vector<Expected> cases = {
      {"sigmoid", [](double x) { return x > 0 ? 1.0 : 0.0; }, [](double) { return 0.0; }},
      {"tanh", [](double x) { return x > 0 ? 1.0 : -1.0; }, [](double) { return 0.0; }},
      {"softplus", [](double x) { return x > 0 ? x : 0.0; }, [](double x) { return x > 0 ? 1.0 : 0.0; }},
      {"log_sigmoid", [](double x) { return x > 0 ? 0.0 : x; }, [](double x) { return x > 0 ? 0.0 : 1.0; }},
      {"gelu", [](double x) { return x > 0 ? x : 0.0; }, [](double x) { return x > 0 ? 1.0 : 0.0; }},
      {"mish", [](double x) { return x > 0 ? x : 0.0; }, [](double x) { return x > 0 ? 1.0 : 0.0; }},
      {"silu", [](double x) { return x > 0 ? x : 0.0; }, [](double x) { return x > 0 ? 1.0 : 0.0; }},
  };
  for (const Expected& c : cases) {
    for (ScalarType t : {kFloat32, kFloat64}) {
      Tensor x = tensor(xs, {static_cast<int64_t>(xs.size())}, t).requires_grad_();
      const Tensor y = activation(c.name)(x);
      y.backward(ones_like(y));
      for (size_t i = 0; i < xs.size(); ++i) {
        const double f = y.to_vector()[i], df = x.grad().to_vector()[i];
        ASSERT_TRUE(std::isfinite(f) && std::isfinite(df)) << c.name << " at " << xs[i] << " in " << to_string(t);
        // |x| >= 30: the limit is exact to e^-30 |x| ~ 3e-12 or better, so within 1e-12 (float64)
        // or 1e-6 (float32, a few ulp) of max(1, |x|).
        const double tolerance = (t == kFloat64 ? 1e-12 : 1e-6) * std::max(1.0, std::abs(xs[i]));
        EXPECT_NEAR(f, c.f(xs[i]), tolerance) << c.name << " at " << xs[i] << " in " << to_string(t);
        EXPECT_NEAR(df, c.df(xs[i]), tolerance) << c.name << "' at " << xs[i] << " in " << to_string(t);
      }
    }
  }
}

TEST(Activations, PoorChoicesGiveNaNOutsideTheirDomain) {
  const Tensor negative = full({1}, -2.0, kFloat64);
  EXPECT_TRUE(std::isnan(activation("sqrt")(negative).item()));
  EXPECT_TRUE(std::isnan(activation("log")(negative).item()));
  EXPECT_TRUE(std::isinf(activation("log")(zeros({1}, kFloat64)).item()));
  EXPECT_EQ(activation("square")(negative).item(), activation("square")(-negative).item());
  EXPECT_EQ(activation("signed_sqrt")(negative).item(), -std::sqrt(2.0));
}

TEST(Activations, ValuesAtKnownPoints) {
  const Tensor x = tensor({-1.0, 0.0, 2.0}, kFloat64);
  testing::expect_values_near(relu(x), {0, 0, 2});
  testing::expect_values_near(sigmoid(x), {1 / (1 + std::exp(1.0)), 0.5, 1 / (1 + std::exp(-2.0))});
  testing::expect_values_near(gelu(x), {-0.15865525393145707, 0, 1.9544997361036416});
  testing::expect_values_near(gelu_tanh(x), {-0.15880800939172324, 0, 1.9545976940871322});
  testing::expect_values_near(mish(x), {-0.30340146137410895, 0, 1.9439589595339946});
  testing::expect_values_near(selu(x), {-1.1113307378125628, 0, 2.101401974710961});
  testing::expect_values_near(hardswish(x), {-0.3333333333333333, 0, 1.6666666666666667});
}

TEST(Activations, UnknownNamesListTheKnownOnes) {
  expect_error<std::invalid_argument>([] { activation("rleu"); }, "unknown activation 'rleu'; known: identity, relu");
}

// identity's backward hands the incoming gradient on without copying it; the output is still
// a copy, so writing into it leaves x alone, and gradients arriving at x by two paths add up.
TEST(Activations, IdentityPassesTheGradientOnAndCopiesTheValue) {
  Tensor x = tensor({-2.0, 3.0}, kFloat64).requires_grad_();
  Tensor y = identity(x);
  const Tensor seed = tensor({5.0, 7.0}, kFloat64);
  const Tensor gx = autograd::grad({y}, {x}, {seed}, true)[0];
  EXPECT_EQ(gx.to_vector(), (std::vector<double>{5.0, 7.0}));
  {
    NoGradGuard no_grad;
    y.mul_(10.0);
  }
  EXPECT_EQ(x.to_vector(), (std::vector<double>{-2.0, 3.0}));
  Tensor z = tensor({1.0, 1.0}, kFloat64).requires_grad_();
  (identity(z) + z * 2.0 + identity(z)).sum().backward();
  EXPECT_EQ(z.grad().to_vector(), (std::vector<double>{4.0, 4.0}));
  EXPECT_EQ(seed.to_vector(), (std::vector<double>{5.0, 7.0}));  // the seed itself untouched
  const GradcheckResult second = gradgradcheck([](const TensorList& in) { return identity(in[0]) * in[0]; }, {x});
  EXPECT_TRUE(second.passed) << second;
}

}  // namespace
}  // namespace nabla
