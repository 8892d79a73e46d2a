#pragma once
// Weight initialisation, matched to the activation that follows the layer, so that the
// variance of the signal neither explodes nor dies as it goes through many layers.
#include <string>

#include "autograd/tensor.h"

namespace nabla::nn {

enum class Init {
  Auto,           // He for the relu family, Glorot otherwise (the table below)
  GlorotUniform,  // U(-a, a), a = sqrt(6 / (fan_in + fan_out)): keeps variance for tanh, sigmoid, identity
  HeUniform,      // U(-a, a), a = sqrt(6 / fan_in): relu zeroes half the signal, so twice the variance
  HeNormal,       // N(0, 2 / fan_in)
  Zeros,
};

// The initialisation Init::Auto picks for an activation.
Init default_init_for(const std::string& activation);
std::string to_string(Init init);

// Fills a [fan_out, fan_in] weight in place, from the default generator (nabla::manual_seed).
void initialize(Tensor& weight, Init init, const std::string& activation = "identity");

}  // namespace nabla::nn
