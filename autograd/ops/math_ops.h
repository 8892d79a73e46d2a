#pragma once
// Elementwise ops: arithmetic with NumPy broadcasting, pow, clamp, where and comparisons.
// Each is differentiable; the derivative sits next to the forward in math_ops.cpp. The math
// functions of one tensor (exp, log, sin, ...) are the rows of unary_ops.def.
#include "autograd/ops/unary_ops.h"
#include "autograd/tensor.h"

namespace nabla {

// Binary ops broadcast their inputs; gradients are summed back to each input's shape.
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor maximum(const Tensor& a, const Tensor& b);  // ties share the gradient equally
Tensor minimum(const Tensor& a, const Tensor& b);

Tensor add(const Tensor& a, double b);
Tensor mul(const Tensor& a, double b);
Tensor sub(const Tensor& a, double b);
Tensor div(const Tensor& a, double b);  // refused on int64: the quotient is not an integer
Tensor rsub(double a, const Tensor& b);  // a - b
Tensor rdiv(double a, const Tensor& b);  // a / b

Tensor pow(const Tensor& x, double exponent);
// min(max(x, low), high); the gradient passes where low <= x <= high.
Tensor clamp(const Tensor& x, double low, double high);
// condition != 0 ? a : b, all three broadcast together.
Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b);

// Comparisons give 0/1 in the inputs' dtype and are not differentiable. nabla has no bool
// dtype: where libtorch gives kBool, nabla gives 1.0/0.0 for float inputs and 1/0 for int64
// ones, so (logits.argmax(1) == labels).sum().item<int64_t>() counts the hits, and
// (x > 0).mean() is the fraction of positive elements without a cast.
Tensor eq(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);
Tensor eq(const Tensor& a, double b);
Tensor ne(const Tensor& a, double b);
Tensor lt(const Tensor& a, double b);
Tensor le(const Tensor& a, double b);
Tensor gt(const Tensor& a, double b);
Tensor ge(const Tensor& a, double b);

inline Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
inline Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
inline Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
inline Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
inline Tensor operator+(const Tensor& a, double b) { return add(a, b); }
inline Tensor operator-(const Tensor& a, double b) { return add(a, -b); }
inline Tensor operator*(const Tensor& a, double b) { return mul(a, b); }
inline Tensor operator/(const Tensor& a, double b) { return div(a, b); }
inline Tensor operator+(double a, const Tensor& b) { return add(b, a); }
inline Tensor operator-(double a, const Tensor& b) { return rsub(a, b); }
inline Tensor operator*(double a, const Tensor& b) { return mul(b, a); }
inline Tensor operator/(double a, const Tensor& b) { return rdiv(a, b); }
inline Tensor operator-(const Tensor& x) { return neg(x); }
inline Tensor operator==(const Tensor& a, const Tensor& b) { return eq(a, b); }
inline Tensor operator!=(const Tensor& a, const Tensor& b) { return ne(a, b); }
inline Tensor operator==(const Tensor& a, double b) { return eq(a, b); }
inline Tensor operator!=(const Tensor& a, double b) { return ne(a, b); }
inline Tensor operator<(const Tensor& a, const Tensor& b) { return lt(a, b); }
inline Tensor operator<=(const Tensor& a, const Tensor& b) { return le(a, b); }
inline Tensor operator>(const Tensor& a, const Tensor& b) { return gt(a, b); }
inline Tensor operator>=(const Tensor& a, const Tensor& b) { return ge(a, b); }
inline Tensor operator<(const Tensor& a, double b) { return lt(a, b); }
inline Tensor operator<=(const Tensor& a, double b) { return le(a, b); }
inline Tensor operator>(const Tensor& a, double b) { return gt(a, b); }
inline Tensor operator>=(const Tensor& a, double b) { return ge(a, b); }

namespace detail {
// The one check that two tensors share a dtype (DtypeError "op: mixed dtypes a and b"),
// used by the binary ops, mm, the in-place ops and prelu: nabla never casts implicitly.
void check_same_dtype(const Tensor& a, const Tensor& b, const char* op);
// The DtypeError of an op that int64 tensors cannot take exactly ("op: not defined on int64
// tensors ..."), shared by the arithmetic here and the rows of unary_ops.def.
[[noreturn]] void refuse_on_integers(const Tensor& x, const char* op);
}  // namespace detail

}  // namespace nabla
