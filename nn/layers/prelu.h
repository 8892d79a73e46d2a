#pragma once
// PReLU: x if x > 0 else a x, with the slope a a learned parameter (one for the whole
// input, initially 0.25, as torch::nn::PReLU). d/dx = 1 or a; d/da = x where x <= 0.
#include "autograd/tensor.h"
#include "nn/module.h"

namespace nabla::nn {

class PReLU : public Module {
 public:
  // A layer whose slope parameter ("slope", shape [1]) starts at initial_slope, in dtype.
  explicit PReLU(double initial_slope = 0.25, ScalarType dtype = kFloat32);
  // prelu(input, slope): input's shape and dtype (DtypeError if it differs from the slope's).
  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "PReLU"; }
  // The learned slope, a [1] tensor that requires grad.
  const Tensor& slope() const { return slope_; }

 private:
  Tensor slope_;
};

}  // namespace nabla::nn
