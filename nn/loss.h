#pragma once
// Loss functions, named and shaped as in PyTorch.
#include "autograd/tensor.h"

namespace nabla::nn {

enum class Reduction { Mean, Sum, None };

// Cross-entropy of logits [N, C] against integer class labels [N] (int64), fused with
// log_softmax: stable for any logits, and its backward is (softmax - onehot) / N. The loss is
// computed from the logits' differences to each row's maximum, so it keeps its digits however
// far the logits are from 0 (three tied logits of 1e30 give log 3). An empty batch gives NaN
// under Reduction::Mean and 0 under Sum, as in PyTorch.
Tensor cross_entropy(const Tensor& logits, const Tensor& labels, Reduction reduction = Reduction::Mean);
// Negative log-likelihood of log-probabilities [N, C] at the labels [N].
Tensor nll_loss(const Tensor& log_probs, const Tensor& labels, Reduction reduction = Reduction::Mean);
// (input - target)^2, elementwise.
Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean);
// Binary cross-entropy of logits against targets in [0, 1], computed as
// max(x, 0) - x t + log(1 + e^-|x|) so that no exponential overflows.
Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& targets,
                                        Reduction reduction = Reduction::Mean);

// The fraction of rows whose largest logit is at the label.
double accuracy(const Tensor& logits, const Tensor& labels);

}  // namespace nabla::nn
