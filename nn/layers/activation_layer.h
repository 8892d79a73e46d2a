#pragma once
// Activations as layers: an activation by name (built-in or registered), libtorch's named
// activation modules (ReLU, Sigmoid, Tanh, GELU), and any function of one tensor as a layer.
// PReLU, Flatten and Dropout have their own files (prelu.h, flatten.h, dropout.h).
#include <functional>
#include <string>

#include "nn/activations/activation.h"
#include "nn/module.h"

namespace nabla::nn {

// Applies a named activation (built-in or registered) as its own layer.
class ActivationLayer : public Module {
 public:
  // The activation of that name; std::invalid_argument naming the known ones if there is none.
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

}  // namespace nabla::nn
