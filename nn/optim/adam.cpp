#include "nn/optim/adam.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "autograd/autograd.h"

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
  const double lr = learning_rate_, b1 = options_.beta1_, b2 = options_.beta2_, eps = options_.eps_,
               wd = options_.weight_decay_;
  for (size_t i = 0; i < parameters_.size(); ++i) {
    Tensor p = parameters_[i];
    const Tensor grad = p.grad();
    if (!grad.defined()) continue;
    if (!m_[i].defined()) {
      m_[i] = zeros_like(p);
      v_[i] = zeros_like(p);
      if (options_.amsgrad_) v_max_[i] = zeros_like(p);
    }
    const int64_t t = ++steps_[i];
    p.impl().storage->bump_version();  // written in place below: graphs that used p must know
    const double correction1 = 1 - std::pow(b1, static_cast<double>(t));
    const double correction2 = 1 - std::pow(b2, static_cast<double>(t));
    const double step_size = lr / correction1;
    const double shrink = decoupled_weight_decay_ ? 1 - lr * wd : 1.0;
    const double l2 = decoupled_weight_decay_ ? 0.0 : wd;
    dispatch_floating(p.dtype(), "Adam", [&]<class T>() {
      T* w = p.data_ptr<T>();
      const T* g = grad.data_ptr<T>();
      T* m = m_[i].data_ptr<T>();
      T* v = v_[i].data_ptr<T>();
      T* v_max = options_.amsgrad_ ? v_max_[i].data_ptr<T>() : nullptr;
      const int64_t n = p.numel();
      const T inv_sqrt_c2 = T(1 / std::sqrt(correction2));
      for (int64_t k = 0; k < n; ++k) {
        w[k] *= T(shrink);
        const T d = g[k] + T(l2) * w[k];
        m[k] = T(b1) * m[k] + T(1 - b1) * d;
        v[k] = T(b2) * v[k] + T(1 - b2) * d * d;
        T v_used = v[k];
        if (v_max) v_used = v_max[k] = std::max(v_max[k], v[k]);
        w[k] -= T(step_size) * m[k] / (std::sqrt(v_used) * inv_sqrt_c2 + T(eps));
      }
    });
  }
}

}  // namespace nabla::optim
