#pragma once
// Reductions over all elements or along one dimension. Each one's backward spreads the
// gradient back over the input's shape (sum_to, at the end, is the reverse: what every
// broadcasting op's backward uses). The loops are autograd/kernels/reduce.h; float32 sums
// and means accumulate in double. `dim` may be negative (-1 is the last dimension); out of
// range is a ShapeError. keepdim keeps the reduced dimension with size 1.
#include "autograd/tensor.h"

namespace nabla {

// Gradients and empty tensors follow PyTorch:
//   sum of an empty tensor (or dimension) is 0; mean of one is NaN (0/0).
//   max(), min(), amax() and amin() share the gradient evenly among elements tying for the
//   maximum (k ties get 1/k each); max(dim) and min(dim) send it to the one index they return.
//   NaN counts as the largest value; NaNs tie with each other.
//   max(), min(), amax(), amin() and argmax() of an empty tensor, and any of them along an
//   empty dimension, throw ShapeError.
// One deliberate difference: PyTorch's amax(dim) gives a NaN gradient to the whole slice when
// the slice holds a NaN (its tie mask compares NaN == NaN and counts 0 ties); nabla treats NaNs
// as tying, as PyTorch's own max() does, so the gradient goes to the NaNs.
// Sum of all elements (shape []) or along `dim`; any dtype (int64 sums stay int64).
Tensor sum(const Tensor& x);
Tensor sum(const Tensor& x, int64_t dim, bool keepdim = false);
// Mean of all elements or along `dim`; float32/float64 only (DtypeError for int64: convert with .to()).
Tensor mean(const Tensor& x);
Tensor mean(const Tensor& x, int64_t dim, bool keepdim = false);
// The largest / smallest element, shape [] (amax(x) and amin(x) are the same, by libtorch's names).
Tensor max(const Tensor& x);
Tensor min(const Tensor& x);
Tensor amax(const Tensor& x);
Tensor amin(const Tensor& x);
// Largest (smallest) along `dim` (values), and where they are (int64 indices of the first
// maximum (minimum), not differentiable). min's NaN counts as the smallest: a slice holding
// one has the minimum NaN, as in PyTorch.
std::tuple<Tensor, Tensor> max(const Tensor& x, int64_t dim, bool keepdim = false);
std::tuple<Tensor, Tensor> min(const Tensor& x, int64_t dim, bool keepdim = false);
// The largest (smallest) values along `dim`, without the indices.
Tensor amax(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor amin(const Tensor& x, int64_t dim, bool keepdim = false);
// Where the first maximum is, int64, not differentiable: the flat index, or one per slice.
Tensor argmax(const Tensor& x);
Tensor argmax(const Tensor& x, int64_t dim, bool keepdim = false);

// Sums a broadcast gradient back to `shape` (the inverse of broadcasting `shape` up to
// x's shape): leading dimensions are summed away, dimensions of size 1 are summed in place.
// ShapeError if x's shape is not a broadcast of `shape`.
Tensor sum_to(const Tensor& x, const Shape& shape);

}  // namespace nabla
