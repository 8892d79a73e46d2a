#pragma once
// Cross-entropy of logits against class labels, fused with log_softmax: the op under
// nn::cross_entropy, which reduces its per-row losses (nn/loss.h).
#include "autograd/tensor.h"

namespace nabla {

// loss_i = -log softmax(logits_i)[labels_i] = log sum_j e^(x_ij) - x_i,label, for logits
// [N, C] and int64 labels [N] (check_class_labels' errors, naming "cross_entropy"); [N], one
// loss per row. Computed from the logits' differences to each row's maximum, so it keeps its
// digits however far the logits are from 0. Recorded as "cross_entropy" with a fast backward
// (one pass per row) and a differentiable one (autograd/fused.h).
Tensor softmax_cross_entropy(const Tensor& logits, const Tensor& labels);

}  // namespace nabla
