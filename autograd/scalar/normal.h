#pragma once
// The standard normal density on one value (its CDF is Math<T>::normal_cdf).
#include "autograd/scalar/fast_math.h"

namespace nabla {

// phi(x) = e^(-x^2 / 2) / sqrt(2 pi)
template <class T> T normal_pdf(T x) {
  constexpr double kInvSqrt2Pi = 0.39894228040143267794;  // 1 / sqrt(2 pi)
  return T(kInvSqrt2Pi) * Math<T>::exp_minus_half_square(x);
}

}  // namespace nabla
