#include "autograd/ops/cross_entropy.h"

#include <vector>

#include "autograd/fused.h"
#include "autograd/kernels/softmax.h"
#include "autograd/ops/class_labels.h"
#include "autograd/ops/creation.h"
#include "autograd/ops/math_ops.h"
#include "autograd/ops/shape_ops.h"
#include "autograd/ops/softmax.h"

namespace nabla {

Tensor softmax_cross_entropy(const Tensor& given_logits, const Tensor& given_labels) {
  check_class_labels(given_logits, given_labels, "cross_entropy");
  const Tensor logits = given_logits.contiguous(), labels = given_labels.contiguous();  // the kernels walk one run of memory
  const int64_t n = logits.size(0), c = logits.size(1);
  // The labels as they are now: the backward uses these even if the tensor is refilled.
  const int64_t* p = labels.data_ptr<int64_t>();
  std::vector<int64_t> y(p, p + n);
  // loss_i = log(sum_j e^{x_ij}) - x_i,label, computed as log(sum_j e^{x_ij - m}) - (x_i,label - m)
  // with m the row's maximum: no exponential overflows, and no digit is lost to |m|.
  Tensor loss = empty({n}, logits.dtype());
  dispatch_floating(logits.dtype(), "cross_entropy", [&]<class T>() {
    kernels::cross_entropy_rows(logits.data_ptr<T>(), y.data(), n, c, loss.data_ptr<T>());
  });
  // d loss_i / d x_ij = softmax_ij - [j == label_i]
  return record_fused(
      "cross_entropy", loss, {logits},
      /*fast=*/
      [logits, y](const Tensor& given_g) {
        const Tensor g = given_g.contiguous();
        // One pass per row: the softmax, the one-hot subtraction and the factor g.
        Tensor grad = empty(logits.sizes(), logits.dtype());
        dispatch_floating(logits.dtype(), "cross_entropy", [&]<class T>() {
          kernels::cross_entropy_grad_rows(logits.data_ptr<T>(), y.data(), g.data_ptr<T>(), logits.size(0),
                                           logits.size(1), grad.data_ptr<T>());
        });
        return TensorList{grad};
      },
      /*differentiable=*/
      [logits, y](const Tensor& g) {
        const int64_t rows = logits.size(0);
        const Tensor target = one_hot(tensor(std::vector<double>(y.begin(), y.end()), {rows}, kInt64), logits.size(1),
                                      logits.dtype());
        return TensorList{(softmax(logits, 1) - target) * g.unsqueeze(1)};
      });
}

}  // namespace nabla
