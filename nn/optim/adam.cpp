#include "nn/optim/adam.h"

#include <stdexcept>
#include <string>

#include "autograd/autograd.h"
#include "autograd/kernels/optimizer_step.h"

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
  NoGradGuard no_grad;
  const double lr = learning_rate_;
  for (size_t i = 0; i < parameters_.size(); ++i) {
    Tensor p = parameters_[i];
    const Tensor grad = p.grad();
    if (!grad.defined()) continue;
    if (!m_[i].defined()) {
      m_[i] = zeros_like(p);
      v_[i] = zeros_like(p);
      if (options_.amsgrad_) v_max_[i] = zeros_like(p);
    }
    const kernels::AdamStep update{.lr = lr,
                                   .beta1 = options_.beta1_,
                                   .beta2 = options_.beta2_,
                                   .eps = options_.eps_,
                                   .weight_decay = options_.weight_decay_,
                                   .decoupled_weight_decay = decoupled_weight_decay_,
                                   .t = ++steps_[i]};
    dispatch_floating(p.dtype(), "Adam", [&]<class T>() {
      T* v_max = options_.amsgrad_ ? v_max_[i].mutable_data_ptr<T>() : nullptr;
      kernels::adam_step(p.mutable_data_ptr<T>(), grad.data_ptr<T>(), m_[i].mutable_data_ptr<T>(),
                         v_[i].mutable_data_ptr<T>(), v_max, p.numel(), update);
    });
  }
}

}  // namespace nabla::optim
