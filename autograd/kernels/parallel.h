#pragma once
// A small fixed pool of threads for loops big enough to be worth splitting. The split is a
// pure function of the range and the thread count, so results are the same run to run.
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>

#include "autograd/threads.h"

namespace nabla::kernels {

// The grain policy every kernel follows. A chunk handed to another thread must hold at least
// kMinWorkPerChunk units of work, a unit being one simple operation on one element (an add, a
// multiply, a compare: about a nanosecond). Below that, waking a thread and waiting for it
// (microseconds, more on a busy machine) costs more than the thread saves: small loops run
// on the calling thread alone, and a loop gets as many threads as it has such chunks.
inline constexpr int64_t kMinWorkPerChunk = int64_t{1} << 16;

// How many items make a chunk, for a loop whose items cost `work_per_item` units each:
//   elementwise add: grain_for(1); an exp per element: grain_for(4);
//   rows of `classes` logits through exp and log: grain_for(4 * classes).
constexpr int64_t grain_for(int64_t work_per_item) {
  const int64_t items = kMinWorkPerChunk / (work_per_item > 1 ? work_per_item : 1);
  return items > 1 ? items : 1;
}

// A reference to a callable, without owning or copying it: a parallel loop's body lives in
// the caller's frame until the loop returns, so nothing needs to own it. (A std::function
// would copy a lambda of more than two captures to the heap, on every loop of every step.)
template <class Signature> class FunctionRef;
template <class R, class... Args> class FunctionRef<R(Args...)> {
 public:
  template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, FunctionRef> && std::is_invocable_r_v<R, F&, Args...>)
  FunctionRef(F&& f)  // NOLINT: implicit, like std::function
      : callable_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
        call_([](void* callable, Args... args) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(callable))(std::forward<Args>(args)...);
        }) {}
  R operator()(Args... args) const { return call_(callable_, std::forward<Args>(args)...); }

 private:
  void* callable_;
  R (*call_)(void*, Args...);
};

void parallel_for_chunks(int64_t n, int64_t grain, FunctionRef<void(int64_t, int64_t)> fn);

// Runs fn(begin, end) over [0, n) in contiguous chunks of at least `grain` items (see
// grain_for), on up to get_num_threads() threads. The chunks' bounds depend only on n, grain
// and the thread count, never on timing. Small ranges run inline on the calling thread, without
// even a call through a pointer: most tensors in a training step are small. Allocates nothing.
template <class F>
void parallel_for(int64_t n, int64_t grain, F&& fn) {
  if (n < 2 * grain) {
    if (n > 0) fn(int64_t{0}, n);
    return;
  }
  parallel_for_chunks(n, grain, FunctionRef<void(int64_t, int64_t)>(fn));
}

}  // namespace nabla::kernels
