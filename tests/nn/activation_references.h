#pragma once
// Long-double references for the built-in activations (f, f', f''), with the error each may
// have: the target, and the stated bounds where it is not met. One table, read by the tests
// that compare the library with it: the kernels' values and derivatives
// (activation_kernels_differential_test) and forward mode's tangents
// (activation_forward_mode_differential_test).
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nn/activations/activation.h"

namespace nabla::differential {

using LD = long double;

// --- the references ---------------------------------------------------------------------------
//
// Written in long double from stable forms (1 + tanh u = 2 / (1 + e^-2u) and so on), so the
// reference itself does not cancel where the kernel might. Kept apart from nabla's
// ops of the same names.
namespace ld {

inline LD sigmoid(LD x) { return 1 / (1 + std::exp(-x)); }
inline LD normal_cdf(LD x) { return std::erfc(-x / std::sqrt(2.0L)) / 2; }
inline LD normal_pdf(LD x) { return std::exp(-x * x / 2) / std::sqrt(2 * 3.14159265358979323846264338327950288L); }
inline LD clamp(LD x, LD lo, LD hi) { return std::isnan(x) ? x : std::min(std::max(x, lo), hi); }
inline LD sign(LD x) { return static_cast<LD>((x > 0) - (x < 0)); }

inline constexpr LD kSeluAlpha = 1.6732632423543772848170429916717L;
inline constexpr LD kSeluScale = 1.0507009873554804934193349852946L;
inline constexpr LD kGeluK = 0.79788456080286535587989211986876L;  // sqrt(2 / pi)
inline constexpr LD kGeluC = 0.044715L;

struct GeluTanhParts {
  LD t, plus, minus, du, d2u;  // tanh u, 1 + t, 1 - t, u', u''
  explicit GeluTanhParts(LD x) {
    const LD u = kGeluK * (x + kGeluC * x * x * x);
    t = std::tanh(u);
    plus = 2 / (1 + std::exp(-2 * u));
    minus = 2 / (1 + std::exp(2 * u));
    du = kGeluK * (1 + 3 * kGeluC * x * x);
    d2u = 6 * kGeluK * kGeluC * x;
  }
};

struct MishParts {
  LD t, sech2, s;  // tanh(softplus x), 1 - t^2, sigmoid x
  explicit MishParts(LD x) {
    const LD sp = x > 30 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
    t = std::tanh(sp);
    const LD e = std::exp(-2 * sp);
    sech2 = 4 * e / ((1 + e) * (1 + e));
    s = sigmoid(x);
  }
};

}  // namespace ld

// Target: within 4 ulp of the correctly rounded value on [-20, 20] in both dtypes, relative to
// the value wherever it is representable. Two exceptions, each stated where it applies:
// - float32 values below 2^-100 are not compared: the formulas behind them pass through
//   intermediates below FLT_MIN (e^(2u), phi(x), e^-x), which the fast float32 exp flushes to 0
//   (PyTorch's float32 rounds them to a few bits). float64 compares every value, down to the
//   subnormals.
// - Near a zero crossing of f' or f'' (computed from the reference, below), a derivative made by
//   subtracting terms of about size `floor` is held to ulps of that floor: within
//   kCrossingRadius of the crossing only, everywhere else relative to the value.
inline constexpr double kActivationTolerance = 4;
inline constexpr double kNotComparedFloat32 = 0x1p-100;
inline constexpr double kProductTolerance = 6;
inline constexpr LD kCrossingRadius = 0.5;

// sigmoid's f' = q y^2 is a product of three rounded factors, in both dtypes (4.1 ulp).
inline constexpr double kSigmoidDfTolerance = 5;

// A stated bound where the target is not met, as a function of x: the check fails above it.
struct Bound {
  double (*ulps)(LD x, bool float32);
  const char* text;  // the bound and its reason, printed in the summary
};

// gelu_tanh(x) for x < 0 is x e^(2u) / (1 + e^(2u)) with u = k (x + c x^3): its condition number
// is |2u| (up to 600 at x = -20), so the half-ulp roundings of the few operations that form u
// (in PyTorch's formula too) cost up to 3 |2u| ulp of f. Exact u would need double-word
// arithmetic in the loop, about 20 more operations per element.
// The same holds for f' and f'' (e^(2u) is a factor of each; of f'' on both sides, through
// 1 - tanh^2 u).
inline double gelu_tanh_tail_bound(LD x, bool) {
  const LD two_u = 2 * 0.79788456080286535588L * (x + 0.044715L * x * x * x);
  return 6 + 3 * static_cast<double>(std::fabs(two_u));
}
// float64 only: silu's s (1 + x (1 - s)) and s (1 - s)(2 + x (1 - 2s)) and mish's t + x sech^2 s
// and its f'' still cancel, by a factor of up to 4, beyond the 0.5 neighbourhood of their zero
// crossings (silu f' 5.0 and f'' 9.9 ulp at |x| = 2.4-3.8; mish f' 9.0 at -1.9 and f'' 10.5 at
// 2.1). float32 evaluates the same formulas in double after its exp, and meets 4 ulp.
inline double silu_df_bound(LD, bool float32) { return float32 ? kActivationTolerance : 6.0; }
inline double silu_d2f_bound(LD, bool float32) { return float32 ? kActivationTolerance : 11.0; }
inline double mish_df_bound(LD, bool float32) { return float32 ? kActivationTolerance : 9.5; }
inline double mish_d2f_bound(LD, bool float32) { return float32 ? kActivationTolerance : 11.5; }
// gelu(x) = x Phi(x) in float32: Phi's erfc fit (scalar/fast_math.h) is good to 1.2e-7 relative,
// up to 2 ulp on top of the roundings of e^s, its correction and the products (6.1 ulp
// measured, at x = -9.97); float64 uses erfc in long double.
inline double gelu_f_bound(LD x, bool float32) { return float32 && x < 0 ? 7.0 : kActivationTolerance; }

struct Reference {
  LD (*f)(LD);
  LD (*df)(LD);
  LD (*d2f)(LD);
  double lo = -20, hi = 20;
  // The floors near zero crossings (see above): floor1 for f', floor2 for f''.
  double floor1 = 0, floor2 = 0;
  // f'' is a product of three or four rounded factors for these; 6 ulp, still far below
  // PyTorch's own float32 error at the same points (tests/nn/activation_accuracy_test.cpp).
  double d2f_tolerance = kActivationTolerance;
  double df_tolerance = kActivationTolerance;  // gelu's f' = Phi(x) + x phi(x) likewise
  // Stated bounds for f, f' and f'' where the target is not met (see Bound).
  std::array<std::optional<Bound>, 3> bounds = {};
};

// Conventions at kinks are PyTorch's (relu'(0) = 0, hardtanh'(+-1) = 0, hardswish'(3) = 1.5...).
inline const std::map<std::string, Reference>& references() {
  using namespace ld;
  static const std::map<std::string, Reference> table = {
      {"identity", {[](LD x) { return x; }, [](LD) -> LD { return 1; }, [](LD) -> LD { return 0; }}},
      {"relu", {[](LD x) { return x < 0 ? 0 : x; }, [](LD x) -> LD { return x > 0; }, [](LD) -> LD { return 0; }}},
      {"leaky_relu",
       {[](LD x) { return x > 0 ? x : 0.01L * x; }, [](LD x) { return x > 0 ? 1 : 0.01L; }, [](LD) -> LD { return 0; }}},
      {"prelu",
       {[](LD x) { return x > 0 ? x : 0.25L * x; }, [](LD x) { return x > 0 ? 1 : 0.25L; }, [](LD) -> LD { return 0; }}},
      {"elu",
       {[](LD x) { return x > 0 ? x : std::expm1(x); }, [](LD x) { return x > 0 ? 1 : std::exp(x); },
        [](LD x) { return x > 0 ? 0 : std::exp(x); }}},
      {"selu",
       {[](LD x) { return kSeluScale * (x > 0 ? x : kSeluAlpha * std::expm1(x)); },
        [](LD x) { return x > 0 ? kSeluScale : kSeluScale * kSeluAlpha * std::exp(x); },
        [](LD x) { return x > 0 ? 0 : kSeluScale * kSeluAlpha * std::exp(x); }}},
      {"celu",
       {[](LD x) { return x > 0 ? x : std::expm1(x); }, [](LD x) { return x > 0 ? 1 : std::exp(x); },
        [](LD x) { return x > 0 ? 0 : std::exp(x); }}},
      {"gelu",
       {[](LD x) { return x * normal_cdf(x); }, [](LD x) { return normal_cdf(x) + x * normal_pdf(x); },
        [](LD x) { return normal_pdf(x) * (2 - x * x); }, -20, 20, 0.25, 0.25, kProductTolerance, kProductTolerance,
        {Bound{gelu_f_bound, "4 ulp; float32 x < 0: 7 (erfc fit)"}}}},
      {"gelu_tanh",
       {[](LD x) { return x * GeluTanhParts(x).plus / 2; },
        [](LD x) {
          const GeluTanhParts p(x);
          return p.plus / 2 + x * p.plus * p.minus * p.du / 2;
        },
        [](LD x) {
          const GeluTanhParts p(x);
          const LD s = p.plus * p.minus;
          return s * p.du + x * s * (p.d2u - 2 * p.t * p.du * p.du) / 2;
        },
        -20, 20, 0.25, 0.25, kProductTolerance, kActivationTolerance,
        {Bound{gelu_tanh_tail_bound, "4 ulp; x < 0: 4 + 3|2u| (u's rounding)"},
         Bound{gelu_tanh_tail_bound, "4 ulp; x < 0: 4 + 3|2u|"}, Bound{gelu_tanh_tail_bound, "6 ulp; |x|: 6 + 3|2u|"}}}},
      {"silu",
       {[](LD x) { return x * sigmoid(x); }, [](LD x) { return sigmoid(x) * (1 + x * sigmoid(-x)); },
        [](LD x) { return sigmoid(x) * sigmoid(-x) * (2 - x * std::tanh(x / 2)); }, -20, 20, 0.25, 0.25,
        kActivationTolerance, kActivationTolerance,
        {std::nullopt, Bound{silu_df_bound, "4 ulp; float64: 6 (cancels)"}, Bound{silu_d2f_bound, "4 ulp; float64: 11"}}}},
      {"swish",
       {[](LD x) { return x * sigmoid(x); }, [](LD x) { return sigmoid(x) * (1 + x * sigmoid(-x)); },
        [](LD x) { return sigmoid(x) * sigmoid(-x) * (2 - x * std::tanh(x / 2)); }, -20, 20, 0.25, 0.25,
        kActivationTolerance, kActivationTolerance,
        {std::nullopt, Bound{silu_df_bound, "4 ulp; float64: 6 (cancels)"}, Bound{silu_d2f_bound, "4 ulp; float64: 11"}}}},
      {"mish",
       {[](LD x) { return x * MishParts(x).t; },
        [](LD x) {
          const MishParts p(x);
          return p.t + x * p.sech2 * p.s;
        },
        [](LD x) {
          const MishParts p(x);
          return p.sech2 * p.s * (2 + x * (1 - p.s - 2 * p.t * p.s));
        },
        -20, 20, 0.25, 0.25, kActivationTolerance, kActivationTolerance,
        {std::nullopt, Bound{mish_df_bound, "4 ulp; float64: 9.5 (cancels)"}, Bound{mish_d2f_bound, "4 ulp; float64: 11.5"}}}},
      {"softplus",
       {[](LD x) { return std::log1p(std::exp(x)); }, [](LD x) { return sigmoid(x); },
        [](LD x) { return sigmoid(x) * sigmoid(-x); }, -20, 20, 0, 0.25}},
      {"softsign",
       {[](LD x) { return x / (1 + std::fabs(x)); }, [](LD x) { return 1 / ((1 + std::fabs(x)) * (1 + std::fabs(x))); },
        [](LD x) { return -2 * sign(x) / std::pow(1 + std::fabs(x), 3); }, -20, 20, 0, 0}},
      {"sigmoid",
       {[](LD x) { return sigmoid(x); }, [](LD x) { return sigmoid(x) * sigmoid(-x); },
        [](LD x) { return -sigmoid(x) * sigmoid(-x) * std::tanh(x / 2); }, -20, 20, 0.25, 0.25, kActivationTolerance, kSigmoidDfTolerance}},
      {"hard_sigmoid",
       {[](LD x) { return clamp(x / 6 + 0.5L, 0, 1); }, [](LD x) -> LD { return x > -3 && x < 3 ? 1.0L / 6 : 0; },
        [](LD) -> LD { return 0; }}},
      {"log_sigmoid",
       {[](LD x) { return -std::log1p(std::exp(-x)); }, [](LD x) { return sigmoid(-x); },
        [](LD x) { return -sigmoid(x) * sigmoid(-x); }, -20, 20, 0, 0.25}},
      {"tanh",
       {[](LD x) { return std::tanh(x); }, [](LD x) { return 1 / (std::cosh(x) * std::cosh(x)); },
        [](LD x) { return -2 * std::tanh(x) / (std::cosh(x) * std::cosh(x)); }, -20, 20, 1, 1}},
      {"hardtanh",
       {[](LD x) { return clamp(x, -1, 1); }, [](LD x) -> LD { return x > -1 && x < 1; }, [](LD) -> LD { return 0; }}},
      {"relu6",
       {[](LD x) { return clamp(x, 0, 6); }, [](LD x) -> LD { return x > 0 && x < 6; }, [](LD) -> LD { return 0; }}},
      {"hardswish",
       {[](LD x) { return x * clamp(x + 3, 0, 6) / 6; },
        [](LD x) -> LD { return x < -3 ? 0 : (x <= 3 ? x / 3 + 0.5L : 1); },
        [](LD x) -> LD { return x > -3 && x < 3 ? 1.0L / 3 : 0; }, -20, 20, 0.5, 0}},
      {"square", {[](LD x) { return x * x; }, [](LD x) { return 2 * x; }, [](LD) -> LD { return 2; }}},
      {"sqrt",
       {[](LD x) { return std::sqrt(x); }, [](LD x) { return 0.5L / std::sqrt(x); },
        [](LD x) { return -0.25L / (x * std::sqrt(x)); }, 0, 20}},
      {"log",
       {[](LD x) { return std::log(x); }, [](LD x) { return 1 / x; }, [](LD x) { return -1 / (x * x); }, 0, 20}},
      {"signed_sqrt",
       {[](LD x) { return std::copysign(std::sqrt(std::fabs(x)), x); }, [](LD x) { return 0.5L / std::sqrt(std::fabs(x)); },
        [](LD x) { return -std::copysign(0.25L, x) / (std::fabs(x) * std::sqrt(std::fabs(x))); }}},
  };
  return table;
}

// The built-in activations, in table order: those the references above cover.
inline std::vector<std::string> builtin_activation_names() {
  std::vector<std::string> names;
  for (const std::string& name : activation_names()) {
    if (activation(name).builtin) names.push_back(name);
  }
  return names;
}

}  // namespace nabla::differential
