#include "autograd/kernels/gemm.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <type_traits>
#include <vector>

#include "autograd/kernels/parallel.h"

// The classic blocked scheme (Goto & van de Geijn): copy a block of B and a block of A
// into small contiguous panels, then let a register-tiled micro-kernel multiply an
// MR x KC panel of A by a KC x NR panel of B with every partial sum held in registers.
// The vectors are GCC/Clang vector extensions sized to the widest registers the compiler
// targets, so the same code runs on AVX-512, AVX2, SSE and NEON.

namespace nabla::kernels {
namespace {

#if defined(__AVX512F__)
constexpr int kVectorBytes = 64;
#elif defined(__AVX__)
constexpr int kVectorBytes = 32;
#else
constexpr int kVectorBytes = 16;
#endif

// The attribute must name a concrete type (on a template parameter it is ignored).
typedef float FloatVec __attribute__((vector_size(kVectorBytes)));
typedef double DoubleVec __attribute__((vector_size(kVectorBytes)));

template <class T>
struct Tile {
  using Vec = std::conditional_t<std::is_same_v<T, float>, FloatVec, DoubleVec>;
  static constexpr int kLanes = kVectorBytes / sizeof(T);
  static constexpr int MR = 6;            // rows of C per micro-kernel
  static constexpr int NR = 2 * kLanes;   // columns of C per micro-kernel
  static constexpr int KC = 256;          // depth of one block
  static constexpr int MC = 20 * MR;      // rows of A per block
  static constexpr int NC = 64 * NR;      // columns of B per block
};

template <class T>
struct Operand {
  const T* data;
  bool transposed;
  int64_t ld;  // row length of the stored matrix
  T at(int64_t row, int64_t col) const { return transposed ? data[col * ld + row] : data[row * ld + col]; }
};

// A[ic:ic+mc, pc:pc+kc] -> panels of MR rows, each stored k-major: panel[k * MR + r].
template <class T>
void pack_a(const Operand<T>& a, int64_t ic, int64_t pc, int64_t mc, int64_t kc, T* out) {
  constexpr int MR = Tile<T>::MR;
  for (int64_t i = 0; i < mc; i += MR) {
    const int64_t rows = std::min<int64_t>(MR, mc - i);
    for (int64_t k = 0; k < kc; ++k) {
      for (int64_t r = 0; r < MR; ++r) out[k * MR + r] = r < rows ? a.at(ic + i + r, pc + k) : T(0);
    }
    out += kc * MR;
  }
}

// B[pc:pc+kc, jc+j : jc+j+NR] -> one panel stored k-major: panel[k * NR + c].
template <class T>
void pack_b_panel(const Operand<T>& b, int64_t pc, int64_t col0, int64_t cols, int64_t kc, T* out) {
  constexpr int NR = Tile<T>::NR;
  if (!b.transposed && cols == NR) {
    for (int64_t k = 0; k < kc; ++k) std::memcpy(out + k * NR, b.data + (pc + k) * b.ld + col0, NR * sizeof(T));
    return;
  }
  for (int64_t k = 0; k < kc; ++k) {
    for (int64_t c = 0; c < NR; ++c) out[k * NR + c] = c < cols ? b.at(pc + k, col0 + c) : T(0);
  }
}

// C[0:rows, 0:cols] += packed A panel (MR x kc) * packed B panel (kc x NR).
template <class T>
void micro_kernel(int64_t kc, const T* a, const T* b, T* c, int64_t ldc, int64_t rows, int64_t cols) {
  using Vec = typename Tile<T>::Vec;
  constexpr int MR = Tile<T>::MR, NR = Tile<T>::NR, L = Tile<T>::kLanes;
  Vec acc[MR][2] = {};
  for (int64_t k = 0; k < kc; ++k) {
    Vec b0, b1;
    std::memcpy(&b0, b + k * NR, sizeof(Vec));
    std::memcpy(&b1, b + k * NR + L, sizeof(Vec));
    for (int r = 0; r < MR; ++r) {
      const T ar = a[k * MR + r];
      acc[r][0] += ar * b0;
      acc[r][1] += ar * b1;
    }
  }
  if (rows == MR && cols == NR) {
    for (int r = 0; r < MR; ++r) {
      Vec c0, c1;
      std::memcpy(&c0, c + r * ldc, sizeof(Vec));
      std::memcpy(&c1, c + r * ldc + L, sizeof(Vec));
      c0 += acc[r][0];
      c1 += acc[r][1];
      std::memcpy(c + r * ldc, &c0, sizeof(Vec));
      std::memcpy(c + r * ldc + L, &c1, sizeof(Vec));
    }
    return;
  }
  alignas(64) T tile[MR][NR];
  std::memcpy(tile, acc, sizeof(tile));
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t j = 0; j < cols; ++j) c[r * ldc + j] += tile[r][j];
  }
}

template <class T>
struct AlignedBuffer {
  std::unique_ptr<T[], void (*)(void*)> data{nullptr, std::free};
  size_t capacity = 0;
  T* get(size_t n) {
    if (n > capacity) {
      data.reset(static_cast<T*>(std::aligned_alloc(64, (n * sizeof(T) + 63) / 64 * 64)));
      capacity = n;
    }
    return data.get();
  }
};

}  // namespace

template <class T>
void gemm(bool transpose_a, bool transpose_b, int64_t M, int64_t N, int64_t K, const T* A, const T* B, T* C,
          bool accumulate) {
  using Tl = Tile<T>;
  constexpr int MR = Tl::MR, NR = Tl::NR, KC = Tl::KC, MC = Tl::MC, NC = Tl::NC;
  if (!accumulate) std::fill(C, C + M * N, T(0));
  if (M == 0 || N == 0 || K == 0) return;
  const Operand<T> a{A, transpose_a, transpose_a ? M : K};
  const Operand<T> b{B, transpose_b, transpose_b ? K : N};

  thread_local AlignedBuffer<T> a_buffer, b_buffer;
  const bool big = M * N * K >= (int64_t{1} << 18);
  for (int64_t jc = 0; jc < N; jc += NC) {
    const int64_t nc = std::min<int64_t>(NC, N - jc);
    const int64_t panels = (nc + NR - 1) / NR;
    for (int64_t pc = 0; pc < K; pc += KC) {
      const int64_t kc = std::min<int64_t>(KC, K - pc);
      T* packed_b = b_buffer.get(panels * kc * NR);
      parallel_for(panels, big ? 1 : panels, [&](int64_t p0, int64_t p1) {
        for (int64_t p = p0; p < p1; ++p) {
          pack_b_panel(b, pc, jc + p * NR, std::min<int64_t>(NR, nc - p * NR), kc, packed_b + p * kc * NR);
        }
      });
      for (int64_t ic = 0; ic < M; ic += MC) {
        const int64_t mc = std::min<int64_t>(MC, M - ic);
        T* packed_a = a_buffer.get(((mc + MR - 1) / MR) * MR * kc);
        pack_a(a, ic, pc, mc, kc, packed_a);
        parallel_for(panels, big ? 1 : panels, [&](int64_t p0, int64_t p1) {
          for (int64_t p = p0; p < p1; ++p) {
            const int64_t col = p * NR;
            const int64_t cols = std::min<int64_t>(NR, nc - col);
            for (int64_t i = 0; i < mc; i += MR) {
              micro_kernel(kc, packed_a + i * kc, packed_b + p * kc * NR, C + (ic + i) * N + jc + col, N,
                           std::min<int64_t>(MR, mc - i), cols);
            }
          }
        });
      }
    }
  }
}

template void gemm<float>(bool, bool, int64_t, int64_t, int64_t, const float*, const float*, float*, bool);
template void gemm<double>(bool, bool, int64_t, int64_t, int64_t, const double*, const double*, double*, bool);

}  // namespace nabla::kernels
