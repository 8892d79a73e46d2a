#include "autograd/kernels/parallel.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace nabla {
namespace {

class ThreadPool {
 public:
  explicit ThreadPool(int threads) { resize(threads); }
  ~ThreadPool() { stop(); }

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  void resize(int threads) {
    stop();
    stopping_ = false;
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { work(i); });
  }

  // Runs job(i) for i in [0, count) with count <= size(); the caller runs job(0).
  void run(int count, const std::function<void(int)>& job) {
    std::unique_lock lock(mutex_);
    job_ = &job;
    count_ = count;
    remaining_ = count - 1;
    error_ = nullptr;
    ++generation_;
    lock.unlock();
    wake_.notify_all();
    try {
      job(0);
    } catch (...) {
      lock.lock();
      if (!error_) error_ = std::current_exception();
      lock.unlock();
    }
    lock.lock();
    done_.wait(lock, [&] { return remaining_ == 0; });
    job_ = nullptr;
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void work(int index) {
    uint64_t seen = 0;
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      if (index >= count_) continue;
      const auto* job = job_;
      lock.unlock();
      try {
        (*job)(index);
      } catch (...) {
        lock.lock();
        if (!error_) error_ = std::current_exception();
        lock.unlock();
      }
      lock.lock();
      if (--remaining_ == 0) done_.notify_one();
    }
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
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(int)>* job_ = nullptr;
  int count_ = 0;
  int remaining_ = 0;
  uint64_t generation_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
};

int default_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

std::mutex pool_mutex;  // one parallel region at a time; nested regions run inline
ThreadPool& pool() {
  static auto* instance = new ThreadPool(default_threads());
  return *instance;
}
thread_local bool inside_parallel_region = false;

}  // namespace

void set_num_threads(int n) {
  std::lock_guard lock(pool_mutex);
  pool().resize(std::max(1, n));
}

int get_num_threads() { return pool().size(); }

namespace kernels {

void parallel_for_chunks(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
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
  const std::function<void(int)> job = [&](int i) {
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
