#pragma once
// The built-in activations. Each is one functor, its whole description: name, formula and
// derivative text, init family, parameters with their defaults, kinks and domain, then f,
// f' and f'' side by side (describe.h turns it into a table row). Every formula is written
// once, as a template serving float32 and float64. y is f(x), passed to the derivatives
// because many are cheapest in terms of the output.
//
// Adding an activation: write its functor here and name it in builtin_activations()
// (builtin.cpp). The by-name lookup, Dense, the init, the audit, the plots and the tests then
// pick it up; a free function in functions.h is optional (a C++ name for it).
#include <array>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "autograd/ops/activation_functions.h"
#include "autograd/ops/creation.h"
#include "autograd/ops/prelu.h"
#include "autograd/scalar/fast_math.h"
#include "autograd/scalar/logistic.h"
#include "autograd/scalar/normal.h"
#include "autograd/scalar/select.h"
#include "nn/activations/activation.h"
#include "nn/activations/describe.h"

namespace nabla::builtin {

using detail::format_parameter;
using detail::Parameter;

// --- the relu family -------------------------------------------------------------------

// f, f' and f'' of identity, relu, sigmoid and tanh are autograd's (autograd/ops/activation_functions.h).
struct Identity : ops::Identity {
  static constexpr const char* formula = "x";
  static constexpr const char* derivative = "1";
  static constexpr InitFamily init = InitFamily::Glorot;
  Tensor apply(const Tensor& x) const { return identity(x); }  // f' = 1: the backward hands g on untouched
};

struct Relu : ops::Relu {
  static constexpr const char* formula = "max(0, x)";
  static constexpr const char* derivative = "1 if x > 0, else 0 (0 at x = 0)";
  static constexpr InitFamily init = InitFamily::He;
  static constexpr bool piecewise_linear = true;
  std::vector<double> kinks() const { return {0}; }
};

struct LeakyRelu {
  static constexpr const char* name = "leaky_relu";
  static constexpr const char* formula = "x if x > 0, else {slope} x";
  static constexpr const char* derivative = "1 if x > 0, else {slope} ({slope} at x = 0)";
  static constexpr InitFamily init = InitFamily::He;
  static constexpr bool piecewise_linear = true;
  double slope = 0.01;
  static constexpr auto parameters() {
    return std::array{Parameter<LeakyRelu>{"slope", &LeakyRelu::slope}};
  }
  std::vector<double> kinks() const { return {0}; }
  template <class T> T f(T x) const { return x > T(0) ? x : T(slope) * x; }
  // d/dx = 1 if x > 0 else slope   (slope at x = 0, as PyTorch)
  template <class T> T df(T x, T) const { return x > T(0) ? T(1) : T(slope); }
  template <class T> T d2f(T, T) const { return T(0); }
};

struct Relu6 {
  static constexpr const char* name = "relu6";
  static constexpr const char* formula = "clamp(x, 0, 6)";
  static constexpr const char* derivative = "1 if 0 < x < 6, else 0 (0 at both kinks)";
  static constexpr InitFamily init = InitFamily::He;
  static constexpr bool piecewise_linear = true;
  std::vector<double> kinks() const { return {0, 6}; }
  template <class T> T f(T x) const { return clamp_keeping_nan(x, T(0), T(6)); }
  // d/dx = 1 if 0 < x < 6 else 0   (0 at both kinks, as PyTorch)
  template <class T> T df(T x, T) const { return x > T(0) && x < T(6) ? T(1) : T(0); }
  template <class T> T d2f(T, T) const { return T(0); }
};

struct Hardtanh {
  static constexpr const char* name = "hardtanh";
  static constexpr const char* formula = "clamp(x, {min_val}, {max_val})";
  static constexpr const char* derivative = "1 if {min_val} < x < {max_val}, else 0 (0 at both kinks)";
  static constexpr InitFamily init = InitFamily::Glorot;
  static constexpr bool piecewise_linear = true;
  double min_val = -1;
  double max_val = 1;
  static constexpr auto parameters() {
    return std::array{Parameter<Hardtanh>{"min_val", &Hardtanh::min_val}, Parameter<Hardtanh>{"max_val", &Hardtanh::max_val}};
  }
  std::vector<double> kinks() const { return {min_val, max_val}; }
  void check() const {
    if (!(min_val < max_val)) {
      throw std::invalid_argument("hardtanh: min_val must be below max_val, got min_val = " +
                                  format_parameter(min_val) + ", max_val = " + format_parameter(max_val));
    }
  }
  template <class T> T f(T x) const { return clamp_keeping_nan(x, T(min_val), T(max_val)); }
  // d/dx = 1 if min_val < x < max_val else 0   (0 at both kinks, as PyTorch)
  template <class T> T df(T x, T) const { return x > T(min_val) && x < T(max_val) ? T(1) : T(0); }
  template <class T> T d2f(T, T) const { return T(0); }
};

// --- exponential units -------------------------------------------------------------------

struct Elu {
  static constexpr const char* name = "elu";
  static constexpr const char* formula = "x if x > 0, else {alpha} (e^x - 1)";
  static constexpr const char* derivative = "1 if x > 0, else {alpha} e^x";
  static constexpr InitFamily init = InitFamily::He;
  double alpha = 1;
  static constexpr auto parameters() {
    return std::array{Parameter<Elu>{"alpha", &Elu::alpha}};
  }
  std::vector<double> kinks() const { return alpha == 1 ? std::vector<double>{} : std::vector<double>{0}; }  // f'(0) = 1 or alpha
  // The exponential is computed on both sides of 0 and then selected: a select vectorises.
  template <class T> T f(T x) const {
    const T negative = T(alpha) * Math<T>::expm1(x);
    return x > T(0) ? x : negative;
  }
  // d/dx = 1 if x > 0 else alpha e^x   (alpha at x = 0, as PyTorch)
  template <class T> T df(T x, T) const {
    const T negative = T(alpha) * Math<T>::exp(x);
    return x > T(0) ? T(1) : negative;
  }
  // d2/dx2 = 0 if x >= 0 else alpha e^x   (0 at x = 0, as PyTorch's double backward)
  template <class T> T d2f(T x, T) const {
    const T negative = T(alpha) * Math<T>::exp(x);
    return x >= T(0) ? T(0) : negative;
  }
};

struct Selu {
  static constexpr const char* name = "selu";
  static constexpr const char* formula = "1.0507 (x if x > 0, else 1.6733 (e^x - 1))";
  static constexpr const char* derivative = "1.0507 if x > 0, else 1.7581 e^x";
  static constexpr InitFamily init = InitFamily::LeCun;
  std::vector<double> kinks() const { return {0}; }
  static constexpr double kAlpha = 1.6732632423543772848170429916717;
  static constexpr double kScale = 1.0507009873554804934193349852946;
  // scale alpha is one constant, as in PyTorch: one multiply fewer on the negative side.
  template <class T> T f(T x) const {
    const T negative = T(kScale * kAlpha) * Math<T>::expm1(x);
    return x > T(0) ? T(kScale) * x : negative;
  }
  // d/dx = scale if x > 0 else scale alpha e^x
  template <class T> T df(T x, T) const {
    const T negative = T(kScale * kAlpha) * Math<T>::exp(x);
    return x > T(0) ? T(kScale) : negative;
  }
  // d2/dx2 = 0 if x >= 0 else scale alpha e^x   (0 at x = 0, as PyTorch)
  template <class T> T d2f(T x, T) const {
    const T negative = T(kScale * kAlpha) * Math<T>::exp(x);
    return x >= T(0) ? T(0) : negative;
  }
};

struct Celu {
  static constexpr const char* name = "celu";
  static constexpr const char* formula = "x if x > 0, else {alpha} (e^(x / {alpha}) - 1)";
  static constexpr const char* derivative = "1 if x > 0, else e^(x / {alpha})";
  static constexpr InitFamily init = InitFamily::He;
  double alpha = 1;
  static constexpr auto parameters() {
    return std::array{Parameter<Celu>{"alpha", &Celu::alpha}};
  }
  void check() const {
    if (alpha == 0) throw std::invalid_argument("celu: alpha must not be 0 (it divides x)");
  }
  template <class T> T f(T x) const {
    const T negative = T(alpha) * Math<T>::expm1(x / T(alpha));
    return x > T(0) ? x : negative;
  }
  // d/dx = 1 if x > 0 else e^(x / alpha)
  template <class T> T df(T x, T) const {
    const T negative = Math<T>::exp(x / T(alpha));
    return x > T(0) ? T(1) : negative;
  }
  // d2/dx2 = 0 if x >= 0 else e^(x / alpha) / alpha   (0 at x = 0, as PyTorch)
  template <class T> T d2f(T x, T) const {
    const T negative = Math<T>::exp(x / T(alpha)) / T(alpha);
    return x >= T(0) ? T(0) : negative;
  }
};

// --- smooth, non-monotonic: gelu, silu, mish -----------------------------------------------

struct Gelu {
  static constexpr const char* name = "gelu";
  static constexpr const char* formula = "x Phi(x)";
  static constexpr const char* derivative = "Phi(x) + x phi(x)";
  static constexpr InitFamily init = InitFamily::He;
  template <class T> T f(T x) const { return x * Math<T>::normal_cdf(x); }
  // d/dx x Phi(x) = Phi(x) + x phi(x)   (NaN at +-inf, where x phi(x) is inf * 0, as PyTorch)
  template <class T> T df(T x, T) const { return Math<T>::normal_cdf(x) + x * normal_pdf(x); }
  // d2/dx2 = 2 phi(x) + x phi'(x) = phi(x) (2 - x^2)
  // Past |x| = 15 (float) or 40 (double) phi(x) is below the smallest subnormal and f'' is 0,
  // which the formula gives there exactly: x is clamped to that range first, so that it never
  // meets 0 * inf (x^2 overflows float past 1.8e19).
  template <class T> static constexpr T kTail = sizeof(T) == 4 ? T(15) : T(40);
  template <class T> T d2f(T x, T) const {
    x = clamp_keeping_nan(x, -kTail<T>, kTail<T>);
    return normal_pdf(x) * (T(2) - x * x);
  }
};

struct GeluTanh {
  static constexpr const char* name = "gelu_tanh";
  static constexpr const char* formula = "x (1 + tanh(0.7979 (x + 0.0447 x^3))) / 2";
  static constexpr const char* derivative = "(1 + t) / 2 + x (1 - t^2) 0.7979 (1 + 0.1342 x^2) / 2, t = tanh(...)";
  static constexpr InitFamily init = InitFamily::He;
  static constexpr double kK = 0.79788456080286535588;  // sqrt(2 / pi)
  static constexpr double kC = 0.044715;
  // u = k (x + c x^3), f = x (1 + tanh u) / 2.
  // Written with q = e^(-2|u|) in (0, 1] rather than t = tanh u: (1 + t) / 2 = 1 / (1 + q) or
  // q / (1 + q), and 1 - t^2 = 4 q / (1 + q)^2. Both 1 + t (for u < 0) and 1 - t^2 (for
  // large |u|) would cancel, and lose every digit once |x| passes about 4.
  // Parts<T> for f (the hot forward loop); Parts<double> for the derivatives, as mish's.
  template <class W> struct Parts {
    W half_one_plus_t, sech2, t;  // (1 + tanh u) / 2, 1 - tanh^2 u, tanh u
  };
  template <class W, class T> static Parts<W> parts(T x) {
    const T u = T(kK) * x * (T(1) + T(kC) * x * x);
    // q and m = q - 1 each computed directly: q from m would lose q's digits once q is small.
    const W q = Math<T>::exp(T(-2) * std::fabs(u)), m = Math<T>::expm1(T(-2) * std::fabs(u)), d = W(1) + q;
    const W r = W(1) / d;
    return {(u > T(0) ? W(1) : q) * r, W(4) * q * r * r, std::copysign(-m * r, W(u))};
  }
  template <class T> T f(T x) const { return x * parts<T>(x).half_one_plus_t; }
  // d/dx = (1 + t) / 2 + x (1 - t^2) u' / 2,  u' = k (1 + 3 c x^2)
  // Past |x| = 11 (float) or 25 (double) 1 - t^2 is below the smallest subnormal, so u' can
  // stop growing there: x (1 - t^2) u' then never meets 0 * inf once x^2 overflows (1.8e19 in
  // float). At x = +-inf it does (NaN, as PyTorch).
  template <class T> static constexpr T kTail = sizeof(T) == 4 ? T(11) : T(25);
  template <class T> T df(T x, T) const {
    const Parts<double> p = parts<double>(x);
    const double a = std::fabs(x);
    return static_cast<T>(p.half_one_plus_t + 0.5 * x * p.sech2 * du(a < kTail<T> ? a : double(kTail<T>)));
  }
  // d2/dx2 = (1 - t^2) (u' + x (u''/2 - t u'^2)),  u'' = 6 k c x
  // f'' is 0 past the tail, which the formula gives there exactly: x is clamped first.
  template <class T> T d2f(T x, T) const {
    x = clamp_keeping_nan(x, -kTail<T>, kTail<T>);
    const Parts<double> p = parts<double>(x);
    const double d = du(double(x));
    return static_cast<T>(p.sech2 * (d + x * (3 * kK * kC * x - p.t * d * d)));
  }
  static double du(double x) { return kK * (1 + 3 * kC * x * x); }
};

struct Silu {
  static constexpr const char* name = "silu";
  static constexpr const char* formula = "x sigmoid(x)";
  static constexpr const char* derivative = "s (1 + x (1 - s))";
  static constexpr InitFamily init = InitFamily::He;
  template <class T> T f(T x) const { return x * sigmoid_of(x); }
  // d/dx x s(x) = s (1 + x (1 - s)),  1 - s = s(-x) computed directly. 1 + x (1 - s) cancels
  // near the zero crossing (x = -1.28): one multiply-add, so x (1 - s) is not rounded first.
  template <class T> T df(T x, T) const {
    const SigmoidPair p = sigmoid_pair(x);
    return static_cast<T>(p.s * fast_math::madd(double(x), p.complement, 1.0));
  }
  // d2/dx2 = s (1 - s) (2 + x (1 - 2 s)), 2 + x (...) by one multiply-add likewise (crossing at +-2.4)
  template <class T> T d2f(T x, T) const {
    const SigmoidPair p = sigmoid_pair(x);
    return static_cast<T>(p.s * p.complement * fast_math::madd(double(x), p.complement - p.s, 2.0));
  }
};

// The same function under the name Google's paper gave it.
struct Swish : Silu {
  static constexpr const char* name = "swish";
  static constexpr const char* formula = "x sigmoid(x) (= silu)";
};

struct Mish {
  static constexpr const char* name = "mish";
  static constexpr const char* formula = "x tanh(softplus(x))";
  static constexpr const char* derivative = "t + x (1 - t^2) sigmoid(x)";
  static constexpr InitFamily init = InitFamily::He;
  // With n = e^x: t = tanh(softplus(x)) = m / (m + 2), m = n (n + 2), and no log is needed;
  // 1 - t^2 = 4 (m + 1) / (m + 2)^2 and sigmoid(x) = n / (1 + n), 1 - sigmoid(x) = 1 / (1 + n),
  // each without a subtraction that cancels. Past x = 20 in float (300 in double), t is 1 to
  // working precision and m^2 would overflow, so n stops growing there, and the derivatives
  // take their limits (1 and 0): x (1 - t^2) with the capped n would grow with x.
  template <class T> static constexpr T kCap = sizeof(T) == 4 ? T(20) : T(300);
  // Parts<T> for f (in the data's type: the forward is the hot loop); Parts<double> for the
  // derivatives, whose four or five operations after the exp would otherwise round at each.
  template <class W> struct Parts {
    W t, sech2, s, complement;  // tanh(softplus x), 1 - t^2, sigmoid(x), 1 - sigmoid(x)
  };
  template <class W, class T> static Parts<W> parts(T x) {
    const W n = Math<T>::exp(x < kCap<T> ? x : kCap<T>);
    const W m = n * (n + W(2)), r = W(1) / (m + W(2)), c = W(1) / (W(1) + n);
    return {m * r, W(4) * (m + W(1)) * r * r, n * c, c};
  }
  template <class T> T f(T x) const { return x * parts<T>(x).t; }
  // d/dx x t = t + x (1 - t^2) s,   s = sigmoid(x)  (since d softplus / dx = s)
  template <class T> T df(T x, T) const {
    const Parts<double> p = parts<double>(x);
    const T below_cap = static_cast<T>(fast_math::madd(double(x), p.sech2 * p.s, p.t));  // cancels near x = -1.19: one rounding
    return x > kCap<T> ? T(1) : below_cap;  // a NaN x stays NaN
  }
  // d2/dx2 = (1 - t^2) s (2 + x (1 - s - 2 t s))
  template <class T> T d2f(T x, T) const {
    const Parts<double> p = parts<double>(x);
    const T below_cap = static_cast<T>(p.sech2 * p.s * fast_math::madd(double(x), p.complement - 2 * p.t * p.s, 2.0));
    return x > kCap<T> ? T(0) : below_cap;
  }
};

// --- smooth and saturating: softplus, sigmoid, tanh ----------------------------------------

struct Softplus {
  static constexpr const char* name = "softplus";
  static constexpr const char* formula = "log(1 + e^({beta} x)) / {beta}";
  static constexpr const char* derivative = "sigmoid({beta} x)";
  static constexpr InitFamily init = InitFamily::Glorot;
  double beta = 1;
  static constexpr auto parameters() {
    return std::array{Parameter<Softplus>{"beta", &Softplus::beta}};
  }
  void check() const {
    if (!(beta > 0)) throw std::invalid_argument("softplus: beta must be positive, got " + format_parameter(beta));
  }
  template <class T> T f(T x) const { return softplus_of(T(beta) * x) / T(beta); }
  // d/dx log(1 + e^(beta x)) / beta = sigmoid(beta x)
  template <class T> T df(T x, T) const { return sigmoid_of(T(beta) * x); }
  // d2/dx2 = beta s (1 - s)
  template <class T> T d2f(T x, T) const { return T(beta) * sigmoid_slope(T(beta) * x); }
};

struct Softsign {
  static constexpr const char* name = "softsign";
  static constexpr const char* formula = "x / (1 + |x|)";
  static constexpr const char* derivative = "1 / (1 + |x|)^2";
  static constexpr InitFamily init = InitFamily::Glorot;
  template <class T> T f(T x) const { return x / (T(1) + std::fabs(x)); }
  // d/dx x / (1 + |x|) = 1 / (1 + |x|)^2
  template <class T> T df(T x, T) const {
    const T d = T(1) + std::fabs(x);
    return T(1) / (d * d);
  }
  // d2/dx2 = -2 sign(x) / (1 + |x|)^3   (0 at x = 0, as PyTorch: its |x|' is sign(x), 0 at 0)
  // In double, with the rounding of 1 + |x| corrected: cubed, it would cost 3 ulp.
  template <class T> T d2f(T x, T) const {
    const T magnitude = static_cast<T>(2 * fast_math::inverse_cube_of_one_plus(std::fabs(double(x))));
    return x > T(0) ? -magnitude : (x < T(0) ? magnitude : T(0) * x);
  }
};

struct Sigmoid : ops::Sigmoid {
  static constexpr const char* formula = "1 / (1 + e^-x)";
  static constexpr const char* derivative = "s (1 - s)";
  static constexpr InitFamily init = InitFamily::Glorot;
};

struct HardSigmoid {
  static constexpr const char* name = "hard_sigmoid";
  static constexpr const char* formula = "clamp(x / 6 + 1/2, 0, 1)";
  static constexpr const char* derivative = "1/6 if -3 < x < 3, else 0";
  static constexpr InitFamily init = InitFamily::Glorot;
  static constexpr bool piecewise_linear = true;
  std::vector<double> kinks() const { return {-3, 3}; }
  // (x + 3) / 6 rather than x / 6 + 1/2, which cancels near x = -3.
  template <class T> T f(T x) const { return clamp_keeping_nan((x + T(3)) / T(6), T(0), T(1)); }
  // d/dx = 1/6 if -3 < x < 3 else 0   (0 at both kinks, as PyTorch)
  template <class T> T df(T x, T) const { return x > T(-3) && x < T(3) ? T(1) / T(6) : T(0); }
  template <class T> T d2f(T, T) const { return T(0); }
};

struct LogSigmoid {
  static constexpr const char* name = "log_sigmoid";
  static constexpr const char* formula = "log(1 / (1 + e^-x))";
  static constexpr const char* derivative = "1 - sigmoid(x)";
  static constexpr InitFamily init = InitFamily::Glorot;
  // log s(x) = -softplus(-x)
  template <class T> T f(T x) const { return -softplus_of(-x); }
  // d/dx log s(x) = 1 - s(x) = 1 - e^y = -expm1(y): from the output, one expm1 and no
  // division. No cancellation: expm1 keeps the digits of a y near 0 (x large), and the
  // rounding of y is damped, not magnified (|y| e^y / (1 - e^y) <= 1).
  template <class T> T df(T, T y) const { return -Math<T>::expm1(y); }
  // d2/dx2 = -s(x) (1 - s(x))
  template <class T> T d2f(T x, T) const { return -sigmoid_slope(x); }
};

struct Tanh : ops::Tanh {
  static constexpr const char* formula = "(e^x - e^-x) / (e^x + e^-x)";
  static constexpr const char* derivative = "1 - tanh(x)^2";
  static constexpr InitFamily init = InitFamily::Glorot;
};

struct Hardswish {
  static constexpr const char* name = "hardswish";
  static constexpr const char* formula = "x clamp(x + 3, 0, 6) / 6";
  static constexpr const char* derivative = "0, x/3 + 1/2, 1 on x < -3, [-3, 3], x > 3";
  static constexpr InitFamily init = InitFamily::He;
  std::vector<double> kinks() const { return {-3, 3}; }
  // times 1/6 rather than divided by 6: in a vectorised loop a division costs several multiplies
  template <class T> T f(T x) const { return x * clamp_keeping_nan(x + T(3), T(0), T(6)) * T(1.0 / 6); }
  // d/dx = 0 if x < -3, x/3 + 1/2 if -3 <= x <= 3, 1 if x > 3   (as PyTorch, kinks included)
  // ((2x + 3) / 6, not x/3 + 1/2, which cancels near the root at x = -3/2)
  template <class T> T df(T x, T) const { return x < T(-3) ? T(0) : (x <= T(3) ? (T(2) * x + T(3)) / T(6) : T(1)); }
  template <class T> T d2f(T x, T) const { return x > T(-3) && x < T(3) ? T(1) / T(3) : T(0); }
};

// prelu's slope is a tensor learned by its layer (nn::PReLU), so prelu is an op of two
// inputs (autograd/ops/prelu.h) rather than a fused functor; its row applies that op with a
// fixed initial slope a.
struct Prelu {
  static constexpr const char* name = "prelu";
  static constexpr const char* formula = "x if x > 0, else a x (a learned, initially {a})";
  static constexpr const char* derivative = "1 if x > 0, else a (a at x = 0)";
  static constexpr InitFamily init = InitFamily::He;
  static constexpr bool piecewise_linear = true;
  double a = 0.25;
  static constexpr auto parameters() { return std::array{Parameter<Prelu>{"a", &Prelu::a}}; }
  std::vector<double> kinks() const { return {0}; }
  Tensor apply(const Tensor& x) const { return prelu(x, full({}, a, x.dtype())); }
};

// --- the poor choices ---------------------------------------------------------------------

struct Square {
  static constexpr const char* name = "square";
  static constexpr const char* formula = "x^2";
  static constexpr const char* derivative = "2x";
  static constexpr InitFamily init = InitFamily::Glorot;
  template <class T> T f(T x) const { return x * x; }
  template <class T> T df(T x, T) const { return T(2) * x; }  // d/dx x^2 = 2x
  template <class T> T d2f(T, T) const { return T(2); }
};

struct Sqrt {
  static constexpr const char* name = "sqrt";
  static constexpr const char* formula = "sqrt(x)";
  static constexpr const char* derivative = "1 / (2 sqrt(x))";
  static constexpr InitFamily init = InitFamily::Glorot;
  static constexpr Domain domain = Domain::NonNegative;
  template <class T> T f(T x) const { return std::sqrt(x); }                // NaN for x < 0
  template <class T> T df(T, T y) const { return T(0.5) / y; }              // d/dx sqrt(x) = 1 / (2 sqrt(x))
  template <class T> T d2f(T x, T y) const { return T(-0.25) / (x * y); }  // -1 / (4 x^(3/2))
};

struct Log {
  static constexpr const char* name = "log";
  static constexpr const char* formula = "ln(x)";
  static constexpr const char* derivative = "1 / x";
  static constexpr InitFamily init = InitFamily::Glorot;
  static constexpr Domain domain = Domain::Positive;
  template <class T> T f(T x) const { return Math<T>::log(x); }   // NaN for x < 0, -inf at 0
  template <class T> T df(T x, T) const { return T(1) / x; }      // d/dx ln x = 1 / x
  template <class T> T d2f(T x, T) const { return T(-1) / (x * x); }
};

struct SignedSqrt {
  static constexpr const char* name = "signed_sqrt";
  static constexpr const char* formula = "sign(x) sqrt(|x|)";
  static constexpr const char* derivative = "1 / (2 sqrt(|x|)), infinite at 0";
  static constexpr InitFamily init = InitFamily::Glorot;
  std::vector<double> kinks() const { return {0}; }
  template <class T> T f(T x) const { return std::copysign(std::sqrt(std::fabs(x)), x); }
  // d/dx sign(x) sqrt(|x|) = 1 / (2 sqrt(|x|)): infinite at 0
  template <class T> T df(T x, T) const { return T(0.5) / std::sqrt(std::fabs(x)); }
  // d2/dx2 = -sign(x) / (4 |x|^(3/2))
  template <class T> T d2f(T x, T) const {
    const T a = std::fabs(x);
    return -std::copysign(T(0.25), x) / (a * std::sqrt(a));
  }
};

}  // namespace nabla::builtin
