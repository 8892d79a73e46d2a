#pragma once
// Flatten: [batch, d1, d2, ...] -> [batch, d1 * d2 * ...], the step between image-shaped
// data and a Dense layer (torch::nn::Flatten with its default dims). No parameters.
#include "autograd/tensor.h"
#include "nn/module.h"

namespace nabla::nn {

class Flatten : public Module {
 public:
  // The input with every dimension after the first merged into one (ShapeError below 2-D).
  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "Flatten"; }
};

}  // namespace nabla::nn
