#include "nn/init.h"

#include <cmath>

#include "autograd/autograd.h"
#include "nn/activations/activation.h"

namespace nabla::nn {

Init default_init_for(const std::string& activation) {
  if (!has_activation(activation)) return Init::GlorotUniform;
  switch (nabla::activation(activation).init) {
    case InitFamily::He: return Init::HeUniform;
    case InitFamily::LeCun: return Init::LecunNormal;
    case InitFamily::Glorot:
    case InitFamily::Derived: break;  // Derived: a row never registered, so never measured
  }
  return Init::GlorotUniform;
}

std::string to_string(Init init) {
  switch (init) {
    case Init::Auto: return "auto";
    case Init::GlorotUniform: return "glorot_uniform";
    case Init::HeUniform: return "he_uniform";
    case Init::HeNormal: return "he_normal";
    case Init::LecunNormal: return "lecun_normal";
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
    case Init::LecunNormal: weight.normal_(0.0, std::sqrt(1.0 / fan_in)); break;
    case Init::Zeros: weight.zero_(); break;
    case Init::Auto: break;
  }
}

namespace init {
namespace {

struct Fans {
  double in, out;
};

Fans fans_of(const Tensor& t, const char* op) {
  if (t.dim() < 2) {
    throw ShapeError(std::string(op) + ": fan in and fan out need a tensor of at least 2 dimensions, got shape " +
                     to_string(t.sizes()));
  }
  double receptive = 1;
  for (int d = 2; d < t.dim(); ++d) receptive *= static_cast<double>(t.size(d));
  return {static_cast<double>(t.size(1)) * receptive, static_cast<double>(t.size(0)) * receptive};
}

}  // namespace

double calculate_gain(Nonlinearity nonlinearity, double negative_slope) {
  switch (nonlinearity) {
    case Nonlinearity::Linear:
    case Nonlinearity::Sigmoid: return 1.0;
    case Nonlinearity::Tanh: return 5.0 / 3.0;
    case Nonlinearity::ReLU: return std::sqrt(2.0);
    case Nonlinearity::LeakyReLU: return std::sqrt(2.0 / (1.0 + negative_slope * negative_slope));
  }
  return 1.0;
}

Tensor uniform_(Tensor tensor, double low, double high) {
  NoGradGuard no_grad;
  tensor.uniform_(low, high);
  return tensor;
}

Tensor normal_(Tensor tensor, double mean, double stddev) {
  NoGradGuard no_grad;
  tensor.normal_(mean, stddev);
  return tensor;
}

Tensor constant_(Tensor tensor, double value) {
  NoGradGuard no_grad;
  tensor.fill_(value);
  return tensor;
}

Tensor zeros_(Tensor tensor) { return constant_(std::move(tensor), 0.0); }
Tensor ones_(Tensor tensor) { return constant_(std::move(tensor), 1.0); }

Tensor xavier_uniform_(Tensor tensor, double gain) {
  const Fans f = fans_of(tensor, "xavier_uniform_");
  const double stddev = gain * std::sqrt(2.0 / (f.in + f.out));
  return uniform_(std::move(tensor), -std::sqrt(3.0) * stddev, std::sqrt(3.0) * stddev);
}

Tensor xavier_normal_(Tensor tensor, double gain) {
  const Fans f = fans_of(tensor, "xavier_normal_");
  return normal_(std::move(tensor), 0.0, gain * std::sqrt(2.0 / (f.in + f.out)));
}

Tensor kaiming_uniform_(Tensor tensor, double a, FanMode mode, Nonlinearity nonlinearity) {
  const Fans f = fans_of(tensor, "kaiming_uniform_");
  const double stddev = calculate_gain(nonlinearity, a) / std::sqrt(mode == FanMode::FanIn ? f.in : f.out);
  return uniform_(std::move(tensor), -std::sqrt(3.0) * stddev, std::sqrt(3.0) * stddev);
}

Tensor kaiming_normal_(Tensor tensor, double a, FanMode mode, Nonlinearity nonlinearity) {
  const Fans f = fans_of(tensor, "kaiming_normal_");
  const double stddev = calculate_gain(nonlinearity, a) / std::sqrt(mode == FanMode::FanIn ? f.in : f.out);
  return normal_(std::move(tensor), 0.0, stddev);
}

Tensor lecun_normal_(Tensor tensor) {
  const Fans f = fans_of(tensor, "lecun_normal_");
  return normal_(std::move(tensor), 0.0, 1.0 / std::sqrt(f.in));
}

}  // namespace init
}  // namespace nabla::nn
