#pragma once
// The logistic function sigmoid(x) = 1 / (1 + e^-x), its slope and softplus, on one value,
// written so that no subtraction cancels: the digits of a result near 0 or near 1 survive.
#include <cmath>

#include "autograd/scalar/fast_math.h"

namespace nabla {

// With an exp that reaches +inf: the float exp saturates at e^88 (scalar/fast_math.h), and
// 1 / (1 + e^88) would leave sigmoid(-inf) at 6e-39 instead of 0.
template <class T> T sigmoid_of(T x) { return T(1) / (T(1) + Math<T>::exp_reaching_inf(-x)); }

// sigmoid(x) and its complement 1 - sigmoid(x) = sigmoid(-x), neither found by subtracting
// from 1 (which loses the small one's digits): with q = e^-|x| in (0, 1], the one above 1/2
// is 1 / (1 + q) and the other q / (1 + q).
// In double, for the derivatives built on them (silu's): after the exp, the float formulas'
// four or five roundings would add up to twice PyTorch's error; in double they round once.
struct SigmoidPair {
  double s, complement;
};
template <class T> SigmoidPair sigmoid_pair(T x) {
  const double q = Math<T>::exp(-std::fabs(x)), above = 1 / (1 + q), below = q * above;
  return {x > T(0) ? above : below, x > T(0) ? below : above};
}

// sigmoid'(x) = s (1 - s) = q / (1 + q)^2 with q = e^-|x|: no cancellation when s is near 1.
// In double after the exp, as sigmoid_pair.
template <class T> T sigmoid_slope(T x) {
  const double q = Math<T>::exp(-std::fabs(x)), d = 1 + q;
  return static_cast<T>(q / (d * d));
}

// softplus(x) = log(1 + e^x) without overflow: max(x, 0) + log(1 + e^-|x|)
template <class T> T softplus_of(T x) {
  return (x > T(0) ? x : T(0)) + Math<T>::log1p_unit(Math<T>::exp(-std::fabs(x)));
}

}  // namespace nabla
