#include "nn/optim/sgd.h"

#include <stdexcept>

#include "autograd/ops/optimizer_update.h"

namespace nabla::optim {

SGD::SGD(std::vector<Tensor> parameters, SGDOptions options)
    : Optimizer(std::move(parameters)), options_(options), velocity_(parameters_.size()) {
  learning_rate_ = options.lr_;
  if (options.lr_ < 0 || options.momentum_ < 0 || options.weight_decay_ < 0) {
    throw std::invalid_argument("SGD: learning rate, momentum and weight decay must be non-negative");
  }
  if (options.nesterov_ && options.momentum_ == 0) throw std::invalid_argument("SGD: Nesterov needs momentum > 0");
}

void SGD::step() {
  // For each parameter p with a gradient g:
  //   g = g + weight_decay p
  //   v = momentum v + g                      (v = g on the first step)
  //   p = p - lr (g + momentum v)  if nesterov,  else  p = p - lr v
  sgd_update_(parameters_, velocity_,
              {.lr = learning_rate_,
               .momentum = options_.momentum_,
               .weight_decay = options_.weight_decay_,
               .nesterov = options_.nesterov_});
}

}  // namespace nabla::optim
