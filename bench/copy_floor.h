#pragma once
// A plain copy of n float32 values: the floor that memory-bound kernels are measured against.
#include <benchmark/benchmark.h>

#include <cstring>

#include "autograd/autograd.h"

namespace nabla::bench {

inline void copy_floor(benchmark::State& state, int64_t n) {
  const Tensor x = randn({n});
  Tensor y = empty({n});
  for (auto _ : state) {
    std::memcpy(y.raw_data(), x.raw_data(), static_cast<size_t>(n) * sizeof(float));
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * static_cast<int64_t>(sizeof(float)) * 2);
}

}  // namespace nabla::bench
