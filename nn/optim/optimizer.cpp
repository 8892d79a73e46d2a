#include "nn/optim/optimizer.h"

#include <stdexcept>

namespace nabla::optim {

Optimizer::Optimizer(std::vector<Tensor> parameters) : parameters_(std::move(parameters)) {
  for (size_t i = 0; i < parameters_.size(); ++i) {
    if (!parameters_[i].defined() || !parameters_[i].requires_grad()) {
      throw std::invalid_argument("optimizer: parameter " + std::to_string(i) + " does not require grad");
    }
  }
}

void Optimizer::zero_grad() {
  for (const Tensor& p : parameters_) p.zero_grad();
}

}  // namespace nabla::optim
