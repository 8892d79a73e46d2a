// A row's result does not depend on the batch around it: linear (Dense), matmul, softmax and
// log_softmax give one row the same bits whether it is computed alone, in a batch of 7 or 64,
// or among 256 rows, on 1 and 3 threads, in float32 and float64. The shapes cross the GEMM's
// blocking of the inner dimension (2048 > its largest KC, 512) and its threading threshold.
// (Gradients with respect to the weights sum over the batch: those depend on it by definition.)
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "autograd/autograd.h"

namespace nabla {
namespace {

int64_t differing_rows(const std::function<Tensor(const Tensor&)>& f, const Tensor& x) {
  const Tensor whole = f(x);
  int64_t differ = 0;
  for (int64_t rows : {1, 7, 64}) {
    for (int64_t start = 0; start + rows <= x.size(0); start += rows) {
      const std::vector<double> part = f(x.slice(0, start, start + rows)).to_vector();
      const std::vector<double> same = whole.slice(0, start, start + rows).to_vector();
      differ += part != same;
    }
  }
  return differ;
}

class BatchInvariance : public ::testing::TestWithParam<ScalarType> {};

TEST_P(BatchInvariance, ARowGivesTheSameBitsAloneOrInAnyBatch) {
  const ScalarType dtype = GetParam();
  const int threads = get_num_threads();
  for (int t : {1, 3}) {
    set_num_threads(t);
    for (auto [in, out] : std::vector<std::pair<int64_t, int64_t>>{{784, 256}, {2048, 300}, {33, 17}}) {
      Generator gen(static_cast<uint64_t>(in));
      const Tensor x = randn({256, in}, dtype, &gen), w = randn({out, in}, dtype, &gen), b = randn({out}, dtype, &gen);
      const std::string where = std::string(to_string(dtype)) + ", " + std::to_string(t) + " thread(s), [256, " +
                                std::to_string(in) + "] -> " + std::to_string(out);
      EXPECT_EQ(differing_rows([&](const Tensor& rows) { return linear(rows, w, b, LinearActivation::Relu); }, x), 0)
          << "linear, " << where;
      EXPECT_EQ(differing_rows([&](const Tensor& rows) { return linear(rows, w, b); }, x), 0) << "linear, " << where;
      EXPECT_EQ(differing_rows([&](const Tensor& rows) { return matmul(rows, w.t()); }, x), 0) << "matmul, " << where;
      EXPECT_EQ(differing_rows([](const Tensor& rows) { return softmax(rows, 1); }, x), 0) << "softmax, " << where;
      EXPECT_EQ(differing_rows([](const Tensor& rows) { return log_softmax(rows, 1); }, x), 0)
          << "log_softmax, " << where;
    }
  }
  set_num_threads(threads);
}

INSTANTIATE_TEST_SUITE_P(BothDtypes, BatchInvariance, ::testing::Values(kFloat32, kFloat64),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace nabla
