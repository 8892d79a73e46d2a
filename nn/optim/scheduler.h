#pragma once
// Learning-rate schedules: call step() once per epoch, after the optimizer's steps.
#include "nn/optim/optimizer.h"

namespace nabla::optim {

// lr = initial * gamma^(floor(epoch / step_size))
class StepLR {
 public:
  StepLR(Optimizer& optimizer, int64_t step_size, double gamma = 0.1);
  void step();

 private:
  Optimizer& optimizer_;
  int64_t step_size_, epoch_ = 0;
  double gamma_, initial_;
};

// lr = eta_min + (initial - eta_min) (1 + cos(pi epoch / t_max)) / 2
class CosineAnnealingLR {
 public:
  CosineAnnealingLR(Optimizer& optimizer, int64_t t_max, double eta_min = 0.0);
  void step();

 private:
  Optimizer& optimizer_;
  int64_t t_max_, epoch_ = 0;
  double eta_min_, initial_;
};

}  // namespace nabla::optim
