#pragma once
// Matrix multiply on raw row-major buffers: C[M, N] (+)= op(A) op(B), where op(A) is A
// ([M, K]) or A transposed (A stored [K, M]), and likewise op(B) is [K, N]. The one place
// that multiplies matrices: the matmul op, its backward and Dense layers all come here.
#include <cstdint>

namespace nabla::kernels {

template <class T>
void gemm(bool transpose_a, bool transpose_b, int64_t M, int64_t N, int64_t K, const T* A, const T* B, T* C,
          bool accumulate = false);

}  // namespace nabla::kernels
