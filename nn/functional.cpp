#include "nn/functional.h"

#include <string>

#include "autograd/autograd.h"

namespace nabla::nn::functional {

Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
  if (weight.dim() != 2 || input.dim() < 1 || input.size(-1) != weight.size(1)) {
    throw ShapeError("linear: input " + to_string(input.sizes()) + " does not fit weight " +
                     to_string(weight.sizes()) + " (expected [..., in_features] and [out_features, in_features])");
  }
  // x W^T; for a 2-D input without copying W^T, as Dense does
  Tensor y = input.dim() == 2 ? mm(input, weight, false, /*transpose_b=*/true) : matmul(input, weight.t());
  return bias.defined() ? y + bias : y;
}

Tensor dropout(const Tensor& input, double p, bool training) {
  if (!(p >= 0.0 && p < 1.0)) {
    throw std::invalid_argument("dropout: p must be in [0, 1), got " + std::to_string(p));
  }
  if (!training || p == 0.0) return input;
  Tensor keep;
  {
    NoGradGuard mask_is_constant;
    keep = lt(rand(input.sizes(), input.dtype()), 1.0 - p) * (1.0 / (1.0 - p));
  }
  // d/dx (x * keep) = keep
  return input * keep;
}

Tensor dropout(const Tensor& input, const DropoutFuncOptions& options) {
  return dropout(input, options.p_, options.training_);
}

}  // namespace nabla::nn::functional
