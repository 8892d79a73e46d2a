#pragma once
// Matrix products: the op a Dense layer spends its time in. Both are differentiable, their
// backwards are mm calls themselves (so second derivatives work), and the work is done by
// the blocked, threaded GEMM in autograd/kernels/gemm.h. Both tensors must have the same
// floating dtype (float32 or float64; DtypeError otherwise).
#include "autograd/tensor.h"

namespace nabla {

// [n, k] @ [k, m] -> [n, m], and batched [b, n, k] @ [k, m] -> [b, n, m]. Other shapes, or
// inner sizes that differ, are a ShapeError naming both shapes.
Tensor matmul(const Tensor& a, const Tensor& b);
// op(a) @ op(b) for 2-D a and b, where op transposes when asked, without copying the
// transpose. matmul, its backward and Dense layers are all built on it. ShapeError unless
// both are 2-D with matching inner sizes.
Tensor mm(const Tensor& a, const Tensor& b, bool transpose_a = false, bool transpose_b = false);

}  // namespace nabla
