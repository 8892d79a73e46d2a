#pragma once
// The loops of the activations, on raw buffers: the three fused loops every elementwise
// activation runs (f forward, g f' backward, and the backward of that backward, with f''),
// and prelu's backward, whose slope gradient is a reduction over the whole input.
//
// The fused loops are templates over the activation's functor F, a struct with
//   template <class T> T f(T x) const;          // f(x)
//   template <class T> T df(T x, T y) const;    // f'(x), given y = f(x)
//   template <class T> T d2f(T x, T y) const;   // f''(x), given y = f(x)
// (autograd/ops/activation_op.h turns one into an op). They are instantiated where the
// functors are run (autograd/ops/activation_functions.cpp, autograd/ops/prelu.cpp,
// nn/activations/builtin.cpp and functions.cpp), in files compiled with -fno-trapping-math
// (nn/CMakeLists.txt says why).
#include <cstdint>

#include "autograd/kernels/parallel.h"

namespace nabla::kernels {

// Elements per task of every loop in this file, from the kernels' one grain policy
// (parallel.h). Counted as one unit of work per element, like the pointwise kernels: the
// cheap activations (relu, leaky_relu) set the grain, and exp-based ones merely split later.
inline constexpr int64_t kActivationGrain = grain_for(1);

// Each loop works on its own copy of the activation's parameters: held in registers, they
// cannot alias the output, and the compiler vectorises the loop. The loops are flattened:
// every helper the formulas call is inlined, since one call left in the body stops the
// loop from being vectorised.
#if defined(__GNUC__)
#define NABLA_FLATTEN __attribute__((flatten))
#else
#define NABLA_FLATTEN
#endif

// y[i] = f(x[i]) for i < n; x and y hold n elements of T (float or double).
template <class T, class F>
void activation_forward(const F& fn, const T* x, T* y, int64_t n) {
  parallel_for(n, kActivationGrain, [&](int64_t begin, int64_t end) NABLA_FLATTEN {
    const F local = fn;
    for (int64_t i = begin; i < end; ++i) y[i] = local.f(x[i]);
  });
}

// grad_x[i] = g[i] f'(x[i]), with y = f(x); every buffer holds n elements.
template <class T, class F>
void activation_backward(const F& fn, const T* g, const T* x, const T* y, T* grad_x, int64_t n) {
  parallel_for(n, kActivationGrain, [&](int64_t begin, int64_t end) NABLA_FLATTEN {
    const F local = fn;
    for (int64_t i = begin; i < end; ++i) grad_x[i] = g[i] * local.df(x[i], y[i]);
  });
}

// The backward of grad_x = g f'(x) for an incoming gradient gg, n elements each:
//   grad_g = gg f'(x),   grad_x = gg g f''(x)
template <class T, class F>
void activation_double_backward(const F& fn, const T* gg, const T* g, const T* x, const T* y, T* grad_g,
                                T* grad_x, int64_t n) {
  parallel_for(n, kActivationGrain, [&](int64_t begin, int64_t end) NABLA_FLATTEN {
    const F local = fn;
    for (int64_t i = begin; i < end; ++i) {
      grad_g[i] = gg[i] * local.df(x[i], y[i]);
      grad_x[i] = gg[i] * g[i] * local.d2f(x[i], y[i]);
    }
  });
}

// prelu's backward, both gradients in one pass over x and g (n elements each; T is float or
// double): grad_x = g if x > 0, else slope g (slope at x = 0, as PyTorch), and the returned
// slope gradient, the sum of g x over the elements where x <= 0 (a NaN x counts, so a NaN
// reaches the slope's gradient). The sum is accumulated in double, in fixed blocks added in
// order: the result does not depend on the number of threads.
template <class T> T prelu_backward(const T* x, const T* g, T slope, T* grad_x, int64_t n);

}  // namespace nabla::kernels
