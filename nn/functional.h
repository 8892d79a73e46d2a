#pragma once
// nn::functional: the stateless side of nn, under the names libtorch gives it:
//
//   namespace F = nabla::nn::functional;
//   Tensor h = F::relu(F::linear(x, w, b));
//   Tensor loss = F::cross_entropy(F::dropout(h, 0.2, model.is_training()), labels);
//
// Everything here is one of nabla's ops or losses under its libtorch name; only dropout is
// written here (functional.cpp).
#include "autograd/tensor.h"
#include "nn/activations/functions.h"
#include "nn/loss.h"

namespace nabla::nn::functional {

using nabla::celu;
using nabla::elu;
using nabla::gelu;
using nabla::hardswish;
using nabla::hardtanh;
using nabla::leaky_relu;
using nabla::log_sigmoid;
using nabla::log_softmax;
using nabla::mish;
using nabla::relu;
using nabla::relu6;
using nabla::selu;
using nabla::sigmoid;
using nabla::silu;
using nabla::softmax;
using nabla::softplus;
using nabla::softsign;
using nabla::tanh;

using nn::binary_cross_entropy_with_logits;
using nn::cross_entropy;
using nn::mse_loss;
using nn::nll_loss;

// y = x W^T + b, with W of shape [out_features, in_features] as in Dense (b may be undefined):
// the linear op (autograd/ops/linear.h) over x's leading dimensions. x is [..., in_features];
// a mismatch is a ShapeError naming both shapes.
Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias = {});

// libtorch's options object for dropout: F::dropout(x, F::DropoutFuncOptions().p(0.2).training(true)).
struct DropoutFuncOptions {
  DropoutFuncOptions& p(double value) { p_ = value; return *this; }
  DropoutFuncOptions& training(bool on) { training_ = on; return *this; }
  double p_ = 0.5;
  bool training_ = true;
};

// Training: each element zeroed with probability p, the others scaled by 1 / (1 - p), so
// the expected output is the input (the rule of nn::Dropout). Not training: the input.
// p must be in [0, 1) (std::invalid_argument otherwise).
Tensor dropout(const Tensor& input, double p = 0.5, bool training = true);
Tensor dropout(const Tensor& input, const DropoutFuncOptions& options);

}  // namespace nabla::nn::functional
