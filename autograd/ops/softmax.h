#pragma once
// softmax and log_softmax: not elementwise (each output depends on a whole slice), so their
// backward is a Jacobian-vector product rather than grad * f'(x). The loop is
// autograd/kernels/softmax.h, which cross-entropy shares.
#include "autograd/tensor.h"

namespace nabla {

// Probabilities along `dim`: exp(x) / sum(exp(x)), computed as exp(x - max) / ... so that
// large inputs do not overflow. The backward is the Jacobian-vector product. x float32 or
// float64 (else DtypeError); `dim` may be negative, out of range is a ShapeError.
Tensor softmax(const Tensor& x, int64_t dim = -1);
// log(softmax(x)), as (x - max) - log(sum(exp(x - max))): finite wherever x is.
Tensor log_softmax(const Tensor& x, int64_t dim = -1);

}  // namespace nabla
