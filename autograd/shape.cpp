#include "autograd/shape.h"

#include "autograd/error.h"

namespace nabla {

int64_t Shape::numel() const {
  uint64_t n = 1;  // unsigned: an unchecked shape gives a wrong count, never undefined behaviour
  for (int64_t s : *this) n *= static_cast<uint64_t>(s);
  return static_cast<int64_t>(n);
}

int64_t checked_numel(const Shape& shape, const char* op) {
  int64_t n = 1;
  bool overflow = false;
  for (int64_t s : shape) {
    if (s < 0) throw ShapeError(std::string(op) + ": negative size " + std::to_string(s) + " in shape " + to_string(shape));
    overflow = overflow || __builtin_mul_overflow(n, s, &n);
  }
  // A zero anywhere makes the count 0, however large the other sizes.
  if (overflow && std::find(shape.begin(), shape.end(), 0) == shape.end()) {
    throw ShapeError(std::string(op) + ": shape " + to_string(shape) +
                     " has more elements than a 64-bit count can hold (2^63 - 1)");
  }
  return overflow ? 0 : n;
}

void Shape::push_back(int64_t size) {
  if (rank_ == kMaxDims) throw ShapeError("nabla supports at most " + std::to_string(kMaxDims) + " dimensions");
  sizes_[rank_++] = size;
}

Strides contiguous_strides(const Shape& shape) {
  Strides strides = shape;
  int64_t stride = 1;
  for (int d = shape.dim() - 1; d >= 0; --d) {
    strides[d] = stride;
    stride *= shape[d];
  }
  return strides;
}

bool is_row_major(const Shape& sizes, const Strides& strides) {
  if (sizes.numel() == 0) return true;
  int64_t expected = 1;
  for (int d = sizes.dim() - 1; d >= 0; --d) {
    if (sizes[d] != 1 && strides[d] != expected) return false;
    expected *= sizes[d];
  }
  return true;
}

bool is_dense(const Shape& sizes, const Strides& strides) {
  if (sizes.numel() == 0) return true;
  std::vector<std::pair<int64_t, int64_t>> dims;  // (stride, size) of each dimension longer than 1
  for (int d = 0; d < sizes.dim(); ++d) {
    if (sizes[d] != 1) dims.emplace_back(strides[d], sizes[d]);
  }
  std::sort(dims.begin(), dims.end());
  int64_t expected = 1;  // innermost first: each stride is the span of the ones inside it
  for (const auto& [stride, size] : dims) {
    if (stride != expected) return false;
    expected *= size;
  }
  return true;
}

// Walks x's dimensions from the back in runs (dimensions that merge into one stride), and
// gives each run to the new dimensions whose sizes multiply to the run's size: inside a run
// the new strides are row-major from the run's innermost stride. A new dimension that would
// straddle two runs has no stride.
std::optional<Strides> view_strides(const Shape& sizes, const Strides& strides, const Shape& shape) {
  if (sizes.numel() == 0 || sizes.dim() == 0) return contiguous_strides(shape);  // nothing to place, or one element
  Strides out = shape;
  int next = shape.dim() - 1;  // the new dimension to place next, from the back
  int64_t run_base = strides[sizes.dim() - 1], run_numel = 1, placed_numel = 1;
  for (int d = sizes.dim() - 1; d >= 0; --d) {
    run_numel *= sizes[d];
    const bool run_ends = d == 0 || (sizes[d - 1] != 1 && strides[d - 1] != run_numel * run_base);
    if (!run_ends) continue;
    while (next >= 0 && (placed_numel < run_numel || shape[next] == 1)) {
      out[next] = placed_numel * run_base;
      placed_numel *= shape[next];
      --next;
    }
    if (placed_numel != run_numel) return std::nullopt;
    if (d > 0) {
      run_base = strides[d - 1];
      run_numel = placed_numel = 1;
    }
  }
  if (next != -1) return std::nullopt;
  return out;
}

std::string to_string(const Shape& shape) {
  std::string s = "[";
  for (int d = 0; d < shape.dim(); ++d) s += (d ? ", " : "") + std::to_string(shape[d]);
  return s + "]";
}

int wrap_dim(int64_t dim, int rank, const char* op) {
  int64_t wrapped = dim < 0 ? dim + rank : dim;
  if (wrapped < 0 || wrapped >= std::max(rank, 1)) {
    throw ShapeError(std::string(op) + ": dimension " + std::to_string(dim) + " is out of range for a tensor of " +
                     std::to_string(rank) + " dimensions");
  }
  return static_cast<int>(wrapped);
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
  const int rank = std::max(a.dim(), b.dim());
  std::array<int64_t, Shape::kMaxDims> out{};
  for (int i = 0; i < rank; ++i) {
    const int64_t sa = i < a.dim() ? a[a.dim() - 1 - i] : 1;
    const int64_t sb = i < b.dim() ? b[b.dim() - 1 - i] : 1;
    if (sa != sb && sa != 1 && sb != 1) {
      throw ShapeError(std::string(op) + ": shapes " + to_string(a) + " and " + to_string(b) + " cannot be broadcast");
    }
    out[rank - 1 - i] = sa == 1 ? sb : sa;
  }
  Shape shape(out.begin(), out.begin() + rank);
  checked_numel(shape, op);  // [2^32, 1] and [1, 2^32] broadcast to more elements than int64 counts
  return shape;
}

}  // namespace nabla
