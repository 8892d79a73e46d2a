#include "nn/loss.h"

#include <cmath>

#include "autograd/autograd.h"
#include "autograd/kernels/reduce.h"
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

// Checks labels against logits [N, C] and returns them as a plain vector.
std::vector<int64_t> checked_labels(const Tensor& scores, const Tensor& labels, const char* op) {
  if (scores.dim() != 2) {
    throw ShapeError(std::string(op) + ": expects scores of shape [batch, classes], got " + to_string(scores.sizes()));
  }
  if (labels.dtype() != kInt64 || labels.dim() != 1 || labels.size(0) != scores.size(0)) {
    throw ShapeError(std::string(op) + ": expects int64 labels of shape [" + std::to_string(scores.size(0)) +
                     "], got " + std::string(to_string(labels.dtype())) + " " + to_string(labels.sizes()));
  }
  const int64_t classes = scores.size(1);
  const int64_t* p = labels.data_ptr<int64_t>();
  for (int64_t i = 0; i < labels.numel(); ++i) {
    if (p[i] < 0 || p[i] >= classes) {
      throw ShapeError(std::string(op) + ": label " + std::to_string(p[i]) + " at position " + std::to_string(i) +
                       " is not a class in [0, " + std::to_string(classes) + ")");
    }
  }
  return {p, p + labels.numel()};
}

Tensor one_hot(const std::vector<int64_t>& labels, int64_t classes, ScalarType dtype) {
  const int64_t n = static_cast<int64_t>(labels.size());
  Tensor t = zeros({n, classes}, dtype);
  dispatch_floating(dtype, "one_hot", [&]<class T>() { kernels::one_hot_dim(labels.data(), n, classes, 1, t.data_ptr<T>()); });
  return t;
}

}  // namespace

Tensor cross_entropy(const Tensor& logits, const Tensor& labels, Reduction reduction) {
  const std::vector<int64_t> y = checked_labels(logits, labels, "cross_entropy");
  const int64_t n = logits.size(0), c = logits.size(1);
  // loss_i = log(sum_j e^{x_ij}) - x_i,label, computed as log(sum_j e^{x_ij - m}) - (x_i,label - m)
  // with m the row's maximum: no exponential overflows, and no digit is lost to |m|.
  Tensor per_example = empty({n}, logits.dtype());
  dispatch_floating(logits.dtype(), "cross_entropy", [&]<class T>() {
    kernels::cross_entropy_rows(logits.data_ptr<T>(), y.data(), n, c, per_example.data_ptr<T>());
  });
  // d loss_i / d x_ij = softmax_ij - [j == label_i]
  per_example = record("cross_entropy", per_example, {logits}, [logits, y, c](const Tensor& g) {
    if (GradMode::is_enabled()) {
      // create_graph: the same gradient in differentiable ops, so that it is recorded.
      const Tensor target = one_hot(y, c, logits.dtype());
      return TensorList{(softmax(logits, 1) - target) * g.unsqueeze(1)};
    }
    // Otherwise one pass per row: the softmax, the one-hot subtraction and the factor g.
    Tensor grad = empty(logits.sizes(), logits.dtype());
    dispatch_floating(logits.dtype(), "cross_entropy", [&]<class T>() {
      kernels::cross_entropy_grad_rows(logits.data_ptr<T>(), y.data(), g.data_ptr<T>(), logits.size(0), c,
                                       grad.data_ptr<T>());
    });
    return TensorList{grad};
  });
  return reduce(per_example, reduction);
}

Tensor nll_loss(const Tensor& log_probs, const Tensor& labels, Reduction reduction) {
  const std::vector<int64_t> y = checked_labels(log_probs, labels, "nll_loss");
  // -log p(label): the log-probability at the label, picked out by a one-hot mask.
  const Tensor picked = (log_probs * one_hot(y, log_probs.size(1), log_probs.dtype())).sum(1);
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
  const std::vector<int64_t> y = checked_labels(logits, labels, "accuracy");
  if (y.empty()) return 0.0;
  const Tensor predicted = logits.argmax(1);
  const int64_t* p = predicted.data_ptr<int64_t>();
  int64_t correct = 0;
  for (size_t i = 0; i < y.size(); ++i) correct += p[i] == y[i];
  return static_cast<double>(correct) / static_cast<double>(y.size());
}

}  // namespace nabla::nn
