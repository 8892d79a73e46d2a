#pragma once
// Softmax, log_softmax and cross-entropy on raw, contiguous buffers. All three start from the
// same two numbers per slice, its maximum m and sum_k e^(x_k - m) (in double), computed by one
// loop: with the maximum taken out first, no exponential overflows.
#include <cstdint>

namespace nabla::kernels {

// Along the middle dimension of x seen as [outer, size, inner], size > 0:
//   softmax:      y = e^(x - m) / sum_k e^(x_k - m)
//   log_softmax:  y = (x - m) - log sum_k e^(x_k - m)
// The differences x - m are rounded to T (the error bound tests/nn's differential test holds
// them to), the sums and exponentials are in double.
template <class T>
void softmax_slices(const T* x, T* y, int64_t outer, int64_t size, int64_t inner, bool log_output);

// Cross-entropy of each row of logits [rows, classes] at its label:
//   out[r] = log sum_j e^(x_rj - m) - (x_r,label - m),   m = max_j x_rj
// Both terms are differences from the row's maximum, so a loss of order 1 keeps its digits
// however large the logits are (log(sum) + m - x_label would lose |m| 2^-53). Accumulates in
// double. classes > 0. A NaN logit, or a row whose maximum is +inf, gives NaN, as in PyTorch.
template <class T>
void cross_entropy_rows(const T* logits, const int64_t* labels, int64_t rows, int64_t classes, T* out);

// Its gradient, the softmax and the one-hot subtraction fused into one pass per row:
//   grad_logits[r, j] = grad[r] (e^(x_rj - m) / sum_k e^(x_rk - m) - [j == label_r])
// with the softmax in double and one rounding to T at the end. grad is [rows], one factor
// per row (the loss's own gradient).
template <class T>
void cross_entropy_grad_rows(const T* logits, const int64_t* labels, const T* grad, int64_t rows, int64_t classes,
                             T* grad_logits);

}  // namespace nabla::kernels
