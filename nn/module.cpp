#include "nn/module.h"

#include "autograd/grad_mode.h"

namespace nabla::nn {

Tensor Module::register_parameter(std::string name, Tensor tensor) {
  if (!tensor.requires_grad()) tensor.requires_grad_(true);
  parameters_.emplace_back(std::move(name), tensor);
  return tensor;
}

void Module::register_module(std::string name, std::shared_ptr<Module> module) {
  children_.emplace_back(std::move(name), std::move(module));
}

void Module::collect(const std::string& prefix, std::vector<std::pair<std::string, Tensor>>& out) const {
  for (const auto& [name, p] : parameters_) out.emplace_back(prefix + name, p);
  for (const auto& [name, child] : children_) child->collect(prefix + name + ".", out);
}

std::vector<std::pair<std::string, Tensor>> Module::named_parameters() const {
  std::vector<std::pair<std::string, Tensor>> out;
  collect("", out);
  return out;
}

std::vector<Tensor> Module::parameters() const {
  std::vector<Tensor> out;
  for (auto& [name, p] : named_parameters()) out.push_back(p);
  return out;
}

int64_t Module::parameter_count() const {
  int64_t n = 0;
  for (const Tensor& p : parameters()) n += p.numel();
  return n;
}

void Module::train(bool on) {
  training_ = on;
  for (auto& [name, child] : children_) child->train(on);
}

void Module::zero_grad() {
  for (const Tensor& p : parameters()) p.zero_grad();
}

}  // namespace nabla::nn
