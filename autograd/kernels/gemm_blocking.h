#pragma once
// The block sizes gemm() uses on this machine (see gemm.cpp for what each one is and why).
// Exposed so that the tests can pick sizes that cross every block boundary and the benchmark
// can print them; gemm() itself needs nothing from here.
#include <cstdint>

namespace nabla::kernels {

struct GemmBlocking {
  int vector_bytes;  // width of the SIMD registers the kernel was compiled for
  int mr, nr;        // rows x columns of C held in registers by the micro-kernel
  int64_t kc;        // depth of one block (a KC x NR panel of B stays in the L1 cache)
  int64_t mc;        // rows of one packed block of A (MC x KC stays in the L2 cache)
  int64_t nc;        // columns of one packed block of B (KC x NC stays in the L3 cache)
  int64_t threading_threshold;  // M N K below this runs on one thread
  int copy_panels;              // panels a row-copying pack fills in one pass over the rows
};

// Computed once, from the cache sizes the operating system reports (safe defaults otherwise).
template <class T>
const GemmBlocking& gemm_blocking();

}  // namespace nabla::kernels
