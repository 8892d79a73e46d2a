#pragma once
// Loops that move elements without arithmetic (or with a sum where rows collide):
// transposing, selecting rows and making a strided view contiguous. A tensor is seen as
// [outer, size, inner] around the dimension that is transposed or indexed.
#include <cstdint>

#include "autograd/shape.h"

namespace nabla::kernels {

// out[b, j, i] = x[b, i, j] for a batch of rows x cols matrices.
template <class T> void transpose(const T* x, int64_t batch, int64_t rows, int64_t cols, T* out);
// out[o, j, i] = x[o, index[j], i], with out of shape [outer, count, inner].
template <class T>
void index_select(const T* x, int64_t outer, int64_t size, int64_t inner, const int64_t* index, int64_t count, T* out);
// out[o, index[j], i] += src[o, j, i]: repeated indices add up.
template <class T>
void index_add(const T* src, int64_t outer, int64_t size, int64_t inner, const int64_t* index, int64_t count, T* out);

// out[0..n) = the elements of the strided view (sizes, strides) starting at x, in row-major
// order: a view made contiguous. Strides are in elements, >= 0 (0 repeats an element).
template <class T> void gather_strided(const T* x, const Shape& sizes, const Strides& strides, T* out);
// The reverse: the n elements of x, in row-major order, written into the strided view (sizes,
// strides) starting at out. The view's elements must not overlap (no stride 0 over a size > 1).
template <class T> void scatter_strided(const T* x, const Shape& sizes, const Strides& strides, T* out);
// The same walk adding instead of writing: out[view position of i] += x[i]. The view may
// overlap itself (stride 0, overlapping windows): every element that lands on one place adds.
template <class T> void scatter_add_strided(const T* x, const Shape& sizes, const Strides& strides, T* out);

}  // namespace nabla::kernels
