#include "nn/layers/dense.h"

#include "autograd/autograd.h"

namespace nabla::nn {

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
  Tensor y = mm(input, weight_, false, /*transpose_b=*/true);  // x W^T, without copying W^T
  if (bias_.defined()) y = y + bias_;
  return activation_ == "identity" ? y : (*activation_fn_)(y);
}

std::string Dense::describe() const {
  return "Dense(" + std::to_string(in_features_) + " -> " + std::to_string(out_features_) +
         (activation_ == "identity" ? "" : ", " + activation_) + (bias_.defined() ? "" : ", no bias") + ")";
}

}  // namespace nabla::nn
