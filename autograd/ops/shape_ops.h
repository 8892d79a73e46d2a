#pragma once
// Ops that rearrange elements. Views, which share the storage and move nothing (new sizes,
// strides and offset, as in libtorch): transpose, permute, slice, select, narrow, unsqueeze,
// squeeze, broadcast_to/expand (stride 0), diagonal, unfold, view, and reshape/flatten
// wherever strides can express the new shape (otherwise they copy, as libtorch's reshape
// does). Copies: cat, stack, index_select.
//
// Writing into a view writes into its base (x.select(0, 0).fill_(9) changes x). Every op here
// is differentiable (the backward routes each gradient element back to where it came from).
// A dimension may be negative, counting from the end (-1 is the last); one out of range, or
// sizes that do not fit, is a ShapeError naming the op and the shapes.
#include <vector>

#include "autograd/tensor.h"

namespace nabla {

// Same elements, new shape; one size may be -1 (inferred). A view where strides allow
// (always for contiguous data), a copy otherwise.
Tensor reshape(const Tensor& x, const Shape& shape);
// reshape that never copies: ShapeError where no strides give the new shape (x.t().view({-1})).
Tensor view(const Tensor& x, const Shape& shape);
// Dimensions start_dim..end_dim merged into one (a view): [2, 3, 4] -> [24] by default.
Tensor flatten(const Tensor& x, int64_t start_dim = 0, int64_t end_dim = -1);
// A size-1 dimension inserted at `dim` (a view): [3] -> [1, 3] for dim 0.
Tensor unsqueeze(const Tensor& x, int64_t dim);
// Dimension `dim` removed if its size is 1, else x unchanged (a view), as in PyTorch.
Tensor squeeze(const Tensor& x, int64_t dim);
// dim0 and dim1 swapped (a view).
Tensor transpose(const Tensor& x, int64_t dim0, int64_t dim1);
// x repeated along its size-1 (or missing leading) dimensions up to `shape`: a view with
// stride 0 there, so writing into it is refused (its elements overlap).
Tensor broadcast_to(const Tensor& x, const Shape& shape);
// broadcast_to where a size of -1 keeps x's size: expand(x, {4, -1}) of a [1, 3] is [4, 3].
Tensor expand(const Tensor& x, const Shape& shape);
// The elements x[..., i, ..., i + offset, ...] of dimensions dim1 and dim2, in a new last
// dimension (a view): offset > 0 above the main diagonal, < 0 below.
Tensor diagonal(const Tensor& x, int64_t offset = 0, int64_t dim1 = 0, int64_t dim2 = 1);
// Every window of `size` elements along `dim`, `step` apart, in a new last dimension (a view;
// windows overlap when step < size): [7] with size 3, step 2 -> [3, 3].
Tensor unfold(const Tensor& x, int64_t dim, int64_t size, int64_t step);
// Joins tensors along an existing dimension: same dtype, same sizes elsewhere (ShapeError).
Tensor cat(const std::vector<Tensor>& tensors, int64_t dim = 0);
// The slices x[..., index[j], ...] along `dim`, in the order given; `index` is int64.
Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index);
Tensor index_select(const Tensor& x, int64_t dim, const std::vector<int64_t>& index);
// zeros of `shape` with source's slices added at `index` along `dim` (the backward of index_select).
Tensor index_add(const Shape& shape, int64_t dim, const Tensor& index, const Tensor& source);
// `length` slices from `start` along `dim` (a view).
Tensor narrow(const Tensor& x, int64_t dim, int64_t start, int64_t length);

// --- the slicing vocabulary of libtorch (views, differentiable) ---
// Elements start, start + step, ... before `end` along `dim`. As in Python and libtorch,
// negative start/end count from the end and both are clamped to the dimension, so
// x.slice(0, i, i + batch) is the last, shorter batch at the end; step must be positive.
Tensor slice(const Tensor& x, int64_t dim, int64_t start, int64_t end, int64_t step = 1);
// The slice at `index` along `dim`, with that dimension removed: select(x, 0, i) is x[i].
// A negative index counts from the end; out of range is a ShapeError.
Tensor select(const Tensor& x, int64_t dim, int64_t index);
// The dimensions reordered: y.size(i) = x.size(dims[i]). permute(x, {1, 0}) is transpose.
Tensor permute(const Tensor& x, const std::vector<int64_t>& dims);
// Every size-1 dimension removed.
Tensor squeeze(const Tensor& x);
// Tensors of equal shape joined along a new dimension `dim`.
Tensor stack(const std::vector<Tensor>& tensors, int64_t dim = 0);

}  // namespace nabla
