#include "nn/optim/scheduler.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace nabla::optim {

StepLR::StepLR(Optimizer& optimizer, int64_t step_size, double gamma)
    : optimizer_(optimizer), step_size_(step_size), gamma_(gamma), initial_(optimizer.learning_rate()) {
  if (step_size <= 0) throw std::invalid_argument("StepLR: step_size must be positive");
}

void StepLR::step() {
  ++epoch_;
  optimizer_.set_learning_rate(initial_ * std::pow(gamma_, static_cast<double>(epoch_ / step_size_)));
}

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, int64_t t_max, double eta_min)
    : optimizer_(optimizer), t_max_(t_max), eta_min_(eta_min), initial_(optimizer.learning_rate()) {
  if (t_max <= 0) throw std::invalid_argument("CosineAnnealingLR: t_max must be positive");
}

void CosineAnnealingLR::step() {
  ++epoch_;
  const double phase = std::numbers::pi * static_cast<double>(epoch_) / static_cast<double>(t_max_);
  optimizer_.set_learning_rate(eta_min_ + (initial_ - eta_min_) * (1 + std::cos(phase)) / 2);
}

}  // namespace nabla::optim
