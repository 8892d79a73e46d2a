#pragma once
// Loss functions, named and shaped as in PyTorch.
#include "autograd/tensor.h"

namespace nabla::nn {

enum class Reduction { Mean, Sum, None };

// Cross-entropy of logits [N, C] against integer class labels [N] (int64), fused with
// log_softmax: stable for any logits, and its backward is (softmax - onehot) / N.
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
