#pragma once
// Elementwise ops on a view whose elements fill one run of memory in some order of its
// dimensions (x.t(), x.permute(...)): the kernel walks that run as if it were contiguous, and
// the output takes the view's strides, so x.t() * 2 reads and writes memory in order and is
// itself a transposed tensor (PyTorch's TensorIterator decides the same). Any other view is
// packed first.
#include <optional>

#include "autograd/shape.h"
#include "autograd/storage.h"
#include "autograd/tensor.h"

namespace nabla::detail {

// Whether t's elements fill storage[offset, offset + numel) exactly.
inline bool is_dense(const Tensor& t) { return t.is_contiguous() || is_dense(t.sizes(), t.strides()); }

// A new tensor of t's sizes and strides and the given dtype, on fresh memory: the layout of
// a dense t (a contiguous tensor for a contiguous t).
inline Tensor empty_with_layout(const Tensor& t, ScalarType dtype) {
  if (t.is_contiguous()) return empty(t.sizes(), dtype);
  return empty({t.numel()}, dtype).as_strided(t.sizes(), t.strides(), 0);
}

// For a broadcast of a run of memory (x.expand(...), the gradient of a sum: stride 0 where it
// repeats, row-major elsewhere), the run's own shape, with 1 where the view repeats it; a
// broadcasting kernel given that shape repeats it itself. Nothing for any other layout.
inline std::optional<Shape> broadcast_source_shape(const Tensor& t) {
  Shape source = t.sizes();
  for (int d = 0; d < source.dim(); ++d) {
    if (t.stride(d) == 0) source[d] = 1;
  }
  if (!is_row_major(source, t.strides())) return std::nullopt;
  return source;
}

// The first element of the run a dense tensor fills (its element [0, ..., 0]: strides are >= 0).
template <class T> T* run_begin(const Tensor& t) {
  return static_cast<T*>(t.impl().storage->data()) + t.storage_offset();
}

}  // namespace nabla::detail
