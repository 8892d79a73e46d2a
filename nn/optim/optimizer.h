#pragma once
// Optimizer: updates parameters from their gradients, one step() at a time.
//
//   optim::SGD optimizer(model.parameters(), optim::SGDOptions(0.1).momentum(0.9));
//   for (...) {
//     optimizer.zero_grad();
//     loss = ...; loss.backward();
//     optimizer.step();
//   }
#include <vector>

#include "autograd/tensor.h"

namespace nabla::optim {

class Optimizer {
 public:
  explicit Optimizer(std::vector<Tensor> parameters);
  virtual ~Optimizer() = default;

  // One update of every parameter that has a gradient (the others are left alone).
  virtual void step() = 0;
  void zero_grad();

  double learning_rate() const { return learning_rate_; }
  void set_learning_rate(double lr) { learning_rate_ = lr; }
  const std::vector<Tensor>& parameters() const { return parameters_; }

 protected:
  std::vector<Tensor> parameters_;
  double learning_rate_ = 0;
};

}  // namespace nabla::optim
