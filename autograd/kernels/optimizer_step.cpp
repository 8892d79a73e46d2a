#include "autograd/kernels/optimizer_step.h"

#include <algorithm>
#include <cmath>

#include "autograd/kernels/parallel.h"

namespace nabla::kernels {

namespace {

// The update of elements [begin, end) of one parameter.
template <class T>
void sgd_update(T* w, const T* g, T* velocity, bool first, int64_t begin, int64_t end, T lr, T mu, T wd,
                bool nesterov) {
  for (int64_t k = begin; k < end; ++k) {
    T d = g[k] + wd * w[k];
    if (velocity) {
      velocity[k] = first ? d : mu * velocity[k] + d;
      d = nesterov ? d + mu * velocity[k] : velocity[k];
    }
    w[k] -= lr * d;
  }
}

}  // namespace

template <class T>
void sgd_step(T* w, const T* g, T* velocity, int64_t n, const SgdStep& step) {
  const SgdParameter<T> parameter{w, g, velocity, n, step.first};
  sgd_step_all(&parameter, 1, step);
}

template <class T>
void sgd_step_all(const SgdParameter<T>* parameters, int64_t count, const SgdStep& step) {
  const T lr = T(step.lr), mu = T(step.momentum), wd = T(step.weight_decay);
  int64_t total = 0;
  for (int64_t i = 0; i < count; ++i) total += parameters[i].n;
  // [begin, end) indexes the parameters' elements laid end to end; each chunk updates the
  // part of every parameter that falls in it.
  parallel_for(total, grain_for(1), [&](int64_t begin, int64_t end) {
    int64_t offset = 0;  // where parameter i starts
    for (int64_t i = 0; i < count && offset < end; offset += parameters[i].n, ++i) {
      const SgdParameter<T>& p = parameters[i];
      const int64_t first = std::max(begin, offset) - offset, last = std::min(end, offset + p.n) - offset;
      if (first < last) sgd_update(p.w, p.g, p.velocity, p.first, first, last, lr, mu, wd, step.nesterov);
    }
  });
}

template <class T>
void adam_step(T* w, const T* g, T* m, T* v, T* v_max, int64_t n, const AdamStep& step) {
  // The per-step scalars, in double: the bias corrections of the two moving averages.
  const double t = static_cast<double>(step.t);
  const double correction1 = 1 - std::pow(step.beta1, t);
  const double correction2 = 1 - std::pow(step.beta2, t);
  const T step_size = T(step.lr / correction1);
  const T inv_sqrt_c2 = T(1 / std::sqrt(correction2));
  const T shrink = T(step.decoupled_weight_decay ? 1 - step.lr * step.weight_decay : 1.0);
  const T l2 = T(step.decoupled_weight_decay ? 0.0 : step.weight_decay);
  const T b1 = T(step.beta1), b2 = T(step.beta2), one_minus_b1 = T(1 - step.beta1), one_minus_b2 = T(1 - step.beta2);
  const T eps = T(step.eps);
  parallel_for(n, grain_for(1), [&](int64_t begin, int64_t end) {
    for (int64_t k = begin; k < end; ++k) {
      w[k] *= shrink;
      const T d = g[k] + l2 * w[k];
      m[k] = b1 * m[k] + one_minus_b1 * d;
      v[k] = b2 * v[k] + one_minus_b2 * d * d;
      T v_used = v[k];
      if (v_max) v_used = v_max[k] = std::max(v_max[k], v[k]);
      w[k] -= step_size * m[k] / (std::sqrt(v_used) * inv_sqrt_c2 + eps);
    }
  });
}

template void sgd_step<float>(float*, const float*, float*, int64_t, const SgdStep&);
template void sgd_step<double>(double*, const double*, double*, int64_t, const SgdStep&);
template void sgd_step_all<float>(const SgdParameter<float>*, int64_t, const SgdStep&);
template void sgd_step_all<double>(const SgdParameter<double>*, int64_t, const SgdStep&);
template void adam_step<float>(float*, const float*, float*, float*, float*, int64_t, const AdamStep&);
template void adam_step<double>(double*, const double*, double*, double*, double*, int64_t, const AdamStep&);

}  // namespace nabla::kernels
