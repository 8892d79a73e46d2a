#pragma once
// The loops of activations that are not one formula per element: prelu has a learned
// slope, whose gradient is a reduction over the whole input.
#include <cstdint>

namespace nabla::kernels {

// prelu's backward for its input: grad_x = g if x > 0, else slope g (slope at x = 0, as PyTorch).
template <class T> void prelu_input_grad(const T* x, const T* g, T slope, T* grad_x, int64_t n);

// prelu's backward for its slope: the sum of g x over the elements where x <= 0 (a NaN x
// counts, so a NaN reaches the slope's gradient). Accumulated in double, in fixed blocks
// added in order: the result does not depend on the number of threads.
template <class T> T prelu_slope_grad(const T* x, const T* g, int64_t n);

}  // namespace nabla::kernels
