#pragma once
// A contiguous tensor seen as [outer, size, inner] around one dimension: how the ops that
// work along a dimension (reductions, softmax) hand it to their kernels.
#include <cstdint>

#include "autograd/shape.h"

namespace nabla::detail {

// The sizes of the dimensions before, at, and after `dim`.
struct Split {
  int64_t outer = 1, size = 1, inner = 1;
};

inline Split split_at(const Shape& shape, int dim) {
  Split s;
  for (int d = 0; d < shape.dim(); ++d) {
    if (d < dim) s.outer *= shape[d];
    if (d == dim) s.size = shape[d];
    if (d > dim) s.inner *= shape[d];
  }
  return s;
}

}  // namespace nabla::detail
