#pragma once
// The fused dense layer: y = f(x W^T + b) as one recorded op, for f = identity or relu, the
// two activations whose derivative can be read off y alone. nn::Dense and
// nn::functional::linear are this op on their parameters; any other activation runs as its
// own op after it.
#include "autograd/tensor.h"

namespace nabla {

enum class LinearActivation { None, Relu };

// x [batch, in], weight [out, in], bias [out] or undefined (no bias) -> [batch, out].
//   forward:  one GEMM, then bias and activation in one pass over its output
//   backward: f' and the bias gradient in one pass, then the two GEMMs
// The same bits as mm, + and relu, in one pass over the output instead of three. Recorded as
// "dense" or "dense_relu", with a fast backward and a differentiable one (autograd/fused.h).
// Shapes that do not fit are a ShapeError, a bias of another dtype than the weight a
// DtypeError; their messages name the op "dense".
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias, LinearActivation f = LinearActivation::None);

}  // namespace nabla
