#pragma once
// What the forward-mode differential tests share: a tangent of an op's output along given
// directions, the directions themselves, and the sizes of products that cross the GEMM's blocks.
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

}  // namespace nabla::differential
