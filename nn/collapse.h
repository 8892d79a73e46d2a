#pragma once
// Why networks need non-linear activations, in code. Without them, stacked Dense layers
// are one Dense layer in disguise:
//
//   W2 (W1 x + b1) + b2  =  (W2 W1) x + (W2 b1 + b2)
//
// collapse() computes that single layer for any number of stacked linear layers:
//   W = Wn ... W2 W1,   b = Wn (... (W2 b1 + b2) ...) + bn
// Identity activations (Dense(..., "identity") and ActivationLayer("identity")) are linear
// and collapse too; any other non-linearity is refused, naming the layer. collapse() leaves
// the random generator where it was.
#include "nn/layers/dense.h"
#include "nn/layers/sequential.h"

namespace nabla::nn {

// The one Dense layer (identity activation) that computes what `model` computes, in the
// dtype of its weights. std::invalid_argument naming the layer for a non-linear activation,
// a module that is not Dense/ActivationLayer, or a model with no Dense layer; ShapeError if
// consecutive layers' sizes do not chain.
Dense collapse(const Sequential& model);

}  // namespace nabla::nn
