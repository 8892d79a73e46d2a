#include "autograd/kernels/softmax.h"

#include <algorithm>
#include <cmath>

#include "autograd/kernels/parallel.h"

namespace nabla::kernels {
namespace {

template <class T> struct MaxAndSumExp {
  T max;
  double sum_exp;  // sum_k e^(x_k - max)
};

// The maximum m of n elements `stride` apart, and sum_k e^(x_k - m) in double. The
// differences are taken in D before the exponential: in double, where they are exact for
// float32 (cross-entropy, whose loss is a difference of such terms), or in T (softmax, whose
// outputs are rounded to T anyway). A NaN first element stays the maximum, as a NaN later
// one does not: std::max keeps its first argument unless the second is larger.
template <class D, class T>
MaxAndSumExp<T> max_and_sum_exp(const T* x, int64_t n, int64_t stride) {
  T m = x[0];
  for (int64_t k = 1; k < n; ++k) m = std::max(m, x[k * stride]);
  double total = 0;
  for (int64_t k = 0; k < n; ++k) {
    total += std::exp(static_cast<double>(static_cast<D>(x[k * stride]) - static_cast<D>(m)));
  }
  return {m, total};
}

}  // namespace

template <class T>
void softmax_slices(const T* x, T* y, int64_t outer, int64_t size, int64_t inner, bool log_output) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const T* in = x + o * size * inner + i;
      T* out = y + o * size * inner + i;
      const auto [max, total] = max_and_sum_exp<T>(in, size, inner);
      if (log_output) {
        const T log_total = static_cast<T>(std::log(total));
        for (int64_t k = 0; k < size; ++k) out[k * inner] = in[k * inner] - max - log_total;
      } else {
        const double inv = 1.0 / total;
        for (int64_t k = 0; k < size; ++k) {
          out[k * inner] = static_cast<T>(std::exp(static_cast<double>(in[k * inner] - max)) * inv);
        }
      }
    }
  }
}

template <class T>
void cross_entropy_rows(const T* logits, const int64_t* labels, int64_t rows, int64_t classes, T* out) {
  parallel_for(rows, grain_for(4 * classes), [&](int64_t b, int64_t e) {  // a row: an exp per logit
    for (int64_t r = b; r < e; ++r) {
      const T* z = logits + r * classes;
      // In double, z - m is exact for float32 logits, and exact for float64 ones within a
      // factor 2 of m (Sterbenz): the terms that matter are exact.
      const auto [max, total] = max_and_sum_exp<double>(z, classes, 1);
      const double m = max;
      out[r] = static_cast<T>(std::log(total) - (static_cast<double>(z[labels[r]]) - m));
    }
  });
}

template <class T>
void cross_entropy_grad_rows(const T* logits, const int64_t* labels, const T* grad, int64_t rows, int64_t classes,
                             T* grad_logits) {
  parallel_for(rows, grain_for(4 * classes), [&](int64_t b, int64_t e) {  // a row: an exp per logit
    for (int64_t r = b; r < e; ++r) {
      const T* z = logits + r * classes;
      T* out = grad_logits + r * classes;
      const auto [max, total] = max_and_sum_exp<double>(z, classes, 1);
      const double m = max;
      // The exponentials again rather than kept: no buffer for a row of any length, and
      // classes is small next to the GEMMs that produced the logits.
      const double g = static_cast<double>(grad[r]);
      for (int64_t j = 0; j < classes; ++j) {
        const double p = std::exp(static_cast<double>(z[j]) - m) / total;
        out[j] = static_cast<T>((j == labels[r] ? p - 1.0 : p) * g);
      }
    }
  });
}

#define NABLA_INSTANTIATE(T)                                                                          \
  template void softmax_slices<T>(const T*, T*, int64_t, int64_t, int64_t, bool);                     \
  template void cross_entropy_rows<T>(const T*, const int64_t*, int64_t, int64_t, T*);                \
  template void cross_entropy_grad_rows<T>(const T*, const int64_t*, const T*, int64_t, int64_t, T*);
NABLA_INSTANTIATE(float)
NABLA_INSTANTIATE(double)
#undef NABLA_INSTANTIATE

}  // namespace nabla::kernels
