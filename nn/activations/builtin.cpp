// The built-in activations: each one's f, f' and f'' side by side, then the table that
// names them. Every formula is written once, as a template serving float32 and float64.
// y is f(x), passed to the derivatives because many are cheapest in terms of the output.
#include <cmath>
#include <limits>

#include "autograd/kernels/activation_kernels.h"
#include "nn/activations/activation.h"
#include "nn/activations/elementwise.h"
#include "nn/activations/fast_math.h"
#include "nn/activations/functions.h"

namespace nabla {
namespace {

template <class T> T step(T x) { return x > T(0) ? T(1) : T(0); }
// Unlike fmin/fmax, comparisons let NaN through (a NaN input must not come out as a
// number), and they vectorise where fmin/fmax become library calls. (Likewise the kernels
// multiply by 1/6 rather than divide by 6: a vector division costs several multiplies.)
template <class T> T clamp_keeping_nan(T x, T low, T high) { return x < low ? low : (x > high ? high : x); }
template <class T> T sigmoid_of(T x) { return T(1) / (T(1) + Math<T>::exp(-x)); }
// sigmoid(x) and its complement 1 - sigmoid(x) = sigmoid(-x), neither found by subtracting
// from 1 (which loses the small one's digits): with q = e^-|x| in (0, 1], the one above 1/2
// is 1 / (1 + q) and the other q / (1 + q).
template <class T> struct SigmoidPair {
  T s, complement;
};
template <class T> SigmoidPair<T> sigmoid_pair(T x) {
  const T q = Math<T>::exp(-std::fabs(x)), above = T(1) / (T(1) + q), below = q * above;
  return {x > T(0) ? above : below, x > T(0) ? below : above};
}
// sigmoid'(x) = s (1 - s) = q / (1 + q)^2 with q = e^-|x|: no cancellation when s is near 1.
template <class T> T sigmoid_slope(T x) {
  const T q = Math<T>::exp(-std::fabs(x)), d = T(1) + q;
  return q / (d * d);
}
// log(1 + e^x) without overflow: max(x, 0) + log(1 + e^-|x|)
template <class T> T softplus_of(T x) { return (x > T(0) ? x : T(0)) + Math<T>::log1p_unit(Math<T>::exp(-std::fabs(x))); }
constexpr double kInvSqrt2Pi = 0.39894228040143267794;  // 1 / sqrt(2 pi)

// --- the relu family -------------------------------------------------------------------

struct Identity {
  template <class T> T f(T x) const { return x; }
  template <class T> T df(T, T) const { return T(1); }   // d/dx x = 1
  template <class T> T d2f(T, T) const { return T(0); }
};

struct Relu {
  template <class T> T f(T x) const { return x < T(0) ? T(0) : x; }  // NaN stays NaN
  // d/dx max(0, x) = 1 if x > 0 else 0   (0 at x = 0, as PyTorch)
  template <class T> T df(T x, T) const { return step(x); }
  template <class T> T d2f(T, T) const { return T(0); }
};

struct LeakyRelu {
  double slope;
  template <class T> T f(T x) const { return x > T(0) ? x : T(slope) * x; }
  // d/dx = 1 if x > 0 else slope   (slope at x = 0, as PyTorch)
  template <class T> T df(T x, T) const { return x > T(0) ? T(1) : T(slope); }
  template <class T> T d2f(T, T) const { return T(0); }
};

struct Relu6 {
  template <class T> T f(T x) const { return clamp_keeping_nan(x, T(0), T(6)); }
  // d/dx = 1 if 0 < x < 6 else 0   (0 at both kinks, as PyTorch)
  template <class T> T df(T x, T) const { return x > T(0) && x < T(6) ? T(1) : T(0); }
  template <class T> T d2f(T, T) const { return T(0); }
};

struct Hardtanh {
  double low, high;
  template <class T> T f(T x) const { return clamp_keeping_nan(x, T(low), T(high)); }
  // d/dx = 1 if low < x < high else 0   (0 at both kinks, as PyTorch)
  template <class T> T df(T x, T) const { return x > T(low) && x < T(high) ? T(1) : T(0); }
  template <class T> T d2f(T, T) const { return T(0); }
};

// --- exponential units -------------------------------------------------------------------

struct Elu {
  double alpha;
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
  static constexpr double kAlpha = 1.6732632423543772848170429916717;
  static constexpr double kScale = 1.0507009873554804934193349852946;
  template <class T> T f(T x) const {
    const T negative = T(kAlpha) * Math<T>::expm1(x);
    return T(kScale) * (x > T(0) ? x : negative);
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
  double alpha;
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
  template <class T> T f(T x) const { return x * Math<T>::normal_cdf(x); }
  // d/dx x Phi(x) = Phi(x) + x phi(x)
  template <class T> T df(T x, T) const { return Math<T>::normal_cdf(x) + x * pdf(x); }
  // d2/dx2 = 2 phi(x) + x phi'(x) = phi(x) (2 - x^2)
  template <class T> T d2f(T x, T) const { return pdf(x) * (T(2) - x * x); }
  template <class T> static T pdf(T x) { return T(kInvSqrt2Pi) * Math<T>::exp_minus_half_square(x); }
};

struct GeluTanh {
  static constexpr double kK = 0.79788456080286535588;  // sqrt(2 / pi)
  static constexpr double kC = 0.044715;
  // u = k (x + c x^3), f = x (1 + tanh u) / 2.
  // Written with q = e^(-2|u|) in (0, 1] rather than t = tanh u: (1 + t) / 2 = 1 / (1 + q) or
  // q / (1 + q), and 1 - t^2 = 4 q / (1 + q)^2. Both 1 + t (for u < 0) and 1 - t^2 (for
  // large |u|) would cancel, and lose every digit once |x| passes about 4.
  template <class T> struct Parts {
    T half_one_plus_t, sech2, t;  // (1 + tanh u) / 2, 1 - tanh^2 u, tanh u
  };
  template <class T> static Parts<T> parts(T x) {
    const T u = T(kK) * x * (T(1) + T(kC) * x * x);
    // q and m = q - 1 each computed directly: q from m would lose q's digits once q is small.
    const T q = Math<T>::exp(T(-2) * std::fabs(u)), m = Math<T>::expm1(T(-2) * std::fabs(u)), d = T(1) + q;
    const T r = T(1) / d;
    return {(u > T(0) ? T(1) : q) * r, T(4) * q * r * r, std::copysign(-m * r, u)};
  }
  template <class T> T f(T x) const { return x * parts(x).half_one_plus_t; }
  // d/dx = (1 + t) / 2 + x (1 - t^2) u' / 2,  u' = k (1 + 3 c x^2)
  template <class T> T df(T x, T) const {
    const Parts<T> p = parts(x);
    return p.half_one_plus_t + T(0.5) * x * p.sech2 * du(x);
  }
  // d2/dx2 = (1 - t^2) (u' + x (u''/2 - t u'^2)),  u'' = 6 k c x
  template <class T> T d2f(T x, T) const {
    const Parts<T> p = parts(x);
    const T d = du(x);
    return p.sech2 * (d + x * (T(3 * kK * kC) * x - p.t * d * d));
  }
  template <class T> static T du(T x) { return T(kK) * (T(1) + T(3 * kC) * x * x); }
};

struct Silu {
  template <class T> T f(T x) const { return x * sigmoid_of(x); }
  // d/dx x s(x) = s (1 + x (1 - s)),  1 - s = s(-x) computed directly
  template <class T> T df(T x, T) const {
    const SigmoidPair<T> p = sigmoid_pair(x);
    return p.s * (T(1) + x * p.complement);
  }
  // d2/dx2 = s (1 - s) (2 + x (1 - 2 s))
  template <class T> T d2f(T x, T) const {
    const SigmoidPair<T> p = sigmoid_pair(x);
    return p.s * p.complement * (T(2) + x * (p.complement - p.s));
  }
};

struct Mish {
  // With n = e^x: t = tanh(softplus(x)) = m / (m + 2), m = n (n + 2), and no log is needed;
  // 1 - t^2 = 4 (m + 1) / (m + 2)^2 and sigmoid(x) = n / (1 + n), 1 - sigmoid(x) = 1 / (1 + n),
  // each without a subtraction that cancels. Past x = 20, t is 1 to working precision and
  // m^2 would overflow float, so n stops growing there.
  template <class T> struct Parts {
    T t, sech2, s, complement;  // tanh(softplus x), 1 - t^2, sigmoid(x), 1 - sigmoid(x)
  };
  template <class T> static Parts<T> parts(T x) {
    const T n = Math<T>::exp(x < T(20) ? x : T(20));
    const T m = n * (n + T(2)), r = T(1) / (m + T(2)), c = T(1) / (T(1) + n);
    return {m * r, T(4) * (m + T(1)) * r * r, n * c, c};
  }
  template <class T> T f(T x) const { return x * parts(x).t; }
  // d/dx x t = t + x (1 - t^2) s,   s = sigmoid(x)  (since d softplus / dx = s)
  template <class T> T df(T x, T) const {
    const Parts<T> p = parts(x);
    return p.t + x * p.sech2 * p.s;
  }
  // d2/dx2 = (1 - t^2) s (2 + x (1 - s - 2 t s))
  template <class T> T d2f(T x, T) const {
    const Parts<T> p = parts(x);
    return p.sech2 * p.s * (T(2) + x * (p.complement - T(2) * p.t * p.s));
  }
};

// --- smooth and saturating: softplus, sigmoid, tanh ----------------------------------------

struct Softplus {
  double beta;
  template <class T> T f(T x) const { return softplus_of(T(beta) * x) / T(beta); }
  // d/dx log(1 + e^(beta x)) / beta = sigmoid(beta x)
  template <class T> T df(T x, T) const { return sigmoid_of(T(beta) * x); }
  // d2/dx2 = beta s (1 - s)
  template <class T> T d2f(T x, T) const { return T(beta) * sigmoid_slope(T(beta) * x); }
};

struct Softsign {
  template <class T> T f(T x) const { return x / (T(1) + std::fabs(x)); }
  // d/dx x / (1 + |x|) = 1 / (1 + |x|)^2
  template <class T> T df(T x, T) const {
    const T d = T(1) + std::fabs(x);
    return T(1) / (d * d);
  }
  // d2/dx2 = -2 sign(x) / (1 + |x|)^3   (0 at x = 0, as PyTorch: its |x|' is sign(x), 0 at 0)
  template <class T> T d2f(T x, T) const {
    const T d = T(1) + std::fabs(x), magnitude = T(2) / (d * d * d);
    return x > T(0) ? -magnitude : (x < T(0) ? magnitude : T(0) * x);
  }
};

struct Sigmoid {
  template <class T> T f(T x) const { return sigmoid_of(x); }
  // d/dx s(x) = s (1 - s), from x: 1 - y would lose the digits of a y near 1
  template <class T> T df(T x, T) const { return sigmoid_slope(x); }
  // d2/dx2 = s (1 - s) (1 - 2 s),  1 - 2 s = -tanh(x/2) = -sign(x) (1 - q) / (1 + q),  q = e^-|x|
  template <class T> T d2f(T x, T) const {
    const T q = Math<T>::exp(-std::fabs(x)), m = Math<T>::expm1(-std::fabs(x)), d = T(1) + q;  // m = q - 1
    const T magnitude = q * m / (d * d * d);                               // <= 0
    return x > T(0) ? magnitude : -magnitude;
  }
};

struct HardSigmoid {
  // (x + 3) / 6 rather than x / 6 + 1/2, which cancels near x = -3.
  template <class T> T f(T x) const { return clamp_keeping_nan((x + T(3)) / T(6), T(0), T(1)); }
  // d/dx = 1/6 if -3 < x < 3 else 0   (0 at both kinks, as PyTorch)
  template <class T> T df(T x, T) const { return x > T(-3) && x < T(3) ? T(1) / T(6) : T(0); }
  template <class T> T d2f(T, T) const { return T(0); }
};

struct LogSigmoid {
  // log s(x) = -softplus(-x)
  template <class T> T f(T x) const { return -softplus_of(-x); }
  // d/dx log s(x) = 1 - s(x) = s(-x)
  template <class T> T df(T x, T) const { return sigmoid_of(-x); }
  // d2/dx2 = -s(x) (1 - s(x))
  template <class T> T d2f(T x, T) const { return -sigmoid_slope(x); }
};

struct Tanh {
  template <class T> T f(T x) const { return Math<T>::tanh(x); }
  // d/dx tanh(x) = 1 - tanh(x)^2 = 4 q / (1 + q)^2 with q = e^(-2|x|): 1 - y^2 from the
  // output would lose the digits of a y near +-1.
  template <class T> T df(T x, T) const { return sech2(x); }
  // d2/dx2 tanh(x) = -2 tanh(x) (1 - tanh(x)^2)
  template <class T> T d2f(T x, T y) const { return T(-2) * y * sech2(x); }
  template <class T> static T sech2(T x) {
    const T q = Math<T>::exp(T(-2) * std::fabs(x)), d = T(1) + q;
    return T(4) * q / (d * d);
  }
};

struct Hardswish {
  template <class T> T f(T x) const { return x * clamp_keeping_nan(x + T(3), T(0), T(6)) * T(1.0 / 6); }
  // d/dx = 0 if x < -3, x/3 + 1/2 if -3 <= x <= 3, 1 if x > 3   (as PyTorch, kinks included)
  // ((2x + 3) / 6, not x/3 + 1/2, which cancels near the root at x = -3/2)
  template <class T> T df(T x, T) const { return x < T(-3) ? T(0) : (x <= T(3) ? (T(2) * x + T(3)) / T(6) : T(1)); }
  template <class T> T d2f(T x, T) const { return x > T(-3) && x < T(3) ? T(1) / T(3) : T(0); }
};

// --- the poor choices ---------------------------------------------------------------------

struct Square {
  template <class T> T f(T x) const { return x * x; }
  template <class T> T df(T x, T) const { return T(2) * x; }  // d/dx x^2 = 2x
  template <class T> T d2f(T, T) const { return T(2); }
};

struct Sqrt {
  template <class T> T f(T x) const { return std::sqrt(x); }                // NaN for x < 0
  template <class T> T df(T, T y) const { return T(0.5) / y; }              // d/dx sqrt(x) = 1 / (2 sqrt(x))
  template <class T> T d2f(T x, T y) const { return T(-0.25) / (x * y); }  // -1 / (4 x^(3/2))
};

struct Log {
  template <class T> T f(T x) const { return Math<T>::log(x); }   // NaN for x < 0, -inf at 0
  template <class T> T df(T x, T) const { return T(1) / x; }      // d/dx ln x = 1 / x
  template <class T> T d2f(T x, T) const { return T(-1) / (x * x); }
};

struct SignedSqrt {
  template <class T> T f(T x) const { return std::copysign(std::sqrt(std::fabs(x)), x); }
  // d/dx sign(x) sqrt(|x|) = 1 / (2 sqrt(|x|)): infinite at 0
  template <class T> T df(T x, T) const { return T(0.5) / std::sqrt(std::fabs(x)); }
  // d2/dx2 = -sign(x) / (4 |x|^(3/2))
  template <class T> T d2f(T x, T) const {
    const T a = std::fabs(x);
    return -std::copysign(T(0.25), x) / (a * std::sqrt(a));
  }
};

}  // namespace

// --- the functions on tensors -----------------------------------------------------------------

Tensor identity(const Tensor& x) { return fused_activation(Identity{}, "identity", x); }
Tensor relu(const Tensor& x) { return fused_activation(Relu{}, "relu", x); }
Tensor leaky_relu(const Tensor& x, double slope) { return fused_activation(LeakyRelu{slope}, "leaky_relu", x); }
Tensor elu(const Tensor& x, double alpha) { return fused_activation(Elu{alpha}, "elu", x); }
Tensor selu(const Tensor& x) { return fused_activation(Selu{}, "selu", x); }
Tensor celu(const Tensor& x, double alpha) { return fused_activation(Celu{alpha}, "celu", x); }
Tensor gelu(const Tensor& x) { return fused_activation(Gelu{}, "gelu", x); }
Tensor gelu_tanh(const Tensor& x) { return fused_activation(GeluTanh{}, "gelu_tanh", x); }
Tensor silu(const Tensor& x) { return fused_activation(Silu{}, "silu", x); }
Tensor mish(const Tensor& x) { return fused_activation(Mish{}, "mish", x); }
Tensor softplus(const Tensor& x, double beta) { return fused_activation(Softplus{beta}, "softplus", x); }
Tensor softsign(const Tensor& x) { return fused_activation(Softsign{}, "softsign", x); }
Tensor sigmoid(const Tensor& x) { return fused_activation(Sigmoid{}, "sigmoid", x); }
Tensor hard_sigmoid(const Tensor& x) { return fused_activation(HardSigmoid{}, "hard_sigmoid", x); }
Tensor log_sigmoid(const Tensor& x) { return fused_activation(LogSigmoid{}, "log_sigmoid", x); }
Tensor tanh(const Tensor& x) { return fused_activation(Tanh{}, "tanh", x); }
Tensor hardtanh(const Tensor& x, double low, double high) {
  if (!(low < high)) throw std::invalid_argument("hardtanh: min_val must be below max_val");
  return fused_activation(Hardtanh{low, high}, "hardtanh", x);
}
Tensor relu6(const Tensor& x) { return fused_activation(Relu6{}, "relu6", x); }
Tensor hardswish(const Tensor& x) { return fused_activation(Hardswish{}, "hardswish", x); }
Tensor signed_sqrt(const Tensor& x) { return fused_activation(SignedSqrt{}, "signed_sqrt", x); }

// prelu has a tensor parameter, so it is an op of two inputs rather than a table functor:
//   y = x if x > 0 else a x;   d/dx = 1 or a (a at x = 0, as PyTorch);   d/da = 0 or x
Tensor prelu(const Tensor& x, const Tensor& weight) {
  if (weight.numel() != 1) {
    throw ShapeError("prelu: the slope must have one element, got shape " + to_string(weight.sizes()));
  }
  detail::check_same_dtype(x, weight, "prelu");
  const Tensor a = weight.reshape({});
  Tensor y = empty(x.sizes(), x.dtype());
  dispatch_floating(x.dtype(), "prelu", [&]<class T>() {
    detail::activation_forward_kernel(LeakyRelu{static_cast<double>(a.data_ptr<T>()[0])}, x.data_ptr<T>(),
                                      y.data_ptr<T>(), x.numel());
  });
  return record("prelu", y, {x, a}, [x, a](const Tensor& g) {
    if (GradMode::is_enabled()) {  // create_graph: the same formulas as differentiable ops
      const Tensor positive = gt(x.detach(), 0.0);
      return TensorList{where(positive, g, g * a), where(positive, zeros_like(g), g * x).sum()};
    }
    Tensor gx = empty(x.sizes(), x.dtype()), ga = empty({}, x.dtype());
    dispatch_floating(x.dtype(), "prelu", [&]<class T>() {
      const T* px = x.data_ptr<T>();
      const T* pg = g.data_ptr<T>();
      kernels::prelu_input_grad(px, pg, a.data_ptr<T>()[0], gx.data_ptr<T>(), x.numel());
      ga.data_ptr<T>()[0] = kernels::prelu_slope_grad(px, pg, x.numel());
    });
    return TensorList{gx, ga};
  });
}

// --- the table --------------------------------------------------------------------------------

namespace detail {

std::vector<Activation> builtin_activations() {
  // The learnable slope of prelu lives in its layer; the table's prelu uses the initial 0.25.
  static const Tensor prelu_initial = full({}, 0.25);
  auto row = [](std::string name, std::string formula, std::string derivative, auto fn) {
    Activation a;
    a.name = std::move(name);
    a.formula = std::move(formula);
    a.derivative = std::move(derivative);
    a.apply = fn;
    a.builtin = true;
    return a;
  };
  auto with = [](Activation a, auto&& edit) {
    edit(a);
    return a;
  };
  std::vector<Activation> t;
  t.push_back(row("identity", "x", "1", identity));
  t.push_back(with(row("relu", "max(0, x)", "1 if x > 0, else 0 (0 at x = 0)", relu),
                   [](Activation& a) { a.kinks = {0}; a.twice_differentiable = false; }));
  t.push_back(with(row("leaky_relu", "x if x > 0, else 0.01 x", "1 if x > 0, else 0.01",
                       [](const Tensor& x) { return leaky_relu(x); }),
                   [](Activation& a) { a.kinks = {0}; a.twice_differentiable = false; a.parameters = "slope = 0.01"; }));
  t.push_back(with(row("prelu", "x if x > 0, else a x (a learned)", "1 if x > 0, else a",
                       [](const Tensor& x) { return prelu(x, prelu_initial.to(x.dtype())); }),
                   [](Activation& a) { a.kinks = {0}; a.twice_differentiable = false; a.parameters = "a = 0.25 (initial)"; }));
  t.push_back(with(row("elu", "x if x > 0, else e^x - 1", "1 if x > 0, else e^x",
                       [](const Tensor& x) { return elu(x); }),
                   [](Activation& a) { a.parameters = "alpha = 1"; }));
  t.push_back(with(row("selu", "1.0507 (x if x > 0, else 1.6733 (e^x - 1))", "1.0507 if x > 0, else 1.7581 e^x", selu),
                   [](Activation& a) { a.kinks = {0}; }));
  t.push_back(with(row("celu", "x if x > 0, else e^x - 1", "1 if x > 0, else e^x",
                       [](const Tensor& x) { return celu(x); }),
                   [](Activation& a) { a.parameters = "alpha = 1"; }));
  t.push_back(row("gelu", "x Phi(x)", "Phi(x) + x phi(x)", gelu));
  t.push_back(row("gelu_tanh", "x (1 + tanh(0.7979 (x + 0.0447 x^3))) / 2", "see builtin.cpp", gelu_tanh));
  t.push_back(row("silu", "x sigmoid(x)", "s (1 + x (1 - s))", silu));
  t.push_back(row("swish", "x sigmoid(x) (= silu)", "s (1 + x (1 - s))", silu));
  t.push_back(row("mish", "x tanh(softplus(x))", "t + x (1 - t^2) sigmoid(x)", mish));
  t.push_back(with(row("softplus", "log(1 + e^x)", "sigmoid(x)", [](const Tensor& x) { return softplus(x); }),
                   [](Activation& a) { a.parameters = "beta = 1"; }));
  t.push_back(row("softsign", "x / (1 + |x|)", "1 / (1 + |x|)^2", softsign));
  t.push_back(row("sigmoid", "1 / (1 + e^-x)", "s (1 - s)", sigmoid));
  t.push_back(with(row("hard_sigmoid", "clamp(x / 6 + 1/2, 0, 1)", "1/6 if -3 < x < 3, else 0", hard_sigmoid),
                   [](Activation& a) { a.kinks = {-3, 3}; a.twice_differentiable = false; }));
  t.push_back(row("log_sigmoid", "log(1 / (1 + e^-x))", "1 - sigmoid(x)", log_sigmoid));
  t.push_back(row("tanh", "(e^x - e^-x) / (e^x + e^-x)", "1 - tanh(x)^2", tanh));
  t.push_back(with(row("hardtanh", "clamp(x, -1, 1)", "1 if -1 < x < 1, else 0",
                       [](const Tensor& x) { return hardtanh(x); }),
                   [](Activation& a) { a.kinks = {-1, 1}; a.twice_differentiable = false; }));
  t.push_back(with(row("relu6", "clamp(x, 0, 6)", "1 if 0 < x < 6, else 0", relu6),
                   [](Activation& a) { a.kinks = {0, 6}; a.twice_differentiable = false; }));
  t.push_back(with(row("hardswish", "x clamp(x + 3, 0, 6) / 6", "0, x/3 + 1/2, 1 on x < -3, [-3, 3], x > 3", hardswish),
                   [](Activation& a) { a.kinks = {-3, 3}; }));
  t.push_back(row("square", "x^2", "2x",
                  [](const Tensor& x) { return fused_activation(Square{}, "square", x); }));
  t.push_back(with(row("sqrt", "sqrt(x)", "1 / (2 sqrt(x))",
                       [](const Tensor& x) { return fused_activation(Sqrt{}, "sqrt", x); }),
                   [](Activation& a) { a.domain = Domain::NonNegative; a.kinks = {0}; }));
  t.push_back(with(row("log", "ln(x)", "1 / x", [](const Tensor& x) { return fused_activation(Log{}, "log", x); }),
                   [](Activation& a) { a.domain = Domain::Positive; a.kinks = {0}; }));
  t.push_back(with(row("signed_sqrt", "sign(x) sqrt(|x|)", "1 / (2 sqrt(|x|)), infinite at 0", signed_sqrt),
                   [](Activation& a) { a.kinks = {0}; }));
  return t;
}

void check_activation_input(const Tensor& x, std::string_view name) {
  if (!is_floating_point(x.dtype())) {
    throw DtypeError(std::string(name) + ": expected a floating-point tensor, got " + std::string(to_string(x.dtype())));
  }
}

void throw_third_derivative(const std::string& name) {
  throw AutogradError(name + ": derivatives beyond the second are not available for fused activation kernels");
}

void throw_no_second_derivative(const std::string& name) {
  throw AutogradError(name + ": no second derivative was given for this activation; pass f'' to "
                      "elementwise_activation() to make it twice differentiable");
}

}  // namespace detail
}  // namespace nabla
