#pragma once
// Sequential: modules applied one after the other, as in Keras and PyTorch.
//
//   nn::Sequential model({nn::Dense(784, 256, "relu"), nn::Dense(256, 10)});
//   model.add(nn::Dropout(0.1));
//   Tensor logits = model(images);
//   std::cout << nn::summary(model);
//
// Each module is held by shared pointer and registered as a child named by its position
// ("0", "1", ...), so parameters are named "0.weight", "0.bias", ...: the names nn::save
// and export_npy write. mlp() builds the usual stack of Dense layers in one call.
#include <concepts>
#include <initializer_list>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "nn/module.h"

namespace nabla::nn {

// Holds any module by shared pointer, so a Sequential can be written as a list of values.
struct AnyModule {
  template <std::derived_from<Module> M>
  AnyModule(M module) : ptr(std::make_shared<M>(std::move(module))) {}  // NOLINT: implicit by design
  template <std::derived_from<Module> M>
  AnyModule(std::shared_ptr<M> module) : ptr(std::move(module)) {}  // NOLINT: implicit by design
  std::shared_ptr<Module> ptr;
};

class Sequential : public Module {
 public:
  Sequential() = default;
  // The modules in order; a null pointer among them is std::invalid_argument.
  Sequential(std::initializer_list<AnyModule> modules);
  // libtorch's variadic form: nn::Sequential(nn::Linear(784, 64), nn::ReLU(), nn::Linear(64, 10)).
  template <class... Modules>
    requires(sizeof...(Modules) >= 1 && (std::convertible_to<Modules, AnyModule> && ...) &&
             !(sizeof...(Modules) == 1 && (std::same_as<std::remove_cvref_t<Modules>, Sequential> && ...)))
  explicit Sequential(Modules&&... modules) : Sequential({AnyModule(std::forward<Modules>(modules))...}) {}

  // Appends a module and returns it (the copy held by the model).
  template <std::derived_from<Module> M>
  M& add(M module) {
    auto held = std::make_shared<M>(std::move(module));
    append(held);
    return *held;
  }
  // Appends a module held elsewhere too (shared); null is std::invalid_argument.
  void append(std::shared_ptr<Module> module);

  // Each module's forward on the previous one's output; their shape errors pass through.
  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "Sequential"; }

  size_t size() const { return children().size(); }  // the number of modules
  // libtorch holds modules by pointer (model->forward(x)); -> reaches the model itself.
  Sequential* operator->() { return this; }
  const Sequential* operator->() const { return this; }
  // Module i; std::out_of_range past the end.
  Module& operator[](size_t i) const { return *children().at(i).second; }
};

// Dense layers of the given sizes, `activation` after every one but the last (which gives
// logits): mlp({784, 256, 256, 10}, "relu"). std::invalid_argument for fewer than two
// sizes, a size <= 0 or an unknown activation.
Sequential mlp(const std::vector<int64_t>& sizes, const std::string& activation = "relu", ScalarType dtype = kFloat32);

// A Keras-style table: each layer, its output shape and parameter count, and the totals.
// The output shapes come from running one example of `input_shape` (without the batch
// dimension) through the model; by default, the first Dense layer's input size
// (std::invalid_argument if there is none and no shape is given).
std::string summary(Module& model, const Shape& input_shape = {});

}  // namespace nabla::nn
