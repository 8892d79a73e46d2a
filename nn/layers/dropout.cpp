#include "nn/layers/dropout.h"

#include <sstream>
#include <stdexcept>

#include "nn/functional.h"

namespace nabla::nn {

Dropout::Dropout(double p) : p_(p) {
  if (!(p >= 0 && p < 1)) throw std::invalid_argument("Dropout: p must be in [0, 1), got " + std::to_string(p));
}

Tensor Dropout::forward(const Tensor& input) { return functional::dropout(input, p_, is_training()); }

std::string Dropout::describe() const {
  std::ostringstream s;
  s << "Dropout(p=" << p_ << ")";
  return s.str();
}

}  // namespace nabla::nn
