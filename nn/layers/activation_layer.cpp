#include "nn/layers/activation_layer.h"

#include "autograd/autograd.h"

namespace nabla::nn {

ActivationLayer::ActivationLayer(std::string name) : name_(std::move(name)), activation_(&activation(name_)) {}

}  // namespace nabla::nn
