#pragma once
// The elementwise functions of one tensor (exp, log, sin, ...): one for each row of
// unary_ops.def, where its forward and derivative are written. Each is differentiable, twice
// and more (its backward is written in ops).
#include "autograd/tensor.h"

namespace nabla {

#define NABLA_UNARY(name, ...) Tensor name(const Tensor& x);
#include "autograd/ops/unary_ops.def"
#undef NABLA_UNARY

}  // namespace nabla
