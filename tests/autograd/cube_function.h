#pragma once
// x^3 as a custom autograd::Function, the fixture of the Function, forward-mode and gradcheck
// suites: the forward saves x and returns x x x; the backward returns kFactor x^2 times the
// gradient; the forward-mode rule, if kJvpFactor is not 0, kJvpFactor x^2 times the tangent.
// Cube (kFactor = 3) is right and has no rule; BuggyCube (kFactor = 2) is the classic slip a
// gradient check must catch; CubeWithJvp has the right rule, CubeWithWrongJvp the same slip
// in forward mode only.
#include "autograd/autograd.h"

namespace nabla::testing {

template <int kFactor, int kJvpFactor = 0>
struct CubeFunction : autograd::Function<CubeFunction<kFactor, kJvpFactor>> {
  static constexpr const char* name = kFactor != 3          ? "BuggyCube"
                                      : kJvpFactor == 0     ? "Cube"
                                      : kJvpFactor == 3     ? "CubeWithJvp"
                                                            : "CubeWithWrongJvp";
  static Tensor forward(autograd::AutogradContext* ctx, const Tensor& x) {
    ctx->save_for_backward({x});
    return x * x * x;
  }
  // d/dx x^3 = 3 x^2 (kFactor = 3)
  static TensorList backward(autograd::AutogradContext* ctx, const TensorList& grad) {
    const Tensor x = ctx->get_saved_variables()[0];
    return {grad[0] * (x * x * static_cast<double>(kFactor))};
  }
  // J t = 3 x^2 t (kJvpFactor = 3)
  static Tensor jvp(autograd::AutogradContext* ctx, const TensorList& tangents)
    requires(kJvpFactor != 0)
  {
    const Tensor x = ctx->get_saved_variables()[0];
    return tangents[0] * x * x * static_cast<double>(kJvpFactor);
  }
};

using Cube = CubeFunction<3>;
using BuggyCube = CubeFunction<2>;  // d/dx x^3 written as 2 x^2
using CubeWithJvp = CubeFunction<3, 3>;
using CubeWithWrongJvp = CubeFunction<3, 2>;  // a right backward, and J t written as 2 x^2 t

}  // namespace nabla::testing
