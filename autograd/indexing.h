#pragma once
// x.index({...}): libtorch's spelling of Python's x[...], for the common cases.
//
//   using namespace nabla::indexing;
//   x.index({0})                   x[0]         the first row (that dimension removed)
//   x.index({Slice(), 1})          x[:, 1]      the second column
//   x.index({Slice(1, None), 0})   x[1:, 0]
//   x.index({Slice(None, None, 2)}) x[::2]      every other row
//   x.index({"...", -1})           x[..., -1]   the last element along the last dimension
//   x.index({None})                x[None]      a new dimension of size 1 in front
//   x.index({rows})                x[rows]      rows picked by a 1-D int64 tensor (index_select)
//
// Each entry applies to the next dimension of x, left to right; dimensions not mentioned
// are kept whole. Every result is built from slice / select / index_select / unsqueeze, so
// it is differentiable: a view of x for integers, slices and None (writes reach x, as in
// libtorch), a copy where an index tensor picks rows. Not supported: boolean masks, two index tensors at
// once (advanced indexing), and index_put_. An index out of range, or more entries than
// x has dimensions, is a ShapeError naming the shape.
#include <cstdint>
#include <optional>
#include <string_view>

#include "autograd/tensor.h"

namespace nabla {
namespace indexing {

// Slice(start, stop, step) = Python's start:stop:step; None leaves an end open.
inline constexpr std::nullopt_t None = std::nullopt;
struct EllipsisIndexType {};
inline constexpr EllipsisIndexType Ellipsis{};

struct Slice {
  Slice(std::optional<int64_t> start = None, std::optional<int64_t> stop = None,  // NOLINT: as in libtorch
        std::optional<int64_t> step = None)
      : start(start), stop(stop), step(step) {}
  std::optional<int64_t> start, stop, step;
};

}  // namespace indexing

// One entry of x.index({...}): an integer, a Slice, None, "..." (or Ellipsis), or a 1-D
// int64 tensor. Implicit from each of them, so that a braced list reads like Python.
class TensorIndex {
 public:
  enum class Kind { Integer, Slice, None, Ellipsis, Tensor };

  TensorIndex(int64_t i) : kind_(Kind::Integer), integer_(i) {}  // NOLINT: implicit by design
  TensorIndex(int i) : TensorIndex(static_cast<int64_t>(i)) {}  // NOLINT
  TensorIndex(indexing::Slice s) : kind_(Kind::Slice), slice_(s) {}  // NOLINT
  TensorIndex(std::nullopt_t) : kind_(Kind::None) {}  // NOLINT
  TensorIndex(indexing::EllipsisIndexType) : kind_(Kind::Ellipsis) {}  // NOLINT
  TensorIndex(const char* text);  // NOLINT: only "..." is accepted (std::invalid_argument otherwise)
  TensorIndex(Tensor t) : kind_(Kind::Tensor), tensor_(std::move(t)) {}  // NOLINT

  // Which kind of entry this is; only the matching accessor below is meaningful.
  Kind kind() const { return kind_; }
  int64_t integer() const { return integer_; }
  const indexing::Slice& slice() const { return slice_; }
  const Tensor& tensor() const { return tensor_; }

 private:
  Kind kind_;
  int64_t integer_ = 0;
  indexing::Slice slice_;
  Tensor tensor_;
};

}  // namespace nabla
