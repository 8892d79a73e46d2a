// float32 accuracy of every built-in activation's f, f' and f'' on [-20, 20], against
// long-double values computed here from the textbook formulas (independent of the
// library's code, which float32 computes with its own fast exp/tanh), side by side with
// PyTorch's own float32 error on the same points and by the same measure.
//
// The error measure: ulps of the true value, wherever that is representable. Only within
// kCrossingRadius of a zero crossing of the quantity g checked is it ulps of a scale instead:
// there g is a sum of terms of size ~1 that cancel (gelu' = Phi(x) + x phi(x) at x = -0.75),
// and any float32 evaluation, PyTorch's included, leaves an absolute error of a few ulps of
// those terms. The scale is max(|g(x)|, sum of |terms| of g's textbook formula), the classic
// error bound of a floating-point sum. Differences below 2^-120 (7.5e-37) are not counted:
// they come from subnormal intermediates, which the fast exp flushes to 0.
//
// The target, per activation and order: max(4 ulp, PyTorch's float32 error), PyTorch's figure
// printed by tests/nn/activation_accuracy_torch.py (same points, same measure) and kept in
// pytorch_error() below, with no exception.
// The test prints both figures for every row.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "nn/nn.h"
#include "tests/differential.h"
#include "tests/nn/activation_values.h"

namespace nabla {
namespace {

using Real = long double;
using RealFn = std::function<Real(Real)>;

Real sigmoid_ref(Real x) { return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x)); }
Real softplus_ref(Real x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
Real sech2_ref(Real u) {
  const Real c = std::cosh(u);
  return 1 / (c * c);
}
Real phi_ref(Real x) { return std::exp(-x * x / 2) / std::sqrt(2 * 3.14159265358979323846264338327950288L); }
Real Phi_ref(Real x) { return std::erfc(-x / std::sqrt(Real(2))) / 2; }

struct Reference {
  RealFn f, df, d2f;
  double low = -20, high = 20;  // the domain checked (sqrt and log: x > 0)
  std::vector<double> kinks;    // points where f' or f'' jumps: their conventions are tested apart
  // Sum of |terms| of f' and f'' where those are sums that cancel (see the top of the file).
  RealFn df_terms = nullptr, d2f_terms = nullptr;
};

// gelu_tanh: u = k (x + c x^3)
constexpr Real kK = 0.797884560802865355879892119868763737L, kC = 0.044715L;
Real gt_u(Real x) { return kK * (x + kC * x * x * x); }
Real gt_du(Real x) { return kK * (1 + 3 * kC * x * x); }

std::map<std::string, Reference> references() {
  const Real selu_alpha = 1.6732632423543772848170429916717L, selu_scale = 1.0507009873554804934193349852946L;
  auto zero = [](Real) { return Real(0); };
  std::map<std::string, Reference> r;
  r["identity"] = {[](Real x) { return x; }, [](Real) { return Real(1); }, zero};
  r["relu"] = {[](Real x) { return x > 0 ? x : 0; }, [](Real x) { return Real(x > 0); }, zero, -20, 20, {0}};
  r["leaky_relu"] = {[](Real x) { return x > 0 ? x : Real(0.01) * x; }, [](Real x) { return x > 0 ? 1 : Real(0.01); },
                     zero, -20, 20, {0}};
  r["prelu"] = {[](Real x) { return x > 0 ? x : x / 4; }, [](Real x) { return x > 0 ? 1 : Real(0.25); }, zero, -20, 20, {0}};
  r["elu"] = {[](Real x) { return x > 0 ? x : std::expm1(x); }, [](Real x) { return x > 0 ? 1 : std::exp(x); },
              [](Real x) { return x > 0 ? 0 : std::exp(x); }, -20, 20, {0}};
  r["celu"] = r["elu"];
  r["selu"] = {[=](Real x) { return selu_scale * (x > 0 ? x : selu_alpha * std::expm1(x)); },
               [=](Real x) { return x > 0 ? selu_scale : selu_scale * selu_alpha * std::exp(x); },
               [=](Real x) { return x > 0 ? 0 : selu_scale * selu_alpha * std::exp(x); }, -20, 20, {0}};
  r["gelu"] = {[](Real x) { return x * Phi_ref(x); }, [](Real x) { return Phi_ref(x) + x * phi_ref(x); },
               [](Real x) { return phi_ref(x) * (2 - x * x); }};
  r["gelu"].df_terms = [](Real x) { return Phi_ref(x) + std::fabs(x) * phi_ref(x); };
  r["gelu"].d2f_terms = [](Real x) { return phi_ref(x) * (2 + x * x); };
  // (1 + tanh u) / 2 = sigmoid(2u): even long double would cancel in 1 + tanh u for u < -20.
  r["gelu_tanh"] = {[](Real x) { return x * sigmoid_ref(2 * gt_u(x)); },
                    [](Real x) { return sigmoid_ref(2 * gt_u(x)) + x * sech2_ref(gt_u(x)) * gt_du(x) / 2; },
                    [](Real x) {
                      const Real u = gt_u(x), t = std::tanh(u), s = sech2_ref(u), d = gt_du(x);
                      return s * d + x * s * (6 * kK * kC * x - 2 * t * d * d) / 2;
                    }};
  r["gelu_tanh"].df_terms = [](Real x) {
    return sigmoid_ref(2 * gt_u(x)) + std::fabs(x) * sech2_ref(gt_u(x)) * gt_du(x) / 2;
  };
  r["gelu_tanh"].d2f_terms = [](Real x) {
    const Real u = gt_u(x), t = std::tanh(u), s = sech2_ref(u), d = gt_du(x);
    return s * d + std::fabs(x) * s * (6 * kK * kC * std::fabs(x) + 2 * std::fabs(t) * d * d) / 2;
  };
  // silu: s = sigmoid(x), 1 - s = sigmoid(-x)
  r["silu"] = {[](Real x) { return x * sigmoid_ref(x); },
               [](Real x) { return sigmoid_ref(x) * (1 + x * sigmoid_ref(-x)); },
               [](Real x) {
                 const Real s = sigmoid_ref(x), c = sigmoid_ref(-x);
                 return s * c * (2 + x * (c - s));
               }};
  r["silu"].df_terms = [](Real x) { return sigmoid_ref(x) * (1 + std::fabs(x) * sigmoid_ref(-x)); };
  r["silu"].d2f_terms = [](Real x) {
    const Real s = sigmoid_ref(x), c = sigmoid_ref(-x);
    return s * c * (2 + std::fabs(x * (c - s)));
  };

  // mish: t = tanh(softplus(x)), d softplus / dx = sigmoid(x)
  r["mish"] = {[](Real x) { return x * std::tanh(softplus_ref(x)); },
               [](Real x) {
                 const Real sp = softplus_ref(x);
                 return std::tanh(sp) + x * sech2_ref(sp) * sigmoid_ref(x);
               },
               [](Real x) {
                 const Real sp = softplus_ref(x), t = std::tanh(sp), q = sech2_ref(sp), s = sigmoid_ref(x);
                 return q * s * (2 + x * (sigmoid_ref(-x) - 2 * t * s));
               }};
  r["mish"].df_terms = [](Real x) {
    const Real sp = softplus_ref(x);
    return std::tanh(sp) + std::fabs(x) * sech2_ref(sp) * sigmoid_ref(x);
  };
  r["mish"].d2f_terms = [](Real x) {
    const Real sp = softplus_ref(x), t = std::tanh(sp), q = sech2_ref(sp), s = sigmoid_ref(x);
    return q * s * (2 + std::fabs(x) * (sigmoid_ref(-x) + 2 * t * s));
  };
  r["swish"] = r["silu"];
  r["softplus"] = {softplus_ref, sigmoid_ref, [](Real x) { return sigmoid_ref(x) * sigmoid_ref(-x); }};
  r["softsign"] = {[](Real x) { return x / (1 + std::fabs(x)); },
                   [](Real x) { return 1 / ((1 + std::fabs(x)) * (1 + std::fabs(x))); },
                   [](Real x) { return -2 * ((x > 0) - (x < 0)) / std::pow(1 + std::fabs(x), Real(3)); }, -20, 20, {0}};
  r["sigmoid"] = {sigmoid_ref, [](Real x) { return sigmoid_ref(x) * sigmoid_ref(-x); },
                  [](Real x) { return sigmoid_ref(x) * sigmoid_ref(-x) * (sigmoid_ref(-x) - sigmoid_ref(x)); }};
  r["hard_sigmoid"] = {[](Real x) { return std::clamp((x + 3) / 6, Real(0), Real(1)); },
                       [](Real x) { return x > -3 && x < 3 ? Real(1) / 6 : 0; }, zero, -20, 20, {-3, 3}};
  r["log_sigmoid"] = {[](Real x) { return -softplus_ref(-x); }, [](Real x) { return sigmoid_ref(-x); },
                      [](Real x) { return -sigmoid_ref(x) * sigmoid_ref(-x); }};
  r["tanh"] = {[](Real x) { return std::tanh(x); }, sech2_ref, [](Real x) { return -2 * std::tanh(x) * sech2_ref(x); }};
  r["hardtanh"] = {[](Real x) { return std::clamp(x, Real(-1), Real(1)); },
                   [](Real x) { return Real(x > -1 && x < 1); }, zero, -20, 20, {-1, 1}};
  r["relu6"] = {[](Real x) { return std::clamp(x, Real(0), Real(6)); }, [](Real x) { return Real(x > 0 && x < 6); },
                zero, -20, 20, {0, 6}};
  r["hardswish"] = {[](Real x) { return x <= -3 ? 0 : (x >= 3 ? x : x * (x + 3) / 6); },
                    [](Real x) { return x <= -3 ? 0 : (x >= 3 ? 1 : (2 * x + 3) / 6); },
                    [](Real x) { return x > -3 && x < 3 ? Real(1) / 3 : 0; }, -20, 20, {-3, 3}};
  r["hardswish"].df_terms = [](Real x) { return x <= -3 ? 0 : (x >= 3 ? 1 : (2 * std::fabs(x) + 3) / 6); };
  r["square"] = {[](Real x) { return x * x; }, [](Real x) { return 2 * x; }, [](Real) { return Real(2); }};
  r["sqrt"] = {[](Real x) { return std::sqrt(x); }, [](Real x) { return 1 / (2 * std::sqrt(x)); },
               [](Real x) { return -1 / (4 * x * std::sqrt(x)); }, 0, 20, {0}};
  r["log"] = {[](Real x) { return std::log(x); }, [](Real x) { return 1 / x; }, [](Real x) { return -1 / (x * x); }, 0,
              20, {0}};
  r["signed_sqrt"] = {[](Real x) { return std::copysign(std::sqrt(std::fabs(x)), x); },
                      [](Real x) { return 1 / (2 * std::sqrt(std::fabs(x))); },
                      [](Real x) { return -std::copysign(Real(1), x) / (4 * std::fabs(x) * std::sqrt(std::fabs(x))); },
                      -20, 20, {0}};
  return r;
}

// The float32 points checked: a grid of step 1/512 on [-20, 20] (it holds the integers and
// halves, where formulas switch branch), points scattered between its nodes, and a finer
// grid around the places where a formula cancels (gelu' near -0.8, silu'' near 2.4,
// gelu_tanh'' near +-3 and +-5, hard_sigmoid near -2.9).
std::vector<float> points(const Reference& ref) {
  std::vector<float> xs;
  for (int i = -20 * 512; i <= 20 * 512; ++i) xs.push_back(static_cast<float>(i) / 512);
  uint64_t state = 12345;
  for (int i = 0; i < 20000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    xs.push_back(static_cast<float>(-20.0 + 40.0 * static_cast<double>(state >> 11) / 9007199254740992.0));
  }
  for (double centre : {-5.0, -3.0, -2.9, -2.4, -0.8, 0.0, 0.8, 2.4, 3.0, 5.0}) {
    for (int i = -2000; i <= 2000; ++i) xs.push_back(static_cast<float>(centre + i * 1e-4));
  }
  std::vector<float> kept;
  for (float x : xs) {
    bool ok = x > ref.low && x < ref.high;
    for (double k : ref.kinks) ok = ok && x != static_cast<float>(k);
    if (ok) kept.push_back(x);
  }
  return kept;
}

double ulp32(double magnitude) {
  const float m = static_cast<float>(std::max(std::fabs(magnitude), static_cast<double>(FLT_MIN)));
  return static_cast<double>(std::nextafter(m, INFINITY) - m);
}

// f, f' and f'' computed by the library in float32: f by the op, f' by its backward,
// f'' by the backward of that backward (create_graph).
std::array<std::vector<double>, 3> library_values(const Activation& a, const std::vector<float>& xs) {
  const std::vector<double> as_double(xs.begin(), xs.end());
  return f_and_derivatives(a, tensor(as_double, {static_cast<int64_t>(xs.size())}, kFloat32));
}


// Values this small are not compared: the formulas behind them pass through intermediates
// below FLT_MIN (e^(2u) of gelu_tanh, phi(x) of gelu, e^-x of sigmoid), which float32 flushes
// to 0 or rounds to a few bits, in PyTorch as in nabla.
constexpr double kNotComparedBelow = 0x1p-100;
constexpr Real kCrossingRadius = 0.5;

// PyTorch 1.13's float32 error (CPU) on the same points, by the same measure, as printed by
// tests/nn/activation_accuracy_torch.py --inc: per activation, for f, f' and f'', the worst
// error in each bin of width 0.5 on [-20, 20]. Activations PyTorch lacks are not listed.
constexpr int kBins = 80;
using BinnedError = std::array<std::array<double, kBins>, 3>;
const std::map<std::string, BinnedError>& pytorch_error() {
  static const std::map<std::string, BinnedError> table = {
#include "tests/nn/activation_accuracy_torch.inc"
  };
  return table;
}
int bin_of(Real x) { return std::clamp(static_cast<int>(std::floor((x + 20) * 2)), 0, kBins - 1); }

struct Worst {
  double error = 0, tolerance = 4, theirs = 0;  // in ulps (of the scale near crossings)
  float x = 0;
  double computed = 0, expected = 0;
};

// The element whose error is the largest fraction of its tolerance, max(4, PyTorch's error in
// its bin).
Worst worst_error(const std::string& name, int order, const RealFn& g, const RealFn& terms, const Reference& ref,
                  const std::vector<float>& xs, const std::vector<double>& got) {
  const std::vector<Real> zeros = differential::zero_crossings(g, ref.low, ref.high);
  const auto torch = pytorch_error().find(name);
  Worst worst;
  double worst_ratio = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    const Real x = xs[i];
    const double expected = static_cast<double>(g(x));
    const bool near_crossing = differential::within(zeros, x, kCrossingRadius);
    const Real scale = std::max(std::fabs(g(x)), terms && near_crossing ? terms(x) : Real(0));
    const bool compared = std::max(std::fabs(expected), std::fabs(got[i])) >= kNotComparedBelow;
    const double error = compared ? std::fabs(got[i] - expected) / ulp32(static_cast<double>(scale)) : 0.0;
    const double theirs = torch == pytorch_error().end() ? 0.0 : torch->second[order][bin_of(x)];
    const double tolerance = std::max(4.0, theirs);
    const double ratio = error / tolerance;
    if (!(ratio <= worst_ratio)) {  // a NaN is the worst
      worst_ratio = ratio;
      worst = {error, tolerance, theirs, xs[i], got[i], expected};
    }
  }
  return worst;
}

TEST(ActivationAccuracy, Float32WithinFourUlpsOrPyTorchsErrorOrAStatedBoundOnMinus20To20) {
  const std::map<std::string, Reference> refs = references();
  std::cout << "Per activation and order: the worst error, as a fraction of its tolerance, in ulps of the value\n"
               "(of the scale within 0.5 of a zero crossing), at x, [PyTorch's error in the same bin of 0.5]\n";
  for (const std::string& name : activation_names()) {
    const Activation& a = activation(name);
    if (!a.builtin) continue;
    const auto it = refs.find(name);
    ASSERT_NE(it, refs.end()) << "no long-double reference for the built-in activation " << name;
    const Reference& ref = it->second;
    const std::vector<float> xs = points(ref);
    const std::array<std::vector<double>, 3> got = library_values(a, xs);
    const RealFn* fns[3] = {&ref.f, &ref.df, &ref.d2f};
    const RealFn terms[3] = {nullptr, ref.df_terms, ref.d2f_terms};
    std::cout << std::left << std::setw(14) << name;
    for (int order = 0; order < 3; ++order) {
      const Worst worst = worst_error(name, order, *fns[order], terms[order], ref, xs, got[order]);
      std::cout << "  " << (order == 0 ? "f " : order == 1 ? "f' " : "f''") << " " << std::setprecision(3)
                << worst.error << " (" << worst.x << ") [" << worst.theirs << "]";
      EXPECT_LE(worst.error, worst.tolerance)
          << name << (order == 0 ? "" : order == 1 ? "'" : "''") << " in float32: worst at x = " << std::setprecision(9)
          << worst.x << ", computed " << worst.computed << ", expected " << worst.expected << std::setprecision(17);
    }
    std::cout << "\n";
  }
}

}  // namespace
}  // namespace nabla
