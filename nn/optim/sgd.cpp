#include "nn/optim/sgd.h"

#include <stdexcept>

#include "autograd/autograd.h"

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
    p.impl().storage->bump_version();  // written in place below: graphs that used p must know
    dispatch_floating(p.dtype(), "SGD", [&]<class T>() {
      T* w = p.data_ptr<T>();
      const T* g = grad.data_ptr<T>();
      T* v = mu != 0 ? velocity_[i].data_ptr<T>() : nullptr;
      const int64_t n = p.numel();
      for (int64_t k = 0; k < n; ++k) {
        T d = g[k] + T(wd) * w[k];
        if (v) {
          v[k] = first ? d : T(mu) * v[k] + d;
          d = options_.nesterov_ ? d + T(mu) * v[k] : v[k];
        }
        w[k] -= T(lr) * d;
      }
    });
  }
}

}  // namespace nabla::optim
