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
//   max(), min() and amax(dim) share the gradient evenly among elements tying for the maximum
//   (k ties get 1/k each); max(dim) sends it to the one index it returns (the first maximum).
//   NaN counts as the largest value; NaNs tie with each other.
//   max(), min() and argmax() of an empty tensor, and max(dim)/amax(dim) along an empty
//   dimension, throw ShapeError.
// One deliberate difference: PyTorch's amax(dim) gives a NaN gradient to the whole slice when
// the slice holds a NaN (its tie mask compares NaN == NaN and counts 0 ties); nabla treats NaNs
// as tying, as PyTorch's own max() does, so the gradient goes to the NaNs.
// Sum of all elements (shape []) or along `dim`; any dtype (int64 sums stay int64).
Tensor sum(const Tensor& x);
Tensor sum(const Tensor& x, int64_t dim, bool keepdim = false);
// Mean of all elements or along `dim`; float32/float64 only (DtypeError for int64: convert with .to()).
Tensor mean(const Tensor& x);
Tensor mean(const Tensor& x, int64_t dim, bool keepdim = false);
// The largest / smallest element, shape [].
Tensor max(const Tensor& x);
Tensor min(const Tensor& x);
// Largest along `dim` (values), and where they are (int64 indices of the first maximum, not
// differentiable).
std::tuple<Tensor, Tensor> max(const Tensor& x, int64_t dim, bool keepdim = false);
// The largest values along `dim`, without the indices.
Tensor amax(const Tensor& x, int64_t dim, bool keepdim = false);
// Where the first maximum is, int64, not differentiable: the flat index, or one per slice.
Tensor argmax(const Tensor& x);
Tensor argmax(const Tensor& x, int64_t dim, bool keepdim = false);

// Sums a broadcast gradient back to `shape` (the inverse of broadcasting `shape` up to
// x's shape): leading dimensions are summed away, dimensions of size 1 are summed in place.
// ShapeError if x's shape is not a broadcast of `shape`.
Tensor sum_to(const Tensor& x, const Shape& shape);

}  // namespace nabla
