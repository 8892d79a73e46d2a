#pragma once
// Layers without weights: an activation by name, a learnable-slope PReLU, Flatten, Dropout.
#include <functional>
#include <string>

#include "nn/activations/activation.h"
#include "nn/module.h"

namespace nabla::nn {

// Applies a named activation (built-in or registered) as its own layer.
class ActivationLayer : public Module {
 public:
  explicit ActivationLayer(std::string name);
  Tensor forward(const Tensor& input) override { return (*activation_)(input); }
  std::string type_name() const override { return "Activation"; }
  std::string describe() const override { return "Activation(" + name_ + ")"; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  const Activation* activation_;
};

// libtorch's activation modules, each an ActivationLayer of the table's row of that name.
struct ReLU : ActivationLayer {
  ReLU() : ActivationLayer("relu") {}
};
struct Sigmoid : ActivationLayer {
  Sigmoid() : ActivationLayer("sigmoid") {}
};
struct Tanh : ActivationLayer {
  Tanh() : ActivationLayer("tanh") {}
};
struct GELU : ActivationLayer {
  GELU() : ActivationLayer("gelu") {}
};

// Any function of one tensor as a layer: nn::Functional(nabla::relu), or a lambda.
class Functional : public Module {
 public:
  explicit Functional(std::function<Tensor(const Tensor&)> function) : function_(std::move(function)) {}
  Tensor forward(const Tensor& input) override { return function_(input); }
  std::string type_name() const override { return "Functional"; }

 private:
  std::function<Tensor(const Tensor&)> function_;
};

// x if x > 0 else a x, with the slope a learned (initially 0.25, as in PyTorch).
class PReLU : public Module {
 public:
  explicit PReLU(double initial_slope = 0.25, ScalarType dtype = kFloat32);
  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "PReLU"; }
  const Tensor& slope() const { return slope_; }

 private:
  Tensor slope_;
};

// [batch, d1, d2, ...] -> [batch, d1 * d2 * ...]
class Flatten : public Module {
 public:
  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "Flatten"; }
};

// Training: zeroes each element with probability p and scales the rest by 1 / (1 - p), so
// the expected output is the input. Evaluation: passes the input through unchanged.
class Dropout : public Module {
 public:
  explicit Dropout(double p = 0.5);
  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "Dropout"; }
  std::string describe() const override;

 private:
  double p_;
};

}  // namespace nabla::nn
