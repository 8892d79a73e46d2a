#include "nn/layers/sequential.h"

#include <iomanip>
#include <sstream>

#include "autograd/autograd.h"
#include "nn/layers/dense.h"

namespace nabla::nn {

Sequential::Sequential(std::initializer_list<AnyModule> modules) {
  for (const AnyModule& m : modules) append(m.ptr);
}

void Sequential::append(std::shared_ptr<Module> module) {
  if (!module) throw std::invalid_argument("Sequential: cannot add a null module");
  module->train(is_training());
  register_module(std::to_string(children().size()), std::move(module));
}

Tensor Sequential::forward(const Tensor& input) {
  Tensor x = input;
  for (const auto& [name, module] : children()) x = module->forward(x);
  return x;
}

Sequential mlp(const std::vector<int64_t>& sizes, const std::string& activation, ScalarType dtype) {
  if (sizes.size() < 2) throw std::invalid_argument("mlp: needs at least an input and an output size");
  Sequential model;
  for (size_t i = 0; i + 1 < sizes.size(); ++i) {
    const bool last = i + 2 == sizes.size();
    model.add(Dense(sizes[i], sizes[i + 1], last ? "identity" : activation, {.dtype = dtype}));
  }
  return model;
}

namespace {

std::string batch_shape(const Shape& s) {
  std::string out = "(None";
  for (int d = 1; d < s.dim(); ++d) out += ", " + std::to_string(s[d]);
  return out + ")";
}

Shape infer_input_shape(Module& model) {
  if (auto* dense = dynamic_cast<Dense*>(&model)) return {dense->in_features()};
  for (const auto& [name, child] : model.children()) {
    Shape s = infer_input_shape(*child);
    if (!s.empty()) return s;
  }
  return {};
}

}  // namespace

std::string summary(Module& model, const Shape& input_shape) {
  Shape example = input_shape.empty() ? infer_input_shape(model) : input_shape;
  if (example.empty()) throw std::invalid_argument("summary: give the input shape (no Dense layer to infer it from)");
  Shape batch{1};
  for (int64_t s : example) batch.push_back(s);
  const ScalarType dtype = model.parameters().empty() ? kFloat32 : model.parameters().front().dtype();

  std::ostringstream out;
  const std::string rule(66, '-');
  out << model.type_name() << "\n" << rule << "\n"
      << std::left << std::setw(34) << "Layer (type)" << std::setw(20) << "Output Shape" << "Param #\n"
      << std::string(66, '=') << "\n";
  NoGradGuard no_grad;
  Tensor x = zeros(batch, dtype);
  const bool was_training = model.is_training();
  model.eval();
  auto row = [&](const std::string& name, Module& m) {
    x = m.forward(x);
    out << std::left << std::setw(34) << (name + " " + m.describe()) << std::setw(20) << batch_shape(x.sizes())
        << m.parameter_count() << "\n";
  };
  if (model.children().empty()) {
    row("0", model);
  } else {
    for (const auto& [name, child] : model.children()) row(name, *child);
  }
  model.train(was_training);
  int64_t trainable = 0;
  for (const Tensor& p : model.parameters()) trainable += p.requires_grad() ? p.numel() : 0;
  out << std::string(66, '=') << "\nTotal params: " << model.parameter_count() << "\nTrainable params: " << trainable
      << "\n" << rule << "\n";
  return out.str();
}

}  // namespace nabla::nn
