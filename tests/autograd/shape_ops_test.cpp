#include "autograd/ops/shape_ops.h"

#include <gtest/gtest.h>

#include "autograd/autograd.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;
using testing::expect_values_near;
using testing::random_leaf;

TEST(ShapeOps, ReshapeInfersOneSize) {
  EXPECT_EQ(zeros({4, 6}).reshape({-1, 3}).sizes(), Shape({8, 3}));
  EXPECT_EQ(zeros({4, 6}).reshape({2, -1, 2}).sizes(), Shape({2, 6, 2}));
  expect_error<ShapeError>([] { zeros({4, 6}).reshape({5, -1}); }, "reshape: shape [5, -1] does not fit");
  expect_error<ShapeError>([] { zeros({4, 6}).reshape({-1, -1}); }, "only one size may be -1");
}

TEST(ShapeOps, FlattenUnsqueezeSqueeze) {
  EXPECT_EQ(zeros({2, 3, 4}).flatten().sizes(), Shape({24}));
  EXPECT_EQ(zeros({2, 3, 4}).flatten(1).sizes(), Shape({2, 12}));
  EXPECT_EQ(zeros({2, 3}).unsqueeze(1).sizes(), Shape({2, 1, 3}));
  EXPECT_EQ(zeros({2, 3}).unsqueeze(-1).sizes(), Shape({2, 3, 1}));
  EXPECT_EQ(zeros({2, 1, 3}).squeeze(1).sizes(), Shape({2, 3}));
}

TEST(ShapeOps, TransposeSwapsDimensions) {
  const Tensor m = arange(6, kFloat64).reshape({2, 3});
  expect_values_near(m.t(), {0, 3, 1, 4, 2, 5});
  const Tensor t = arange(24, kFloat64).reshape({2, 3, 4}).transpose(0, 2);
  EXPECT_EQ(t.sizes(), Shape({4, 3, 2}));
  EXPECT_EQ(t.at({3, 1, 0}), 7);
  EXPECT_EQ(t.at({1, 2, 1}), 21);
}

TEST(ShapeOps, CatJoinsAlongADimension) {
  const Tensor a = arange(4, kFloat64).reshape({2, 2}), b = full({2, 1}, 9, kFloat64);
  expect_values_near(cat({a, b}, 1), {0, 1, 9, 2, 3, 9});
  expect_values_near(cat({a, a}, 0), {0, 1, 2, 3, 0, 1, 2, 3});
  expect_error<ShapeError>([&] { cat({a, b}, 0); }, "cat: tensor 1");
}

TEST(ShapeOps, IndexSelectPicksRowsInOrder) {
  const Tensor m = arange(6, kFloat64).reshape({3, 2});
  expect_values_near(index_select(m, 0, std::vector<int64_t>{2, 0, 2}), {4, 5, 0, 1, 4, 5});
  expect_values_near(index_select(m, 1, std::vector<int64_t>{1}), {1, 3, 5});
  expect_error<ShapeError>([&] { index_select(m, 0, std::vector<int64_t>{3}); }, "index 3 is out of range");
}

TEST(ShapeOps, ZeroDimensionalTensorsCannotBeIndexedOrJoined) {
  expect_error<ShapeError>([] { index_select(scalar_tensor(7.0), 0, std::vector<int64_t>{0, 0}); }, "zero-dimensional");
  expect_error<ShapeError>([] { cat({scalar_tensor(1.0), scalar_tensor(2.0)}); }, "unsqueeze(0) them first");
  expect_error<ShapeError>([] { scalar_tensor(1.0).size(0); }, "no dimension 0");
}

TEST(ShapeOps, NarrowTakesASlice) {
  expect_values_near(narrow(arange(6, kFloat64).reshape({3, 2}), 0, 1, 2), {2, 3, 4, 5});
  expect_error<ShapeError>([] { narrow(zeros({3}), 0, 2, 2); }, "out of range");
}

TEST(ShapeOps, BroadcastToRepeats) {
  expect_values_near(broadcast_to(tensor({1, 2}, kFloat64), {2, 2}), {1, 2, 1, 2});
  expect_error<ShapeError>([] { broadcast_to(zeros({3}), {2}); }, "cannot be broadcast");
}

TEST(ShapeOps, GradientsMatchFiniteDifferences) {
  const Tensor x = random_leaf({3, 4}, 41), y = random_leaf({2, 4}, 42);
  const std::vector<std::pair<const char*, DifferentiableFunction>> cases = {
      {"reshape", [](const TensorList& in) { return in[0].reshape({2, 6}) * 2.0; }},
      {"flatten", [](const TensorList& in) { return in[0].flatten() * 2.0; }},
      {"unsqueeze", [](const TensorList& in) { return in[0].unsqueeze(0) * 2.0; }},
      {"transpose", [](const TensorList& in) { return in[0].t() * 2.0; }},
      {"cat0", [](const TensorList& in) { return cat({in[0], in[1]}, 0); }},
      {"cat1", [](const TensorList& in) { return cat({in[0].t(), in[1].t()}, 1); }},
      {"index_select", [](const TensorList& in) { return index_select(in[0], 0, std::vector<int64_t>{2, 0, 2}); }},
      {"index_select1", [](const TensorList& in) { return index_select(in[0], 1, std::vector<int64_t>{3, 1}); }},
      {"narrow", [](const TensorList& in) { return narrow(in[0], 1, 1, 2); }},
      {"broadcast_to", [](const TensorList& in) { return broadcast_to(in[1], {3, 2, 4}); }},
  };
  for (const auto& [name, f] : cases) {
    const GradcheckResult r = gradcheck(f, {x, y});
    EXPECT_TRUE(r.passed) << name << "\n" << r;
  }
}

TEST(ShapeOps, IndexSelectAddsGradientsOfRepeatedRows) {
  Tensor x = ones({3}, kFloat64).requires_grad_();
  index_select(x, 0, std::vector<int64_t>{1, 1, 2}).sum().backward();
  expect_values_near(x.grad(), {0, 2, 1});
}

TEST(ShapeOps, SecondDerivativeThroughShapeOps) {
  const GradcheckResult r = gradgradcheck(
      [](const Tensor& t) { return index_select(t.t(), 0, std::vector<int64_t>{1, 0}).square().reshape({-1}); },
      random_leaf({3, 2}, 43));
  EXPECT_TRUE(r.passed) << r;
}

// [2^61 + 1, 8] has 2^64 + 8 elements, which wrapped around to 8 and let the reshape through.
TEST(ShapeOps, ReshapeToAShapeWhoseCountOverflowsIsAnError) {
  const Tensor x = arange(8);
  expect_error<ShapeError>([&] { x.reshape({(int64_t{1} << 61) + 1, 8}); },
                           "reshape: shape [2305843009213693953, 8] has more elements");
  expect_error<ShapeError>([&] { x.reshape({-1, int64_t{1} << 32, int64_t{1} << 32}); },
                           "reshape: shape [-1, 4294967296, 4294967296] has more elements");
}

TEST(ShapeOps, BroadcastToAShapeWhoseCountOverflowsIsAnError) {
  expect_error<ShapeError>([] { broadcast_to(zeros({1}), {int64_t{1} << 32, int64_t{1} << 32}); },
                           "[4294967296, 4294967296] has more elements");
}

}  // namespace
}  // namespace nabla
