#include "autograd/kernels/byte_rows.h"

#include <algorithm>

#include "autograd/kernels/parallel.h"

namespace nabla::kernels {

template <class T>
void gather_byte_rows(const uint8_t* source, int64_t row_size, const int64_t* indices, int64_t count, const T* table,
                      T* out) {
  // A row is worth about kWorkPerByte units of work per byte (grain_for).
  constexpr int64_t kWorkPerByte = 4, kRowsAhead = 4, kCacheLine = 64;
  const auto prefetch_row = [&](int64_t b) {
    const uint8_t* row = source + indices[b] * row_size;
    for (int64_t offset = 0; offset < row_size; offset += kCacheLine) __builtin_prefetch(row + offset);
  };
  parallel_for(count, grain_for(kWorkPerByte * row_size), [&](int64_t first, int64_t last) {
    for (int64_t b = first; b < std::min(last, first + kRowsAhead); ++b) prefetch_row(b);
    for (int64_t b = first; b < last; ++b) {
      if (b + kRowsAhead < last) prefetch_row(b + kRowsAhead);
      const uint8_t* byte = source + indices[b] * row_size;
      T* row = out + b * row_size;
      for (int64_t p = 0; p < row_size; ++p) row[p] = table[byte[p]];
    }
  });
}

template void gather_byte_rows<float>(const uint8_t*, int64_t, const int64_t*, int64_t, const float*, float*);
template void gather_byte_rows<int64_t>(const uint8_t*, int64_t, const int64_t*, int64_t, const int64_t*, int64_t*);

}  // namespace nabla::kernels
