#include "nn/layers/activation_layer.h"

#include <sstream>

#include "autograd/autograd.h"
#include "nn/activations/functions.h"
#include "nn/functional.h"

namespace nabla::nn {

ActivationLayer::ActivationLayer(std::string name) : name_(std::move(name)), activation_(&activation(name_)) {}

PReLU::PReLU(double initial_slope, ScalarType dtype) {
  slope_ = register_parameter("slope", full({1}, initial_slope, dtype));
}

Tensor PReLU::forward(const Tensor& input) { return prelu(input, slope_); }

Tensor Flatten::forward(const Tensor& input) {
  if (input.dim() < 2) throw ShapeError("Flatten: expects [batch, ...], got " + to_string(input.sizes()));
  return input.flatten(1);
}

Dropout::Dropout(double p) : p_(p) {
  if (!(p >= 0 && p < 1)) throw std::invalid_argument("Dropout: p must be in [0, 1), got " + std::to_string(p));
}

Tensor Dropout::forward(const Tensor& input) { return functional::dropout(input, p_, is_training()); }

std::string Dropout::describe() const {
  std::ostringstream s;
  s << "Dropout(p=" << p_ << ")";
  return s.str();
}

}  // namespace nabla::nn
