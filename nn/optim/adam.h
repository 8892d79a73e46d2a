#pragma once
// Adam (Kingma & Ba), and AdamW with decoupled weight decay (Loshchilov & Hutter), as in
// torch.optim:
//   m = b1 m + (1 - b1) g,   v = b2 v + (1 - b2) g^2
//   p = p - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
// Adam adds weight_decay p to g (L2); AdamW instead shrinks p by lr weight_decay p first.
#include "nn/optim/optimizer.h"

namespace nabla::optim {

struct AdamOptions {
  explicit AdamOptions(double lr = 1e-3) : lr_(lr) {}
  AdamOptions& betas(double b1, double b2) { beta1_ = b1; beta2_ = b2; return *this; }
  AdamOptions& eps(double e) { eps_ = e; return *this; }
  AdamOptions& weight_decay(double wd) { weight_decay_ = wd; return *this; }
  double lr_, beta1_ = 0.9, beta2_ = 0.999, eps_ = 1e-8, weight_decay_ = 0;
};

class Adam : public Optimizer {
 public:
  Adam(std::vector<Tensor> parameters, AdamOptions options = AdamOptions());
  // libtorch's shorthand: Adam(model.parameters(), /*lr=*/1e-3).
  Adam(std::vector<Tensor> parameters, double lr) : Adam(std::move(parameters), AdamOptions(lr)) {}
  void step() override;

 protected:
  Adam(std::vector<Tensor> parameters, AdamOptions options, bool decoupled);

 private:
  AdamOptions options_;
  bool decoupled_weight_decay_;
  std::vector<Tensor> m_, v_;
  std::vector<int64_t> steps_;
};

class AdamW : public Adam {
 public:
  // PyTorch's AdamW defaults to weight_decay = 0.01.
  AdamW(std::vector<Tensor> parameters, AdamOptions options = AdamOptions().weight_decay(0.01));
};

}  // namespace nabla::optim
