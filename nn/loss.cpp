#include "nn/loss.h"

#include <cmath>

#include "autograd/autograd.h"
#include "autograd/ops/class_labels.h"
#include "autograd/ops/cross_entropy.h"
#include "nn/activations/functions.h"

namespace nabla::nn {
namespace {

Tensor reduce(const Tensor& per_example, Reduction reduction) {
  switch (reduction) {
    case Reduction::Mean: return per_example.mean();
    case Reduction::Sum: return per_example.sum();
    case Reduction::None: return per_example;
  }
  return per_example;
}

}  // namespace

Tensor cross_entropy(const Tensor& logits, const Tensor& labels, Reduction reduction) {
  return reduce(softmax_cross_entropy(logits, labels), reduction);
}

Tensor nll_loss(const Tensor& log_probs, const Tensor& labels, Reduction reduction) {
  check_class_labels(log_probs, labels, "nll_loss");
  // -log p(label): the log-probability at the label, picked out by a one-hot mask.
  const Tensor picked = (log_probs * one_hot(labels, log_probs.size(1), log_probs.dtype())).sum(1);
  return reduce(-picked, reduction);
}

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  if (!(input.sizes() == target.sizes())) {
    throw ShapeError("mse_loss: input " + to_string(input.sizes()) + " and target " + to_string(target.sizes()) +
                     " differ in shape");
  }
  return reduce((input - target).square(), reduction);
}

Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& targets, Reduction reduction) {
  if (!(logits.sizes() == targets.sizes())) {
    throw ShapeError("binary_cross_entropy_with_logits: logits " + to_string(logits.sizes()) + " and targets " +
                     to_string(targets.sizes()) + " differ in shape");
  }
  // -t log s(x) - (1 - t) log(1 - s(x)) = softplus(x) - x t;  d/dx = s(x) - t
  return reduce(softplus(logits) - logits * targets, reduction);
}

double accuracy(const Tensor& logits, const Tensor& labels) {
  check_class_labels(logits, labels, "accuracy");
  if (labels.numel() == 0) return 0.0;
  const int64_t correct = (logits.argmax(1) == labels).sum().item<int64_t>();
  return static_cast<double>(correct) / static_cast<double>(labels.numel());
}

}  // namespace nabla::nn
