#include "autograd/kernels/activation_kernels.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <type_traits>
#include <cstdint>
#include <vector>

#include "autograd/kernels/parallel.h"

namespace nabla::kernels {
namespace {

// Large enough to amortise a task, small enough that a million elements make 245 blocks to share.
constexpr int64_t kSlopeBlock = 4096;

// Four running sums in double, as one vector: GCC and clang vector extensions (like gemm.cpp),
// since neither compiler vectorises a sum on its own (that would reorder the additions).
typedef double SumLanes __attribute__((vector_size(32)));
typedef int64_t SumMask __attribute__((vector_size(32)));

// p[0..3] as doubles (exact for float).
template <class T>
SumLanes load_four(const T* p) {
  typedef T Four __attribute__((vector_size(4 * sizeof(T))));
  Four v;
  std::memcpy(&v, p, sizeof v);
  return __builtin_convertvector(v, SumLanes);
}

// The sum of g x over the elements of four where x <= 0 or x is NaN. The product is formed
// on every element and then masked bitwise: an inf or NaN g where x > 0 is dropped (not
// turned into NaN, as g x * 0 would), and there is no branch.
template <class T>
SumLanes masked_products(const T* x, const T* g) {
  const SumLanes xd = load_four(x), product = load_four(g) * xd;
  const SumMask positive = xd > 0;  // all ones where x > 0; 0 for a NaN x
  return reinterpret_cast<SumLanes>(reinterpret_cast<SumMask>(product) & ~positive);
}

// One block of both gradients, from one read of x and g in memory:
//   grad_x = g if x > 0 else slope g,   returns the sum of g x over x <= 0.
// The block's grad_x pass leaves it in cache for the sum. The sum runs in eight lanes, each in
// double (the product of two floats is exact in double), and they are added in order at the
// end: the same additions in the same order as the scalar loop this replaces. No branch per
// element (a mispredicted branch per element made this 40x slower than memory), and none of
// the conditional loads GCC 12.2 miscompiled (16 float64 ones of mixed sign summed to -6
// instead of -7; tests/autograd/prelu_test.cpp guards this loop).
template <class T>
double prelu_backward_block(const T* x, const T* g, T slope, T* grad_x, int64_t n) {
  // The factor, 1 or slope, is selected bitwise: written as x > 0 ? 1 : slope, GCC turns
  // g * factor into a multiply only where x <= 0, which (without -fno-trapping-math, kept off
  // this file) it may not do for all elements at once, and the loop stays a branch per element.
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  const Bits one_bits = std::bit_cast<Bits>(T(1)), slope_bits = std::bit_cast<Bits>(slope);
  for (int64_t i = 0; i < n; ++i) {
    const Bits positive = Bits{0} - static_cast<Bits>(x[i] > T(0));  // all ones where x > 0
    grad_x[i] = g[i] * std::bit_cast<T>((positive & one_bits) | (~positive & slope_bits));
  }
  SumLanes low = {}, high = {};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    low += masked_products(x + i, g + i);
    high += masked_products(x + i + 4, g + i + 4);
  }
  double total = 0;
  for (; i < n; ++i) {
    const double product = static_cast<double>(g[i]) * static_cast<double>(x[i]);
    total += x[i] > T(0) ? 0.0 : product;
  }
  for (int l = 0; l < 4; ++l) total += low[l];
  for (int l = 0; l < 4; ++l) total += high[l];
  return total;
}

}  // namespace

template <class T>
T prelu_backward(const T* x, const T* g, T slope, T* grad_x, int64_t n) {
  const int64_t blocks = (n + kSlopeBlock - 1) / kSlopeBlock;
  if (blocks <= 1) return static_cast<T>(prelu_backward_block(x, g, slope, grad_x, n));
  std::vector<double> partial(static_cast<size_t>(blocks));
  parallel_for(blocks, std::max<int64_t>(1, kActivationGrain / kSlopeBlock), [&, slope](int64_t begin, int64_t end) {
    for (int64_t b = begin; b < end; ++b) {
      const int64_t first = b * kSlopeBlock, count = std::min(kSlopeBlock, n - first);
      partial[static_cast<size_t>(b)] = prelu_backward_block(x + first, g + first, slope, grad_x + first, count);
    }
  });
  double total = 0;
  for (double p : partial) total += p;  // in block order, whatever thread computed each
  return static_cast<T>(total);
}

template float prelu_backward<float>(const float*, const float*, float, float*, int64_t);
template double prelu_backward<double>(const double*, const double*, double, double*, int64_t);

}  // namespace nabla::kernels
