#pragma once
// The optimizers' update rules as single-pass loops on raw, contiguous buffers: one loop over
// a parameter reads its gradient and state and writes the new parameter and state, element
// by element. No tensors and no graph: the update ops (autograd/ops/optimizer_update.h) call
// these on each parameter (through Tensor::mutable_data_ptr, which tells the graph the
// parameter changed), and the differential tests compare them with a plain scalar reference.
#include <cstdint>

namespace nabla::kernels {

// Hyperparameters of one SGD step (torch.optim.SGD's update).
struct SgdStep {
  double lr = 0, momentum = 0, weight_decay = 0;
  bool nesterov = false;
  bool first = false;  // the velocity holds nothing yet: it starts at the first direction
};

// For each k, with d = g + weight_decay w:
//   v = d on the first step, else momentum v + d          (only when velocity != nullptr)
//   w = w - lr (d + momentum v)  with nesterov,  w - lr v  with momentum,  w - lr d  without
// velocity must be non-null exactly when momentum != 0. Arithmetic in T.
template <class T> void sgd_step(T* w, const T* g, T* velocity, int64_t n, const SgdStep& step);

// One parameter of a step over several: its buffers, its size, and whether its velocity
// holds nothing yet (SgdStep::first, per parameter).
template <class T> struct SgdParameter {
  T* w;
  const T* g;
  T* velocity;  // null exactly when momentum is 0
  int64_t n;
  bool first;
};
// sgd_step on each of `count` parameters, as one loop over all their elements: split across
// threads by the total size, so that a model's parameters below the grain, each too small to
// share, are shared together. step.first is ignored (each parameter has its own). The
// result is the same, to the bit, as sgd_step on each parameter.
template <class T> void sgd_step_all(const SgdParameter<T>* parameters, int64_t count, const SgdStep& step);

// Hyperparameters of one Adam or AdamW step (torch.optim.Adam / AdamW's update).
struct AdamStep {
  double lr = 0, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0;
  bool decoupled_weight_decay = false;  // AdamW: shrink w by lr weight_decay, instead of adding it to g
  int64_t t = 1;                        // this step's number, from 1: the bias corrections use it
};

// For each k, with c1 = 1 - beta1^t and c2 = 1 - beta2^t:
//   w = w (1 - lr weight_decay)                     (AdamW only)
//   d = g + weight_decay w                          (Adam only: L2)
//   m = beta1 m + (1 - beta1) d,   v = beta2 v + (1 - beta2) d^2
//   v_max = max(v_max, v) and used instead of v     (amsgrad: when v_max != nullptr)
//   w = w - (lr / c1) m / (sqrt(v) / sqrt(c2) + eps)
// Arithmetic in T.
template <class T> void adam_step(T* w, const T* g, T* m, T* v, T* v_max, int64_t n, const AdamStep& step);

}  // namespace nabla::kernels
