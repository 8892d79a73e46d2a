// Making tensors the libtorch way: nested lists, option chains, from_blob, eye.
#include <gtest/gtest.h>

#include <vector>

#include "autograd/autograd.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;
using testing::expect_values_near;

TEST(Creation, NestedListsGiveRowMajorTensors) {
  const Tensor m = tensor({{1, 2, 3}, {4, 5, 6}});
  EXPECT_EQ(m.sizes(), Shape({2, 3}));
  EXPECT_EQ(m.dtype(), kFloat32);
  expect_values_near(m, {1, 2, 3, 4, 5, 6});
  const Tensor cube = tensor({{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}, {{9, 10}, {11, 12}}}, kFloat64);
  EXPECT_EQ(cube.sizes(), Shape({3, 2, 2}));
  EXPECT_EQ(cube.at({2, 1, 0}), 11);
  EXPECT_EQ(tensor({{0, 2}, {1, 1}}, kInt64).dtype(), kInt64);
}

TEST(Creation, RaggedNestedListsAreAShapeError) {
  expect_error<ShapeError>([] { tensor({{1, 2}, {3}}); }, "tensor: rows of different lengths (2 and 1)");
  expect_error<ShapeError>([] { tensor({{{1, 2}}, {{3, 4}, {5, 6}}}); }, "blocks of different shapes ([1, 2] and [2, 2])");
}

TEST(Creation, OptionShorthandsChainLikeLibtorch) {
  const Tensor a = zeros({2}, dtype(kFloat64).requires_grad(true));
  EXPECT_EQ(a.dtype(), kFloat64);
  EXPECT_TRUE(a.requires_grad());
  EXPECT_TRUE(ones({2}, requires_grad()).requires_grad());
  EXPECT_FALSE(ones({2}, requires_grad(false)).requires_grad());
  EXPECT_EQ(full({2}, 3.0, dtype(kInt64)).dtype(), kInt64);
  EXPECT_TRUE(tensor({{1.0, 2.0}}, dtype(kFloat64).requires_grad(true)).requires_grad());
  EXPECT_TRUE(randn({3}, dtype(kFloat64).requires_grad(true)).requires_grad());
  EXPECT_EQ(arange(0, 4, 1, dtype(kInt64)).dtype(), kInt64);
  const Tensor x = rand({2}, kFloat64);
  EXPECT_EQ(x.options().dtype(), kFloat64);
  EXPECT_FALSE(x.options().requires_grad());
  expect_error<DtypeError>([] { zeros({2}, dtype(kInt64).requires_grad(true)); }, "only floating-point");
}

TEST(Creation, FromBlobSharesTheCallersBufferBothWays) {
  std::vector<double> data = {1, 2, 3, 4, 5, 6};
  Tensor t = from_blob(data.data(), {3, 2}, kFloat64);
  EXPECT_EQ(t.sizes(), Shape({3, 2}));
  expect_values_near(t, {1, 2, 3, 4, 5, 6});
  data[0] = 99;  // the tensor sees the caller's writes...
  EXPECT_EQ(t.at({0, 0}), 99);
  t.select(1, 1).fill_(-1);  // ...and the caller sees the tensor's, views included
  EXPECT_EQ(data, std::vector<double>({99, -1, 3, -1, 5, -1}));
  const Tensor copy = from_blob(data.data(), {6}, kFloat64).clone();
  data[2] = 0;
  EXPECT_EQ(copy.at({2}), 3);
  int64_t labels[] = {3, 1};
  EXPECT_EQ(from_blob(labels, {2}, kInt64).at({0}), 3);
  expect_error<std::invalid_argument>([] { from_blob(nullptr, {2}); }, "from_blob: null data for shape [2]");
}

TEST(Creation, EyeIsTheIdentity) {
  const Tensor i = eye(3, kFloat64);
  expect_values_near(i, {1, 0, 0, 0, 1, 0, 0, 0, 1});
  const Tensor m = randn({3, 3}, kFloat64);
  expect_values_near(matmul(m, i), m.to_vector());
  EXPECT_EQ(eye(0).numel(), 0);
  expect_error<ShapeError>([] { eye(-1); }, "eye: size must be non-negative");
}

}  // namespace
}  // namespace nabla
