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
// The first index of the largest (smallest) element; NaN counts as both, as in PyTorch.
template <class T> int64_t argmax_all(const T* x, int64_t n);
template <class T> int64_t argmin_all(const T* x, int64_t n);

// Where the gradient of a maximum goes when elements tie for it (PyTorch's amax and max()):
// weights[o, k, i] = 1 / t if x[o, k, i] is one of the t elements equal to values[o, i] (a NaN
// maximum is matched by every NaN), else 0. `values` is [outer, inner].
template <class T>
void max_tie_weights(const T* x, const T* values, int64_t outer, int64_t size, int64_t inner, T* weights);
// out[o, indices[o, i], i] = 1 for every o, i; the rest of `out` is left as it is (zero it first).
// The gradient of a selection by index (max along a dim), and a one-hot encoding of labels.
template <class T> void one_hot_dim(const int64_t* indices, int64_t outer, int64_t size, int64_t inner, T* out);

}  // namespace nabla::kernels
