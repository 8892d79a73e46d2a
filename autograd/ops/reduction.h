#pragma once
// Reductions over all elements or along one dimension.
#include "autograd/tensor.h"

namespace nabla {

Tensor sum(const Tensor& x);
Tensor sum(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor mean(const Tensor& x);
Tensor mean(const Tensor& x, int64_t dim, bool keepdim = false);
// The largest element; its gradient flows to the first position holding it.
Tensor max(const Tensor& x);
Tensor min(const Tensor& x);
// Largest along `dim` (values), and where they are (int64 indices, not differentiable).
std::tuple<Tensor, Tensor> max(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor amax(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor argmax(const Tensor& x);  // flat index, int64
Tensor argmax(const Tensor& x, int64_t dim, bool keepdim = false);

// Sums a broadcast gradient back to `shape` (the inverse of broadcasting `shape` up to
// x's shape): leading dimensions are summed away, dimensions of size 1 are summed in place.
Tensor sum_to(const Tensor& x, const Shape& shape);

}  // namespace nabla
