#pragma once
// Weight initialisation, matched to the activation that follows the layer, so that the
// variance of the signal neither explodes nor dies as it goes through many layers. Which
// init suits which activation is part of the activation's description (its InitFamily,
// nn/activations/activation.h): Init::Auto reads it there, for built-ins and custom ones.
#include <string>

#include "autograd/tensor.h"

namespace nabla::nn {

enum class Init {
  Auto,           // the activation's own family (Activation::init): Glorot, He or LeCun
  GlorotUniform,  // U(-a, a), a = sqrt(6 / (fan_in + fan_out)): keeps variance for tanh, sigmoid, identity
  HeUniform,      // U(-a, a), a = sqrt(6 / fan_in): relu zeroes half the signal, so twice the variance
  HeNormal,       // N(0, 2 / fan_in)
  LecunNormal,    // N(0, 1 / fan_in): selu's fixed point of mean 0, variance 1
  Zeros,
};

// The initialisation Init::Auto picks for an activation spec ("relu", "leaky_relu(0.2)"): its
// InitFamily as GlorotUniform, HeUniform or LecunNormal. An unknown name gets GlorotUniform.
Init default_init_for(const std::string& activation);
std::string to_string(Init init);

// Fills a [fan_out, fan_in] weight in place, from the default generator (nabla::manual_seed).
// ShapeError unless weight is 2-d.
void initialize(Tensor& weight, Init init, const std::string& activation = "identity");

// libtorch's nn::init: each fills `tensor` in place (its storage, shared with the caller's
// handle), without recording it in the graph, from the default generator, and returns it.
//   nn::init::kaiming_uniform_(w, 0.0, nabla::kFanIn, nabla::kReLU);  nn::init::zeros_(b);
// Fans, for a weight of shape [out, in, k...]: fan_in = in * k..., fan_out = out * k...;
// a tensor of fewer than 2 dimensions has no fans (ShapeError).
namespace init {

enum class FanMode { FanIn, FanOut };
enum class Nonlinearity { Linear, Sigmoid, Tanh, ReLU, LeakyReLU };
inline constexpr FanMode kFanIn = FanMode::FanIn;
inline constexpr FanMode kFanOut = FanMode::FanOut;
inline constexpr Nonlinearity kLinear = Nonlinearity::Linear;
inline constexpr Nonlinearity kSigmoid = Nonlinearity::Sigmoid;
inline constexpr Nonlinearity kTanh = Nonlinearity::Tanh;
inline constexpr Nonlinearity kReLU = Nonlinearity::ReLU;
inline constexpr Nonlinearity kLeakyReLU = Nonlinearity::LeakyReLU;

// The factor that keeps the signal's variance through the non-linearity: 1 (linear,
// sigmoid), 5/3 (tanh), sqrt(2) (relu), sqrt(2 / (1 + slope^2)) (leaky relu).
double calculate_gain(Nonlinearity nonlinearity, double negative_slope = 0.01);

Tensor uniform_(Tensor tensor, double low = 0.0, double high = 1.0);
Tensor normal_(Tensor tensor, double mean = 0.0, double stddev = 1.0);
Tensor constant_(Tensor tensor, double value);
Tensor zeros_(Tensor tensor);
Tensor ones_(Tensor tensor);
// Glorot: std = gain sqrt(2 / (fan_in + fan_out)); the uniform bound is sqrt(3) std.
Tensor xavier_uniform_(Tensor tensor, double gain = 1.0);
Tensor xavier_normal_(Tensor tensor, double gain = 1.0);
// He: std = calculate_gain(nonlinearity, a) / sqrt(fan); the uniform bound is sqrt(3) std.
// The defaults are libtorch's (a = 0 with leaky relu: the relu gain sqrt(2)).
Tensor kaiming_uniform_(Tensor tensor, double a = 0.0, FanMode mode = kFanIn, Nonlinearity nonlinearity = kLeakyReLU);
Tensor kaiming_normal_(Tensor tensor, double a = 0.0, FanMode mode = kFanIn, Nonlinearity nonlinearity = kLeakyReLU);
// LeCun: N(0, 1 / fan_in), the init selu's self-normalisation assumes (not in libtorch).
Tensor lecun_normal_(Tensor tensor);

}  // namespace init
}  // namespace nabla::nn

// libtorch spells the modes and non-linearities torch::kFanIn, torch::kReLU, ...
namespace nabla {
using nn::init::kFanIn;
using nn::init::kFanOut;
using nn::init::kLeakyReLU;
using nn::init::kLinear;
using nn::init::kReLU;
using nn::init::kSigmoid;
using nn::init::kTanh;
}  // namespace nabla
