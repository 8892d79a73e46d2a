#pragma once
// Reductions over all elements or along one dimension.
#include "autograd/tensor.h"

namespace nabla {

// Gradients and empty tensors follow PyTorch:
//   sum of an empty tensor (or dimension) is 0; mean of one is NaN (0/0).
//   max(), min() and amax(dim) share the gradient evenly among elements tying for the maximum
//   (k ties get 1/k each); max(dim) sends it to the one index it returns (the first maximum).
//   NaN counts as the largest value; NaNs tie with each other.
//   max(), min() and argmax() of an empty tensor, and max(dim)/amax(dim) along an empty
//   dimension, throw ShapeError.
// One deliberate difference: PyTorch's amax(dim) gives a NaN gradient to the whole slice when
// the slice holds a NaN (its tie mask compares NaN == NaN and counts 0 ties); nabla treats NaNs
// as tying, as PyTorch's own max() does, so the gradient goes to the NaNs.
Tensor sum(const Tensor& x);
Tensor sum(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor mean(const Tensor& x);
Tensor mean(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor max(const Tensor& x);
Tensor min(const Tensor& x);
// Largest along `dim` (values), and where they are (int64 indices of the first maximum, not
// differentiable).
std::tuple<Tensor, Tensor> max(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor amax(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor argmax(const Tensor& x);  // flat index, int64
Tensor argmax(const Tensor& x, int64_t dim, bool keepdim = false);

// Sums a broadcast gradient back to `shape` (the inverse of broadcasting `shape` up to
// x's shape): leading dimensions are summed away, dimensions of size 1 are summed in place.
Tensor sum_to(const Tensor& x, const Shape& shape);

}  // namespace nabla
