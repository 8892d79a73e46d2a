// softmax and log_softmax: not elementwise (each output depends on a whole slice), so
// their backward is a Jacobian-vector product rather than grad * f'(x).
#include <algorithm>
#include <cmath>

#include "autograd/autograd.h"
#include "nn/activations/functions.h"

namespace nabla {
namespace {

// Walks every slice along `dim` of a contiguous tensor seen as [outer, size, inner].
struct Slices {
  int64_t outer = 1, size = 1, inner = 1;
  Slices(const Shape& shape, int dim) {
    for (int d = 0; d < shape.dim(); ++d) {
      if (d < dim) outer *= shape[d];
      if (d == dim) size = shape[d];
      if (d > dim) inner *= shape[d];
    }
  }
};

// log(sum(exp(x))) of each slice, with the maximum taken out first so nothing overflows.
template <class T>
void softmax_kernel(const T* x, T* y, const Slices& s, bool log_output) {
  for (int64_t o = 0; o < s.outer; ++o) {
    for (int64_t i = 0; i < s.inner; ++i) {
      const T* in = x + o * s.size * s.inner + i;
      T* out = y + o * s.size * s.inner + i;
      T max = in[0];
      for (int64_t k = 1; k < s.size; ++k) max = std::max(max, in[k * s.inner]);
      double total = 0;
      for (int64_t k = 0; k < s.size; ++k) total += std::exp(static_cast<double>(in[k * s.inner] - max));
      if (log_output) {
        const T log_total = static_cast<T>(std::log(total));
        for (int64_t k = 0; k < s.size; ++k) out[k * s.inner] = in[k * s.inner] - max - log_total;
      } else {
        const double inv = 1.0 / total;
        for (int64_t k = 0; k < s.size; ++k) out[k * s.inner] = static_cast<T>(std::exp(static_cast<double>(in[k * s.inner] - max)) * inv);
      }
    }
  }
}

Tensor softmax_forward(const Tensor& x, int dim, bool log_output, const char* name) {
  if (x.numel() == 0) return empty(x.sizes(), x.dtype());
  Tensor y = empty(x.sizes(), x.dtype());
  const Slices s(x.sizes(), dim);
  dispatch_floating(x.dtype(), name, [&]<class T>() { softmax_kernel(x.data_ptr<T>(), y.data_ptr<T>(), s, log_output); });
  return y;
}

}  // namespace

Tensor softmax(const Tensor& x, int64_t dim_arg) {
  const int dim = wrap_dim(dim_arg, x.dim(), "softmax");
  Tensor y = softmax_forward(x, dim, false, "softmax");
  // d softmax_i / d x_j = y_i (delta_ij - y_j), so  grad_x = y * (g - sum(g * y))
  return record("softmax", y, {x}, [dim](const Tensor& g, const Tensor& y) {
    return TensorList{y * (g - (g * y).sum(dim, /*keepdim=*/true))};
  });
}

Tensor log_softmax(const Tensor& x, int64_t dim_arg) {
  const int dim = wrap_dim(dim_arg, x.dim(), "log_softmax");
  Tensor y = softmax_forward(x, dim, true, "log_softmax");
  // d log_softmax_i / d x_j = delta_ij - softmax_j, so  grad_x = g - exp(y) * sum(g)
  return record("log_softmax", y, {x}, [dim](const Tensor& g, const Tensor& y) {
    return TensorList{g - exp(y) * g.sum(dim, /*keepdim=*/true)};
  });
}

}  // namespace nabla
