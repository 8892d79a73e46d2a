#pragma once
// Optimizer: updates parameters from their gradients, one step() at a time.
//
//   optim::SGD optimizer(model.parameters(), optim::SGDOptions(0.1).momentum(0.9));
//   for (...) {
//     optimizer.zero_grad();
//     loss = ...; loss.backward();
//     optimizer.step();
//   }
//
// The parameters are Tensor handles sharing storage with the model's, so step() changes the
// model. Updates are written in place, outside the graph, and bump each parameter's version
// (a backward through a graph recorded before the step is then an error, not silent
// nonsense). SGD (sgd.h) and Adam/AdamW (adam.h) derive from it; schedulers (scheduler.h)
// change its learning rate. Run step() on one thread, after every backward has finished.
#include <vector>

#include "autograd/tensor.h"

namespace nabla::optim {

class Optimizer {
 public:
  // Every parameter must require grad (std::invalid_argument naming its index otherwise).
  explicit Optimizer(std::vector<Tensor> parameters);
  virtual ~Optimizer() = default;

  // One update of every parameter that has a gradient (the others are left alone).
  virtual void step() = 0;
  // Forgets every parameter's gradient (sets it to none), before the next backward.
  void zero_grad();

  double learning_rate() const { return learning_rate_; }
  void set_learning_rate(double lr) { learning_rate_ = lr; }  // used from the next step()
  const std::vector<Tensor>& parameters() const { return parameters_; }

 protected:
  std::vector<Tensor> parameters_;
  double learning_rate_ = 0;
};

}  // namespace nabla::optim
