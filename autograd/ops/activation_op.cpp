#include "autograd/ops/activation_op.h"

#include <string>

#include "autograd/error.h"

namespace nabla::detail {

void check_activation_input(const Tensor& x, std::string_view name) {
  if (!is_floating_point(x.dtype())) {
    throw DtypeError(std::string(name) + ": expected a floating-point tensor, got " + std::string(to_string(x.dtype())));
  }
}

void throw_third_derivative(const std::string& name) {
  throw AutogradError(name + ": derivatives beyond the second are not available for fused activation kernels");
}

void throw_no_second_derivative(const std::string& name) {
  throw AutogradError(name + ": no second derivative was given for this activation; pass f'' to "
                      "elementwise_activation() to make it twice differentiable");
}

}  // namespace nabla::detail
