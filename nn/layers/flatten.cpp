#include "nn/layers/flatten.h"

#include "autograd/autograd.h"

namespace nabla::nn {

Tensor Flatten::forward(const Tensor& input) {
  if (input.dim() < 2) throw ShapeError("Flatten: expects [batch, ...], got " + to_string(input.sizes()));
  return input.flatten(1);
}

}  // namespace nabla::nn
