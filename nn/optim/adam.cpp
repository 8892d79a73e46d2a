#include "nn/optim/adam.h"

#include <stdexcept>
#include <string>

#include "autograd/ops/optimizer_update.h"

namespace nabla::optim {

Adam::Adam(std::vector<Tensor> parameters, AdamOptions options)
    : Adam(std::move(parameters), options, /*decoupled=*/false, "Adam") {}

Adam::Adam(std::vector<Tensor> parameters, AdamOptions options, bool decoupled, const char* name)
    : Optimizer(std::move(parameters)),
      options_(options),
      decoupled_weight_decay_(decoupled),
      m_(parameters_.size()),
      v_(parameters_.size()),
      v_max_(parameters_.size()),
      steps_(parameters_.size(), 0) {
  learning_rate_ = options.lr_;
  if (options.lr_ < 0 || options.eps_ < 0 || options.weight_decay_ < 0) {
    throw std::invalid_argument(std::string(name) + ": learning rate, eps and weight decay must be non-negative");
  }
  if (!(options.beta1_ >= 0 && options.beta1_ < 1 && options.beta2_ >= 0 && options.beta2_ < 1)) {
    throw std::invalid_argument(std::string(name) + ": betas must be in [0, 1)");
  }
}

AdamW::AdamW(std::vector<Tensor> parameters, AdamWOptions o)
    : Adam(std::move(parameters),
           AdamOptions(o.lr_).betas(o.beta1_, o.beta2_).eps(o.eps_).weight_decay(o.weight_decay_).amsgrad(o.amsgrad_),
           /*decoupled=*/true, "AdamW") {}

void Adam::step() {
  // For each parameter p with a gradient g, t counting p's steps from 1:
  //   p = p (1 - lr weight_decay)                      (AdamW)
  //   g = g + weight_decay p                           (Adam)
  //   m = b1 m + (1 - b1) g,   v = b2 v + (1 - b2) g^2
  //   v_max = max(v_max, v), used instead of v         (amsgrad)
  //   p = p - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
  adam_update_(parameters_, m_, v_, v_max_, steps_,
               {.lr = learning_rate_,
                .beta1 = options_.beta1_,
                .beta2 = options_.beta2_,
                .eps = options_.eps_,
                .weight_decay = options_.weight_decay_,
                .decoupled_weight_decay = decoupled_weight_decay_,
                .amsgrad = options_.amsgrad_});
}

}  // namespace nabla::optim
