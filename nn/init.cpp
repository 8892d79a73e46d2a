#include "nn/init.h"

#include <cmath>

#include "autograd/autograd.h"

namespace nabla::nn {

Init default_init_for(const std::string& activation) {
  for (const char* relu_like : {"relu", "leaky_relu", "prelu", "elu", "selu", "celu", "gelu", "gelu_tanh", "silu",
                                "swish", "mish", "relu6", "hardswish"}) {
    if (activation == relu_like) return Init::HeUniform;
  }
  return Init::GlorotUniform;
}

std::string to_string(Init init) {
  switch (init) {
    case Init::Auto: return "auto";
    case Init::GlorotUniform: return "glorot_uniform";
    case Init::HeUniform: return "he_uniform";
    case Init::HeNormal: return "he_normal";
    case Init::Zeros: return "zeros";
  }
  return "?";
}

void initialize(Tensor& weight, Init init, const std::string& activation) {
  if (weight.dim() != 2) throw ShapeError("initialize: expects a [fan_out, fan_in] weight, got " + to_string(weight.sizes()));
  const double fan_out = static_cast<double>(weight.size(0)), fan_in = static_cast<double>(weight.size(1));
  if (init == Init::Auto) init = default_init_for(activation);
  NoGradGuard no_grad;
  switch (init) {
    case Init::GlorotUniform: {
      const double a = std::sqrt(6.0 / (fan_in + fan_out));
      weight.uniform_(-a, a);
      break;
    }
    case Init::HeUniform: {
      const double a = std::sqrt(6.0 / fan_in);
      weight.uniform_(-a, a);
      break;
    }
    case Init::HeNormal: weight.normal_(0.0, std::sqrt(2.0 / fan_in)); break;
    case Init::Zeros: weight.zero_(); break;
    case Init::Auto: break;
  }
}

}  // namespace nabla::nn
