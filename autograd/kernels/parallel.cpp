#include "autograd/kernels/parallel.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace nabla {
namespace {

// Workers spin for a short while after each job before they sleep: most parallel loops in
// a training step take tens of microseconds, about what waking a sleeping thread costs.
// (OpenMP runtimes do the same; without it, two threads were slower than one on 1M relu.)
constexpr auto kSpinTime = std::chrono::microseconds(100);

class ThreadPool {
 public:
  explicit ThreadPool(int threads) { resize(threads); }
  ~ThreadPool() { stop(); }

  // Atomic: every parallel loop reads it, and set_num_threads() may change it meanwhile.
  int size() const { return size_.load(std::memory_order_relaxed); }

  void resize(int threads) {
    stop();
    stopping_ = false;
    size_.store(threads, std::memory_order_relaxed);
    // The generation is read here, not in the new thread: a job published before the
    // thread gets going must still count as new to it.
    const uint64_t current = generation_.load();
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this, current] { work(current); });
  }

  // Runs job(i) for every i in [0, count), count <= size(). The caller and the workers take
  // the indices one at a time from a shared counter: a worker that wakes late (on a busy
  // machine, one the OS has not scheduled yet) finds them taken and costs the caller nothing,
  // where a fixed share per thread made the caller wait for it. Which thread runs an index
  // varies; what index i computes does not.
  void run(int count, kernels::FunctionRef<void(int)> job) {
    {
      // The job, its size and its generation are published together under the lock, and
      // workers read them together under it: a worker can never pair one job's generation
      // with another job's function (which ran a job twice and hung the pool).
      std::lock_guard lock(mutex_);
      job_ = &job;  // job, a parameter of run(), outlives every worker's part in it (see below)
      count_ = count;
      error_ = nullptr;
      next_index_.store(0, std::memory_order_relaxed);
      finished_.store(0, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_release);
      // Wake no more sleepers than there are indices left for them; spinning workers see
      // the new generation by themselves.
      for (int i = 0; i < std::min(count - 1, sleeping_); ++i) wake_.notify_one();
    }
    take_part(job, count);
    while (finished_.load(std::memory_order_acquire) != count) std::this_thread::yield();
    std::exception_ptr error;
    {
      // From here no worker can join this job (they read job_ under the lock) ...
      std::lock_guard lock(mutex_);
      job_ = nullptr;
      error = std::exchange(error_, nullptr);
    }
    // ... and the ones that joined find no index left: wait for them to leave, since `job`
    // lives in the caller's frame.
    while (joined_.load(std::memory_order_acquire) != 0) std::this_thread::yield();
    if (error) std::rethrow_exception(error);
  }

 private:
  void take_part(kernels::FunctionRef<void(int)> job, int count) {
    for (int i; (i = next_index_.fetch_add(1, std::memory_order_relaxed)) < count;) {
      try {
        job(i);
      } catch (...) {
        record_error();
      }
      finished_.fetch_add(1, std::memory_order_release);
    }
  }

  void work(uint64_t seen) {
    for (;;) {
      if (!wait_for_job(seen)) return;
      const kernels::FunctionRef<void(int)>* job;
      int count;
      {
        std::lock_guard lock(mutex_);
        seen = generation_.load(std::memory_order_acquire);
        job = job_;
        count = count_;
        if (!job) continue;  // that job has ended already
        joined_.fetch_add(1, std::memory_order_relaxed);
      }
      take_part(*job, count);
      joined_.fetch_sub(1, std::memory_order_release);
    }
  }

  // Spins, then sleeps, until a new job is published; false when the pool is stopping.
  bool wait_for_job(uint64_t seen) {
    const auto spin_until = std::chrono::steady_clock::now() + kSpinTime;
    for (int i = 0;; ++i) {
      if (generation_.load(std::memory_order_acquire) != seen) return true;
      if (stopping_.load(std::memory_order_acquire)) return false;
      if (i % 64 == 63 && std::chrono::steady_clock::now() > spin_until) break;
    }
    std::unique_lock lock(mutex_);
    ++sleeping_;
    wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen || stopping_.load(); });
    --sleeping_;
    return !stopping_.load();
  }

  void record_error() {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::current_exception();
  }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
  }

  std::vector<std::thread> workers_;
  std::atomic<int> size_{1};
  std::mutex mutex_;
  std::condition_variable wake_;
  const kernels::FunctionRef<void(int)>* job_ = nullptr;
  int count_ = 0;
  int sleeping_ = 0;
  std::atomic<int> next_index_{0};  // the next index of the current job to hand out
  std::atomic<int> finished_{0};    // indices of the current job done
  std::atomic<int> joined_{0};      // workers inside the current job
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stopping_{false};
  std::exception_ptr error_;
};

// NABLA_NUM_THREADS, when set, else one thread per core. A value that is not a whole number
// in [1, kMaxThreads] is an error rather than silently ignored: a user who set it meant it.
int default_threads() {
  if (const char* env = std::getenv("NABLA_NUM_THREADS")) {
    int n = 0;
    const char* end = env + std::strlen(env);
    const auto [stop, error] = std::from_chars(env, end, n);
    if (error != std::errc() || stop != end || n < 1 || n > kMaxThreads) {
      throw std::invalid_argument("NABLA_NUM_THREADS must be a whole number from 1 to " +
                                  std::to_string(kMaxThreads) + ", got '" + env + "'");
    }
    return n;
  }
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

std::mutex pool_mutex;  // one parallel region at a time; nested regions run inline
ThreadPool& pool() {
  static auto* instance = new ThreadPool(default_threads());
  return *instance;
}
thread_local bool inside_parallel_region = false;

}  // namespace

void set_num_threads(int n) {
  if (n < 1 || n > kMaxThreads) {
    throw std::invalid_argument("set_num_threads: the thread count must be from 1 to " + std::to_string(kMaxThreads) +
                                ", got " + std::to_string(n));
  }
  std::lock_guard lock(pool_mutex);
  pool().resize(n);
}

int get_num_threads() { return pool().size(); }

namespace kernels {

void parallel_for_chunks(int64_t n, int64_t grain, FunctionRef<void(int64_t, int64_t)> fn) {
  if (n <= 0) return;
  const int64_t max_chunks = std::max<int64_t>(1, n / std::max<int64_t>(grain, 1));
  const int chunks = static_cast<int>(std::min<int64_t>(get_num_threads(), max_chunks));
  if (chunks <= 1 || inside_parallel_region) {
    fn(0, n);
    return;
  }
  std::unique_lock lock(pool_mutex, std::try_to_lock);
  if (!lock.owns_lock()) {  // another thread is using the pool: do the work here
    fn(0, n);
    return;
  }
  const auto job = [&](int i) {
    struct RegionFlag {
      RegionFlag() { inside_parallel_region = true; }
      ~RegionFlag() { inside_parallel_region = false; }
    } flag;
    fn(n * i / chunks, n * (i + 1) / chunks);
  };
  pool().run(chunks, job);
}

}  // namespace kernels
}  // namespace nabla
