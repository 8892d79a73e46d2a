// The kernels on raw buffers, tested apart from tensors and the graph.
#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "autograd/kernels/pointwise.h"
#include "autograd/kernels/gemm.h"
#include "autograd/kernels/parallel.h"
#include "autograd/kernels/reduce.h"

namespace nabla::kernels {
namespace {

TEST(Kernels, BroadcastBinaryMatchesIndexArithmetic) {
  // a: [2, 1, 3], b: [4, 1] -> [2, 4, 3]
  std::vector<double> a = {1, 2, 3, 4, 5, 6}, b = {10, 20, 30, 40}, out(24);
  binary(BinaryOp::Add, a.data(), {2, 1, 3}, b.data(), {4, 1}, out.data(), {2, 4, 3});
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 4; ++j) {
      for (int k = 0; k < 3; ++k) EXPECT_EQ(out[(i * 4 + j) * 3 + k], a[i * 3 + k] + b[j]);
    }
  }
}

TEST(Kernels, GemmAccumulatesWhenAsked) {
  std::vector<float> a = {1, 2, 3, 4}, b = {1, 0, 0, 1}, c = {10, 10, 10, 10};
  gemm(false, false, 2, 2, 2, a.data(), b.data(), c.data(), /*accumulate=*/true);
  EXPECT_EQ(c, (std::vector<float>{11, 12, 13, 14}));
  gemm(false, false, 2, 2, 2, a.data(), b.data(), c.data());
  EXPECT_EQ(c, (std::vector<float>{1, 2, 3, 4}));
}

TEST(Kernels, ParallelForCoversTheRangeOnce) {
  std::vector<std::atomic<int>> hits(100000);
  parallel_for(100000, 1000, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) hits[i]++;
  });
  for (const auto& h : hits) ASSERT_EQ(h.load(), 1);
}

// More threads than chunks, and jobs of different sizes back to back: a worker left out of
// one job must not run the next one twice (this once hung the pool).
TEST(Kernels, ThreadPoolSurvivesWorkersThatSitJobsOut) {
  const int before = get_num_threads();
  set_num_threads(8);
  std::vector<int> small(3 * 1000), large(8 * 1000);
  for (int i = 0; i < 4000; ++i) {
    std::vector<int>& v = i % 2 ? small : large;
    parallel_for(static_cast<int64_t>(v.size()), 1000, [&](int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k) v[k] += 1;
    });
  }
  set_num_threads(before);
  for (int x : small) ASSERT_EQ(x, 2000);
  for (int x : large) ASSERT_EQ(x, 2000);
}

TEST(Kernels, ParallelForPropagatesExceptions) {
  EXPECT_THROW(parallel_for(1 << 20, 1, [](int64_t, int64_t) { throw std::runtime_error("boom"); }), std::runtime_error);
}

TEST(Kernels, ColumnSumsAndRowMaxima) {
  std::vector<double> x = {1, 5, 2, 4, 3, 6}, sums(3), values(2);
  std::vector<int64_t> idx(2);
  sum_dim(x.data(), 1, 2, 3, sums.data());
  EXPECT_EQ(sums, (std::vector<double>{5, 8, 8}));
  max_dim(x.data(), 2, 3, 1, values.data(), idx.data());
  EXPECT_EQ(values, (std::vector<double>{5, 6}));
  EXPECT_EQ(idx, (std::vector<int64_t>{1, 2}));
}

}  // namespace
}  // namespace nabla::kernels
