#pragma once
// Dense (fully connected) layer:  y = activation(x W^T + b)
//
// W has shape [out_features, in_features] and b [out_features], as in PyTorch's Linear, so
// exported weights load there unchanged. The activation is named ("relu", "tanh", or any
// registered custom one) and fused into the layer; "identity" means a purely linear layer.
// The weights are initialised for the activation (nn/init.h: He for the relu family,
// Glorot otherwise) unless DenseOptions.init says otherwise; the bias starts at 0. Linear
// (linear.h) is the same layer under libtorch's name, and collapse() (nn/collapse.h) folds
// a stack of linear ones into one.
#include <string>

#include "nn/activations/activation.h"
#include "nn/init.h"
#include "nn/module.h"

namespace nabla::nn {

struct DenseOptions {
  bool bias = true;
  Init init = Init::Auto;  // matched to the activation
  ScalarType dtype = kFloat32;
};

// The layer's computation as a function: activation(input weight^T + bias), bias optional
// (undefined), input [batch, in], weight [out, in], bias [out]. Dense::forward is this with
// its own parameters. relu and identity run inside the fused linear op (autograd/ops/linear.h:
// GEMM, then bias and activation in one pass); any other activation runs as its own op after
// it. Shapes or dtypes that do not fit are the op's ShapeError or DtypeError.
Tensor dense(const Tensor& input, const Tensor& weight, const Tensor& bias, const std::string& activation);

class Dense : public Module {
 public:
  // std::invalid_argument for a size <= 0 or an activation name not in the table (the
  // message lists the known names).
  Dense(int64_t in_features, int64_t out_features, std::string activation = "identity", DenseOptions options = {});

  // [batch, in_features] -> [batch, out_features], in the layer's dtype; any other input
  // shape is a ShapeError naming the layer and the shape.
  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "Dense"; }
  std::string describe() const override;  // "Dense(784 -> 256, relu)"

  int64_t in_features() const { return in_features_; }
  int64_t out_features() const { return out_features_; }
  const std::string& activation() const { return activation_; }
  const Tensor& weight() const { return weight_; }  // [out_features, in_features]
  const Tensor& bias() const { return bias_; }  // undefined without bias

 private:
  int64_t in_features_, out_features_;
  std::string activation_;
  const Activation* activation_fn_;  // looked up once: the table's rows never move
  Tensor weight_, bias_;
};

}  // namespace nabla::nn
