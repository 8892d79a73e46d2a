// f, f' and f'' of every built-in activation at -inf, +inf and NaN, in float32 and float64,
// against the mathematical limit, or PyTorch 1.13's value where that differs (marked below;
// tests/nn/activation_special_values_torch.py prints PyTorch's):
//   PyTorch gives NaN where its formula meets inf * 0 or inf / inf: gelu, gelu_tanh, silu and
//   mish at -inf (limit 0), the f' of silu, gelu and gelu_tanh at +-inf and mish's at -inf,
//   softsign at +-inf (limit +-1) and hardswish at -inf. nabla gives the same NaN there, so that
//   a model moved between the two does not change its behaviour at infinity. Everywhere else the
//   value is the limit (the f'' of gelu and gelu_tanh too, where PyTorch's is NaN).
// A NaN input gives NaN through every smooth activation, f, f' and f''; the piecewise ones
// select a branch for the derivative (NaN > 0 is false), as PyTorch's do.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "nn/activations/activation.h"
#include "tests/nn/activation_values.h"

namespace nabla {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// {f, f', f''}, each at {-inf, +inf, NaN}.
using Expected = std::array<std::array<double, 3>, 3>;

const std::map<std::string, Expected>& expected_values() {
  constexpr double kSeluScale = 1.0507009873554804934, kSeluAlpha = 1.6732632423543772848;
  static const std::map<std::string, Expected> table = {
      {"identity", {{{-kInf, kInf, kNaN}, {1, 1, 1}, {0, 0, 0}}}},
      {"relu", {{{0, kInf, kNaN}, {0, 1, 0}, {0, 0, 0}}}},
      {"leaky_relu", {{{-kInf, kInf, kNaN}, {0.01, 1, 0.01}, {0, 0, 0}}}},
      {"prelu", {{{-kInf, kInf, kNaN}, {0.25, 1, 0.25}, {0, 0, 0}}}},
      {"elu", {{{-1, kInf, kNaN}, {0, 1, kNaN}, {0, 0, kNaN}}}},
      {"selu", {{{-kSeluScale * kSeluAlpha, kInf, kNaN}, {0, kSeluScale, kNaN}, {0, 0, kNaN}}}},
      {"celu", {{{-1, kInf, kNaN}, {0, 1, kNaN}, {0, 0, kNaN}}}},
      {"gelu", {{{kNaN, kInf, kNaN}, {kNaN, kNaN, kNaN}, {0, 0, kNaN}}}},              // PyTorch's f(-inf), f'(+-inf)
      {"gelu_tanh", {{{kNaN, kInf, kNaN}, {kNaN, kNaN, kNaN}, {0, 0, kNaN}}}},         // PyTorch's f(-inf), f'(+-inf)
      {"silu", {{{kNaN, kInf, kNaN}, {kNaN, kNaN, kNaN}, {kNaN, kNaN, kNaN}}}},        // PyTorch's
      {"swish", {{{kNaN, kInf, kNaN}, {kNaN, kNaN, kNaN}, {kNaN, kNaN, kNaN}}}},       // PyTorch's
      {"mish", {{{kNaN, kInf, kNaN}, {kNaN, 1, kNaN}, {kNaN, 0, kNaN}}}},              // PyTorch's at -inf
      {"softplus", {{{0, kInf, kNaN}, {0, 1, kNaN}, {0, 0, kNaN}}}},
      {"softsign", {{{kNaN, kNaN, kNaN}, {0, 0, kNaN}, {0, 0, kNaN}}}},                // PyTorch's f
      {"sigmoid", {{{0, 1, kNaN}, {0, 0, kNaN}, {0, 0, kNaN}}}},
      {"hard_sigmoid", {{{0, 1, kNaN}, {0, 0, 0}, {0, 0, 0}}}},
      {"log_sigmoid", {{{-kInf, 0, kNaN}, {1, 0, kNaN}, {0, 0, kNaN}}}},
      {"tanh", {{{-1, 1, kNaN}, {0, 0, kNaN}, {0, 0, kNaN}}}},
      {"hardtanh", {{{-1, 1, kNaN}, {0, 0, 0}, {0, 0, 0}}}},
      {"relu6", {{{0, 6, kNaN}, {0, 0, 0}, {0, 0, 0}}}},
      {"hardswish", {{{kNaN, kInf, kNaN}, {0, 1, 1}, {0, 0, 0}}}},                     // PyTorch's f(-inf)
      {"square", {{{kInf, kInf, kNaN}, {-kInf, kInf, kNaN}, {2, 2, 2}}}},
      {"sqrt", {{{kNaN, kInf, kNaN}, {kNaN, 0, kNaN}, {kNaN, 0, kNaN}}}},             // outside the domain: NaN
      {"log", {{{kNaN, kInf, kNaN}, {0, 0, kNaN}, {0, 0, kNaN}}}},
      {"signed_sqrt", {{{-kInf, kInf, kNaN}, {0, 0, kNaN}, {0, 0, kNaN}}}},
  };
  return table;
}

bool matches(double got, double expected, bool float32) {
  if (std::isnan(expected)) return std::isnan(got);
  if (std::isinf(expected)) return got == expected;
  return std::fabs(got - expected) <= (float32 ? 1e-7 : 1e-16) * std::max(1.0, std::fabs(expected));
}

TEST(ActivationSpecialValues, InfinitiesAndNaNGiveTheLimitOrPyTorchsValueInFAndBothDerivatives) {
  for (const std::string& name : activation_names()) {
    const Activation& a = activation(name);
    if (!a.builtin) continue;
    const auto row = expected_values().find(name);
    ASSERT_NE(row, expected_values().end()) << "no expected values at +-inf and NaN for " << name << ": add a row";
    for (ScalarType t : {kFloat32, kFloat64}) {
      const std::array<std::vector<double>, 3> got = f_and_derivatives(a, tensor({-kInf, kInf, kNaN}, {3}, t));
      const char* order_name[3] = {"f", "f'", "f''"};
      const char* input_name[3] = {"-inf", "+inf", "NaN"};
      for (int order = 0; order < 3; ++order) {
        for (int i = 0; i < 3; ++i) {
          EXPECT_TRUE(matches(got[order][i], row->second[order][i], t == kFloat32))
              << name << " " << order_name[order] << "(" << input_name[i] << ") in " << to_string(t) << ": got "
              << got[order][i] << ", expected " << row->second[order][i];
        }
      }
    }
  }
}

// Far out but finite, the derivatives of the smooth activations are at their limits: 1 or 0 to
// working precision. (mish's f' once grew with x past its cap: 4e12 at x = 1e30.)
TEST(ActivationSpecialValues, LargeFiniteInputsGiveTheDerivativesLimits) {
  struct Case {
    const char* name;
    double df_right, df_left;  // f' at +1e30 and -1e30
  };
  const Case cases[] = {{"mish", 1, 0}, {"silu", 1, 0},     {"gelu", 1, 0},     {"gelu_tanh", 1, 0},
                        {"softplus", 1, 0}, {"sigmoid", 0, 0}, {"tanh", 0, 0},  {"log_sigmoid", 0, 1},
                        {"elu", 1, 0},  {"softsign", 0, 0}};
  for (const Case& c : cases) {
    for (ScalarType t : {kFloat32, kFloat64}) {
      const auto [f, df, d2f] = f_and_derivatives(activation(c.name), tensor({1e30, -1e30}, {2}, t));
      EXPECT_NEAR(df[0], c.df_right, 1e-7) << c.name << "'(1e30) in " << to_string(t);
      EXPECT_NEAR(df[1], c.df_left, 1e-7) << c.name << "'(-1e30) in " << to_string(t);
      for (double v : d2f) EXPECT_NEAR(v, 0.0, 1e-7) << c.name << "'' at +-1e30 in " << to_string(t);
    }
  }
}

}  // namespace
}  // namespace nabla
