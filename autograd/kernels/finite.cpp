#include "autograd/kernels/finite.h"

#include <cmath>

namespace nabla::kernels {

template <class T>
int64_t first_nonfinite(const T* x, int64_t n) {
  // Blocks without a branch per element (the compiler vectorises the inner loop); the exact
  // index is looked for only in the block that holds one.
  constexpr int64_t kBlock = 256;
  for (int64_t begin = 0; begin < n; begin += kBlock) {
    const int64_t end = begin + kBlock < n ? begin + kBlock : n;
    bool all_finite = true;
    for (int64_t i = begin; i < end; ++i) all_finite &= (x[i] - x[i]) == T(0);  // inf - inf and NaN - NaN are NaN
    if (all_finite) continue;
    for (int64_t i = begin; i < end; ++i) {
      if (!std::isfinite(x[i])) return i;
    }
  }
  return -1;
}

template int64_t first_nonfinite(const float*, int64_t);
template int64_t first_nonfinite(const double*, int64_t);

}  // namespace nabla::kernels
