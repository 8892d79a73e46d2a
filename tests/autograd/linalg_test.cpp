#include "autograd/ops/linalg.h"

#include <gtest/gtest.h>

#include "autograd/autograd.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;
using testing::expect_tensors_near;
using testing::random_leaf;

// The textbook triple loop, to compare the blocked kernel against.
Tensor naive_matmul(const Tensor& a, const Tensor& b) {
  const int64_t n = a.size(0), k = a.size(1), m = b.size(1);
  std::vector<double> out(n * m, 0.0);
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < m; ++j) {
      for (int64_t p = 0; p < k; ++p) out[i * m + j] += a.at({i, p}) * b.at({p, j});
    }
  }
  return tensor(out, {n, m}, kFloat64);
}

TEST(Linalg, MatmulMatchesTheTripleLoopForAwkwardSizes) {
  // Sizes around the kernel's tile edges (6 rows, 16/32 columns, 256 deep).
  for (auto [n, k, m] : {std::tuple{1, 1, 1}, {5, 7, 3}, {6, 16, 32}, {13, 257, 33}, {70, 300, 65}}) {
    const Tensor a = random_leaf({n, k}, n).detach(), b = random_leaf({k, m}, m).detach();
    expect_tensors_near(matmul(a, b), naive_matmul(a, b), 1e-10);
  }
}

TEST(Linalg, TransposedOperandsNeedNoCopy) {
  const Tensor a = random_leaf({9, 5}, 1).detach(), b = random_leaf({7, 9}, 2).detach();
  expect_tensors_near(mm(a, b, true, true), naive_matmul(a.t(), b.t()), 1e-12);
  expect_tensors_near(mm(a, a, true, false), naive_matmul(a.t(), a), 1e-12);
  expect_tensors_near(mm(b, b, false, true), naive_matmul(b, b.t()), 1e-12);
}

TEST(Linalg, Float32MatmulIsAccurate) {
  const Tensor a = random_leaf({64, 784}, 3).detach(), b = random_leaf({784, 32}, 4).detach();
  expect_tensors_near(matmul(a.to(kFloat32), b.to(kFloat32)).to(kFloat64), matmul(a, b), 1e-3);
}

TEST(Linalg, MatmulGradients) {
  const GradcheckResult r = gradcheck([](const TensorList& in) { return matmul(in[0], in[1]); },
                                      {random_leaf({3, 5}, 5), random_leaf({5, 4}, 6)});
  EXPECT_TRUE(r.passed) << r;
}

TEST(Linalg, TransposedMmGradientsForEveryFlagCombination) {
  for (bool ta : {false, true}) {
    for (bool tb : {false, true}) {
      const Tensor a = random_leaf(ta ? Shape{5, 3} : Shape{3, 5}, 7);
      const Tensor b = random_leaf(tb ? Shape{4, 5} : Shape{5, 4}, 8);
      const auto f = [ta, tb](const TensorList& in) { return mm(in[0], in[1], ta, tb); };
      EXPECT_TRUE(gradcheck(f, {a, b}).passed) << ta << tb;
      EXPECT_TRUE(gradgradcheck(f, {a, b}).passed) << ta << tb;
    }
  }
}

TEST(Linalg, BatchedMatmulTimesOneMatrix) {
  const Tensor a = random_leaf({2, 3, 4}, 9), b = random_leaf({4, 5}, 10);
  const Tensor y = matmul(a, b);
  EXPECT_EQ(y.sizes(), Shape({2, 3, 5}));
  expect_tensors_near(narrow(y, 0, 1, 1).reshape({3, 5}), naive_matmul(narrow(a, 0, 1, 1).reshape({3, 4}).detach(), b.detach()), 1e-12);
  EXPECT_TRUE(gradcheck([](const TensorList& in) { return matmul(in[0], in[1]); }, {a, b}).passed);
}

TEST(Linalg, MatmulSecondDerivative) {
  const GradcheckResult r = gradgradcheck([](const TensorList& in) { return matmul(in[0], in[1]).square(); },
                                          {random_leaf({3, 4}, 11), random_leaf({4, 2}, 12)});
  EXPECT_TRUE(r.passed) << r;
}

TEST(Linalg, MismatchedInnerSizesAreNamed) {
  expect_error<ShapeError>([] { matmul(zeros({2, 3}), zeros({4, 5})); },
                           "matmul: shapes [2, 3] and [4, 5] cannot be multiplied (3 != 4)");
  expect_error<ShapeError>([] { matmul(zeros({2}), zeros({2})); }, "matmul: supports");
  expect_error<DtypeError>([] { matmul(zeros({2, 2}), zeros({2, 2}, kFloat64)); }, "mixed dtypes");
}

TEST(Linalg, AProductTooLargeForMemoryNamesMatmulItsShapeAndBytes) {
  const Tensor a = zeros({1000000, 1}), b = zeros({1, 1000000});
  expect_error<OutOfMemoryError>([&] { matmul(a, b); },
                                 "matmul: cannot allocate 3.64 TiB (4000000000000 bytes) for a float32 tensor of "
                                 "shape [1000000, 1000000]");
}

}  // namespace
}  // namespace nabla
