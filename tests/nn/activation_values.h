#pragma once
// f, f' and f'' of an activation at every element of x, as the library computes them: f by the
// op, f' by its backward, f'' by the backward of that backward (create_graph). Shared by the
// tests that compare those values with references.
#include <array>
#include <vector>

#include "autograd/autograd.h"
#include "nn/activations/activation.h"

namespace nabla {

inline std::array<std::vector<double>, 3> f_and_derivatives(const Activation& a, const Tensor& x_values) {
  const Tensor x = x_values.detach().requires_grad_();
  const Tensor y = a(x);
  const Tensor dy = autograd::grad({y}, {x}, {ones_like(y)}, std::nullopt, /*create_graph=*/true)[0];
  // A piecewise-linear activation's backward (prelu's, relu's) may leave no graph to walk: f'' = 0.
  std::vector<double> d2(static_cast<size_t>(x.numel()), 0.0);
  if (dy.requires_grad()) {
    const Tensor g = autograd::grad({dy}, {x}, {ones_like(dy)}, std::nullopt, false, /*allow_unused=*/true)[0];
    if (g.defined()) d2 = g.to_vector();
  }
  return {y.to_vector(), dy.to_vector(), d2};
}

}  // namespace nabla
