// libtorch's method forms of the ops: x.add(y) is add(x, y), and so on. Kept apart from
// autograd/tensor.cpp so that the Tensor handle does not depend on the ops built on it.
// Each line forwards to the free function, where the forward and its derivative live.
#include <algorithm>
#include <string>

#include "autograd/indexing.h"
#include "autograd/ops/creation.h"
#include "autograd/ops/math_ops.h"
#include "autograd/ops/linalg.h"
#include "autograd/ops/reduction.h"
#include "autograd/ops/shape_ops.h"
#include "autograd/tensor.h"

namespace nabla {

Tensor Tensor::add(const Tensor& other) const { return nabla::add(*this, other); }
Tensor Tensor::add(double other) const { return nabla::add(*this, other); }
Tensor Tensor::sub(const Tensor& other) const { return nabla::sub(*this, other); }
Tensor Tensor::sub(double other) const { return nabla::sub(*this, other); }
Tensor Tensor::mul(const Tensor& other) const { return nabla::mul(*this, other); }
Tensor Tensor::mul(double other) const { return nabla::mul(*this, other); }
Tensor Tensor::div(const Tensor& other) const { return nabla::div(*this, other); }
Tensor Tensor::div(double other) const { return nabla::div(*this, other); }
Tensor Tensor::mm(const Tensor& other) const { return nabla::mm(*this, other); }

Tensor Tensor::eq(const Tensor& other) const { return nabla::eq(*this, other); }
Tensor Tensor::eq(double other) const { return nabla::eq(*this, other); }
Tensor Tensor::ne(const Tensor& other) const { return nabla::ne(*this, other); }
Tensor Tensor::ne(double other) const { return nabla::ne(*this, other); }
Tensor Tensor::lt(const Tensor& other) const { return nabla::lt(*this, other); }
Tensor Tensor::lt(double other) const { return nabla::lt(*this, other); }
Tensor Tensor::le(const Tensor& other) const { return nabla::le(*this, other); }
Tensor Tensor::le(double other) const { return nabla::le(*this, other); }
Tensor Tensor::gt(const Tensor& other) const { return nabla::gt(*this, other); }
Tensor Tensor::gt(double other) const { return nabla::gt(*this, other); }
Tensor Tensor::ge(const Tensor& other) const { return nabla::ge(*this, other); }
Tensor Tensor::ge(double other) const { return nabla::ge(*this, other); }

// ||x||_2 = sqrt(sum x^2); its gradient x / ||x|| comes from the ops it is written in.
Tensor Tensor::norm() const { return nabla::sqrt(nabla::sum(nabla::square(*this))); }


Tensor Tensor::squeeze() const { return nabla::squeeze(*this); }
Tensor Tensor::permute(const std::vector<int64_t>& dims) const { return nabla::permute(*this, dims); }

Tensor Tensor::masked_fill(const Tensor& mask, double value) const {
  return nabla::where(mask, full(sizes(), value, dtype()), *this);
}

Tensor Tensor::slice(int64_t dim, int64_t start, int64_t end, int64_t step) const {
  return nabla::slice(*this, dim, start, end, step);
}
Tensor Tensor::select(int64_t dim, int64_t index) const { return nabla::select(*this, dim, index); }
Tensor Tensor::narrow(int64_t dim, int64_t start, int64_t length) const {
  return nabla::narrow(*this, dim, start, length);
}

// --- x.index({...}) -------------------------------------------------------------------------

TensorIndex::TensorIndex(const char* text) : kind_(Kind::Ellipsis) {
  if (std::string_view(text) != "...") {
    throw std::invalid_argument("index: the only text accepted as an index is \"...\", got \"" + std::string(text) +
                                "\"");
  }
}

Tensor Tensor::index(std::initializer_list<TensorIndex> indices) const {
  using Kind = TensorIndex::Kind;
  // Integers, slices and tensors each use up one dimension of x; None and "..." do not.
  auto uses_a_dimension = [](const TensorIndex& i) { return i.kind() != Kind::None && i.kind() != Kind::Ellipsis; };
  const auto used = std::count_if(indices.begin(), indices.end(), uses_a_dimension);
  const auto ellipses =
      std::count_if(indices.begin(), indices.end(), [](const TensorIndex& i) { return i.kind() == Kind::Ellipsis; });
  if (ellipses > 1) throw ShapeError("index: at most one \"...\" per index");
  if (used > dim()) {
    throw ShapeError("index: " + std::to_string(used) + " indices for a tensor of shape " + to_string(sizes()));
  }
  Tensor y = *this;
  int64_t d = 0;  // the dimension of y the next entry applies to
  int64_t left = used;
  for (const TensorIndex& i : indices) {
    switch (i.kind()) {
      case Kind::Integer: y = nabla::select(y, d, i.integer()); break;
      case Kind::Slice: {
        const indexing::Slice& s = i.slice();
        y = nabla::slice(y, d, s.start.value_or(0), s.stop.value_or(INT64_MAX), s.step.value_or(1));
        ++d;
        break;
      }
      case Kind::Tensor: y = nabla::index_select(y, d, i.tensor()); ++d; break;
      case Kind::None: y = nabla::unsqueeze(y, d); ++d; break;
      case Kind::Ellipsis: d = y.dim() - left; break;  // skip the dimensions the rest does not name
    }
    if (uses_a_dimension(i)) --left;
  }
  return y;
}

}  // namespace nabla
