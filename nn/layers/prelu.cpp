#include "nn/layers/prelu.h"

#include "autograd/autograd.h"
#include "autograd/ops/prelu.h"

namespace nabla::nn {

PReLU::PReLU(double initial_slope, ScalarType dtype) {
  slope_ = register_parameter("slope", full({1}, initial_slope, dtype));
}

Tensor PReLU::forward(const Tensor& input) { return prelu(input, slope_); }

}  // namespace nabla::nn
