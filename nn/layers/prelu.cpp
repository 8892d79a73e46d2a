#include "nn/layers/prelu.h"

#include "autograd/autograd.h"
#include "nn/activations/functions.h"

namespace nabla::nn {

PReLU::PReLU(double initial_slope, ScalarType dtype) {
  slope_ = register_parameter("slope", full({1}, initial_slope, dtype));
}

Tensor PReLU::forward(const Tensor& input) { return prelu(input, slope_); }

}  // namespace nabla::nn
