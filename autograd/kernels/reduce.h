#pragma once
// Reductions on raw, contiguous buffers. A reduction over one dimension sees the tensor as
// [outer, size, inner]: out[o, i] = reduce over k of x[o, k, i].
#include <cstdint>

namespace nabla::kernels {

// Sums accumulate in double, so a float32 sum of a million elements keeps its digits (int64
// sums accumulate in int64, exactly). Instantiated for float, double and int64.
template <class T> T sum_all(const T* x, int64_t n);
template <class T> void sum_dim(const T* x, int64_t outer, int64_t size, int64_t inner, T* out);
// Maximum and the index of its first occurrence (NaN counts as the maximum, as in PyTorch).
template <class T> void max_dim(const T* x, int64_t outer, int64_t size, int64_t inner, T* values, int64_t* indices);
template <class T> int64_t argmax_all(const T* x, int64_t n);
template <class T> int64_t argmin_all(const T* x, int64_t n);

}  // namespace nabla::kernels
