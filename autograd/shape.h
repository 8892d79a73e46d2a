#pragma once
// The shape of a tensor: a short list of sizes, stored inline (no allocation per tensor), and
// its strides, a list of the same kind. A plain value at the bottom of the engine, with the
// rules every op shares: negative dimensions (wrap_dim), broadcasting (broadcast_shapes),
// overflow-checked sizes and the row-major strides of a contiguous tensor.
#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace nabla {

// Up to kMaxDims sizes; a ninth push_back is a ShapeError. [] is a scalar (one element).
class Shape {
 public:
  static constexpr int kMaxDims = 8;

  Shape() = default;
  Shape(std::initializer_list<int64_t> sizes) { assign(sizes.begin(), sizes.end()); }
  Shape(const std::vector<int64_t>& sizes) { assign(sizes.begin(), sizes.end()); }  // NOLINT: implicit by design
  template <class It> Shape(It first, It last) { assign(first, last); }

  int dim() const { return rank_; }           // the number of dimensions
  bool empty() const { return rank_ == 0; }   // no dimensions (a scalar), not "no elements"
  int64_t operator[](int d) const { return sizes_[d]; }  // d in [0, dim()), unchecked
  int64_t& operator[](int d) { return sizes_[d]; }
  const int64_t* begin() const { return sizes_.data(); }
  const int64_t* end() const { return sizes_.data() + rank_; }
  int64_t front() const { return sizes_[0]; }
  int64_t back() const { return sizes_[rank_ - 1]; }

  // The number of elements. Every shape a tensor holds has passed checked_numel(), so
  // this product cannot overflow there.
  int64_t numel() const;
  void push_back(int64_t size);                          // ShapeError past kMaxDims
  std::vector<int64_t> vec() const { return {begin(), end()}; }  // the sizes, as a vector

  friend bool operator==(const Shape& a, const Shape& b) {
    return a.rank_ == b.rank_ && std::equal(a.begin(), a.end(), b.begin());
  }

 private:
  template <class It> void assign(It first, It last) {
    for (; first != last; ++first) push_back(*first);
  }
  std::array<int64_t, kMaxDims> sizes_{};
  int rank_ = 0;
};

// How many elements to step in memory for one step along each dimension: a list of the same
// kind as the sizes, one per dimension.
using Strides = Shape;

// The strides of a contiguous, row-major tensor of this shape: [2, 3, 4] -> [12, 4, 1].
Strides contiguous_strides(const Shape& shape);
// True if a tensor of these sizes and strides is row-major without gaps (as libtorch decides:
// sizes of 1 may have any stride, and an empty tensor is contiguous).
bool is_row_major(const Shape& sizes, const Strides& strides);

// True if a tensor of these sizes and strides fills a run of numel elements exactly, in some
// order of its dimensions: a contiguous tensor, its transpose, any permutation of one. (No
// gaps, no element seen twice.) An elementwise op can walk such a run as if it were contiguous.
bool is_dense(const Shape& sizes, const Strides& strides);

// The strides under which a tensor of `sizes` and `strides` can be seen as `shape` (as many
// elements) without moving any, or nothing if no strides would do: libtorch's rule for
// view(). Dimensions can be split anywhere, and merged only where they form one run of
// memory (stride[d] = stride[d + 1] * size[d + 1]); x.t().view({-1}) cannot be a view.
std::optional<Strides> view_strides(const Shape& sizes, const Strides& strides, const Shape& shape);

// "[2, 3]"
std::string to_string(const Shape& shape);

// The number of elements of a tensor of this shape. Throws ShapeError naming `op` and the
// shape if a size is negative or the count does not fit in int64 (a [2^32, 2^32] tensor
// would otherwise have 0 elements, and index far outside its memory). Every tensor's shape
// is checked with it when the tensor is made or reshaped.
int64_t checked_numel(const Shape& shape, const char* op);

// Wraps a possibly negative dimension (-1 = last) into [0, rank); throws ShapeError naming `op`.
int wrap_dim(int64_t dim, int rank, const char* op);

// NumPy broadcasting: align trailing dims; each pair must be equal or one of them 1.
// Returns the broadcast shape; ShapeError naming `op` and both shapes if they do not fit.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

}  // namespace nabla
