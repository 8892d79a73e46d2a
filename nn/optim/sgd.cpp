#include "nn/optim/sgd.h"

#include <stdexcept>

#include "autograd/autograd.h"
#include "autograd/kernels/optimizer_step.h"

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
  NoGradGuard no_grad;
  const double lr = learning_rate_, mu = options_.momentum_, wd = options_.weight_decay_;
  for (size_t i = 0; i < parameters_.size(); ++i) {
    Tensor p = parameters_[i];
    const Tensor grad = p.grad();
    if (!grad.defined()) continue;
    const bool first = mu != 0 && !velocity_[i].defined();
    if (first) velocity_[i] = empty_like(p);
    const kernels::SgdStep update{
        .lr = lr, .momentum = mu, .weight_decay = wd, .nesterov = options_.nesterov_, .first = first};
    dispatch_floating(p.dtype(), "SGD", [&]<class T>() {
      T* velocity = mu != 0 ? velocity_[i].mutable_data_ptr<T>() : nullptr;
      kernels::sgd_step(p.mutable_data_ptr<T>(), grad.data_ptr<T>(), velocity, p.numel(), update);
    });
  }
}

}  // namespace nabla::optim
