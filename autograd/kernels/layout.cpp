#include "autograd/kernels/layout.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "autograd/kernels/parallel.h"

namespace nabla::kernels {

template <class T>
void transpose(const T* x, int64_t batch, int64_t rows, int64_t cols, T* out) {
  // Tiles of 16 x 16, each written one output row at a time (a contiguous run) from a column of
  // the tile: the 16 input rows a tile reads stay in cache. Larger tiles lose that when a row
  // is a multiple of 4 KiB (1024 floats): every row of the tile then falls in one cache set
  // (1024 x 1024: 16 tiles 0.5 ms, 32-wide tiles read along rows 6.6 ms). Tasks take whole
  // columns of tiles, which write disjoint rows of the output.
  constexpr int64_t kTile = 16;
  const int64_t column_tiles = (cols + kTile - 1) / kTile;
  parallel_for(batch * column_tiles, std::max<int64_t>(1, grain_for(1) / std::max<int64_t>(1, rows * kTile)),
               [&](int64_t first, int64_t last) {
                 for (int64_t task = first; task < last; ++task) {
                   const int64_t b = task / column_tiles, c0 = task % column_tiles * kTile;
                   const int64_t c1 = std::min(cols, c0 + kTile);
                   const T* src = x + b * rows * cols;
                   T* dst = out + b * rows * cols;
                   for (int64_t r0 = 0; r0 < rows; r0 += kTile) {
                     const int64_t r1 = std::min(rows, r0 + kTile);
                     for (int64_t c = c0; c < c1; ++c) {
                       for (int64_t r = r0; r < r1; ++r) dst[c * rows + r] = src[r * cols + c];
                     }
                   }
                 }
               });
}

template <class T>
void index_select(const T* x, int64_t outer, int64_t size, int64_t inner, const int64_t* index, int64_t count, T* out) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t j = 0; j < count; ++j) {
      std::memcpy(out + (o * count + j) * inner, x + (o * size + index[j]) * inner, static_cast<size_t>(inner) * sizeof(T));
    }
  }
}

template <class T>
void index_add(const T* src, int64_t outer, int64_t size, int64_t inner, const int64_t* index, int64_t count, T* out) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t j = 0; j < count; ++j) {
      const T* s = src + (o * count + j) * inner;
      T* d = out + (o * size + index[j]) * inner;
      for (int64_t i = 0; i < inner; ++i) d[i] += s[i];
    }
  }
}
namespace {

// Calls visit(r, position) for every row r of the view (sizes, strides) in row-major order,
// position being the element offset of the row's first element, on several threads (unless
// rows may collide): each task finds its first row's position from the row's index, then
// steps the index like an odometer over the outer dimensions.
enum class Rows { Parallel, InOrder };
template <class Visit>
void for_each_strided_row(const Shape& sizes, const Strides& strides, Rows rows, Visit&& visit) {
  const int rank = sizes.dim();
  const int64_t row = sizes[rank - 1], count = sizes.numel() / row;
  const int64_t grain = rows == Rows::InOrder ? count : std::max<int64_t>(1, grain_for(1) / row);
  parallel_for(count, grain, [&](int64_t first, int64_t last) {
    std::array<int64_t, Shape::kMaxDims> index{};
    int64_t position = 0;
    for (int64_t r = first, d = rank - 2; d >= 0; --d) {
      index[d] = r % sizes[d];
      r /= sizes[d];
      position += index[d] * strides[d];
    }
    for (int64_t r = first; r < last; ++r) {
      visit(r, position);
      for (int d = rank - 2; d >= 0; --d) {  // the next row's index
        position += strides[d];
        if (++index[d] < sizes[d]) break;
        position -= index[d] * strides[d];
        index[d] = 0;
      }
    }
  });
}

// True if the view is a batch of contiguous matrices with its last two dimensions swapped
// (x.t(), x.transpose(-2, -1)): sizes [..., R, C], strides [..., 1, R], the rest row-major.
bool is_transposed_batch(const Shape& sizes, const Strides& strides) {
  const int rank = sizes.dim();
  if (rank < 2 || strides[rank - 2] != 1 || strides[rank - 1] != sizes[rank - 2]) return false;
  int64_t expected = sizes[rank - 2] * sizes[rank - 1];
  for (int d = rank - 3; d >= 0; --d) {
    if (sizes[d] != 1 && strides[d] != expected) return false;
    expected *= sizes[d];
  }
  return true;
}

// Copies between a strided view and a packed buffer, row by row: into the packed buffer
// (kToPacked, gathering) or out of it (scattering). A row whose stride is 1 is one memcpy.
template <bool kToPacked, class T>
void copy_strided(const T* from, const Shape& sizes, const Strides& strides, T* to) {
  if (sizes.dim() == 0) {
    to[0] = from[0];
    return;
  }
  if (sizes.numel() == 0) return;
  const int64_t row = sizes.back(), step = strides.back();
  for_each_strided_row(sizes, strides, Rows::Parallel, [&](int64_t r, int64_t position) {
    const int64_t packed = r * row;
    T* dst = to + (kToPacked ? packed : position);
    const T* src = from + (kToPacked ? position : packed);
    if (step == 1) {
      std::memcpy(dst, src, static_cast<size_t>(row) * sizeof(T));
    } else if (kToPacked) {
      for (int64_t i = 0; i < row; ++i) dst[i] = src[i * step];
    } else {
      for (int64_t i = 0; i < row; ++i) dst[i * step] = src[i];
    }
  });
}

}  // namespace

template <class T>
void gather_strided(const T* x, const Shape& sizes, const Strides& strides, T* out) {
  if (sizes.numel() > 0 && is_transposed_batch(sizes, strides)) {  // tiles: whole cache lines read and written, not one element per line
    const int64_t rows = sizes[sizes.dim() - 2], cols = sizes[sizes.dim() - 1];
    transpose(x, sizes.numel() / (rows * cols), cols, rows, out);
    return;
  }
  copy_strided<true>(x, sizes, strides, out);
}

template <class T>
void scatter_strided(const T* x, const Shape& sizes, const Strides& strides, T* out) {
  copy_strided<false>(x, sizes, strides, out);
}

// Sums in order, on one thread: where the view overlaps itself (stride 0, unfold's windows),
// several elements of x add into one element of out.
template <class T>
void scatter_add_strided(const T* x, const Shape& sizes, const Strides& strides, T* out) {
  if (sizes.dim() == 0) {
    out[0] += x[0];
    return;
  }
  if (sizes.numel() == 0) return;
  const int64_t row = sizes.back(), step = strides.back();
  for_each_strided_row(sizes, strides, Rows::InOrder, [&](int64_t r, int64_t position) {
    const T* src = x + r * row;
    T* dst = out + position;
    for (int64_t i = 0; i < row; ++i) dst[i * step] += src[i];
  });
}

#define NABLA_INSTANTIATE(T)                                                                          \
  template void transpose<T>(const T*, int64_t, int64_t, int64_t, T*);                                \
  template void index_select<T>(const T*, int64_t, int64_t, int64_t, const int64_t*, int64_t, T*);    \
  template void index_add<T>(const T*, int64_t, int64_t, int64_t, const int64_t*, int64_t, T*);    \
  template void gather_strided<T>(const T*, const Shape&, const Strides&, T*);                      \
  template void scatter_strided<T>(const T*, const Shape&, const Strides&, T*);                     \
  template void scatter_add_strided<T>(const T*, const Shape&, const Strides&, T*);
NABLA_INSTANTIATE(float)
NABLA_INSTANTIATE(double)
NABLA_INSTANTIATE(int64_t)
#undef NABLA_INSTANTIATE

}  // namespace nabla::kernels
