#pragma once
// A small fixed pool of threads for loops big enough to be worth splitting. The split is a
// pure function of the range and the thread count, so results are the same run to run.
#include <cstdint>
#include <functional>
#include <utility>

namespace nabla {

inline constexpr int kMaxThreads = 256;
// n in [1, kMaxThreads], else std::invalid_argument. The default is $NABLA_NUM_THREADS (a bad
// value is an std::invalid_argument from the first parallel loop), else the number of cores.
void set_num_threads(int n);
int get_num_threads();

namespace kernels {

void parallel_for_chunks(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

// Runs fn(begin, end) over [0, n) in contiguous chunks of at least `grain` items, on up to
// get_num_threads() threads. Small ranges run inline on the calling thread, without even
// wrapping fn in a std::function: most tensors in a training step are small.
template <class F>
void parallel_for(int64_t n, int64_t grain, F&& fn) {
  if (n < 2 * grain) {
    if (n > 0) fn(int64_t{0}, n);
    return;
  }
  parallel_for_chunks(n, grain, std::function<void(int64_t, int64_t)>(std::forward<F>(fn)));
}

}  // namespace kernels
}  // namespace nabla
