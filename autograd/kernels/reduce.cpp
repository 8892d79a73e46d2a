#include "autograd/kernels/reduce.h"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

#include "autograd/kernels/parallel.h"

namespace nabla::kernels {
namespace {

// NaN is the most extreme value both ways, as in PyTorch: max, argmax, min and argmin
// all return it (the first one) when there is one. Integers have no NaN.
template <class T> bool is_nan(T x) {
  if constexpr (std::is_integral_v<T>) {
    return false;
  } else {
    return std::isnan(x);
  }
}
template <class T> bool greater(T a, T b) { return a > b || (is_nan(a) && !is_nan(b)); }
template <class T> bool less(T a, T b) { return a < b || (is_nan(a) && !is_nan(b)); }

// Floating sums accumulate in double; int64 sums stay exact in int64.
template <class T> using Accumulator = std::conditional_t<std::is_integral_v<T>, int64_t, double>;

}  // namespace

template <class T>
T sum_all(const T* x, int64_t n) {
  // Eight independent partial sums: the additions pipeline (and vectorise) instead of
  // waiting on one another.
  Accumulator<T> lanes[8] = {};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int l = 0; l < 8; ++l) lanes[l] += x[i + l];
  }
  Accumulator<T> total = 0;
  for (; i < n; ++i) total += x[i];
  for (Accumulator<T> l : lanes) total += l;
  return static_cast<T>(total);
}

template <class T>
void sum_dim(const T* x, int64_t outer, int64_t size, int64_t inner, T* out) {
  if (inner == 1) {
    parallel_for(outer, grain_for(size), [&](int64_t b, int64_t e) {  // a row: `size` adds
      for (int64_t o = b; o < e; ++o) out[o] = sum_all(x + o * size, size);
    });
    return;
  }
  // Columns: add whole rows, which the compiler vectorises along `inner`.
  std::vector<Accumulator<T>> acc(inner);
  for (int64_t o = 0; o < outer; ++o) {
    std::fill(acc.begin(), acc.end(), Accumulator<T>(0));
    const T* block = x + o * size * inner;
    for (int64_t k = 0; k < size; ++k) {
      const T* row = block + k * inner;
      for (int64_t i = 0; i < inner; ++i) acc[i] += row[i];
    }
    for (int64_t i = 0; i < inner; ++i) out[o * inner + i] = static_cast<T>(acc[i]);
  }
}

template <class T>
void max_dim(const T* x, int64_t outer, int64_t size, int64_t inner, T* values, int64_t* indices) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const T* p = x + o * size * inner + i;
      int64_t best = 0;
      for (int64_t k = 1; k < size; ++k) {
        if (greater(p[k * inner], p[best * inner])) best = k;
      }
      values[o * inner + i] = p[best * inner];
      indices[o * inner + i] = best;
    }
  }
}

template <class T>
int64_t argmax_all(const T* x, int64_t n) {
  int64_t best = 0;
  for (int64_t i = 1; i < n; ++i) {
    if (greater(x[i], x[best])) best = i;
  }
  return best;
}

template <class T>
int64_t argmin_all(const T* x, int64_t n) {
  int64_t best = 0;
  for (int64_t i = 1; i < n; ++i) {
    if (less(x[i], x[best])) best = i;
  }
  return best;
}

template <class T>
void max_tie_weights(const T* x, const T* values, int64_t outer, int64_t size, int64_t inner, T* weights) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const T m = values[o * inner + i];
      const T* p = x + o * size * inner + i;
      T* w = weights + o * size * inner + i;
      const auto ties = [m](T v) { return v == m || (std::isnan(v) && std::isnan(m)); };
      int64_t count = 0;
      for (int64_t k = 0; k < size; ++k) count += ties(p[k * inner]);
      const T share = count > 0 ? T(1) / static_cast<T>(count) : T(0);
      for (int64_t k = 0; k < size; ++k) w[k * inner] = ties(p[k * inner]) ? share : T(0);
    }
  }
}

template <class T>
void one_hot_dim(const int64_t* indices, int64_t outer, int64_t size, int64_t inner, T* out) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) out[(o * size + indices[o * inner + i]) * inner + i] = T(1);
  }
}

#define NABLA_INSTANTIATE(T)                                                            \
  template T sum_all<T>(const T*, int64_t);                                             \
  template void sum_dim<T>(const T*, int64_t, int64_t, int64_t, T*);                    \
  template void max_dim<T>(const T*, int64_t, int64_t, int64_t, T*, int64_t*);          \
  template int64_t argmax_all<T>(const T*, int64_t);                                    \
  template int64_t argmin_all<T>(const T*, int64_t);                                    \
  template void max_tie_weights<T>(const T*, const T*, int64_t, int64_t, int64_t, T*);  \
  template void one_hot_dim<T>(const int64_t*, int64_t, int64_t, int64_t, T*);
NABLA_INSTANTIATE(float)
NABLA_INSTANTIATE(double)
NABLA_INSTANTIATE(int64_t)
#undef NABLA_INSTANTIATE

}  // namespace nabla::kernels
