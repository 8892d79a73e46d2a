#include "nn/layers/dense.h"

#include "autograd/autograd.h"
#include "autograd/ops/linear.h"

namespace nabla::nn {
namespace {

// relu and identity are fused into the linear op; any other activation runs after it.
Tensor dense_with(const Tensor& input, const Tensor& weight, const Tensor& bias, const Activation& activation) {
  if (activation.name == "relu") return linear(input, weight, bias, LinearActivation::Relu);
  const Tensor z = linear(input, weight, bias);
  return activation.name == "identity" ? z : activation(z);
}

}  // namespace

Tensor dense(const Tensor& input, const Tensor& weight, const Tensor& bias, const std::string& activation) {
  const Activation& f = nabla::activation(activation);
  return dense_with(input, weight, bias, f);
}

Dense::Dense(int64_t in_features, int64_t out_features, std::string activation, DenseOptions options)
    : in_features_(in_features),
      out_features_(out_features),
      activation_(std::move(activation)),
      activation_fn_(&nabla::activation(activation_)) {  // an unknown name fails here, not at the first forward
  if (in_features <= 0 || out_features <= 0) {
    throw std::invalid_argument("Dense: sizes must be positive, got " + std::to_string(in_features) + " -> " +
                                std::to_string(out_features));
  }
  Tensor w = empty({out_features, in_features}, options.dtype);
  initialize(w, options.init, activation_);
  weight_ = register_parameter("weight", w);
  if (options.bias) bias_ = register_parameter("bias", zeros({out_features}, options.dtype));
}

Tensor Dense::forward(const Tensor& input) {
  if (input.dim() != 2 || input.size(1) != in_features_) {
    throw ShapeError("Dense(" + std::to_string(in_features_) + " -> " + std::to_string(out_features_) +
                     "): expects input of shape [batch, " + std::to_string(in_features_) + "], got " +
                     to_string(input.sizes()));
  }
  return dense_with(input, weight_, bias_, *activation_fn_);
}

std::string Dense::describe() const {
  return "Dense(" + std::to_string(in_features_) + " -> " + std::to_string(out_features_) +
         (activation_ == "identity" ? "" : ", " + activation_) + (bias_.defined() ? "" : ", no bias") + ")";
}

}  // namespace nabla::nn
