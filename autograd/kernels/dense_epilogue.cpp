#include "autograd/kernels/dense_epilogue.h"

#include <algorithm>

#include "autograd/kernels/parallel.h"

namespace nabla::kernels {
namespace {

// NaN stays NaN (a comparison, not fmax): the layer must not hide a diverged input.
template <class T> T relu_of(T z) { return z < T(0) ? T(0) : z; }

template <class T, bool kRelu, bool kBias>
void bias_activation_rows(const T* bias, T* y, int64_t first, int64_t last, int64_t cols) {
  for (int64_t r = first; r < last; ++r) {
    T* row = y + r * cols;
    for (int64_t c = 0; c < cols; ++c) {
      const T z = kBias ? row[c] + bias[c] : row[c];
      row[c] = kRelu ? relu_of(z) : z;
    }
  }
}

// Columns are summed in blocks of kColumns accumulators on the stack: each row contributes
// a contiguous run of kColumns values, and nothing is allocated.
constexpr int64_t kColumns = 64;

// Each pointer is the only way to its memory here (__restrict): the compiler vectorises the
// rows without checking, at run time, whether writing grad_z changes g or y.
template <class T, bool kRelu>
void grad_bias_columns(const T* __restrict g, const T* __restrict y, T* __restrict grad_z, T* grad_bias,
                       int64_t rows, int64_t cols, int64_t c0, int64_t c1) {
  double sum[kColumns] = {};
  const int64_t width = c1 - c0;
  for (int64_t r = 0; r < rows; ++r) {
    const T* gr = g + r * cols + c0;
    if constexpr (kRelu) {
      const T* yr = y + r * cols + c0;
      T* zr = grad_z + r * cols + c0;
      // g relu'(z), a product as in the relu op's own backward: a NaN g stays NaN everywhere.
      // (The 0/1 factor is a converted bool: GCC vectorises that, and not `y > 0 ? 1 : 0`,
      // which it keeps as a branch lest the product trap.)
      for (int64_t c = 0; c < width; ++c) {
        const T live = yr[c] > T(0);
        zr[c] = gr[c] * live;
      }
      // A loop apart, over the row just written (in L1): fused into the loop above, GCC 12
      // vectorises it only behind a run-time aliasing check.
      for (int64_t c = 0; c < width; ++c) sum[c] += zr[c];
    } else {
      for (int64_t c = 0; c < width; ++c) sum[c] += gr[c];
    }
  }
  if (grad_bias) {
    for (int64_t c = 0; c < width; ++c) grad_bias[c0 + c] = static_cast<T>(sum[c]);
  }
}

}  // namespace

template <class T>
void dense_bias_activation(DenseEpilogue f, const T* bias, T* y, int64_t rows, int64_t cols) {
  if (f == DenseEpilogue::Identity && !bias) return;
  parallel_for(rows, grain_for(cols), [&](int64_t first, int64_t last) {
    if (f == DenseEpilogue::Relu) {
      bias ? bias_activation_rows<T, true, true>(bias, y, first, last, cols)
           : bias_activation_rows<T, true, false>(bias, y, first, last, cols);
    } else {
      bias_activation_rows<T, false, true>(bias, y, first, last, cols);
    }
  });
}

template <class T>
void dense_activation_grad_bias_sum(DenseEpilogue f, const T* g, const T* y, T* grad_z, T* grad_bias, int64_t rows,
                                    int64_t cols) {
  // Relu always writes grad_z (the two GEMMs need it); identity only sums.
  if (!grad_bias && f == DenseEpilogue::Identity) return;
  const int64_t blocks = (cols + kColumns - 1) / kColumns;
  parallel_for(blocks, grain_for(rows * kColumns), [&](int64_t first, int64_t last) {
    for (int64_t b = first; b < last; ++b) {
      const int64_t c0 = b * kColumns, c1 = std::min(cols, c0 + kColumns);
      if (f == DenseEpilogue::Relu) {
        grad_bias_columns<T, true>(g, y, grad_z, grad_bias, rows, cols, c0, c1);
      } else {
        grad_bias_columns<T, false>(g, y, nullptr, grad_bias, rows, cols, c0, c1);
      }
    }
  });
}

template void dense_bias_activation<float>(DenseEpilogue, const float*, float*, int64_t, int64_t);
template void dense_bias_activation<double>(DenseEpilogue, const double*, double*, int64_t, int64_t);
template void dense_activation_grad_bias_sum<float>(DenseEpilogue, const float*, const float*, float*, float*, int64_t,
                                                    int64_t);
template void dense_activation_grad_bias_sum<double>(DenseEpilogue, const double*, const double*, double*, double*,
                                                     int64_t, int64_t);

}  // namespace nabla::kernels
