#include "autograd/ops/softmax.h"

#include "autograd/kernels/softmax.h"
#include "autograd/ops/creation.h"
#include "autograd/ops/math_ops.h"
#include "autograd/ops/reduction.h"
#include "autograd/ops/split.h"
#include "autograd/record.h"

namespace nabla {
namespace {

Tensor softmax_forward(const Tensor& given_x, int dim, bool log_output, const char* name) {
  const Tensor x = given_x.contiguous();  // the kernels walk one run of memory
  if (x.numel() == 0) return empty(x.sizes(), x.dtype());
  Tensor y = empty(x.sizes(), x.dtype());
  const detail::Split s = detail::split_at(x.sizes(), dim);
  dispatch_floating(x.dtype(), name, [&]<class T>() {
    kernels::softmax_slices(x.data_ptr<T>(), y.data_ptr<T>(), s.outer, s.size, s.inner, log_output);
  });
  return y;
}

}  // namespace

Tensor softmax(const Tensor& x, int64_t dim_arg) {
  const int dim = wrap_dim(dim_arg, x.dim(), "softmax");
  Tensor y = softmax_forward(x, dim, false, "softmax");
  // d softmax_i / d x_j = y_i (delta_ij - y_j), so  grad_x = y * (g - sum(g * y))
  // J = diag(y) - y y^T is symmetric, so the backward applied to a tangent is J t
  return record(
      "softmax", y, {x},
      [dim](const Tensor& g, const Tensor& y) { return TensorList{y * (g - (g * y).sum(dim, /*keepdim=*/true))}; },
      detail::kSymmetricJacobian);
}

Tensor log_softmax(const Tensor& x, int64_t dim_arg) {
  const int dim = wrap_dim(dim_arg, x.dim(), "log_softmax");
  Tensor y = softmax_forward(x, dim, true, "log_softmax");
  // d log_softmax_i / d x_j = delta_ij - softmax_j, so  grad_x = g - exp(y) * sum(g)
  return record("log_softmax", y, {x}, [dim](const Tensor& g, const Tensor& y) {
    return TensorList{g - exp(y) * g.sum(dim, /*keepdim=*/true)};
  });
}

Tensor Tensor::softmax(int64_t dim) const { return nabla::softmax(*this, dim); }
Tensor Tensor::log_softmax(int64_t dim) const { return nabla::log_softmax(*this, dim); }

}  // namespace nabla
