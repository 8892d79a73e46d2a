#pragma once
// What the forward-mode differential tests share: a tangent of an op's output along given
// directions, the directions themselves, and the sizes of products that cross the GEMM's blocks.
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "autograd/kernels/gemm_blocking.h"
#include "tests/differential.h"

namespace nabla::differential {

template <class T> Tensor view_of(std::vector<T>& values, const Shape& shape) {
  return from_blob(values.data(), shape, scalar_type_of<T>());
}

// The tangent of f's output when each input carries its direction (none where the direction
// is undefined), contiguous; undefined (and a failure of `check`) if the output carries none
// or one of another shape.
inline Tensor tangent_of_output(Check& check, const std::function<Tensor(const TensorList&)>& f,
                                const TensorList& primals, const TensorList& directions) {
  DualLevel level;
  TensorList duals;
  for (size_t k = 0; k < primals.size(); ++k) {
    duals.push_back(directions[k].defined() ? make_dual(primals[k], directions[k]) : primals[k]);
  }
  const Tensor y = f(duals);
  const Tensor tangent = tangent_of(y);
  if (!tangent.defined()) {
    check.fail("the output of shape " + to_string(y.sizes()) + " carries no tangent");
    return Tensor();
  }
  if (tangent.sizes() != y.sizes()) {
    check.fail("the tangent's shape " + to_string(tangent.sizes()) + " is not the output's " + to_string(y.sizes()));
    return Tensor();
  }
  return tangent.contiguous();
}

// The directions: uniform on [-2, 2), from their own seed.
template <class T> std::vector<T> directions(int64_t n, uint64_t seed) { return mixed_inputs<T>(n, -2, 2, {}, seed); }

// Products (rows x depth) by (depth x cols), plain and odd, and past an MC x KC block of A and
// an NC panel of B, from the blocking gemm() uses on this machine.
struct ProductSize {
  int64_t rows, depth, cols;
};
template <class T> std::vector<ProductSize> gemm_crossing_sizes() {
  const kernels::GemmBlocking& blocking = kernels::gemm_blocking<T>();
  return {{1, 1, 1},    {17, 33, 9},  {130, 70, 129}, {3, 300, 5}, {64, 64, 64},
          {blocking.mc + 1, blocking.kc + 1, 2 * blocking.nr + 1}, {blocking.mr + 1, 31, blocking.nc + 1}};
}

// A row of logits x(0..n-1) as softmax sees it, in long double: its maximum, the sum of the
// exponentials exp(x - max), and dbar, their weighted mean of max - x (a softmax's error bound
// grows with how far its exponentials reach).
struct SoftmaxRow {
  long double max = -INFINITY, total = 0;
  double dbar = 0;
  long double p(long double xk) const { return std::exp(xk - max) / total; }
};
template <class X> SoftmaxRow softmax_row(int64_t n, X x) {
  SoftmaxRow row;
  for (int64_t k = 0; k < n; ++k) row.max = std::max<long double>(row.max, x(k));
  long double weighted = 0;
  for (int64_t k = 0; k < n; ++k) {
    const long double term = std::exp(x(k) - row.max);
    row.total += term;
    weighted += term * (row.max - x(k));
  }
  row.dbar = static_cast<double>(weighted / row.total);
  return row;
}

// The tangent of one row's cross-entropy, -v(label) + sum_k p_k v(k), with the sum of its terms'
// magnitudes (its scale) and the p v-weighted mean of the p's error bounds (2 + (max - x) + dbar).
struct CrossEntropyRowTangent {
  long double value = 0, scale = 0;
  double mean_bound = 0;
};
template <class X, class V>
CrossEntropyRowTangent cross_entropy_row_tangent(int64_t n, X x, V v, int64_t label) {
  const SoftmaxRow row = softmax_row(n, x);
  CrossEntropyRowTangent t{-static_cast<long double>(v(label)), std::fabs(static_cast<long double>(v(label))), 0};
  long double p_magnitude = 0, bound = 0;
  for (int64_t k = 0; k < n; ++k) {
    const long double term = row.p(x(k)) * v(k);
    t.value += term;
    p_magnitude += std::fabs(term);
    bound += std::fabs(term) * (2 + (row.max - x(k)) + row.dbar);
  }
  t.scale += p_magnitude;
  t.mean_bound = p_magnitude > 0 ? static_cast<double>(bound / p_magnitude) : 0;
  return t;
}

}  // namespace nabla::differential
