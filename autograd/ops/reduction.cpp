#include "autograd/ops/reduction.h"

#include <tuple>

#include "autograd/kernels/reduce.h"
#include "autograd/ops/creation.h"
#include "autograd/ops/math_ops.h"
#include "autograd/ops/shape_ops.h"
#include "autograd/ops/split.h"
#include "autograd/record.h"

namespace nabla {
namespace {

using detail::Split;
using detail::split_at;

Shape reduced_shape(const Shape& shape, int dim, bool keepdim) {
  Shape out;
  for (int d = 0; d < shape.dim(); ++d) {
    if (d != dim) {
      out.push_back(shape[d]);
    } else if (keepdim) {
      out.push_back(1);
    }
  }
  return out;
}

// A gradient of the reduced shape, spread back over the input's shape.
Tensor expand_back(const Tensor& g, const Shape& input_shape, int dim, bool keepdim) {
  return broadcast_to(keepdim || input_shape.dim() == 0 ? g : g.unsqueeze(dim), input_shape);
}

const char* extremum(const std::string& op) { return op.find("min") != std::string::npos ? "minimum" : "maximum"; }

void check_not_empty(const Tensor& x, const std::string& op) {
  if (x.numel() == 0) {
    throw ShapeError(op + ": the tensor " + to_string(x.sizes()) + " is empty, so it has no " + extremum(op) +
                     " (PyTorch refuses it too); reduce along a non-empty dimension instead");
  }
}

void check_dim_not_empty(const Tensor& x, int dim, const std::string& op) {
  if (x.dim() > 0 && x.size(dim) == 0) {
    throw ShapeError(op + ": dimension " + std::to_string(dim) + " of " + to_string(x.sizes()) + " is empty, so it has no " +
                     extremum(op) + " (PyTorch refuses it too)");
  }
}

// Constant weights that share a maximum's gradient evenly among the elements tying for it.
Tensor tie_weights(const Tensor& given_x, const Tensor& given_values, const Split& s) {
  const Tensor x = given_x.contiguous(), values = given_values.contiguous();  // the kernels walk one run of memory
  Tensor weights = empty(x.sizes(), x.dtype());
  dispatch_floating(x.dtype(), "max", [&]<class T>() {
    kernels::max_tie_weights(x.data_ptr<T>(), values.data_ptr<T>(), s.outer, s.size, s.inner, weights.data_ptr<T>());
  });
  return weights;
}

// The maxima along `dim` and the index of the first of each (NaN counts as the largest), with no graph.
std::tuple<Tensor, Tensor> max_along(const Tensor& given_x, int dim, bool keepdim, const char* op) {
  const Tensor x = given_x.contiguous();  // the kernels walk one run of memory
  check_dim_not_empty(x, dim, op);
  const Split s = split_at(x.sizes(), dim);
  const Shape out_shape = reduced_shape(x.sizes(), dim, keepdim);
  Tensor values = empty(out_shape, x.dtype());
  Tensor indices = empty(out_shape, kInt64);
  dispatch_all(x.dtype(), [&]<class T>() {
    kernels::max_dim(x.data_ptr<T>(), s.outer, s.size, s.inner, values.data_ptr<T>(), indices.data_ptr<int64_t>());
  });
  return {values, indices};
}

}  // namespace

Tensor sum(const Tensor& given_x) {
  const Tensor x = given_x.contiguous();  // the kernels walk one run of memory
  Tensor y = empty({}, x.dtype());
  dispatch_all(x.dtype(), [&]<class T>() { y.data_ptr<T>()[0] = kernels::sum_all(x.data_ptr<T>(), x.numel()); });
  // d/dx_i sum(x) = 1
  return record(
      "sum", y, {x}, [shape = x.sizes()](const Tensor& g) { return TensorList{broadcast_to(g, shape)}; },
      [](const TensorList& t) { return sum(t[0]); });  // linear: J t = sum(t)
}

Tensor sum(const Tensor& given_x, int64_t dim_arg, bool keepdim) {
  const Tensor x = given_x.contiguous();  // the kernels walk one run of memory
  const int dim = wrap_dim(dim_arg, x.dim(), "sum");
  if (x.dim() == 0) return keepdim ? x.clone() : sum(x);
  const Split s = split_at(x.sizes(), dim);
  Tensor y = empty(reduced_shape(x.sizes(), dim, keepdim), x.dtype());
  dispatch_all(x.dtype(), [&]<class T>() {
    kernels::sum_dim(x.data_ptr<T>(), s.outer, s.size, s.inner, y.data_ptr<T>());
  });
  // d/dx_i sum_k(x) = 1 for every i summed into that output
  return record(
      "sum", y, {x},
      [shape = x.sizes(), dim, keepdim](const Tensor& g) { return TensorList{expand_back(g, shape, dim, keepdim)}; },
      [&](const TensorList& t) { return sum(t[0], dim, keepdim); });  // linear: J t = sum_k(t)
}

namespace {
// The mean of integers is not an integer: as in libtorch, int64 is refused (cast first).
void check_mean_dtype(const Tensor& x) {
  if (!is_floating_point(x.dtype())) {
    throw DtypeError("mean: expected a floating-point tensor, got " + std::string(to_string(x.dtype())) +
                     "; cast first, e.g. (a == b).to(kFloat).mean()");
  }
}
}  // namespace

// An empty mean is 0 * (1/0) = NaN, as in PyTorch.
Tensor mean(const Tensor& x) {
  check_mean_dtype(x);
  return sum(x) * (1.0 / static_cast<double>(x.numel()));
}

Tensor mean(const Tensor& x, int64_t dim, bool keepdim) {
  check_mean_dtype(x);
  const int d = wrap_dim(dim, x.dim(), "mean");
  const int64_t n = x.dim() == 0 ? 1 : x.size(d);
  return sum(x, d, keepdim) * (1.0 / static_cast<double>(n));
}

Tensor max(const Tensor& given_x) {
  const Tensor x = given_x.contiguous();  // the kernels walk one run of memory
  check_not_empty(x, "max");
  Tensor y = empty({}, x.dtype());
  dispatch_all(x.dtype(), [&]<class T>() {
    const T* p = x.data_ptr<T>();
    y.data_ptr<T>()[0] = p[kernels::argmax_all(p, x.numel())];
  });
  // d/dx_i max(x) = 1/t at each of the t elements equal to the maximum, 0 elsewhere
  return record("max", y, {x}, [x](const Tensor& g, const Tensor& y) {
    return TensorList{tie_weights(x, y, Split{1, x.numel(), 1}) * g};
  });
}

// The minima are the maxima of -x, negated: the same ties, indices, NaNs and gradients.
Tensor min(const Tensor& x) {
  check_not_empty(x, "min");
  return -max(-x);
}

Tensor amax(const Tensor& x) {
  check_not_empty(x, "amax");
  return max(x);
}
Tensor amin(const Tensor& x) {
  check_not_empty(x, "amin");
  return min(x);
}

std::tuple<Tensor, Tensor> max(const Tensor& x, int64_t dim_arg, bool keepdim) {
  const int dim = wrap_dim(dim_arg, x.dim(), "max");
  Tensor values, indices;  // not a structured binding: clang 14 cannot capture one in a lambda
  std::tie(values, indices) = max_along(x, dim, keepdim, "max");
  // d/dx max_k(x) = 1 at the returned index of each maximum, 0 elsewhere
  values = record("max", values, {x}, [shape = x.sizes(), dtype = x.dtype(), dim, keepdim, indices](const Tensor& g) {
    const Split s = split_at(shape, dim);
    Tensor one_hot = zeros(shape, dtype);
    dispatch_floating(dtype, "max", [&]<class T>() {
      kernels::one_hot_dim(indices.data_ptr<int64_t>(), s.outer, s.size, s.inner, one_hot.data_ptr<T>());
    });
    return TensorList{one_hot * expand_back(g, shape, dim, keepdim)};
  });
  return {values, indices};
}

std::tuple<Tensor, Tensor> min(const Tensor& x, int64_t dim, bool keepdim) {
  check_dim_not_empty(x, wrap_dim(dim, x.dim(), "min"), "min");
  auto [values, indices] = max(-x, dim, keepdim);
  return {-values, indices};
}

Tensor amin(const Tensor& x, int64_t dim, bool keepdim) {
  check_dim_not_empty(x, wrap_dim(dim, x.dim(), "amin"), "amin");
  return -amax(-x, dim, keepdim);
}

Tensor amax(const Tensor& x, int64_t dim_arg, bool keepdim) {
  const int dim = wrap_dim(dim_arg, x.dim(), "amax");
  Tensor values = std::get<0>(max_along(x, dim, keepdim, "amax"));
  // d/dx amax_k(x) = 1/t at each of the t elements tying for the maximum, 0 elsewhere
  return record("amax", values, {x}, [x, dim, keepdim](const Tensor& g, const Tensor& y) {
    return TensorList{tie_weights(x, y, split_at(x.sizes(), dim)) * expand_back(g, x.sizes(), dim, keepdim)};
  });
}

Tensor argmax(const Tensor& given_x) {
  const Tensor x = given_x.contiguous();  // the kernels walk one run of memory
  check_not_empty(x, "argmax");
  Tensor out = empty({}, kInt64);
  dispatch_all(x.dtype(), [&]<class T>() {
    out.data_ptr<int64_t>()[0] = kernels::argmax_all(x.data_ptr<T>(), x.numel());
  });
  return out;
}

Tensor argmax(const Tensor& x, int64_t dim, bool keepdim) {
  NoGradGuard indices_only;
  return std::get<1>(max(x, dim, keepdim));
}

Tensor sum_to(const Tensor& x, const Shape& shape) {
  if (x.sizes() == shape) return x;
  const int lead = x.dim() - shape.dim();
  if (lead < 0) {
    throw ShapeError("sum_to: cannot sum a tensor of shape " + to_string(x.sizes()) + " to the larger shape " +
                     to_string(shape));
  }
  Tensor out = x;
  for (int d = 0; d < lead; ++d) out = sum(out, 0);
  for (int d = 0; d < shape.dim(); ++d) {
    if (shape[d] == 1 && out.size(d) != 1) {
      out = sum(out, d, /*keepdim=*/true);
    } else if (shape[d] != out.size(d)) {
      throw ShapeError("sum_to: shape " + to_string(x.sizes()) + " is not a broadcast of " + to_string(shape));
    }
  }
  return out;
}

// --- method forms ---------------------------------------------------------------------------

Tensor Tensor::sum() const { return nabla::sum(*this); }
Tensor Tensor::sum(int64_t dim, bool keepdim) const { return nabla::sum(*this, dim, keepdim); }
Tensor Tensor::mean() const { return nabla::mean(*this); }
Tensor Tensor::mean(int64_t dim, bool keepdim) const { return nabla::mean(*this, dim, keepdim); }
Tensor Tensor::max() const { return nabla::max(*this); }
Tensor Tensor::min() const { return nabla::min(*this); }
std::tuple<Tensor, Tensor> Tensor::min(int64_t dim, bool keepdim) const { return nabla::min(*this, dim, keepdim); }
Tensor Tensor::amax() const { return nabla::amax(*this); }
Tensor Tensor::amin() const { return nabla::amin(*this); }
Tensor Tensor::amin(int64_t dim, bool keepdim) const { return nabla::amin(*this, dim, keepdim); }
std::tuple<Tensor, Tensor> Tensor::max(int64_t dim, bool keepdim) const { return nabla::max(*this, dim, keepdim); }
Tensor Tensor::amax(int64_t dim, bool keepdim) const { return nabla::amax(*this, dim, keepdim); }
Tensor Tensor::argmax() const { return nabla::argmax(*this); }
Tensor Tensor::argmax(int64_t dim, bool keepdim) const { return nabla::argmax(*this, dim, keepdim); }

}  // namespace nabla
