#include "nn/optim/sgd.h"

#include <stdexcept>
#include <type_traits>

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
  const kernels::SgdStep update{.lr = lr, .momentum = mu, .weight_decay = wd, .nesterov = options_.nesterov_};
  // The parameters of each dtype are collected, then updated as one parallel loop: the
  // model's small tensors share the threads too. A parameter listed twice (a module used in
  // two places) is updated twice, in order, as by a loop over the list: the update so far
  // runs before its second entry joins.
  float_parameters_.clear();
  double_parameters_.clear();
  const auto flush = [&] {
    kernels::sgd_step_all(float_parameters_.data(), static_cast<int64_t>(float_parameters_.size()), update);
    kernels::sgd_step_all(double_parameters_.data(), static_cast<int64_t>(double_parameters_.size()), update);
    float_parameters_.clear();
    double_parameters_.clear();
  };
  const auto collect = [&]<class T>(std::vector<kernels::SgdParameter<T>>& list, const kernels::SgdParameter<T>& p) {
    for (const kernels::SgdParameter<T>& other : list) {
      if (other.w == p.w) {
        flush();
        break;
      }
    }
    list.push_back(p);
  };
  for (size_t i = 0; i < parameters_.size(); ++i) {
    Tensor p = parameters_[i];
    const Tensor grad = p.grad();
    if (!grad.defined()) continue;
    const bool first = mu != 0 && !velocity_[i].defined();
    if (first) velocity_[i] = empty_like(p);
    dispatch_floating(p.dtype(), "SGD", [&]<class T>() {
      T* velocity = mu != 0 ? velocity_[i].mutable_data_ptr<T>() : nullptr;
      const kernels::SgdParameter<T> parameter{p.mutable_data_ptr<T>(), grad.data_ptr<T>(), velocity, p.numel(), first};
      if constexpr (std::is_same_v<T, float>) {
        collect(float_parameters_, parameter);
      } else {
        collect(double_parameters_, parameter);
      }
    });
  }
  flush();
}

}  // namespace nabla::optim
