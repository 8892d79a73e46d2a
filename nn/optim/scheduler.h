#pragma once
// Learning-rate schedules: call step() once per epoch, after the optimizer's steps.
// Each step() sets the rate from the schedule's closed form (the formulas below, those of
// PyTorch's _get_closed_form_lr). One deliberate difference: PyTorch's step() updates the
// current rate recursively, so a rate changed by hand (or by a second scheduler) carries
// through there, while here the next step() overwrites it. Otherwise the rates agree
// (to 1e-15 for the cosine, which PyTorch computes recursively).
#include "nn/optim/optimizer.h"

namespace nabla::optim {

// lr = initial * gamma^(floor(epoch / step_size))
class StepLR {
 public:
  // Reads the optimizer's current rate as `initial`; step_size <= 0 is std::invalid_argument.
  // The optimizer must outlive the scheduler.
  StepLR(Optimizer& optimizer, int64_t step_size, double gamma = 0.1);
  void step();  // epoch += 1, then sets the optimizer's rate

 private:
  Optimizer& optimizer_;
  int64_t step_size_, epoch_ = 0;
  double gamma_, initial_;
};

// lr = eta_min + (initial - eta_min) (1 + cos(pi epoch / t_max)) / 2
// PyTorch's closed form: after t_max epochs the rate follows the cosine back up, reaching
// `initial` again at 2 t_max (a period of 2 t_max), as torch.optim.lr_scheduler does.
class CosineAnnealingLR {
 public:
  // Reads the optimizer's current rate as `initial`; t_max <= 0 is std::invalid_argument.
  CosineAnnealingLR(Optimizer& optimizer, int64_t t_max, double eta_min = 0.0);
  void step();  // epoch += 1, then sets the optimizer's rate

 private:
  Optimizer& optimizer_;
  int64_t t_max_, epoch_ = 0;
  double eta_min_, initial_;
};

}  // namespace nabla::optim
