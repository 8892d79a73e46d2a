#pragma once
// x^3 as a custom autograd::Function, the fixture of the Function and gradcheck suites: the
// forward saves x and returns x x x; the backward returns kFactor x^2 times the gradient.
// Cube (kFactor = 3) is right; BuggyCube (kFactor = 2) is the classic slip a gradient
// check must catch.
#include "autograd/autograd.h"

namespace nabla::testing {

template <int kFactor>
struct CubeFunction : autograd::Function<CubeFunction<kFactor>> {
  static constexpr const char* name = kFactor == 3 ? "Cube" : "BuggyCube";
  static Tensor forward(autograd::AutogradContext* ctx, const Tensor& x) {
    ctx->save_for_backward({x});
    return x * x * x;
  }
  // d/dx x^3 = 3 x^2 (kFactor = 3)
  static TensorList backward(autograd::AutogradContext* ctx, const TensorList& grad) {
    const Tensor x = ctx->get_saved_variables()[0];
    return {grad[0] * (x * x * static_cast<double>(kFactor))};
  }
};

using Cube = CubeFunction<3>;
using BuggyCube = CubeFunction<2>;  // d/dx x^3 written as 2 x^2

}  // namespace nabla::testing
