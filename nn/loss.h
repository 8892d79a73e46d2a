#pragma once
// Loss functions, named and shaped as in PyTorch. Each is written with differentiable ops
// (cross-entropy's is the fused op of autograd/ops/cross_entropy.h), giving a
// scalar under Reduction::Mean (the default) or Sum, and one loss per row or element under
// None. Shapes that do not fit, and labels outside [0, C), are a ShapeError naming both
// shapes or the bad label. nn::functional (functional.h) has them under the same names.
#include "autograd/tensor.h"

namespace nabla::nn {

enum class Reduction { Mean, Sum, None };

// Cross-entropy of logits [N, C] against integer class labels [N] (int64), fused with
// log_softmax: stable for any logits, and its backward is (softmax - onehot) / N. The loss is
// computed from the logits' differences to each row's maximum, so it keeps its digits however
// far the logits are from 0 (three tied logits of 1e30 give log 3). An empty batch gives NaN
// under Reduction::Mean and 0 under Sum, as in PyTorch.
Tensor cross_entropy(const Tensor& logits, const Tensor& labels, Reduction reduction = Reduction::Mean);
// Negative log-likelihood of log-probabilities [N, C] at the int64 labels [N]:
// cross_entropy = nll_loss(log_softmax(logits, 1), labels).
Tensor nll_loss(const Tensor& log_probs, const Tensor& labels, Reduction reduction = Reduction::Mean);
// (input - target)^2, elementwise; input and target of the same shape (no broadcasting).
Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean);
// Binary cross-entropy of logits against targets in [0, 1], computed as
// max(x, 0) - x t + log(1 + e^-|x|) so that no exponential overflows. Same shapes.
Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& targets,
                                        Reduction reduction = Reduction::Mean);

// The fraction of rows whose largest logit is at the label (0 for an empty batch); a
// plain number, not part of any graph. Same checks as cross_entropy.
double accuracy(const Tensor& logits, const Tensor& labels);

}  // namespace nabla::nn
