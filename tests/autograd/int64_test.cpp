// int64 tensors (labels, indices, counts): the ops exact on integers work on them, the others
// ask for a cast by name. Comparisons give 0/1 in the inputs' dtype (nabla has no bool).
#include <gtest/gtest.h>

#include <cstdint>

#include "autograd/autograd.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;
using testing::expect_values_near;

Tensor ints(std::initializer_list<double> values) { return tensor(values, kInt64); }

TEST(Int64, ArithmeticStaysInt64AndExact) {
  const Tensor a = ints({1, -2, 3}), b = ints({4, 5, -6});
  for (const Tensor& r : {a + b, a - b, a * b, -a, a + 2, a * 3, 10 - a, a.abs(), a.square()}) {
    EXPECT_EQ(r.dtype(), kInt64);
  }
  expect_values_near(a + b, {5, 3, -3});
  expect_values_near(a - b, {-3, -7, 9});
  expect_values_near(a * b, {4, -10, -18});
  expect_values_near(a * 3 - 1, {2, -7, 8});
  expect_values_near(10 - a, {9, 12, 7});
  expect_values_near(a.abs(), {1, 2, 3});
  expect_values_near(a.sign(), {1, -1, 1});
  expect_values_near(maximum(a, b), {4, 5, 3});
}

TEST(Int64, LargeValuesKeepEveryDigit) {
  // 2^53 + 1 is not a double: an int64 path through double would lose the 1.
  const int64_t big = (int64_t{1} << 53) + 1;
  Tensor x = full({2}, 0.0, kInt64);
  x.data_ptr<int64_t>()[0] = big;
  x.data_ptr<int64_t>()[1] = 1;
  EXPECT_EQ(x.sum().item<int64_t>(), big + 1);
  EXPECT_EQ((x + x).data_ptr<int64_t>()[0], 2 * big);
  EXPECT_EQ(x.max().item<int64_t>(), big);
}

TEST(Int64, ComparisonsGiveZeroOneInt64) {
  const Tensor a = ints({1, 2, 3}), b = ints({3, 2, 1});
  expect_values_near(eq(a, b), {0, 1, 0});
  expect_values_near(a == b, {0, 1, 0});
  expect_values_near(a != b, {1, 0, 1});
  expect_values_near(a < b, {1, 0, 0});
  expect_values_near(a <= b, {1, 1, 0});
  expect_values_near(a > b, {0, 0, 1});
  expect_values_near(a >= b, {0, 1, 1});
  expect_values_near(a.eq(2), {0, 1, 0});
  expect_values_near(a.ge(b), {0, 1, 1});
  EXPECT_EQ((a == b).dtype(), kInt64);
}

TEST(Int64, FloatComparisonsGiveZeroOneInTheFloatDtype) {
  const Tensor x = tensor({-1.0, 0.0, 2.0}, kFloat64);
  const Tensor positive = x > 0;
  EXPECT_EQ(positive.dtype(), kFloat64);
  expect_values_near(positive, {0, 0, 1});
  EXPECT_DOUBLE_EQ((x >= 0).mean().item<double>(), 2.0 / 3.0);
  expect_values_near(x == 0.0, {0, 1, 0});
  expect_values_near(x.ne(x), {0, 0, 0});
}

TEST(Int64, CountsCorrectPredictions) {
  const Tensor logits = tensor({0.1, 2.0, 0.3, 1.5, 0.2, 0.1, 0.0, 0.1, 3.0}, {3, 3});
  const Tensor labels = ints({1, 2, 2});
  EXPECT_EQ((logits.argmax(1) == labels).sum().item<int64_t>(), 2);
  EXPECT_FLOAT_EQ((logits.argmax(1) == labels).to(kFloat).mean().item<float>(), 2.0f / 3.0f);
}

TEST(Int64, SumArgmaxAndMaxAlongADimension) {
  const Tensor m = tensor({3, 9, 2, 7, 1, 8}, {2, 3}, kInt64);
  expect_values_near(m.sum(0), {10, 10, 10});
  expect_values_near(m.sum(1, true), {14, 16});
  EXPECT_EQ(m.sum(1).dtype(), kInt64);
  expect_values_near(m.argmax(1), {1, 2});
  EXPECT_EQ(m.argmax().item<int64_t>(), 1);
  auto [values, indices] = m.max(0);
  expect_values_near(values, {7, 9, 8});
  expect_values_near(indices, {1, 0, 1});
  EXPECT_EQ(m.min().item<int64_t>(), 1);
  expect_values_near(std::get<0>(m.min(1)), {2, 1});
  expect_values_near(std::get<1>(m.min(1)), {2, 1});
}

TEST(Int64, IndexingAndWhere) {
  const Tensor m = tensor({3, 9, 2, 7, 1, 8}, {2, 3}, kInt64);
  expect_values_near(m[1], {7, 1, 8});
  expect_values_near(m.slice(1, 1), {9, 2, 1, 8});
  expect_values_near(m.select(1, -1), {2, 8});
  expect_values_near(where(m > 4, m, zeros_like(m)), {0, 9, 0, 7, 0, 8});
  expect_values_near(m.masked_fill(m > 4, -1), {3, -1, 2, -1, 1, -1});
}

TEST(Int64, DivisionAndFloatingMathAskForACast) {
  const Tensor a = ints({1, 2});
  expect_error<DtypeError>([&] { a / a; }, "div: not defined on int64 tensors");
  expect_error<DtypeError>([&] { a / 2; }, "cast first, e.g. x.to(kFloat)");
  expect_error<DtypeError>([&] { a.exp(); }, "exp: not defined on int64");
  expect_error<DtypeError>([&] { a.pow(2); }, "pow: not defined on int64");
  expect_error<DtypeError>([&] { a.mean(); }, "mean: expected a floating-point tensor, got int64");
  expect_error<DtypeError>([&] { a * 0.5; }, "the scalar 0.500000 is not an integer");
  expect_error<DtypeError>([&] { (void)(a < 1.5); }, "not an integer");
  expect_error<DtypeError>([&] { (void)(a == tensor({1.0, 2.0})); }, "eq: mixed dtypes int64 and float32");
  EXPECT_DOUBLE_EQ(a.to(kFloat64).mean().item<double>(), 1.5);
}

}  // namespace
}  // namespace nabla
