#pragma once
// Adam (Kingma & Ba), and AdamW with decoupled weight decay (Loshchilov & Hutter), as in
// torch.optim:
//   m = b1 m + (1 - b1) g,   v = b2 v + (1 - b2) g^2
//   p = p - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
// Adam adds weight_decay p to g (L2); AdamW instead shrinks p by lr weight_decay p first.
// amsgrad (Reddi et al.) divides by the largest v seen so far instead of the current v.
#include "nn/optim/optimizer.h"

namespace nabla::optim {

struct AdamOptions {
  explicit AdamOptions(double lr = 1e-3) : lr_(lr) {}
  AdamOptions& betas(double b1, double b2) { beta1_ = b1; beta2_ = b2; return *this; }
  AdamOptions& eps(double e) { eps_ = e; return *this; }
  AdamOptions& weight_decay(double wd) { weight_decay_ = wd; return *this; }
  AdamOptions& amsgrad(bool on = true) { amsgrad_ = on; return *this; }
  double lr_, beta1_ = 0.9, beta2_ = 0.999, eps_ = 1e-8, weight_decay_ = 0;
  bool amsgrad_ = false;
};

// AdamW's own options, as in libtorch: the same settings, but weight_decay defaults to 0.01
// (torch.optim.AdamW's default). A separate type, so that AdamW(params, AdamOptions(0.1))
// does not compile instead of silently running without weight decay.
struct AdamWOptions {
  explicit AdamWOptions(double lr = 1e-3) : lr_(lr) {}
  AdamWOptions& betas(double b1, double b2) { beta1_ = b1; beta2_ = b2; return *this; }
  AdamWOptions& eps(double e) { eps_ = e; return *this; }
  AdamWOptions& weight_decay(double wd) { weight_decay_ = wd; return *this; }
  AdamWOptions& amsgrad(bool on = true) { amsgrad_ = on; return *this; }
  double lr_, beta1_ = 0.9, beta2_ = 0.999, eps_ = 1e-8, weight_decay_ = 1e-2;
  bool amsgrad_ = false;
};

class Adam : public Optimizer {
 public:
  // std::invalid_argument for a negative lr, eps or weight decay, or betas outside [0, 1).
  Adam(std::vector<Tensor> parameters, AdamOptions options = AdamOptions());
  // libtorch's shorthand: Adam(model.parameters(), /*lr=*/1e-3).
  Adam(std::vector<Tensor> parameters, double lr) : Adam(std::move(parameters), AdamOptions(lr)) {}
  void step() override;  // the update above; each parameter counts its own steps t

 protected:
  Adam(std::vector<Tensor> parameters, AdamOptions options, bool decoupled, const char* name);

 private:
  AdamOptions options_;
  bool decoupled_weight_decay_;
  std::vector<Tensor> m_, v_, v_max_;  // v_max_ only with amsgrad
  std::vector<int64_t> steps_;
};

// Adam with decoupled weight decay; the same checks as Adam.
class AdamW : public Adam {
 public:
  AdamW(std::vector<Tensor> parameters, AdamWOptions options = AdamWOptions());
};

}  // namespace nabla::optim
