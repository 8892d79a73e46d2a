#include "autograd/tensor.h"

#include <gtest/gtest.h>

#include <sstream>

#include "autograd/autograd.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;
using testing::expect_values_near;
using testing::leaf;

TEST(Tensor, FactoriesFillAsNamed) {
  expect_values_near(zeros({2, 2}), {0, 0, 0, 0});
  expect_values_near(ones({3}), {1, 1, 1});
  expect_values_near(full({2}, 7.5), {7.5, 7.5});
  expect_values_near(arange(4), {0, 1, 2, 3});
  expect_values_near(arange(1, 2, 0.25), {1, 1.25, 1.5, 1.75});
  expect_values_near(linspace(-1, 1, 5), {-1, -0.5, 0, 0.5, 1});
  EXPECT_EQ(zeros({2, 3}, kFloat64).dtype(), kFloat64);
  EXPECT_EQ(zeros({2, 3}).dtype(), kFloat32);
}

TEST(Tensor, FromValuesWithShapeIsRowMajor) {
  Tensor t = tensor({1, 2, 3, 4, 5, 6}, {2, 3}, kFloat64);
  EXPECT_EQ(t.at({0, 2}), 3);
  EXPECT_EQ(t.at({1, 0}), 4);
  EXPECT_EQ(t.at({-1, -1}), 6);
}

TEST(Tensor, ValuesThatDoNotFillTheShapeAreAnError) {
  expect_error<ShapeError>([] { tensor({1, 2, 3}, {2, 2}); }, "3 values do not fill shape [2, 2]");
}

TEST(Tensor, ShapeQueries) {
  Tensor t = zeros({2, 3, 4});
  EXPECT_EQ(t.dim(), 3);
  EXPECT_EQ(t.numel(), 24);
  EXPECT_EQ(t.size(-1), 4);
  EXPECT_EQ(t.sizes(), Shape({2, 3, 4}));
}

TEST(Tensor, ItemNeedsExactlyOneElement) {
  EXPECT_EQ(full({1, 1}, 3.0).item<double>(), 3.0);
  expect_error<ShapeError>([] { zeros({2}).item(); }, "item() needs exactly one");
}

TEST(Tensor, DataPtrChecksTheType) {
  expect_error<DtypeError>([] { zeros({2}).data_ptr<double>(); }, "holds float32, asked for float64");
}

TEST(Tensor, AWriteThroughMutableDataPtrMakesASavedTensorRefuseBackward) {
  Tensor w = leaf({2.0});
  Tensor x = tensor({3.0}, kFloat64);  // saved by mul for w's gradient
  Tensor y = (x * w).sum();
  x.mutable_data_ptr<double>()[0] = 30.0;  // would make dy/dw = 30 instead of 3
  expect_error<AutogradError>([&] { y.backward(); }, "backward through 'mul': a tensor it used");
}

TEST(Tensor, ReadingThroughDataPtrLeavesASavedTensorValid) {
  Tensor w = leaf({2.0});
  Tensor x = tensor({3.0}, kFloat64);
  Tensor y = (x * w).sum();
  EXPECT_EQ(x.data_ptr<double>()[0], 3.0);
  EXPECT_EQ(x.detach().data_ptr<double>()[0], 3.0);
  y.backward();
  EXPECT_EQ(w.grad().item(), 3.0);
}

TEST(Tensor, MutableDataPtrChecksTheType) {
  Tensor t = zeros({2});
  Tensor y = (t * leaf({1.0, 1.0}).to(kFloat32)).sum();
  expect_error<DtypeError>([&] { t.mutable_data_ptr<double>(); }, "holds float32, asked for float64");
  y.backward();  // the refused request wrote nothing and bumped nothing
}

TEST(Tensor, SameSeedSameRandomNumbers) {
  manual_seed(42);
  const std::vector<double> a = randn({5}).to_vector();
  manual_seed(42);
  const std::vector<double> b = randn({5}).to_vector();
  EXPECT_EQ(a, b);
  manual_seed(43);
  EXPECT_NE(randn({5}).to_vector(), a);
}

TEST(Tensor, RandomDistributionsHaveTheRightMoments) {
  Generator gen(7);
  const Tensor u = rand({100000}, kFloat64, &gen);
  EXPECT_NEAR(u.mean().item(), 0.5, 0.01);
  EXPECT_GE(u.min().item(), 0.0);
  EXPECT_LT(u.max().item(), 1.0);
  const Tensor n = randn({100000}, kFloat64, &gen);
  EXPECT_NEAR(n.mean().item(), 0.0, 0.02);
  EXPECT_NEAR((n * n).mean().item(), 1.0, 0.02);
}

TEST(Tensor, RandpermIsAPermutation) {
  Generator gen(3);
  std::vector<double> p = randperm(100, &gen).to_vector();
  std::sort(p.begin(), p.end());
  for (int i = 0; i < 100; ++i) EXPECT_EQ(p[i], i);
}

TEST(Tensor, ConversionBetweenTypes) {
  Tensor t = tensor({1.5, -2.25});
  EXPECT_EQ(t.to(kFloat64).dtype(), kFloat64);
  expect_values_near(t.to(kFloat64), {1.5, -2.25});
  expect_values_near(t.to(kInt64), {1, -2});
}

TEST(Tensor, ConversionAndCloneAreDifferentiable) {
  Tensor x = tensor({1.5, -2.0}, kFloat64).requires_grad_();
  (x.to(kFloat32) * 2.0).sum().backward();
  EXPECT_EQ(x.grad().dtype(), kFloat64);  // the gradient comes back in the input's type
  expect_values_near(x.grad(), {2, 2});
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return t.clone() * t; }, testing::random_leaf({3}, 1)).passed);
}

TEST(Tensor, ReshapeSharesStorageCloneDoesNot) {
  Tensor t = arange(6, kFloat64);
  Tensor r = t.reshape({2, 3});
  Tensor c = t.clone();
  t.fill_(9);
  EXPECT_EQ(r.at({1, 2}), 9);
  EXPECT_EQ(c.at({5}), 5);
}

TEST(Tensor, PrintsInPyTorchLayout) {
  std::ostringstream s;
  s << tensor({1, 2, 3, 4}, {2, 2}, kFloat64);
  EXPECT_EQ(s.str(), "tensor([[1., 2.],\n        [3., 4.]], dtype=float64)");
  std::ostringstream g;
  g << tensor({0.5}).requires_grad_();
  EXPECT_EQ(g.str(), "tensor([0.5000], requires_grad=true)");
}

TEST(Tensor, ADtypePrintsByItsName) {
  std::ostringstream s;
  s << tensor({1.0}).dtype() << ' ' << kFloat64 << ' ' << kLong;
  EXPECT_EQ(s.str(), "float32 float64 int64");
}

TEST(Tensor, LargeIntegersPrintExactly) {
  Tensor t = zeros({1}, kInt64);
  t.data_ptr<int64_t>()[0] = 9007199254740993;  // 2^53 + 1: not a double
  std::ostringstream s;
  s << t;
  EXPECT_EQ(s.str(), "tensor([9007199254740993], dtype=int64)");
}

TEST(Tensor, ARejectedInPlaceWriteChangesNothing) {
  Tensor w = leaf({2.0});
  Tensor x = tensor({3.0}, kFloat64);
  Tensor y = (x * w).sum();
  EXPECT_THROW(x.add_(ones({2}, kFloat64)), ShapeError);
  y.backward();  // x was not written, so the graph is still valid
  EXPECT_EQ(w.grad().item(), 3.0);
}

TEST(Tensor, LargeTensorsPrintSummarised) {
  std::ostringstream s;
  s << zeros({100, 100});
  EXPECT_NE(s.str().find("..."), std::string::npos);
  EXPECT_LT(s.str().size(), 2000u);
}

TEST(Tensor, InPlaceChangeOfATensorThatRequiresGradIsRefused) {
  Tensor w = ones({2}).requires_grad_();
  expect_error<AutogradError>([&] { w.add_(1.0); }, "in-place");
  NoGradGuard no_grad;
  w.add_(1.0);
  expect_values_near(w, {2, 2});
}

TEST(Tensor, OnlyFloatingTensorsRequireGrad) {
  expect_error<DtypeError>([] { zeros({2}, kInt64).requires_grad_(); }, "only floating-point");
}

TEST(Tensor, UndefinedTensorUseIsAClearError) {
  Tensor t;
  EXPECT_FALSE(t.defined());
  EXPECT_THROW(t.numel(), std::logic_error);
}

// Once, [2^32, 2^32] made a tensor with numel() == 0 that at() then read far outside of.
TEST(Tensor, ShapesWhoseElementCountOverflowsAreRefused) {
  expect_error<ShapeError>([] { zeros({int64_t{1} << 32, int64_t{1} << 32}); },
                           "zeros: shape [4294967296, 4294967296] has more elements than a 64-bit count can hold");
  expect_error<ShapeError>([] { zeros({(int64_t{1} << 61) + 1, 8}); }, "zeros: shape [2305843009213693953, 8]");
  expect_error<ShapeError>([] { ones({2, -3}); }, "ones: negative size -3 in shape [2, -3]");
}

TEST(Tensor, ATensorLargerThanMemoryIsAnOutOfMemoryErrorNamingOpShapeAndBytes) {
  expect_error<OutOfMemoryError>([] { zeros({1000000000000}); },
                                 "zeros: cannot allocate 3.64 TiB (4000000000000 bytes) for a float32 tensor of "
                                 "shape [1000000000000]");
  expect_error<OutOfMemoryError>([] { randn({int64_t{1} << 62}, kFloat64); },
                                 "randn: cannot allocate 4611686018427387904 x 8 bytes for a float64 tensor");
  EXPECT_THROW(full({1000000000000}, 1.0), std::bad_alloc);  // handlers of the standard error still catch it
}

}  // namespace
}  // namespace nabla
