#include "nn/collapse.h"

#include "autograd/autograd.h"
#include "nn/layers/activation_layer.h"

namespace nabla::nn {

Dense collapse(const Sequential& model) {
  std::vector<const Dense*> layers;
  for (size_t i = 0; i < model.size(); ++i) {
    if (const auto* activation = dynamic_cast<const ActivationLayer*>(&model[i])) {
      if (activation->name() == "identity") continue;  // linear: nothing to compose
      throw std::invalid_argument("collapse: layer " + std::to_string(i) + " is " + activation->describe() +
                                  ": its " + activation->name() +
                                  " non-linearity is exactly what keeps the layers from collapsing into one");
    }
    const auto* dense = dynamic_cast<const Dense*>(&model[i]);
    if (!dense) {
      throw std::invalid_argument("collapse: layer " + std::to_string(i) + " is " + model[i].describe() +
                                  ", not a Dense layer; only stacked linear layers collapse into one");
    }
    if (dense->activation() != "identity") {
      throw std::invalid_argument("collapse: layer " + std::to_string(i) + " is " + dense->describe() +
                                  ": its " + dense->activation() +
                                  " non-linearity is exactly what keeps the layers from collapsing into one");
    }
    if (!layers.empty() && dense->in_features() != layers.back()->out_features()) {
      throw ShapeError("collapse: layer " + std::to_string(i) + " takes " + std::to_string(dense->in_features()) +
                       " inputs but the Dense layer before it gives " + std::to_string(layers.back()->out_features()));
    }
    layers.push_back(dense);
  }
  if (layers.empty()) throw std::invalid_argument("collapse: the model has no Dense layer to collapse into one");

  NoGradGuard no_grad;
  const ScalarType dtype = layers.front()->weight().dtype();
  Tensor w = layers.front()->weight();
  Tensor b = layers.front()->bias().defined() ? layers.front()->bias() : zeros({layers.front()->out_features()}, dtype);
  for (size_t i = 1; i < layers.size(); ++i) {
    const Dense& next = *layers[i];
    // (W_next (W x + b) + b_next): the weight composes, the bias goes through W_next.
    w = matmul(next.weight(), w);
    b = matmul(next.weight(), b.unsqueeze(1)).squeeze(1);
    if (next.bias().defined()) b = b + next.bias();
  }
  // Zero-initialised, so that collapsing draws nothing from the random generator.
  Dense single(layers.front()->in_features(), layers.back()->out_features(), "identity",
               {.init = Init::Zeros, .dtype = dtype});
  single.weight().detach().copy_(w);
  single.bias().detach().copy_(b);
  return single;
}

}  // namespace nabla::nn
