#include "autograd/ops/linalg.h"

#include "autograd/kernels/gemm.h"
#include "autograd/ops/math_ops.h"
#include "autograd/record.h"

namespace nabla {

namespace {
// A 2-D view that is a row-major matrix transposed (x.t()): its elements in memory are that
// matrix, which the GEMM reads with its transpose flag, with no copy.
bool is_transposed_matrix(const Tensor& t) {
  return t.dim() == 2 && t.size(0) > 1 && t.size(1) > 1 && t.stride(0) == 1 && t.stride(1) == t.size(0);
}
}  // namespace

Tensor mm(const Tensor& a, const Tensor& b, bool ta, bool tb) {
  if (is_transposed_matrix(a)) return mm(a.t(), b, !ta, tb);
  if (is_transposed_matrix(b)) return mm(a, b.t(), ta, !tb);
  if (!a.is_contiguous() || !b.is_contiguous()) return mm(a.contiguous(), b.contiguous(), ta, tb);  // the GEMM reads rows of memory
  if (a.dim() != 2 || b.dim() != 2) {
    throw ShapeError("mm: expects 2-D tensors, got shapes " + to_string(a.sizes()) + " and " + to_string(b.sizes()));
  }
  detail::check_same_dtype(a, b, "mm");
  const int64_t M = ta ? a.size(1) : a.size(0), K = ta ? a.size(0) : a.size(1);
  const int64_t K2 = tb ? b.size(1) : b.size(0), N = tb ? b.size(0) : b.size(1);
  if (K != K2) {
    throw ShapeError("matmul: shapes " + to_string(a.sizes()) + (ta ? "^T" : "") + " and " + to_string(b.sizes()) +
                     (tb ? "^T" : "") + " cannot be multiplied (" + std::to_string(K) + " != " + std::to_string(K2) + ")");
  }
  Tensor y = empty({M, N}, a.dtype(), "matmul");
  dispatch_floating(a.dtype(), "matmul", [&]<class T>() {
    kernels::gemm(ta, tb, M, N, K, a.data_ptr<T>(), b.data_ptr<T>(), y.data_ptr<T>());
  });
  // C = op(A) op(B):  dC/dop(A) = G op(B)^T,  dC/dop(B) = op(A)^T G, transposed back where op transposes
  return record(
      "mm", y, {a, b},
      [a, b, ta, tb](const Tensor& g) {
        Tensor ga, gb;
        if (a.requires_grad()) ga = ta ? mm(b, g, tb, true) : mm(g, b, false, !tb);
        if (b.requires_grad()) gb = tb ? mm(g, a, true, ta) : mm(a, g, !ta, false);
        return TensorList{ga, gb};
      },
      // dC = op(dA) op(B) + op(A) op(dB)
      [&a, &b, ta, tb](const TensorList& t) {
        return tangent_sum(t[0].defined() ? mm(t[0], b, ta, tb) : Tensor(), t[1].defined() ? mm(a, t[1], ta, tb) : Tensor());
      });
}

Tensor matmul(const Tensor& a, const Tensor& b) {
  if (a.dim() == 2 && b.dim() == 2) return mm(a, b);
  if (a.dim() == 3 && b.dim() == 2) {
    // A batch of [n, k] matrices times one [k, m]: one [b*n, k] @ [k, m] product.
    const int64_t batch = a.size(0), rows = a.size(1);
    if (a.size(2) != b.size(0)) {
      throw ShapeError("matmul: shapes " + to_string(a.sizes()) + " and " + to_string(b.sizes()) +
                       " cannot be multiplied (" + std::to_string(a.size(2)) + " != " + std::to_string(b.size(0)) + ")");
    }
    return mm(a.reshape({batch * rows, a.size(2)}), b).reshape({batch, rows, b.size(1)});
  }
  throw ShapeError("matmul: supports [n, k] @ [k, m] and [b, n, k] @ [k, m], got " + to_string(a.sizes()) + " @ " +
                   to_string(b.sizes()));
}

Tensor Tensor::matmul(const Tensor& other) const { return nabla::matmul(*this, other); }

}  // namespace nabla
