#pragma once
// Pointwise loops on raw, contiguous buffers: each output element is a function of the
// input elements at the same position (after broadcasting, for `binary`). No tensors and
// no graph here: these are the loops the ops in autograd/ops/math_ops.cpp call, and what
// bench/ measures. Large loops are split across threads (parallel.h). Instantiated for
// float, double and int64; the ops let through only what is exact on integers. out may be
// the same buffer as an input (the in-place ops use them that way). The functions of one
// tensor (exp, log, ...) are the rows of autograd/ops/unary_ops.def, each run by map.h's loop.
#include <cstdint>

#include "autograd/shape.h"

namespace nabla::kernels {

enum class BinaryOp { Add, Sub, Mul, Div, Maximum, Minimum, Eq, Ne, Lt, Le, Gt, Ge };
// x op s, and for the r-variants s op x.
enum class ScalarOp { Add, Mul, Pow, RSub, RDiv, Maximum, Minimum, Eq, Ne, Lt, Le, Gt, Ge };

// out[i] = x[i] op s (s op x[i] for the r-variants); comparisons give 1 or 0.
template <class T> void scalar(ScalarOp op, const T* x, T s, T* out, int64_t n);
// out[i] = min(max(x[i], low), high).
template <class T> void clamp(const T* x, T low, T high, T* out, int64_t n);
// out = mask != 0 ? a : b, all of length n.
template <class T> void where(const T* mask, const T* a, const T* b, T* out, int64_t n);
// out += alpha * x
template <class T> void axpy(T alpha, const T* x, T* out, int64_t n);
// out[i] = value.
template <class T> void fill(T value, T* out, int64_t n);
// out[i] = static_cast<To>(x[i]).
template <class From, class To> void cast(const From* x, To* out, int64_t n);

// out = a op b with NumPy broadcasting from a_shape and b_shape to out_shape.
template <class T>
void binary(BinaryOp op, const T* a, const Shape& a_shape, const T* b, const Shape& b_shape, T* out,
            const Shape& out_shape);

}  // namespace nabla::kernels
