#include "autograd/kernels/activation_kernels.h"

#include <algorithm>
#include <vector>

#include "autograd/kernels/parallel.h"

namespace nabla::kernels {
namespace {

// Large enough to amortise a task, small enough that a million elements make 245 blocks to share.
constexpr int64_t kSlopeBlock = 4096;

// One block of the slope gradient, in eight running sums so that the additions vectorise.
// Both inputs are loaded on every element and the product (exact in double for float
// inputs) is formed before the select. GCC 12.2 miscompiled the earlier form, which read g
// only where x <= 0, under -O3 -march=native -fno-trapping-math (issue 8: 16 float64 ones of
// mixed sign summed to -6 instead of -7); tests/nn/prelu_test.cpp guards this loop.
template <class T>
double slope_grad_block(const T* x, const T* g, int64_t n) {
  double lanes[8] = {};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int l = 0; l < 8; ++l) {
      const T xi = x[i + l], gi = g[i + l];
      const double product = static_cast<double>(gi) * static_cast<double>(xi);
      lanes[l] += xi > T(0) ? 0.0 : product;
    }
  }
  double total = 0;
  for (; i < n; ++i) {
    const double product = static_cast<double>(g[i]) * static_cast<double>(x[i]);
    total += x[i] > T(0) ? 0.0 : product;
  }
  for (double lane : lanes) total += lane;
  return total;
}

}  // namespace

template <class T>
void prelu_input_grad(const T* x, const T* g, T slope, T* grad_x, int64_t n) {
  parallel_for(n, kActivationGrain, [&](int64_t begin, int64_t end) {
    // The select picks a factor, not a product: choosing between two constants needs no
    // promise about floating-point traps, so this vectorises without -fno-trapping-math.
    for (int64_t i = begin; i < end; ++i) grad_x[i] = g[i] * (x[i] > T(0) ? T(1) : slope);
  });
}

template <class T>
T prelu_slope_grad(const T* x, const T* g, int64_t n) {
  const int64_t blocks = (n + kSlopeBlock - 1) / kSlopeBlock;
  if (blocks <= 1) return static_cast<T>(slope_grad_block(x, g, n));
  std::vector<double> partial(static_cast<size_t>(blocks));
  parallel_for(blocks, 16, [&](int64_t begin, int64_t end) {
    for (int64_t b = begin; b < end; ++b) {
      const int64_t first = b * kSlopeBlock, count = std::min(kSlopeBlock, n - first);
      partial[static_cast<size_t>(b)] = slope_grad_block(x + first, g + first, count);
    }
  });
  double total = 0;
  for (double p : partial) total += p;  // in block order, whatever thread computed each
  return static_cast<T>(total);
}

template void prelu_input_grad<float>(const float*, const float*, float, float*, int64_t);
template void prelu_input_grad<double>(const double*, const double*, double, double*, int64_t);
template float prelu_slope_grad<float>(const float*, const float*, int64_t);
template double prelu_slope_grad<double>(const double*, const double*, int64_t);

}  // namespace nabla::kernels
