#pragma once
// nn::Linear, libtorch's name for a Dense layer without an activation:  y = x W^T + b.
//
//   nn::Linear fc(784, 10);                                  // Dense(784, 10, "identity")
//   nn::Linear no_bias(nn::LinearOptions(784, 10).bias(false));
//
// It is a Dense layer (collapse(), summaries and saved files treat it as one), initialised
// as nabla initialises a linear Dense layer (Glorot uniform), not with libtorch's
// U(+-1/sqrt(fan_in)); nn::init::* changes that after construction.
#include <cstdint>

#include "nn/layers/dense.h"

namespace nabla::nn {

// libtorch's options object: in and out features, and whether there is a bias.
struct LinearOptions {
  LinearOptions(int64_t in_features, int64_t out_features) : in_features_(in_features), out_features_(out_features) {}
  LinearOptions& bias(bool on) { bias_ = on; return *this; }
  int64_t in_features_, out_features_;
  bool bias_ = true;
};

// Dense(in, out, "identity"): the same constructor errors and shapes as Dense.
class Linear : public Dense {
 public:
  Linear(int64_t in_features, int64_t out_features, DenseOptions options = {})
      : Dense(in_features, out_features, "identity", options) {}
  explicit Linear(const LinearOptions& options)
      : Dense(options.in_features_, options.out_features_, "identity", {.bias = options.bias_}) {}
  // libtorch holds modules by pointer (fc->forward(x)); nabla's are values, and -> reaches
  // the layer itself so that ported code reads the same.
  Linear* operator->() { return this; }
  const Linear* operator->() const { return this; }
};

}  // namespace nabla::nn
