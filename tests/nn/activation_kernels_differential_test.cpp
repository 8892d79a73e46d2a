// The fused activation kernels (f, f' and f'' of every built-in activation), prelu, softmax,
// log_softmax and cross-entropy, against long-double references at every size that crosses
// a vector width, an unroll or the threading threshold (see tests/differential.h).
// The summary table of worst errors prints at the end:
//   ./build/tests/nn/nn_tests --gtest_filter='*Differential*'
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "nn/activations/activation.h"
#include "nn/activations/functions.h"
#include "nn/loss.h"
#include "tests/differential.h"

namespace nabla::differential {
namespace {

using LD = long double;

// --- the references ---------------------------------------------------------------------------
//
// Written in long double from stable forms (1 + tanh u = 2 / (1 + e^-2u) and so on), so the
// reference itself does not cancel where the kernel might.

LD sigmoid(LD x) { return 1 / (1 + std::exp(-x)); }
LD normal_cdf(LD x) { return std::erfc(-x / std::sqrt(2.0L)) / 2; }
LD normal_pdf(LD x) { return std::exp(-x * x / 2) / std::sqrt(2 * 3.14159265358979323846264338327950288L); }
LD clamp(LD x, LD lo, LD hi) { return std::isnan(x) ? x : std::min(std::max(x, lo), hi); }
LD sign(LD x) { return static_cast<LD>((x > 0) - (x < 0)); }

constexpr LD kSeluAlpha = 1.6732632423543772848170429916717L;
constexpr LD kSeluScale = 1.0507009873554804934193349852946L;
constexpr LD kGeluK = 0.79788456080286535587989211986876L;  // sqrt(2 / pi)
constexpr LD kGeluC = 0.044715L;

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

// Target: within 4 ulp of the correctly rounded value on [-20, 20] in both dtypes, relative to
// the value wherever it is representable. Two exceptions, each stated where it applies:
// - float32 values below 2^-100 are not compared: the formulas behind them pass through
//   intermediates below FLT_MIN (e^(2u), phi(x), e^-x), which the fast float32 exp flushes to 0
//   (PyTorch's float32 rounds them to a few bits). float64 compares every value, down to the
//   subnormals.
// - Near a zero crossing of f' or f'' (computed from the reference, below), a derivative made by
//   subtracting terms of about size `floor` is held to ulps of that floor: within
//   kCrossingRadius of the crossing only, everywhere else relative to the value.
constexpr double kActivationTolerance = 4;
constexpr double kNotComparedFloat32 = 0x1p-100;
constexpr double kProductTolerance = 6;
constexpr LD kCrossingRadius = 0.5;

// sigmoid's f' = q y^2 is a product of three rounded factors, in both dtypes (4.1 ulp).
constexpr double kSigmoidDfTolerance = 5;

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
double gelu_tanh_tail_bound(LD x, bool) {
  const LD two_u = 2 * 0.79788456080286535588L * (x + 0.044715L * x * x * x);
  return 6 + 3 * static_cast<double>(std::fabs(two_u));
}
// float64 only: silu's s (1 + x (1 - s)) and s (1 - s)(2 + x (1 - 2s)) and mish's t + x sech^2 s
// and its f'' still cancel, by a factor of up to 4, beyond the 0.5 neighbourhood of their zero
// crossings (silu f' 5.0 and f'' 9.9 ulp at |x| = 2.4-3.8; mish f' 9.0 at -1.9 and f'' 10.5 at
// 2.1). float32 evaluates the same formulas in double after its exp, and meets 4 ulp.
double silu_df_bound(LD, bool float32) { return float32 ? kActivationTolerance : 6.0; }
double silu_d2f_bound(LD, bool float32) { return float32 ? kActivationTolerance : 11.0; }
double mish_df_bound(LD, bool float32) { return float32 ? kActivationTolerance : 9.5; }
double mish_d2f_bound(LD, bool float32) { return float32 ? kActivationTolerance : 11.5; }
// gelu(x) = x Phi(x) in float32: Phi's erfc fit (scalar/fast_math.h) is good to 1.2e-7 relative,
// up to 2 ulp on top of the roundings of e^s, its correction and the products (6.1 ulp
// measured, at x = -9.97); float64 uses erfc in long double.
double gelu_f_bound(LD x, bool float32) { return float32 && x < 0 ? 7.0 : kActivationTolerance; }

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
const std::map<std::string, Reference>& references() {
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

template <class T> Tensor tensor_from(const T* values, const Shape& shape) {
  Tensor t = empty(shape, scalar_type_of<T>());
  std::copy(values, values + shape.numel(), t.data_ptr<T>());
  return t;
}

// The inputs repeat with period 65537 (a prime, so never in step with a vector width): the
// largest size then needs only 65537 reference values, yet every position is compared.
constexpr int64_t kPeriod = 65537;

template <class T> std::vector<T> periodic(const std::vector<T>& one_period) {
  std::vector<T> x(static_cast<size_t>(kLargestSize));
  for (int64_t i = 0; i < kLargestSize; ++i) x[i] = one_period[i % kPeriod];
  return x;
}

// Runs run(n, threads) at every size with several threads, then, when asked, the large sizes
// on one. (The fused activation kernels run inline below 2 grains, so 65537 already covers
// their single-threaded path.)
template <class Run> void for_each_size(Run&& run, int64_t smallest = 0, bool single_thread = false) {
  {
    ThreadCount threads(kThreads);
    for (int64_t n : sizes()) {
      if (n >= smallest) run(n, kThreads);
    }
  }
  if (!single_thread) return;
  ThreadCount one(1);
  for (int64_t n : sizes()) {
    if (n >= kSingleThreadFrom) run(n, 1);
  }
}

// --- every activation's f, f' and f'' ----------------------------------------------------------
//
// f and f' run as in training (forward, then a backward without create_graph); f' again and
// f'' through the recorded backward (create_graph), which is how second derivatives are taken.

std::vector<std::string> builtin_activation_names() {
  std::vector<std::string> names;
  for (const std::string& name : activation_names()) {
    if (activation(name).builtin) names.push_back(name);
  }
  return names;
}

class ActivationDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(ActivationDifferential, FAndItsDerivativesMatchLongDoubleReferenceAtEverySize) {
  const std::string name = GetParam().name;
  const auto found = references().find(name);
  ASSERT_NE(found, references().end()) << "no long-double reference for the activation " << name
                                       << ": add one to references() in this file";
  const Reference& ref = found->second;
  const Activation& act = activation(name);
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    std::vector<double> specials = {0.0, 1e-3, 1e-8, ref.hi, 0.5, 1.0, 3.0, 6.0, kNaN};
    if (ref.lo < 0) {
      for (double v : {-0.0, -1e-3, -1e-8, ref.lo, -0.5, -1.0, -3.0}) specials.push_back(v);
    }
    for (double d : denormals<T>()) {
      if (d > 0 || ref.lo < 0) specials.push_back(d);
    }
    for (double k : act.kinks) specials.push_back(k);
    const std::vector<T> x = periodic(mixed_inputs<T>(kPeriod, ref.lo, ref.hi, specials, 71));
    const bool float32 = sizeof(T) == 4;
    std::vector<LD> f(kPeriod), df(kPeriod), d2f(kPeriod);
    // Each element's tolerance for f, f' and f'': the check's own, or its stated bound at x.
    const double base[3] = {kActivationTolerance, ref.df_tolerance, ref.d2f_tolerance};
    std::vector<double> tolerance[3];
    for (int order = 0; order < 3; ++order) tolerance[order].assign(kPeriod, base[order]);
    for (int64_t i = 0; i < kPeriod; ++i) {
      f[i] = ref.f(x[i]);
      df[i] = ref.df(x[i]);
      d2f[i] = ref.d2f(x[i]);
      for (int order = 0; order < 3; ++order) {
        const std::optional<Bound>& bound = ref.bounds[order];
        if (bound && !std::isnan(x[i])) tolerance[order][i] = std::max(base[order], bound->ulps(x[i], float32));
      }
    }
    const std::vector<LD> df_zeros = zero_crossings(ref.df, ref.lo, ref.hi);
    const std::vector<LD> d2f_zeros = zero_crossings(ref.d2f, ref.lo, ref.hi);
    // f'' at a kink (or at the edge of the domain) is a convention (PyTorch's: 0 for elu, celu, selu and softsign at 0),
    // checked in activations_test.cpp; the one-sided formulas here are not compared there.
    auto at_kink = [&](T v) {
      if (v == T(0) && (name == "elu" || name == "celu" || name == "selu" || name == "softsign")) return true;
      for (double k : act.kinks) {
        if (v == T(k)) return true;
      }
      return act.domain != Domain::AllReals && v == T(act.domain_edge());  // log's and sqrt's 0
    };
    Check check_f(name + " f", dtype_name<T>(), kActivationTolerance);
    Check check_df(name + " f'", dtype_name<T>(), ref.df_tolerance);
    Check check_d2f(name + " f''", dtype_name<T>(), ref.d2f_tolerance);
    if (ref.bounds[0]) check_f.describe_tolerance(ref.bounds[0]->text);
    if (ref.bounds[1]) check_df.describe_tolerance(ref.bounds[1]->text);
    if (ref.bounds[2]) check_d2f.describe_tolerance(ref.bounds[2]->text);
    for_each_size([&](int64_t n, int threads) {
      const std::string context = std::to_string(threads) + (threads == 1 ? " thread" : " threads");
      check_f.set_context(context);
      check_df.set_context(context + ", backward");
      check_d2f.set_context(context);
      const Tensor input = tensor_from(x.data(), {n}).requires_grad_();
      const Tensor y = act(input);
      const Tensor d1 = autograd::grad({y}, {input}, {ones_like(y)})[0];
      const Tensor y2 = act(input);
      const Tensor d1_graph = autograd::grad({y2}, {input}, {ones_like(y2)}, std::nullopt, /*create_graph=*/true)[0];
      Tensor d2 = zeros_like(input);
      if (d1_graph.requires_grad()) {
        const Tensor g2 = autograd::grad({d1_graph}, {input}, {ones_like(d1_graph)}, std::nullopt, false,
                                         /*allow_unused=*/true)[0];
        if (g2.defined()) d2 = g2;
      }
      const T* pf = y.data_ptr<T>();
      const T* pd = d1.data_ptr<T>();
      const T* pdg = d1_graph.data_ptr<T>();
      const T* pd2 = d2.data_ptr<T>();
      for (int64_t i = 0; i < n; ++i) {
        const int64_t r = i % kPeriod;
        // Whether both the value and the result are too small to compare (float32 only).
        auto tiny = [&](T got, LD expected) {
          return float32 && std::fabs(static_cast<double>(got)) < kNotComparedFloat32 &&
                 std::fabs(static_cast<double>(expected)) < kNotComparedFloat32;
        };
        if (!tiny(pf[i], f[r])) check_f.compare<T>(n, i, pf[i], f[r], {x[i]}, 0, tolerance[0][r]);
        if (std::isnan(x[i])) continue;
        const LD floor1 = within(df_zeros, x[i], kCrossingRadius) ? ref.floor1 : 0;
        const LD floor2 = within(d2f_zeros, x[i], kCrossingRadius) ? ref.floor2 : 0;
        if (!tiny(pd[i], df[r])) check_df.compare<T>(n, i, pd[i], df[r], {x[i]}, floor1, tolerance[1][r]);
        if (!tiny(pdg[i], df[r])) check_df.compare<T>(n, i, pdg[i], df[r], {x[i]}, floor1, tolerance[1][r]);
        if (!at_kink(x[i]) && !tiny(pd2[i], d2f[r])) {
          check_d2f.compare<T>(n, i, pd2[i], d2f[r], {x[i]}, floor2, tolerance[2][r]);
        }
      }
    });
    verdict.add(check_f);
    verdict.add(check_df);
    verdict.add(check_d2f);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Activations, ActivationDifferential,
                         ::testing::ValuesIn(both_dtypes(builtin_activation_names())), param_name);

// --- prelu: forward and both parts of its backward -----------------------------------------------
//
// d/dx = g or g a; d/da = sum of g x over x <= 0, a reduction: within max(1, m) ulp of
// sum |g x| in float64 (m products and m additions, each half an ulp), 2 ulp in float32
// (float products, a double sum, one last rounding).

class PreluDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(PreluDifferential, ForwardAndBothBackwardsMatchLongDoubleReference) {
  const bool create_graph = GetParam().name == "create_graph";
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    const std::string suffix = create_graph ? " (create_graph)" : "";
    const std::vector<T> x =
        periodic(mixed_inputs<T>(kPeriod, -5, 5, {0.0, -0.0, 1e-30, -1e-30}, 81));
    const std::vector<T> g = periodic(mixed_inputs<T>(kPeriod, -2, 2, {}, 82));
    Check forward("prelu forward" + suffix, dtype_name<T>(), 0.5);
    Check backward_x("prelu backward x" + suffix, dtype_name<T>(), 0.5);
    Check backward_a("prelu backward slope" + suffix, dtype_name<T>(), 1, "x bound");
    backward_a.describe_tolerance(sizeof(T) == 4 ? "2 ulp(sum|g x|)" : "max(1, m) ulp(sum|g x|)");
    const T slope = T(-0.3);
    for_each_size([&](int64_t n, int threads) {
      const std::string context = std::to_string(threads) + (threads == 1 ? " thread" : " threads");
      forward.set_context(context);
      backward_x.set_context(context);
      backward_a.set_context(context);
      const Tensor input = tensor_from(x.data(), {n}).requires_grad_();
      const Tensor a = full({1}, slope, scalar_type_of<T>()).requires_grad_();
      const Tensor y = prelu(input, a);
      const TensorList grads =
          autograd::grad({y}, {input, a}, {tensor_from(g.data(), {n})}, std::nullopt, create_graph);
      const T* py = y.data_ptr<T>();
      const T* pgx = grads[0].data_ptr<T>();
      LD exact = 0, magnitude = 0;
      int64_t terms = 0;
      for (int64_t i = 0; i < n; ++i) {
        const LD xi = x[i], gi = g[i];
        forward.compare<T>(n, i, py[i], xi > 0 ? xi : slope * xi, {xi});
        backward_x.compare<T>(n, i, pgx[i], xi > 0 ? gi : gi * slope, {xi, gi}, 0, 0, false);
        if (!(xi > 0)) {
          exact += gi * xi;
          magnitude += std::fabs(gi * xi);
          ++terms;
        }
      }
      const double tol = sizeof(T) == 4 ? 2.0 : std::max<double>(1, static_cast<double>(terms));
      backward_a.compare<T>(n, 0, grads[1].data_ptr<T>()[0], exact, {static_cast<LD>(terms)}, magnitude, tol);
    });
    verdict.add(forward);
    verdict.add(backward_x);
    verdict.add(backward_a);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Activations, PreluDifferential, ::testing::ValuesIn(both_dtypes({"backward", "create_graph"})),
                         param_name);

// --- softmax and log_softmax ------------------------------------------------------------------------
//
// The kernels round x - max in T before the exponential (costing up to |x - max| ulp of each
// term) and add the terms one after another in double (up to (n - 1)/2 ulp64 of the total).
// softmax_i is held to 2 + |d_i| + dbar + sum bound ulp, with d = x - max and dbar the mean of
// |d| weighted by the terms; the sum bound is (n - 1)/2 in float64 and nothing in float32
// (its double sum is far inside a float ulp). log_softmax = d - log(sum) is held to
// 2 + dbar + sum bound ulp of max(|d| + log(sum), 1): the log of a sum of at least 1 is
// computed to an absolute eps, as in PyTorch.

// The sum bound of a sequential double sum of n terms, in ulps of T.
template <class T> double double_sum_bound(int64_t n) { return sizeof(T) == 8 ? static_cast<double>(n - 1) / 2 : 0.0; }

struct SoftmaxLayout {
  const char* name;
  int64_t outer, inner;  // the slices have the given size; [outer, size, inner]
  int dim;
};

class SoftmaxDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(SoftmaxDifferential, MatchesLongDoubleReferenceForEveryRowLength) {
  const bool log_output = GetParam().name == "log_softmax";
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    const std::vector<T> x = mixed_inputs<T>(3 * kLargestSize, -8, 8, {-kInf, 0.0, 30.0, -30.0}, 91, 29);
    Check check(GetParam().name, dtype_name<T>(), 1, "x bound");
    check.describe_tolerance(log_output ? "2 + dbar + bound ulp(|d| + log sum, 1)" : "2 + |d| + dbar + bound ulp");
    for_each_size([&](int64_t n, int threads) {
      const SoftmaxLayout layouts[] = {{"rows", 2, 1, 1}, {"columns", 1, 3, 0}};
      for (const SoftmaxLayout& layout : layouts) {
        if (layout.inner > 1 && n > 4099) continue;  // the strided path is the same loop
        check.set_context(std::string(layout.name) + ", " + std::to_string(threads) + " threads");
        const Shape shape = layout.dim == 1 ? Shape{layout.outer, n} : Shape{n, layout.inner};
        const Tensor input = tensor_from(x.data(), shape);
        const Tensor y = log_output ? log_softmax(input, layout.dim) : softmax(input, layout.dim);
        const T* py = y.data_ptr<T>();
        for (int64_t o = 0; o < layout.outer; ++o) {
          for (int64_t i = 0; i < layout.inner; ++i) {
            auto at = [&](int64_t k) { return (o * n + k) * layout.inner + i; };
            LD max = -INFINITY;
            for (int64_t k = 0; k < n; ++k) max = std::max<LD>(max, x[at(k)]);
            LD total = 0, weighted = 0;
            for (int64_t k = 0; k < n; ++k) {
              const LD term = std::exp(x[at(k)] - max);
              total += term;
              if (term > 0) weighted += term * (max - x[at(k)]);
            }
            const double dbar = static_cast<double>(weighted / total) + double_sum_bound<T>(n);
            for (int64_t k = 0; k < n; ++k) {
              const LD d = x[at(k)] - max;
              if (log_output) {
                check.compare<T>(n, at(k), py[at(k)], d - std::log(total), {x[at(k)]},
                                 std::max<LD>(std::fabs(d) + std::log(total), 1), 2 + dbar);
              } else {
                check.compare<T>(n, at(k), py[at(k)], std::exp(d) / total, {x[at(k)]}, 0,
                                 2 + dbar + (std::isfinite(d) ? static_cast<double>(std::fabs(d)) : 0));
              }
            }
          }
        }
      }
    }, 1);
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Activations, SoftmaxDifferential, ::testing::ValuesIn(both_dtypes({"softmax", "log_softmax"})),
                         param_name);

// --- cross-entropy, forward and backward --------------------------------------------------------------
//
// loss = log(sum e^(x - max)) + max - x_label, its gradient softmax - onehot; the same
// roundings as softmax above. Forward: 2 + dbar + sum bound ulp of max(loss, 1). Backward:
// 3 + |d| + dbar + sum bound ulp of the softmax value it is computed from.

class CrossEntropyDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(CrossEntropyDifferential, MatchesLongDoubleReferenceForEveryClassCount) {
  const bool large = GetParam().name == "large logits";
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    const double shift = large ? 1e12 : 0;
    const std::vector<T> x = mixed_inputs<T>(2 * kLargestSize, shift - 8, shift + 8, {shift, shift + 30}, 101, 31);
    Check forward(large ? "cross_entropy forward, logits near 1e12" : "cross_entropy forward", dtype_name<T>(), 1,
                  "x bound");
    forward.describe_tolerance("2 + dbar + bound ulp(loss, 1)");
    Check backward(large ? "cross_entropy backward, logits near 1e12" : "cross_entropy backward", dtype_name<T>(), 1,
                   "x bound");
    backward.describe_tolerance("3 + |d| + dbar + bound ulp(s)");
    for_each_size([&](int64_t n, int threads) {
      if (large && n > 4099) return;  // the same loops as above; only the values differ
      const std::string context = std::to_string(threads) + (threads == 1 ? " thread" : " threads");
      forward.set_context(context);
      backward.set_context(context);
      const int64_t rows = 2;
      const Tensor logits = tensor_from(x.data(), {rows, n}).requires_grad_();
      Tensor labels = empty({rows}, kInt64);
      std::vector<int64_t> label(rows);
      for (int64_t r = 0; r < rows; ++r) label[r] = labels.data_ptr<int64_t>()[r] = (r * 7919 + 3) % n;
      const Tensor loss = nn::cross_entropy(logits, labels, nn::Reduction::None);
      const Tensor grad = autograd::grad({loss}, {logits}, {ones_like(loss)})[0];
      for (int64_t r = 0; r < rows; ++r) {
        const T* row = x.data() + r * n;
        LD max = -INFINITY;
        for (int64_t k = 0; k < n; ++k) max = std::max<LD>(max, row[k]);
        LD total = 0, weighted = 0;
        for (int64_t k = 0; k < n; ++k) {
          const LD term = std::exp(row[k] - max);
          total += term;
          weighted += term * (max - row[k]);
        }
        const double dbar = static_cast<double>(weighted / total) + double_sum_bound<T>(n);
        const LD log_total = std::log(total);
        const LD expected = log_total + (max - row[label[r]]);
        forward.compare<T>(n, r, loss.data_ptr<T>()[r], expected, {row[label[r]], max}, std::max<LD>(expected, 1),
                           2 + dbar);
        for (int64_t k = 0; k < n; ++k) {
          const LD s = std::exp(row[k] - max) / total;
          backward.compare<T>(n, r * n + k, grad.data_ptr<T>()[r * n + k], s - (k == label[r] ? 1 : 0), {row[k]}, s,
                              3 + dbar + static_cast<double>(max - row[k]));
        }
      }
    }, 1);
    verdict.add(forward);
    verdict.add(backward);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Losses, CrossEntropyDifferential,
                         ::testing::ValuesIn(both_dtypes({"ordinary logits", "large logits"})), param_name);

}  // namespace
}  // namespace nabla::differential
