#pragma once
// Stochastic gradient descent, with optional momentum, Nesterov momentum and weight decay
// (the update of torch.optim.SGD):
//   g = grad + weight_decay p
//   v = momentum v + g                       (v = g on the first step)
//   p = p - lr (g + momentum v)   if nesterov,   else   p = p - lr v
#include "nn/optim/optimizer.h"

namespace nabla::optim {

struct SGDOptions {
  explicit SGDOptions(double lr) : lr_(lr) {}
  SGDOptions& momentum(double m) { momentum_ = m; return *this; }
  SGDOptions& nesterov(bool on = true) { nesterov_ = on; return *this; }
  SGDOptions& weight_decay(double wd) { weight_decay_ = wd; return *this; }
  double lr_, momentum_ = 0, weight_decay_ = 0;
  bool nesterov_ = false;
};

class SGD : public Optimizer {
 public:
  // std::invalid_argument for a negative lr, momentum or weight decay, or Nesterov without momentum.
  SGD(std::vector<Tensor> parameters, SGDOptions options);
  // libtorch's shorthand: SGD(model.parameters(), /*lr=*/0.1).
  SGD(std::vector<Tensor> parameters, double lr) : SGD(std::move(parameters), SGDOptions(lr)) {}
  void step() override;  // the update above, for each parameter with a gradient

 private:
  SGDOptions options_;
  std::vector<Tensor> velocity_;  // undefined until the first step with momentum
};

}  // namespace nabla::optim
