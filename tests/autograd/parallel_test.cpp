// The thread pool behind kernels::parallel_for. Its suite is named ThreadPool so that the
// ThreadSanitizer job in CI picks it up (--gtest_filter='*Thread*:*Concurrent*').
#include "autograd/kernels/parallel.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace nabla::kernels {
namespace {

// Restores the pool's size when a test that changed it ends.
struct ThreadCountRestorer {
  int before = get_num_threads();
  ~ThreadCountRestorer() { set_num_threads(before); }
};

// Jobs of two chunks on a pool of four threads: two workers sit every job out, waking only
// to read the next job, while the caller finishes and clears the current one. That clearing
// was once a write outside the lock the idle workers read under (a data race under TSan).
TEST(ThreadPool, WorkersSittingAJobOutNeverRaceWithItsEnd) {
  ThreadCountRestorer restore;
  set_num_threads(4);
  std::vector<int> data(2 * 512);
  for (int job = 0; job < 2000; ++job) {
    parallel_for(static_cast<int64_t>(data.size()), 512, [&](int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k) data[k] += 1;
    });
  }
  for (int x : data) ASSERT_EQ(x, 2000);
}

// Several threads starting parallel loops at once: one gets the pool, the others run their
// loop inline; every loop still covers its range exactly once.
TEST(ThreadPool, LoopsStartedFromSeveralThreadsEachCoverTheirRange) {
  ThreadCountRestorer restore;
  set_num_threads(2);
  constexpr int kThreads = 3, kLoops = 200;
  std::vector<std::vector<int>> data(kThreads, std::vector<int>(4096));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kLoops; ++i) {
        parallel_for(4096, 256, [&](int64_t b, int64_t e) {
          for (int64_t k = b; k < e; ++k) data[t][k] += 1;
        });
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& v : data) {
    for (int x : v) ASSERT_EQ(x, kLoops);
  }
}

// get_num_threads() is read by every parallel loop; resizing the pool meanwhile must not
// be a data race.
TEST(ThreadPool, ThreadCountCanBeReadWhileThePoolIsResized) {
  ThreadCountRestorer restore;
  std::thread reader([] {
    for (int i = 0; i < 2000; ++i) ASSERT_GE(get_num_threads(), 1);
  });
  for (int i = 0; i < 20; ++i) set_num_threads(1 + i % 3);
  reader.join();
}

}  // namespace
}  // namespace nabla::kernels

namespace nabla::kernels {
namespace {

// A thread count outside [1, kMaxThreads] is an error that names it, and leaves the pool as it was.
TEST(ThreadPool, AThreadCountOutOfRangeIsRefused) {
  ThreadCountRestorer restore;
  set_num_threads(2);
  for (int bad : {0, -1, kMaxThreads + 1}) {
    try {
      set_num_threads(bad);
      ADD_FAILURE() << "set_num_threads(" << bad << ") was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(std::to_string(bad)), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(get_num_threads(), 2);
}

}  // namespace
}  // namespace nabla::kernels
