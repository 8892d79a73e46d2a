#pragma once
// The elementwise ends of a dense layer y = f(x W^T + b), fused around its GEMMs so that the
// output is touched once more, while it is still in cache, rather than once per op:
//   forward:  after z = x W^T, one pass:  y = f(z + b)
//   backward: before the two GEMMs, one pass:  gz = g * f'(z) and gb = the column sums of gz
// f is the identity or relu, the two whose derivative can be read off y alone:
//   identity' = 1,   relu'(z) = 1 if z > 0 else 0 = 1 if y > 0 else 0
// Both are exact (no rounding but the bias add and the double sums); the result does not
// depend on the number of threads.
#include <cstdint>

namespace nabla::kernels {

enum class DenseEpilogue { Identity, Relu };

// y[r, c] = f(y[r, c] + bias[c]) in place, for rows x cols; bias may be null (no bias).
template <class T> void dense_bias_activation(DenseEpilogue f, const T* bias, T* y, int64_t rows, int64_t cols);

// grad_z = g * f'(z), read off y, and grad_bias[c] = the sum over r of grad_z[r, c],
// accumulated in double. grad_bias may be null (no bias). For Relu grad_z must be given; for
// Identity it is not written (it would be g itself) and may be null.
template <class T>
void dense_activation_grad_bias_sum(DenseEpilogue f, const T* g, const T* y, T* grad_z, T* grad_bias, int64_t rows,
                                    int64_t cols);

}  // namespace nabla::kernels
