#include "nn/functional.h"

#include <string>

#include "autograd/autograd.h"
#include "autograd/ops/linear.h"

namespace nabla::nn::functional {

Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
  if (weight.dim() != 2 || input.dim() < 1 || input.size(-1) != weight.size(1)) {
    throw ShapeError("linear: input " + to_string(input.sizes()) + " does not fit weight " +
                     to_string(weight.sizes()) + " (expected [..., in_features] and [out_features, in_features])");
  }
  if (input.dim() == 2) return nabla::linear(input, weight, bias);
  // [..., in_features]: the leading dimensions as one batch
  Shape out_shape = input.sizes();
  out_shape[out_shape.dim() - 1] = weight.size(0);
  return nabla::linear(input.reshape({-1, weight.size(1)}), weight, bias).reshape(out_shape);
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
