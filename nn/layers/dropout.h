#pragma once
// Dropout (torch::nn::Dropout). Training: zeroes each element with probability p and scales
// the rest by 1 / (1 - p), so the expected output is the input. Evaluation (module.eval()):
// passes the input through unchanged. No parameters.
#include <string>

#include "autograd/tensor.h"
#include "nn/module.h"

namespace nabla::nn {

class Dropout : public Module {
 public:
  // p in [0, 1), else std::invalid_argument.
  explicit Dropout(double p = 0.5);
  // functional::dropout(input, p, is_training()): same shape and dtype as input.
  Tensor forward(const Tensor& input) override;
  std::string type_name() const override { return "Dropout"; }
  // "Dropout(p=0.1)"
  std::string describe() const override;

 private:
  double p_;
};

}  // namespace nabla::nn
