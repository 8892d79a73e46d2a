#include "autograd/kernels/gemm.h"

#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include "autograd/kernels/gemm_blocking.h"
#include "autograd/kernels/parallel.h"

// C (+)= op(A) op(B) the way fast BLAS libraries do it (Goto & van de Geijn, "Anatomy of
// high-performance matrix multiplication"; BLIS and OpenBLAS are built the same way).
//
// The arithmetic happens in a micro-kernel that keeps an MR x NR tile of C in registers and,
// for each k, loads NR values of B as vectors, broadcasts each of MR values of A and does
// MR x NR/lanes fused multiply-adds: 2 vector loads feed 12 FMAs (AVX2), so the loads never
// limit the speed. Everything around the micro-kernel only makes sure its operands come from
// the fastest cache possible, by cutting the matrices into blocks:
//
//   for jc in steps of NC over the columns of C:
//     for pc in steps of KC over the depth:
//       pack B[pc:pc+KC, jc:jc+NC] into panels of NR columns   (KC x NC: lives in L3)
//       for ic in steps of MC over the rows of C:
//         pack A[ic:ic+MC, pc:pc+KC] into panels of MR rows    (MC x KC: lives in L2)
//         for each NR-column panel of B:                       (KC x NR: lives in L1)
//           for each MR-row panel of A:
//             micro-kernel: C[MR x NR] += A panel (MR x KC) * B panel (KC x NR)
//
// Packing copies a block into the exact order the micro-kernel reads it (k-major, MR or NR
// values per k), contiguous and zero-padded to whole panels, so the kernel's inner loop has
// no strides, no transposes and no edge cases; only its write-back to C knows about edges.
// An operand whose rows run along k (A as stored, B stored transposed) is packed L x L
// blocks at a time (8 x 8 floats with AVX2): L vector loads, a transpose in registers, L
// stores. The other layout is a plain copy of rows, 8 panels per pass over them.
//
// Block sizes, after BLIS's analysis (its Zen 3 configuration, bli_cntx_init_zen3.c, uses
// 6 x 16 tiles, KC 256, MC 144, NC 4080 for float; its Skylake-X kernel is 32 x 12 in its
// column-major terms, our 12 x 32):
//   MR x NR: as many accumulators as the registers allow, leaving room for the B vectors and
//            the broadcast: 6 x 2 vectors with 16 vector registers (AVX2, SSE), 12 x 2 with 32
//            (AVX-512, NEON).
//   KC:      one KC x NR panel of B is reused by every A panel of the block: it should fill
//            about half of the L1 cache (the rest streams A through). 256 for float on AVX2,
//            128 with AVX-512's twice wider panels.
//   MC:      the MC x KC block of A is reused by every B panel: about half of L2.
//   NC:      the KC x NC block of B is reused by every block of A: a share of L3, capped (a
//            larger NC saves nothing once packing is amortised).
// The cache sizes come from sysconf at start-up, with common sizes as defaults. A dimension
// a little over a block is cut into equal blocks (balanced_block), not a full one and a sliver.
//
// Threads: C is cut into a grid of row_parts x col_parts tiles, one per thread, and each thread
// runs the whole scheme above on its tile with its own packed copies, so threads never wait
// for each other and packing is parallel too. The grid is chosen per shape (choose_split).
//
// The vectors are GCC/Clang vector extensions sized to the widest registers the compiler
// targets, so the same code compiles to AVX-512, AVX2, SSE or NEON instructions.

namespace nabla::kernels {
namespace {

// NABLA_GEMM_VECTOR_BYTES / _REGISTERS override the choice, so that the AVX-512 layout (12 x 32
// tiles) can be tested on a machine without AVX-512: the compiler then splits each vector.
#if defined(NABLA_GEMM_VECTOR_BYTES)
constexpr int kVectorBytes = NABLA_GEMM_VECTOR_BYTES;
#elif defined(__AVX512F__)
constexpr int kVectorBytes = 64;
#elif defined(__AVX__)
constexpr int kVectorBytes = 32;
#else
constexpr int kVectorBytes = 16;  // SSE2, NEON
#endif

#if defined(NABLA_GEMM_VECTOR_REGISTERS)
constexpr int kVectorRegisters = NABLA_GEMM_VECTOR_REGISTERS;
#elif defined(__AVX512F__) || defined(__aarch64__)
constexpr int kVectorRegisters = 32;
#else
constexpr int kVectorRegisters = 16;
#endif

// The attribute must name a concrete type (on a template parameter it is ignored).
typedef float FloatVec __attribute__((vector_size(kVectorBytes)));
typedef double DoubleVec __attribute__((vector_size(kVectorBytes)));

template <class T>
struct Tile {
  using Vec = std::conditional_t<std::is_same_v<T, float>, FloatVec, DoubleVec>;
  static constexpr int kLanes = kVectorBytes / sizeof(T);
  static constexpr int MR = kVectorRegisters == 32 ? 12 : 6;  // rows of C per micro-kernel
  static constexpr int NR = 2 * kLanes;                        // columns of C per micro-kernel
};

// Panels packed in one pass by pack_copying: 8 panels of W columns, so that each row of the
// source is read as one contiguous run (512 bytes for B's 16-float panels with AVX2) rather
// than W values at a time. With a power-of-two row length (n = 1024, 2048) the rows are 4 KB
// apart; visiting each row once per panel took 5% of an SGEMM at n = 1024 (perf), once per 8
// panels 2 to 3%. Eight write streams (one per panel) still fit the L1 cache's 8 ways even when
// the panels are a power of two apart.
constexpr int kPanelsPerCopy = 8;

// Below this many multiply-adds per thread, another thread costs more than it saves.
constexpr int64_t kWorkPerThread = int64_t{1} << 17;

int64_t cache_size(int level) {
  long bytes = -1;
#if defined(_SC_LEVEL1_DCACHE_SIZE) && defined(_SC_LEVEL2_CACHE_SIZE) && defined(_SC_LEVEL3_CACHE_SIZE)
  bytes = sysconf(level == 1 ? _SC_LEVEL1_DCACHE_SIZE : level == 2 ? _SC_LEVEL2_CACHE_SIZE : _SC_LEVEL3_CACHE_SIZE);
#endif
  constexpr int64_t kDefaults[] = {0, 32 << 10, 256 << 10, 2 << 20};  // at least this on x86 and ARM since ~2010
  return bytes > 0 ? bytes : kDefaults[level];
}

int64_t round_down(int64_t value, int64_t multiple, int64_t at_least) {
  return std::max(at_least, value / multiple * multiple);
}

// KC: a KC x NR panel of B in half of L1. MC: an MC x KC block of A in half of L2. NC: a
// KC x NC block of B in a quarter of L3 (shared with the other cores). The caps keep the
// packing buffers small where a larger block would gain nothing (the per-block costs are
// already a few percent), and guard against caches reported absurdly large.
template <class T>
GemmBlocking compute_blocking() {
  using Tl = Tile<T>;
  const int64_t l1 = cache_size(1), l2 = cache_size(2), l3 = cache_size(3);
  const int64_t kc = std::min<int64_t>(512, round_down(l1 / 2 / (Tl::NR * sizeof(T)), Tl::kLanes, 64));
  const int64_t mc = std::min<int64_t>(510, round_down(l2 / 2 / (kc * sizeof(T)), Tl::MR, Tl::MR));
  const int64_t nc = std::min<int64_t>(4096 / Tl::NR * Tl::NR, round_down(l3 / 4 / (kc * sizeof(T)), Tl::NR, Tl::NR));
  return {kVectorBytes, Tl::MR, Tl::NR, kc, mc, nc, 2 * kWorkPerThread, kPanelsPerCopy};
}

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// The block size that cuts `extent` into as few blocks as `largest` allows, all about equal
// (a multiple of `multiple`): K = 784 with KC = 256 becomes 4 blocks of 200, 200, 200, 184
// rather than 256, 256, 256, 16, whose last thin block would cost a whole pass over C.
int64_t balanced_block(int64_t extent, int64_t largest, int64_t multiple) {
  const int64_t blocks = ceil_div(extent, largest);
  return std::min(largest, ceil_div(ceil_div(extent, blocks), multiple) * multiple);
}

// --- Packing ----------------------------------------------------------------------------------

template <class Vec, int H, size_t... J>
inline void swap_off_diagonal_blocks(Vec& x, Vec& y, std::index_sequence<J...>) {
  constexpr int L = sizeof...(J);
  // Lanes whose index has bit H set trade places: x takes y's lower half of each 2H group.
  const Vec new_x = __builtin_shufflevector(x, y, ((J & H) ? int(J) - H + L : int(J))...);
  const Vec new_y = __builtin_shufflevector(x, y, ((J & H) ? int(J) + L : int(J) + H)...);
  x = new_x;
  y = new_y;
}

// Transposes the L x L matrix held in L vectors: swap the two off-diagonal H x H blocks of
// every 2H x 2H block, for H = L/2, L/4, ..., 1 (log2 L rounds of shuffles).
template <int H, class Vec, int L>
inline void transpose_in_registers(Vec (&rows)[L]) {
  if constexpr (H >= 1) {
    for (int i = 0; i < L; ++i) {
      if ((i & H) == 0) swap_off_diagonal_blocks<Vec, H>(rows[i], rows[i + H], std::make_index_sequence<L>{});
    }
    transpose_in_registers<H / 2>(rows);
  }
}

// out[Begin + j] = v[Begin + j] for the lanes j in J, as one store of a sub-vector.
template <int Begin, class T, class Vec, size_t... J>
inline void store_lanes(T* out, const Vec& v, std::index_sequence<J...>) {
  const auto part = __builtin_shufflevector(v, v, (Begin + int(J))...);
  std::memcpy(out + Begin, &part, sizeof(part));
}

// out[0, N) = the first N lanes of v, in power-of-two pieces (6 = 4 + 2). A memcpy of N lanes
// would do the same, but compilers send a vector that is not stored whole through the stack.
template <int N, int Begin = 0, class T, class Vec>
inline void store_first_lanes(T* out, const Vec& v) {
  if constexpr (N > Begin) {
    constexpr int piece = static_cast<int>(std::bit_floor(static_cast<unsigned>(N - Begin)));
    store_lanes<Begin>(out, v, std::make_index_sequence<piece>{});
    store_first_lanes<N, Begin + piece>(out, v);
  }
}

// Rows [R0, R0 + L) of a W-row panel at depths [k, k + L): L vector loads, a transpose in
// registers, and L stores of the (up to L) values that belong to the panel; then the next group
// of L rows. Rows past `rows` (the edge of the matrix) and past W read as zero.
template <class T, int W, int R0>
inline void transpose_rows_into_panel(const T* src, int64_t ld, int rows, int64_t k, T* out) {
  using Vec = typename Tile<T>::Vec;
  constexpr int L = Tile<T>::kLanes;
  constexpr int kWidth = std::min(L, W - R0);  // W need not be a multiple of L (MR = 6)
  Vec block[L];
  if (rows == W) {  // a whole panel, the common case: no test per row
#pragma GCC unroll 16
    for (int i = 0; i < L; ++i) {
      block[i] = Vec{};
      if (i < kWidth) std::memcpy(&block[i], src + (R0 + i) * ld + k, sizeof(Vec));
    }
  } else {
#pragma GCC unroll 16
    for (int i = 0; i < L; ++i) {
      block[i] = Vec{};
      if (i < kWidth && R0 + i < rows) std::memcpy(&block[i], src + (R0 + i) * ld + k, sizeof(Vec));
    }
  }
  transpose_in_registers<L / 2>(block);
#pragma GCC unroll 16
  for (int i = 0; i < L; ++i) store_first_lanes<kWidth>(out + (k + i) * W + R0, block[i]);
  if constexpr (R0 + L < W) transpose_rows_into_panel<T, W, R0 + L>(src, ld, rows, k, out);
}

// out[k * W + r] = src[r * ld + k] for k < kc, r < W (zero for rows <= r < W): rows of the
// source become columns of the panel. Used for A as stored and for B stored transposed.
template <class T, int W>
void pack_transposing(const T* src, int64_t ld, int rows, int64_t kc, T* out) {
  constexpr int L = Tile<T>::kLanes;
  int64_t k = 0;
  for (; k + L <= kc; k += L) transpose_rows_into_panel<T, W, 0>(src, ld, rows, k, out);
  for (; k < kc; ++k) {
    for (int r = 0; r < W; ++r) out[k * W + r] = r < rows ? src[r * ld + k] : T(0);
  }
}

// out[p * W * kc + k * W + c] = src[k * ld + p * W + c] for k < kc and the panels p that
// cover `cols` columns (at most kPanelsPerCopy), zero past `cols`: a plain copy of rows,
// split into W-wide panels. Used for B as stored and for A stored transposed.
template <class T, int W>
void pack_copying(const T* src, int64_t ld, int64_t cols, int64_t kc, T* out) {
  const int64_t full_panels = cols / W;
  const int rest = static_cast<int>(cols % W);
  for (int64_t k = 0; k < kc; ++k) {
    const T* row = src + k * ld;
    for (int64_t p = 0; p < full_panels; ++p) std::memcpy(out + p * W * kc + k * W, row + p * W, W * sizeof(T));
    if (rest != 0) {
      T* last = out + full_panels * W * kc + k * W;
      std::memcpy(last, row + full_panels * W, rest * sizeof(T));
      std::fill(last + rest, last + W, T(0));
    }
  }
}

template <class T>
struct Operand {
  const T* data;
  bool transposed;
  int64_t ld;  // row length of the stored matrix
};

// The panels of W lines (A's rows or B's columns) `first`..`first + extent` over the depth
// `depth0`..`depth0 + kc`, each k-major: panel[k * W + line]. A line runs along the stored
// rows (A stored transposed, B as stored: copy the rows) or across them (A as stored, B
// stored transposed: transpose). A and B are packed alike; only which layout is which differs.
template <class T, int W>
void pack_panels(const T* data, int64_t ld, bool lines_along_rows, int64_t depth0, int64_t first, int64_t extent,
                 int64_t kc, T* out) {
  if (lines_along_rows) {
    for (int64_t i = 0; i < extent; i += kPanelsPerCopy * W, out += kPanelsPerCopy * W * kc) {
      pack_copying<T, W>(data + depth0 * ld + first + i, ld, std::min<int64_t>(kPanelsPerCopy * W, extent - i), kc, out);
    }
    return;
  }
  for (int64_t i = 0; i < extent; i += W, out += W * kc) {
    pack_transposing<T, W>(data + (first + i) * ld + depth0, ld, static_cast<int>(std::min<int64_t>(W, extent - i)),
                           kc, out);
  }
}

// op(A)[ic:ic+mc, pc:pc+kc] -> panels of MR rows, each k-major: panel[k * MR + r].
template <class T>
void pack_a(const Operand<T>& a, int64_t ic, int64_t pc, int64_t mc, int64_t kc, T* out) {
  pack_panels<T, Tile<T>::MR>(a.data, a.ld, a.transposed, pc, ic, mc, kc, out);
}

// op(B)[pc:pc+kc, jc:jc+nc] -> panels of NR columns, each k-major: panel[k * NR + c].
template <class T>
void pack_b(const Operand<T>& b, int64_t pc, int64_t jc, int64_t nc, int64_t kc, T* out) {
  pack_panels<T, Tile<T>::NR>(b.data, b.ld, !b.transposed, pc, jc, nc, kc, out);
}

// --- Micro-kernel -----------------------------------------------------------------------------

// C[0:rows, 0:cols] (+)= A panel (MR x kc) * B panel (kc x NR); `overwrite` stores instead of
// adding (the first block of the depth when not accumulating). The k loop always computes a
// whole MR x NR tile (the panels are zero-padded): only the write-back looks at rows and cols.
template <class T>
void micro_kernel(int64_t kc, const T* __restrict a, const T* __restrict b, T* __restrict c, int64_t ldc, int rows,
                  int cols, bool overwrite) {
  using Vec = typename Tile<T>::Vec;
  constexpr int MR = Tile<T>::MR, NR = Tile<T>::NR, L = Tile<T>::kLanes, V = NR / L;
  for (int r = 0; r < rows; ++r) {  // C is needed only at the end: start fetching it now
    __builtin_prefetch(c + r * ldc, 1);
    __builtin_prefetch(c + r * ldc + NR - 1, 1);
  }
  Vec acc[MR][V] = {};
#pragma GCC unroll 4
  for (int64_t k = 0; k < kc; ++k) {
    Vec bk[V];
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v) std::memcpy(&bk[v], b + k * NR + v * L, sizeof(Vec));
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
      const T ar = a[k * MR + r];
#pragma GCC unroll 4
      for (int v = 0; v < V; ++v) acc[r][v] += ar * bk[v];
    }
  }
  // The loops over acc are unrolled so that it stays in registers (an indexed acc lives in memory).
  if (rows == MR && cols == NR) {
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
#pragma GCC unroll 4
      for (int v = 0; v < V; ++v) {
        Vec out = acc[r][v];
        if (!overwrite) {
          Vec old;
          std::memcpy(&old, c + r * ldc + v * L, sizeof(Vec));
          out += old;
        }
        std::memcpy(c + r * ldc + v * L, &out, sizeof(Vec));
      }
    }
    return;
  }
  alignas(64) T tile[MR][NR];
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r) {
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v) {
      const Vec sums = acc[r][v];
      std::memcpy(&tile[r][v * L], &sums, sizeof(Vec));
    }
  }
  for (int r = 0; r < rows; ++r) {
    for (int j = 0; j < cols; ++j) c[r * ldc + j] = overwrite ? tile[r][j] : c[r * ldc + j] + tile[r][j];
  }
}

// --- Blocked loops ----------------------------------------------------------------------------

template <class T>
struct AlignedBuffer {
  std::unique_ptr<T[], void (*)(void*)> data{nullptr, std::free};
  size_t capacity = 0;
  T* get(size_t n) {
    if (n > capacity) {
      data.reset(static_cast<T*>(std::aligned_alloc(64, (n * sizeof(T) + 63) / 64 * 64)));
      if (!data) throw std::bad_alloc();
      capacity = n;
    }
    return data.get();
  }
};

// C[m0:m1, n0:n1] (+)= op(A)[m0:m1, :] op(B)[:, n0:n1] with the blocked loops described at the
// top; each thread has its own packing buffers (kept between calls: no allocation per step).
template <class T>
void gemm_tile(const Operand<T>& a, const Operand<T>& b, T* C, int64_t ldc, int64_t m0, int64_t m1, int64_t n0,
               int64_t n1, int64_t K, bool accumulate) {
  constexpr int MR = Tile<T>::MR, NR = Tile<T>::NR;
  const GemmBlocking& blocks = gemm_blocking<T>();
  const int64_t NC = balanced_block(n1 - n0, blocks.nc, NR);
  const int64_t KC = balanced_block(K, blocks.kc, Tile<T>::kLanes);
  const int64_t MC = balanced_block(m1 - m0, blocks.mc, MR);
  thread_local AlignedBuffer<T> a_buffer, b_buffer;
  for (int64_t jc = n0; jc < n1; jc += NC) {
    const int64_t nc = std::min(NC, n1 - jc);
    for (int64_t pc = 0; pc < K; pc += KC) {
      const int64_t kc = std::min(KC, K - pc);
      const bool overwrite = !accumulate && pc == 0;
      T* packed_b = b_buffer.get(ceil_div(nc, NR) * NR * kc);
      pack_b(b, pc, jc, nc, kc, packed_b);
      for (int64_t ic = m0; ic < m1; ic += MC) {
        const int64_t mc = std::min(MC, m1 - ic);
        T* packed_a = a_buffer.get(ceil_div(mc, MR) * MR * kc);
        pack_a(a, ic, pc, mc, kc, packed_a);
        for (int64_t j = 0; j < nc; j += NR) {
          const int cols = static_cast<int>(std::min<int64_t>(NR, nc - j));
          for (int64_t i = 0; i < mc; i += MR) {
            micro_kernel(kc, packed_a + i * kc, packed_b + j * kc, C + (ic + i) * ldc + jc + j, ldc,
                         static_cast<int>(std::min<int64_t>(MR, mc - i)), cols, overwrite);
          }
        }
      }
    }
  }
}

// How `threads` threads share C: a grid of row_parts x col_parts tiles, cut at whole panels.
// Each thread packs the A rows and B columns of its own tile, so a grid packs A col_parts
// times and B row_parts times in all; the best grid keeps the busiest thread's work
// (multiply-adds, plus packing, which costs about as much per element as a few
// multiply-adds) smallest. Square matrices split either way; a wide, short C (a Dense layer's
// forward at batch 64) splits its columns.
struct Split {
  int row_parts = 1, col_parts = 1;
};

template <class T>
Split choose_split(int64_t M, int64_t N, int64_t K, int threads) {
  constexpr int MR = Tile<T>::MR, NR = Tile<T>::NR;
  constexpr double kPackCost = 4;  // multiply-adds' worth of time per packed element
  const int64_t nc = gemm_blocking<T>().nc;
  const int64_t row_panels = ceil_div(M, MR), col_panels = ceil_div(N, NR);
  Split best;
  double best_cost = std::numeric_limits<double>::infinity();
  for (int row_parts = 1; row_parts <= threads; ++row_parts) {
    if (threads % row_parts != 0) continue;
    const int col_parts = threads / row_parts;
    if (row_parts > row_panels || col_parts > col_panels) continue;
    const double rows = static_cast<double>(ceil_div(row_panels, row_parts) * MR);
    const double cols = static_cast<double>(ceil_div(col_panels, col_parts) * NR);
    const double cost = rows * cols * K + kPackCost * K * (cols + rows * ceil_div(static_cast<int64_t>(cols), nc));
    if (cost < best_cost) best_cost = cost, best = {row_parts, col_parts};
  }
  return best;
}

}  // namespace

template <class T>
const GemmBlocking& gemm_blocking() {
  static const GemmBlocking blocking = compute_blocking<T>();
  return blocking;
}

template <class T>
void gemm(bool transpose_a, bool transpose_b, int64_t M, int64_t N, int64_t K, const T* A, const T* B, T* C,
          bool accumulate) {
  if (M == 0 || N == 0) return;
  if (K == 0) {
    if (!accumulate) std::fill(C, C + M * N, T(0));
    return;
  }
  constexpr int MR = Tile<T>::MR, NR = Tile<T>::NR;
  const Operand<T> a{A, transpose_a, transpose_a ? M : K};
  const Operand<T> b{B, transpose_b, transpose_b ? K : N};
  const int64_t work = M * N * K;
  int threads = static_cast<int>(std::min<int64_t>(get_num_threads(), std::max<int64_t>(1, work / kWorkPerThread)));
  Split split;
  // A thread count the shape cannot use (3 threads, 2 panels) falls back to fewer threads.
  for (; threads > 1; --threads) {
    split = choose_split<T>(M, N, K, threads);
    if (split.row_parts * split.col_parts == threads) break;
  }
  if (threads <= 1) {
    gemm_tile(a, b, C, N, 0, M, 0, N, K, accumulate);
    return;
  }
  const int64_t row_panels = ceil_div(M, MR), col_panels = ceil_div(N, NR);
  parallel_for(threads, 1, [&](int64_t first, int64_t last) {
    for (int64_t t = first; t < last; ++t) {
      const int64_t row_part = t / split.col_parts, col_part = t % split.col_parts;
      const int64_t m0 = row_panels * row_part / split.row_parts * MR;
      const int64_t m1 = std::min(M, row_panels * (row_part + 1) / split.row_parts * MR);
      const int64_t n0 = col_panels * col_part / split.col_parts * NR;
      const int64_t n1 = std::min(N, col_panels * (col_part + 1) / split.col_parts * NR);
      gemm_tile(a, b, C, N, m0, m1, n0, n1, K, accumulate);
    }
  });
}

template const GemmBlocking& gemm_blocking<float>();
template const GemmBlocking& gemm_blocking<double>();
template void gemm<float>(bool, bool, int64_t, int64_t, int64_t, const float*, const float*, float*, bool);
template void gemm<double>(bool, bool, int64_t, int64_t, int64_t, const double*, const double*, double*, bool);

}  // namespace nabla::kernels
