#pragma once
// The optimizers' update rules as in-place ops on a list of parameters, the fused kind
// torch.optim's foreach/fused implementations are: one pass over each parameter reads its
// gradient and state and writes the new parameter and state. Each parameter with a gradient
// (p.grad()) is updated, the others are left alone. The writes are outside the graph and go
// through the public in-place path: every updated parameter's version is bumped, so a graph
// recorded before the update refuses to backward. Nothing is allocated after the first
// update but the state itself (created on a parameter's first update). Run on one thread.
#include <cstdint>
#include <span>

#include "autograd/tensor.h"

namespace nabla {

// torch.optim.SGD's update, with d the gradient plus weight decay:
//   d = g + weight_decay p
//   v = momentum v + d                       (v = d on the first update)
//   p = p - lr (d + momentum v)   if nesterov,   else   p = p - lr v   (p - lr d without momentum)
struct SgdUpdate {
  double lr = 0, momentum = 0, weight_decay = 0;
  bool nesterov = false;
};
// velocity[i] is params[i]'s v (as many as params): undefined until its first update with
// momentum != 0, which creates it. A parameter listed twice is updated twice, in order.
void sgd_update_(std::span<const Tensor> params, std::span<Tensor> velocity, const SgdUpdate& update);

// torch.optim.Adam's update (AdamW's with decoupled_weight_decay), t counting p's updates from 1:
//   p = p (1 - lr weight_decay)                          (AdamW only)
//   d = g + weight_decay p                               (Adam only: L2)
//   m = b1 m + (1 - b1) d,   v = b2 v + (1 - b2) d^2
//   v_max = max(v_max, v), used instead of v             (amsgrad only)
//   p = p - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
struct AdamUpdate {
  double lr = 0, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0;
  bool decoupled_weight_decay = false, amsgrad = false;
};
// m[i], v[i], v_max[i] (amsgrad) and steps[i] are params[i]'s state, as many as params: the
// tensors undefined and the count 0 until its first update, which creates them at 0.
void adam_update_(std::span<const Tensor> params, std::span<Tensor> m, std::span<Tensor> v, std::span<Tensor> v_max,
                  std::span<int64_t> steps, const AdamUpdate& update);

}  // namespace nabla
