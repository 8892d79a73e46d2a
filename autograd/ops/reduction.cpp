#include "autograd/ops/reduction.h"

#include "autograd/kernels/reduce.h"
#include "autograd/ops/creation.h"
#include "autograd/ops/elementwise.h"
#include "autograd/ops/shape_ops.h"
#include "autograd/record.h"

namespace nabla {
namespace {

// Sizes of the dimensions before, at, and after `dim`.
struct Split {
  int64_t outer = 1, size = 1, inner = 1;
};

Split split_at(const Shape& shape, int dim) {
  Split s;
  for (int d = 0; d < shape.dim(); ++d) {
    if (d < dim) s.outer *= shape[d];
    if (d == dim) s.size = shape[d];
    if (d > dim) s.inner *= shape[d];
  }
  return s;
}

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

void check_not_empty(const Tensor& x, const char* op) {
  if (x.numel() == 0) throw ShapeError(std::string(op) + ": the tensor is empty " + to_string(x.sizes()));
}

}  // namespace

Tensor sum(const Tensor& x) {
  Tensor y = empty({}, x.dtype());
  dispatch_all(x.dtype(), [&]<class T>() { y.data_ptr<T>()[0] = kernels::sum_all(x.data_ptr<T>(), x.numel()); });
  // d/dx_i sum(x) = 1
  return record("sum", y, {x}, [shape = x.sizes()](const Tensor& g) { return TensorList{broadcast_to(g, shape)}; });
}

Tensor sum(const Tensor& x, int64_t dim_arg, bool keepdim) {
  const int dim = wrap_dim(dim_arg, x.dim(), "sum");
  if (x.dim() == 0) return keepdim ? x.clone() : sum(x);
  const Split s = split_at(x.sizes(), dim);
  Tensor y = empty(reduced_shape(x.sizes(), dim, keepdim), x.dtype());
  dispatch_all(x.dtype(), [&]<class T>() {
    kernels::sum_dim(x.data_ptr<T>(), s.outer, s.size, s.inner, y.data_ptr<T>());
  });
  // d/dx_i sum_k(x) = 1 for every i summed into that output
  return record("sum", y, {x}, [shape = x.sizes(), dim, keepdim](const Tensor& g) {
    return TensorList{expand_back(g, shape, dim, keepdim)};
  });
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

Tensor mean(const Tensor& x) {
  check_mean_dtype(x);
  check_not_empty(x, "mean");
  return sum(x) * (1.0 / static_cast<double>(x.numel()));
}

Tensor mean(const Tensor& x, int64_t dim, bool keepdim) {
  check_mean_dtype(x);
  const int d = wrap_dim(dim, x.dim(), "mean");
  const int64_t n = x.dim() == 0 ? 1 : x.size(d);
  if (n == 0) throw ShapeError("mean: dimension " + std::to_string(dim) + " is empty in " + to_string(x.sizes()));
  return sum(x, d, keepdim) * (1.0 / static_cast<double>(n));
}

Tensor max(const Tensor& x) {
  check_not_empty(x, "max");
  const int64_t best = argmax(x).item<int64_t>();
  Tensor y = empty({}, x.dtype());
  dispatch_all(x.dtype(), [&]<class T>() { y.data_ptr<T>()[0] = x.data_ptr<T>()[best]; });
  // d/dx_i max(x) = 1 at the (first) maximum, 0 elsewhere
  return record("max", y, {x}, [shape = x.sizes(), dtype = x.dtype(), best](const Tensor& g) {
    Tensor one_hot = zeros(shape, dtype);
    dispatch_floating(dtype, "max", [&]<class T>() { one_hot.data_ptr<T>()[best] = T(1); });
    return TensorList{one_hot * g};
  });
}

Tensor min(const Tensor& x) { return -max(-x); }

std::tuple<Tensor, Tensor> max(const Tensor& x, int64_t dim_arg, bool keepdim) {
  const int dim = wrap_dim(dim_arg, x.dim(), "max");
  check_not_empty(x, "max");
  const Split s = split_at(x.sizes(), dim);
  const Shape out_shape = reduced_shape(x.sizes(), dim, keepdim);
  Tensor values = empty(out_shape, x.dtype());
  Tensor indices = empty(out_shape, kInt64);
  dispatch_all(x.dtype(), [&]<class T>() {
    kernels::max_dim(x.data_ptr<T>(), s.outer, s.size, s.inner, values.data_ptr<T>(), indices.data_ptr<int64_t>());
  });
  // d/dx max_k(x) = 1 at the position of each maximum, 0 elsewhere
  values = record("max", values, {x}, [shape = x.sizes(), dtype = x.dtype(), dim, keepdim, s, indices](const Tensor& g) {
    Tensor one_hot = zeros(shape, dtype);
    dispatch_floating(dtype, "max", [&]<class T>() {
      T* p = one_hot.data_ptr<T>();
      const int64_t* idx = indices.data_ptr<int64_t>();
      for (int64_t o = 0; o < s.outer; ++o) {
        for (int64_t i = 0; i < s.inner; ++i) p[(o * s.size + idx[o * s.inner + i]) * s.inner + i] = T(1);
      }
    });
    return TensorList{one_hot * expand_back(g, shape, dim, keepdim)};
  });
  return {values, indices};
}

Tensor amax(const Tensor& x, int64_t dim, bool keepdim) { return std::get<0>(max(x, dim, keepdim)); }

Tensor argmax(const Tensor& x) {
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
std::tuple<Tensor, Tensor> Tensor::max(int64_t dim, bool keepdim) const { return nabla::max(*this, dim, keepdim); }
Tensor Tensor::amax(int64_t dim, bool keepdim) const { return nabla::amax(*this, dim, keepdim); }
Tensor Tensor::argmax() const { return nabla::argmax(*this); }
Tensor Tensor::argmax(int64_t dim, bool keepdim) const { return nabla::argmax(*this, dim, keepdim); }

}  // namespace nabla
