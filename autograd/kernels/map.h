#pragma once
// The loop under every elementwise function of one tensor: out[i] = f(x[i]) for i < n, split
// across threads when long enough (parallel.h). f is a lambda, inlined into the loop, so the
// body holds no call and the compiler vectorises it; the ops of autograd/ops/unary_ops.def and
// the x-op-scalar kernels (pointwise.cpp) instantiate it. out may be x (in place).
#include <cstdint>

#include "autograd/kernels/parallel.h"

namespace nabla::kernels {

template <class T, class F>
void map(const T* x, T* out, int64_t n, F f) {
  parallel_for(n, grain_for(1), [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) out[i] = f(x[i]);
  });
}

}  // namespace nabla::kernels
