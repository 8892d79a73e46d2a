#pragma once
// The activations autograd itself offers, as ops: identity, relu, sigmoid and tanh, and the
// functors of their math (f, f', f'') that activation_op runs. nn's activation table describes
// the same four by these functors (nn/activations/builtin.h), so each formula is written once.
#include <cmath>

#include "autograd/scalar/fast_math.h"
#include "autograd/scalar/logistic.h"
#include "autograd/scalar/select.h"
#include "autograd/tensor.h"

namespace nabla {

// y is a copy of x (writing into y leaves x alone); its backward hands the gradient on untouched.
Tensor identity(const Tensor& x);
Tensor relu(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor tanh(const Tensor& x);

namespace ops {

struct Identity {
  static constexpr const char* name = "identity";
  template <class T> T f(T x) const { return x; }
  template <class T> T df(T, T) const { return T(1); }  // d/dx x = 1
  template <class T> T d2f(T, T) const { return T(0); }
};

struct Relu {
  static constexpr const char* name = "relu";
  template <class T> T f(T x) const { return x < T(0) ? T(0) : x; }  // NaN stays NaN
  // d/dx max(0, x) = 1 if x > 0 else 0   (0 at x = 0, as PyTorch)
  template <class T> T df(T x, T) const { return unit_step(x); }
  template <class T> T d2f(T, T) const { return T(0); }
};

struct Sigmoid {
  static constexpr const char* name = "sigmoid";
  template <class T> T f(T x) const { return sigmoid_of(x); }
  // d/dx s(x) = s (1 - s). For x <= 0 that is y (1 - y) (1 - y >= 1/2 keeps its digits); for
  // x > 0, 1 - y would lose the digits of a y near 1, and 1 - s = q s with q = e^-x instead,
  // so s (1 - s) = q y^2: no division, unlike q / (1 + q)^2 from x alone.
  template <class T> T df(T x, T y) const {
    const T q = Math<T>::exp(-std::fabs(x));
    return x > T(0) ? q * y * y : y * (T(1) - y);
  }
  // d2/dx2 = s (1 - s) (1 - 2 s),  1 - 2 s = -tanh(x/2) = -sign(x) (1 - q) / (1 + q),  q = e^-|x|
  // In double after the exps: five roundings in float would add up to twice PyTorch's error.
  template <class T> T d2f(T x, T) const {
    const double q = Math<T>::exp(-std::fabs(x)), m = Math<T>::expm1(-std::fabs(x));  // m = q - 1
    const T magnitude = static_cast<T>(q * m * fast_math::inverse_cube_of_one_plus(q));  // <= 0
    return x > T(0) ? magnitude : -magnitude;
  }
};

struct Tanh {
  static constexpr const char* name = "tanh";
  template <class T> T f(T x) const { return Math<T>::tanh(x); }
  // d/dx tanh(x) = 1 - tanh(x)^2 = 4 q / (1 + q)^2 with q = e^(-2|x|): 1 - y^2 from the
  // output would lose the digits of a y near +-1. Since 1 + |y| = 2 / (1 + q), that is
  // q (1 + |y|)^2: products only, no cancellation and no division.
  template <class T> T df(T x, T y) const {
    const T b = T(1) + std::fabs(y);
    return Math<T>::exp(T(-2) * std::fabs(x)) * b * b;
  }
  // d2/dx2 tanh(x) = -2 tanh(x) (1 - tanh(x)^2) = -8 sign(x) q (1 - q) / (1 + q)^3, q = e^(-2|x|):
  // from x alone and in double after the exps, not from y, whose own rounding would add to
  // the formula's.
  template <class T> T d2f(T x, T) const {
    const double q = Math<T>::exp(T(-2) * std::fabs(x)), m = Math<T>::expm1(T(-2) * std::fabs(x));  // m = q - 1
    const T magnitude = static_cast<T>(8 * q * m * fast_math::inverse_cube_of_one_plus(q));  // <= 0
    return x > T(0) ? magnitude : (x < T(0) ? -magnitude : T(0) * x);
  }
};

}  // namespace ops
}  // namespace nabla
