#include "autograd/ops/optimizer_update.h"

#include <type_traits>
#include <vector>

#include "autograd/grad_mode.h"
#include "autograd/kernels/optimizer_step.h"
#include "autograd/ops/creation.h"

namespace nabla {

void sgd_update_(std::span<const Tensor> params, std::span<Tensor> velocity, const SgdUpdate& update) {
  NoGradGuard no_grad;
  const bool momentum = update.momentum != 0;
  const kernels::SgdStep step{
      .lr = update.lr, .momentum = update.momentum, .weight_decay = update.weight_decay, .nesterov = update.nesterov};
  // The parameters of each dtype are collected, then updated as one parallel loop: a model's
  // small tensors share the threads too. Kept from update to update, so that one allocates
  // nothing.
  thread_local std::vector<kernels::SgdParameter<float>> float_parameters;
  thread_local std::vector<kernels::SgdParameter<double>> double_parameters;
  float_parameters.clear();
  double_parameters.clear();
  const auto flush = [&] {
    kernels::sgd_step_all(float_parameters.data(), static_cast<int64_t>(float_parameters.size()), step);
    kernels::sgd_step_all(double_parameters.data(), static_cast<int64_t>(double_parameters.size()), step);
    float_parameters.clear();
    double_parameters.clear();
  };
  // A parameter listed twice (a module used in two places) is updated twice, in order, as by
  // a loop over the list: the update so far runs before its second entry joins.
  const auto collect = [&]<class T>(std::vector<kernels::SgdParameter<T>>& list, const kernels::SgdParameter<T>& p) {
    for (const kernels::SgdParameter<T>& other : list) {
      if (other.w == p.w) {
        flush();
        break;
      }
    }
    list.push_back(p);
  };
  for (size_t i = 0; i < params.size(); ++i) {
    const Tensor& p = params[i];
    const Tensor grad = p.grad();
    if (!grad.defined()) continue;
    const bool first = momentum && !velocity[i].defined();
    if (first) velocity[i] = empty_like(p);
    dispatch_floating(p.dtype(), "SGD", [&]<class T>() {
      T* v = momentum ? velocity[i].mutable_data_ptr<T>() : nullptr;
      const kernels::SgdParameter<T> parameter{p.mutable_data_ptr<T>(), grad.data_ptr<T>(), v, p.numel(), first};
      if constexpr (std::is_same_v<T, float>) {
        collect(float_parameters, parameter);
      } else {
        collect(double_parameters, parameter);
      }
    });
  }
  flush();
}

void adam_update_(std::span<const Tensor> params, std::span<Tensor> m, std::span<Tensor> v, std::span<Tensor> v_max,
                  std::span<int64_t> steps, const AdamUpdate& update) {
  NoGradGuard no_grad;
  for (size_t i = 0; i < params.size(); ++i) {
    const Tensor& p = params[i];
    const Tensor grad = p.grad();
    if (!grad.defined()) continue;
    if (!m[i].defined()) {
      m[i] = zeros_like(p);
      v[i] = zeros_like(p);
      if (update.amsgrad) v_max[i] = zeros_like(p);
    }
    const kernels::AdamStep step{.lr = update.lr,
                                 .beta1 = update.beta1,
                                 .beta2 = update.beta2,
                                 .eps = update.eps,
                                 .weight_decay = update.weight_decay,
                                 .decoupled_weight_decay = update.decoupled_weight_decay,
                                 .t = ++steps[i]};
    dispatch_floating(p.dtype(), "Adam", [&]<class T>() {
      T* largest_v = update.amsgrad ? v_max[i].mutable_data_ptr<T>() : nullptr;
      kernels::adam_step(p.mutable_data_ptr<T>(), grad.data_ptr<T>(), m[i].mutable_data_ptr<T>(),
                         v[i].mutable_data_ptr<T>(), largest_v, p.numel(), step);
    });
  }
}

}  // namespace nabla
