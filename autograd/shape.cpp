#include "autograd/shape.h"

#include "autograd/error.h"

namespace nabla {

int64_t Shape::numel() const {
  int64_t n = 1;
  for (int64_t s : *this) n *= s;
  return n;
}

void Shape::push_back(int64_t size) {
  if (rank_ == kMaxDims) throw ShapeError("nabla supports at most " + std::to_string(kMaxDims) + " dimensions");
  sizes_[rank_++] = size;
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
  return Shape(out.begin(), out.begin() + rank);
}

}  // namespace nabla
