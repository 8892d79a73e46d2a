#include "autograd/ops/prelu.h"

#include <string>

#include "autograd/dtype.h"
#include "autograd/error.h"
#include "autograd/fused.h"
#include "autograd/kernels/activation_kernels.h"
#include "autograd/ops/creation.h"
#include "autograd/ops/math_ops.h"
#include "autograd/ops/reduction.h"
#include "autograd/shape.h"

namespace nabla {
namespace {

// x if x > 0 else a x, as a functor of the fused activation loops (activation_kernels.h).
// This file is compiled with -fno-trapping-math so that the loop's select vectorises
// (autograd/CMakeLists.txt says why).
struct PreluForward {
  double a;
  template <class T> T f(T x) const { return x > T(0) ? x : T(a) * x; }
};

}  // namespace

// y = x if x > 0 else a x
Tensor prelu(const Tensor& given_x, const Tensor& a) {
  const Tensor x = given_x.contiguous();  // the kernels walk one run of memory
  if (a.numel() != 1) {
    throw ShapeError("prelu: the slope must have one element, got shape " + to_string(a.sizes()));
  }
  detail::check_same_dtype(x, a, "prelu");
  const Tensor slope = a.reshape({});  // a as a scalar tensor, whatever its shape
  Tensor y = empty(x.sizes(), x.dtype());
  dispatch_floating(x.dtype(), "prelu", [&]<class T>() {
    kernels::activation_forward(PreluForward{static_cast<double>(slope.data_ptr<T>()[0])}, x.data_ptr<T>(),
                                y.data_ptr<T>(), x.numel());
  });
  // d/dx = 1 if x > 0 else a (a at x = 0, as PyTorch);   d/da = sum of g x over x <= 0
  return record_fused(
      "prelu", y, {x, slope},
      /*fast=*/[x, slope](const Tensor& given_g) {  // both gradients in one pass over x and g
        const Tensor g = given_g.contiguous();
        Tensor gx = empty(x.sizes(), x.dtype()), ga = empty({}, x.dtype());
        dispatch_floating(x.dtype(), "prelu", [&]<class T>() {
          ga.data_ptr<T>()[0] = kernels::prelu_backward(x.data_ptr<T>(), g.data_ptr<T>(), slope.data_ptr<T>()[0],
                                                        gx.data_ptr<T>(), x.numel());
        });
        return TensorList{gx, ga};
      },
      /*differentiable=*/[x, slope](const Tensor& g) {
        const Tensor positive = gt(x.detach(), 0.0);
        return TensorList{where(positive, g, g * slope), where(positive, zeros_like(g), g * x).sum()};
      });
}

}  // namespace nabla
