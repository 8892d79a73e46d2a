#pragma once
// Functions of one element that the unary op table (autograd/ops/unary_ops.def) calls where
// the standard library has none (sign) or where float and double take different routes (exp,
// log): float through fast_math.h's IEEE versions, which vectorise and round once from double;
// double through libm, so that gradient checks in float64 measure the formulas alone.
#include <cmath>

#include "autograd/scalar/fast_math.h"

namespace nabla::kernels::element {

NABLA_VECTOR_INLINE float exp(float v) { return fast_math::exp_ieee(v); }
NABLA_VECTOR_INLINE double exp(double v) { return std::exp(v); }

NABLA_VECTOR_INLINE float log(float v) { return fast_math::log_ieee(v); }
NABLA_VECTOR_INLINE double log(double v) { return std::log(v); }

// -1, 0 or 1 (0 for -0 and NaN), in v's type.
template <class T> NABLA_VECTOR_INLINE T sign(T v) { return static_cast<T>((v > T(0)) - (v < T(0))); }

}  // namespace nabla::kernels::element
