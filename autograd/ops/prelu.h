#pragma once
// prelu: leaky relu whose slope is a tensor, learned like a weight (nn::PReLU holds it).
#include "autograd/tensor.h"

namespace nabla {

// y = x if x > 0 else a x, elementwise, with one slope a for the whole input.
// x: any shape, float32 or float64; a: one element of any shape (ShapeError otherwise) and
// x's dtype (DtypeError otherwise). y has x's shape and dtype.
// d/dx = 1 if x > 0 else a (a at x = 0, as PyTorch);  d/da = the sum of g x over x <= 0.
Tensor prelu(const Tensor& x, const Tensor& a);

}  // namespace nabla
