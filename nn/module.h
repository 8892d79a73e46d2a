#pragma once
// Module: the base of every layer and model. It owns named parameters and named child
// modules, so that a model can list all its parameters recursively with dotted names
// ("0.weight", "2.bias"), switch between training and evaluation, and zero its gradients.
//
//   class Scale : public nn::Module {
//    public:
//     Scale() { factor_ = register_parameter("factor", ones({1}).requires_grad_()); }
//     Tensor forward(const Tensor& x) override { return x * factor_; }
//     std::string type_name() const override { return "Scale"; }
//    private:
//     Tensor factor_;
//   };
//
// Layers (nn/layers/) derive from it; optimizers take parameters(); nn::save, export_npy and
// to_dot walk named_parameters().
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "autograd/tensor.h"

namespace nabla::nn {

class Module {
 public:
  virtual ~Module() = default;

  // The module applied to a batch. Each layer documents its shapes; a mismatch is a ShapeError.
  virtual Tensor forward(const Tensor& input) = 0;
  Tensor operator()(const Tensor& input) { return forward(input); }

  // "Dense", "Sequential": the kind of module, for summaries and errors.
  virtual std::string type_name() const = 0;
  // "Dense(784 -> 256, relu)": the kind and its configuration.
  virtual std::string describe() const { return type_name(); }

  // Every parameter of this module and its children, depth first, in registration order.
  std::vector<Tensor> parameters() const;
  // The same, with dotted names: "0.weight", "0.bias", "2.weight", ...
  std::vector<std::pair<std::string, Tensor>> named_parameters() const;
  // The number of scalars in all parameters.
  int64_t parameter_count() const;
  // The direct children, in registration order.
  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& children() const { return children_; }

  // Training mode (the default) versus evaluation mode (Dropout passes inputs through).
  void train(bool on = true);  // sets this module and every child
  void eval() { train(false); }
  bool is_training() const { return training_; }

  // Forgets every parameter's gradient (sets it to none, like PyTorch's default).
  void zero_grad();

 protected:
  // Registers a tensor as a parameter (it is made to require grad) and returns it.
  Tensor register_parameter(std::string name, Tensor tensor);
  // Adds a child: its parameters appear under "name.".
  void register_module(std::string name, std::shared_ptr<Module> module);
  // As in libtorch, hands the module back: fc_ = register_module("fc", std::make_shared<nn::Linear>(4, 2));
  template <class M>
    requires std::is_base_of_v<Module, M>
  std::shared_ptr<M> register_module(std::string name, std::shared_ptr<M> module) {
    register_module(std::move(name), std::shared_ptr<Module>(module));
    return module;
  }

 private:
  void collect(const std::string& prefix, std::vector<std::pair<std::string, Tensor>>& out) const;
  std::vector<std::pair<std::string, Tensor>> parameters_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  bool training_ = true;
};

}  // namespace nabla::nn
