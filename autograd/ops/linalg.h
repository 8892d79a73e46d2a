#pragma once
// Matrix products.
#include "autograd/tensor.h"

namespace nabla {

// [n, k] @ [k, m] -> [n, m], and batched [b, n, k] @ [k, m] -> [b, n, m].
Tensor matmul(const Tensor& a, const Tensor& b);
// op(a) @ op(b) for 2-D a and b, where op transposes when asked, without copying the
// transpose. matmul, its backward and Dense layers are all built on it.
Tensor mm(const Tensor& a, const Tensor& b, bool transpose_a = false, bool transpose_b = false);

}  // namespace nabla
