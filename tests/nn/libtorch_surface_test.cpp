// Everyday libtorch lines, translated by replacing torch:: with nabla:: and nothing else:
// each test holds one such line (its libtorch original in the "// torch:" comment above
// it) and checks that it does what it does in libtorch. The set is a compile test first:
// a line that stops compiling breaks the build. tests/nn/count_libtorch_lines.py compiles
// each block on its own to count how many lines a given version of nabla accepts.
//
// Where nabla differs on purpose, the test says so (no bool dtype: comparisons give 0/1
// in the inputs' dtype; integer literals make float32 tensors unless kInt64 is asked for).
// The lines nabla does not accept are listed at the end, with why.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <tuple>
#include <utility>
#include <vector>

#include "nabla.h"

namespace {

using nabla::Shape;
using nabla::Tensor;

// A small batch shared by the tests: logits [4, 3] and int64 labels [4].
Tensor sample_logits() {
  return nabla::tensor({0.1, 2.0, 0.3, 1.5, 0.2, 0.1, 0.0, 0.1, 3.0, 0.5, 0.4, 0.3}, {4, 3});
}
Tensor sample_labels() { return nabla::tensor({1, 0, 2, 1}, nabla::kInt64); }

// 0, 1, 2, ... in the given shape (float32), so that every element of a result is checked.
Tensor counting(const Shape& shape) { return nabla::arange(shape.numel()).reshape(shape); }

// The shape, dtype and every value libtorch gives for the line under test (the values that
// tests/nn/libtorch_surface_torch.py prints, or that follow by construction).
void expect_torch_values(const Tensor& t, const Shape& shape, nabla::ScalarType dtype,
                         const std::vector<double>& values, double tol = 0) {
  ASSERT_EQ(t.sizes(), shape);
  EXPECT_EQ(t.dtype(), dtype);
  const std::vector<double> got = t.to_vector();
  ASSERT_EQ(got.size(), values.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], values[i], tol) << "element " << i;
}

// The training lines run on a Linear(4, 2) whose parameters are set (libtorch's start
// random): weight = arange(8).reshape({2, 4}) / 10 - 0.3, bias = {0.5, -0.5}, input
// x = arange(12).reshape({3, 4}) / 4, loss (y * y).sum(). libtorch_surface_torch.py prints
// what libtorch gives for each.
nabla::nn::Linear linear_4_2() {
  nabla::nn::Linear fc(4, 2);
  fc.weight().detach().copy_(counting({2, 4}) / 10 - 0.3);
  fc.bias().detach().copy_(nabla::tensor({0.5, -0.5}));
  return fc;
}
Tensor training_input() { return counting({3, 4}) / 4; }

// weight then bias of linear_4_2() after `steps` steps of the optimizer on (y * y).sum()
template <class Optimizer, class Options>
std::vector<double> after_steps(const Options& options, int steps) {
  nabla::nn::Linear fc = linear_4_2();
  Optimizer optimizer(fc.parameters(), options);
  for (int step = 0; step < steps; ++step) {
    optimizer.zero_grad();
    Tensor y = fc->forward(training_input());
    (y * y).sum().backward();
    optimizer.step();
  }
  std::vector<double> values = fc.weight().to_vector();
  for (double b : fc.bias().to_vector()) values.push_back(b);
  return values;
}

void expect_near_all(const std::vector<double>& got, const std::vector<double>& want, double relative) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], relative * std::fabs(want[i])) << "element " << i;
}

// A sample of a distribution: its mean and standard deviation.
std::pair<double, double> moments(const Tensor& t) {
  const std::vector<double> v = t.to_vector();
  double sum = 0, sum_sq = 0;
  for (double x : v) sum += x;
  const double mean = sum / static_cast<double>(v.size());
  for (double x : v) sum_sq += (x - mean) * (x - mean);
  return {mean, std::sqrt(sum_sq / static_cast<double>(v.size() - 1))};
}

// torch: auto x = torch::tensor({{1, 2}, {3, 4}});
TEST(LibtorchSurface, NestedInitializerListMakesA2DTensor) {
  auto x = nabla::tensor({{1, 2}, {3, 4}});
  EXPECT_EQ(x.sizes(), Shape({2, 2}));
  EXPECT_EQ(x.at({1, 0}), 3);
}

// torch: auto x = torch::tensor({1.0, 2.0, 3.0}, torch::requires_grad());
TEST(LibtorchSurface, RequiresGradOption) {
  auto x = nabla::tensor({1.0, 2.0, 3.0}, nabla::requires_grad());
  EXPECT_TRUE(x.requires_grad());
}

// torch: auto x = torch::zeros({2, 3}, torch::dtype(torch::kFloat64).requires_grad(true));
TEST(LibtorchSurface, DtypeOptionChain) {
  auto x = nabla::zeros({2, 3}, nabla::dtype(nabla::kFloat64).requires_grad(true));
  EXPECT_EQ(x.dtype(), nabla::kFloat64);
  EXPECT_TRUE(x.requires_grad());
}

// torch: auto x = torch::ones({2, 3}, torch::TensorOptions().dtype(torch::kFloat64));
TEST(LibtorchSurface, TensorOptionsObject) {
  auto x = nabla::ones({2, 3}, nabla::TensorOptions().dtype(nabla::kFloat64));
  EXPECT_EQ(x.dtype(), nabla::kFloat64);
}

// torch: auto x = torch::randn({4, 5});
TEST(LibtorchSurface, Randn) {
  auto x = nabla::randn({4, 5});
  EXPECT_EQ(x.sizes(), Shape({4, 5}));
  EXPECT_EQ(x.dtype(), nabla::kFloat32);
  // N(0, 1), as libtorch's (the generators differ, so the draws do): checked on a larger sample.
  const auto [mean, stddev] = moments(nabla::randn({100000}));
  EXPECT_NEAR(mean, 0.0, 0.015);
  EXPECT_NEAR(stddev, 1.0, 0.015);
}

// torch: auto x = torch::rand({2, 2}, torch::kFloat64);
TEST(LibtorchSurface, RandWithDtype) {
  auto x = nabla::rand({2, 2}, nabla::kFloat64);
  EXPECT_EQ(x.sizes(), Shape({2, 2}));
  EXPECT_EQ(x.dtype(), nabla::kFloat64);
  // U[0, 1): mean 1/2, standard deviation 1/sqrt(12), nothing outside [0, 1).
  const Tensor sample = nabla::rand({100000}, nabla::kFloat64);
  EXPECT_GE(sample.min().item<double>(), 0.0);
  EXPECT_LT(sample.max().item<double>(), 1.0);
  const auto [mean, stddev] = moments(sample);
  EXPECT_NEAR(mean, 0.5, 0.005);
  EXPECT_NEAR(stddev, 1 / std::sqrt(12.0), 0.005);
}

// torch: auto x = torch::arange(0, 10, 2);
TEST(LibtorchSurface, Arange) {
  auto x = nabla::arange(0, 10, 2);
  // The values libtorch gives; the dtype is float32 here, where libtorch gives int64 for
  // integer arguments (the README's conventions table lists it).
  expect_torch_values(x, Shape({5}), nabla::kFloat32, {0, 2, 4, 6, 8});
}

// torch: auto x = torch::linspace(0, 1, 5);
TEST(LibtorchSurface, Linspace) {
  auto x = nabla::linspace(0, 1, 5);
  expect_torch_values(x, Shape({5}), nabla::kFloat32, {0, 0.25, 0.5, 0.75, 1});
}

// torch: auto x = torch::full({2, 2}, 7.0);
TEST(LibtorchSurface, Full) {
  auto x = nabla::full({2, 2}, 7.0);
  expect_torch_values(x, Shape({2, 2}), nabla::kFloat32, {7, 7, 7, 7});
}

// torch: auto x = torch::eye(3);
TEST(LibtorchSurface, Eye) {
  auto x = nabla::eye(3);
  expect_torch_values(x, Shape({3, 3}), nabla::kFloat32, {1, 0, 0, 0, 1, 0, 0, 0, 1});
}

// torch: auto x = torch::empty({3, 4});
TEST(LibtorchSurface, Empty) {
  auto x = nabla::empty({3, 4});
  EXPECT_EQ(x.sizes(), Shape({3, 4}));
  EXPECT_EQ(x.dtype(), nabla::kFloat32);  // the values are unspecified, as in libtorch
}

// torch: auto x = torch::randint(0, 10, {8});
TEST(LibtorchSurface, Randint) {
  auto x = nabla::randint(0, 10, {8});
  EXPECT_EQ(x.sizes(), Shape({8}));
  EXPECT_EQ(x.dtype(), nabla::kInt64);
  // Uniform on the integers 0..9: each one drawn, none outside, mean 4.5.
  const std::vector<double> sample = nabla::randint(0, 10, {10000}).to_vector();
  std::vector<int> seen(10, 0);
  for (double v : sample) {
    ASSERT_TRUE(v >= 0 && v <= 9 && v == std::floor(v)) << v;
    seen[static_cast<size_t>(v)] += 1;
  }
  for (int count : seen) EXPECT_NEAR(count, 1000, 150);
}

// torch: auto y = torch::zeros_like(x);
TEST(LibtorchSurface, ZerosLike) {
  Tensor x = nabla::randn({2, 3});
  auto y = nabla::zeros_like(x);
  expect_torch_values(y, Shape({2, 3}), nabla::kFloat32, {0, 0, 0, 0, 0, 0});
}

// torch: float data[] = {1, 2, 3, 4, 5, 6}; auto x = torch::from_blob(data, {2, 3});
TEST(LibtorchSurface, FromBlob) {
  float data[] = {1, 2, 3, 4, 5, 6}; auto x = nabla::from_blob(data, {2, 3});
  expect_torch_values(x, {2, 3}, nabla::kFloat32, {1, 2, 3, 4, 5, 6});
  x.fill_(0);  // the tensor is the caller's memory, as in libtorch
  EXPECT_EQ(data[5], 0.0f);
}

// torch: auto x = torch::tensor({1, 2, 3});
TEST(LibtorchSurface, IntegerLiteralsMakeFloat32) {
  auto x = nabla::tensor({1, 2, 3});
  EXPECT_EQ(x.dtype(), nabla::kFloat32);  // libtorch: int64. Write kInt64 for labels.
}

// torch: int64_t n = x.size(0) * x.size(1);
TEST(LibtorchSurface, Sizes) {
  Tensor x = nabla::zeros({2, 3});
  int64_t n = x.size(0) * x.size(1);
  EXPECT_EQ(n, x.numel());
}

// torch: auto y = x.view({-1, 4});
TEST(LibtorchSurface, View) {
  Tensor x = counting({2, 3, 4});
  auto y = x.view({-1, 4});
  expect_torch_values(y, Shape({6, 4}), nabla::kFloat32, x.to_vector());  // row-major order kept
}

// torch: auto y = x.reshape({2, -1});
TEST(LibtorchSurface, Reshape) {
  Tensor x = counting({2, 3, 4});
  auto y = x.reshape({2, -1});
  expect_torch_values(y, Shape({2, 12}), nabla::kFloat32, x.to_vector());
}

// torch: auto y = x.unsqueeze(0).squeeze();
TEST(LibtorchSurface, UnsqueezeSqueeze) {
  Tensor x = counting({3, 1, 2});
  auto y = x.unsqueeze(0).squeeze();
  expect_torch_values(y, Shape({3, 2}), nabla::kFloat32, {0, 1, 2, 3, 4, 5});
}

// torch: auto y = x.permute({1, 0});
TEST(LibtorchSurface, Permute) {
  Tensor x = counting({2, 3});
  auto y = x.permute({1, 0});
  expect_torch_values(y, Shape({3, 2}), nabla::kFloat32, {0, 3, 1, 4, 2, 5});
}

// torch: auto y = x.transpose(0, 1).contiguous();
TEST(LibtorchSurface, TransposeContiguous) {
  Tensor x = counting({2, 3});
  auto y = x.transpose(0, 1).contiguous();
  expect_torch_values(y, Shape({3, 2}), nabla::kFloat32, {0, 3, 1, 4, 2, 5});
}

// torch: auto y = x.t().mm(x);
TEST(LibtorchSurface, MmMethod) {
  Tensor x = counting({2, 3});
  auto y = x.t().mm(x);
  expect_torch_values(y, Shape({3, 3}), nabla::kFloat32, {9, 12, 15, 12, 17, 22, 15, 22, 29});
}

// torch: auto y = torch::matmul(a, b);
TEST(LibtorchSurface, MatmulFunction) {
  Tensor a = nabla::ones({2, 3}), b = nabla::ones({3, 4});
  auto y = nabla::matmul(a, b);
  EXPECT_EQ(y.at({1, 3}), 3.0);
}

// torch: auto y = a.matmul(b);
TEST(LibtorchSurface, MatmulMethod) {
  Tensor a = counting({2, 3}), b = counting({3, 4});
  auto y = a.matmul(b);
  expect_torch_values(y, Shape({2, 4}), nabla::kFloat32, {20, 23, 26, 29, 56, 68, 80, 92});
}

// torch: auto y = x.relu();
TEST(LibtorchSurface, ReluMethod) {
  Tensor x = nabla::tensor({-1.0, 2.0});
  auto y = x.relu();
  expect_torch_values(y, Shape({2}), nabla::kFloat32, {0, 2});
}

// torch: auto y = torch::relu(x);
TEST(LibtorchSurface, ReluFunction) {
  Tensor x = nabla::tensor({-1.0, 2.0});
  auto y = nabla::relu(x);
  expect_torch_values(y, Shape({2}), nabla::kFloat32, {0, 2});
}

// torch: auto y = x.sigmoid() * x.tanh();
TEST(LibtorchSurface, SigmoidTanhMethods) {
  Tensor x = nabla::tensor({1.0}, nabla::kFloat64);
  auto y = x.sigmoid() * x.tanh();
  EXPECT_NEAR(y.item<double>(), std::tanh(1.0) / (1.0 + std::exp(-1.0)), 1e-12);
}

// torch: auto y = x.exp().log();
TEST(LibtorchSurface, ExpLogMethods) {
  Tensor x = nabla::tensor({0.5}, nabla::kFloat64);
  auto y = x.exp().log();
  EXPECT_NEAR(y.item<double>(), 0.5, 1e-12);
}

// torch: auto y = x.sin() + x.cos();
TEST(LibtorchSurface, SinCosMethods) {
  Tensor x = nabla::tensor({0.3}, nabla::kFloat64);
  auto y = x.sin() + x.cos();
  EXPECT_NEAR(y.item<double>(), std::sin(0.3) + std::cos(0.3), 1e-12);
}

// torch: auto y = x.pow(2).sum();
TEST(LibtorchSurface, PowSum) {
  Tensor x = nabla::tensor({1.0, 2.0});
  auto y = x.pow(2).sum();
  EXPECT_EQ(y.item<double>(), 5.0);
}

// torch: auto z = x.add(1).mul(y).sub(y).div(2);
TEST(LibtorchSurface, ArithmeticMethods) {
  Tensor x = nabla::tensor({3.0}), y = nabla::tensor({4.0});
  auto z = x.add(1).mul(y).sub(y).div(2);
  EXPECT_EQ(z.item<double>(), 6.0);  // ((3 + 1) * 4 - 4) / 2
}

// torch: auto y = x.clamp(0, 1);
TEST(LibtorchSurface, Clamp) {
  Tensor x = nabla::tensor({-1.0, 0.5, 2.0});
  auto y = x.clamp(0, 1);
  expect_torch_values(y, Shape({3}), nabla::kFloat32, {0, 0.5, 1});
}

// torch: auto y = x.softmax(1);
TEST(LibtorchSurface, SoftmaxMethod) {
  Tensor x = sample_logits();
  auto y = x.softmax(1);
  expect_torch_values(y, Shape({4, 3}), nabla::kFloat32,
                      {0.11226750910282135, 0.7506087422370911, 0.13712383806705475, 0.6582720875740051,
                       0.17940008640289307, 0.16232790052890778, 0.04506390914320946, 0.049803320318460464,
                       0.9051328301429749, 0.36716538667678833, 0.3322249948978424, 0.3006095886230469},
                      1e-7);
}

// torch: auto y = torch::log_softmax(x, 1);
TEST(LibtorchSurface, LogSoftmaxFunction) {
  Tensor x = sample_logits();
  auto y = nabla::log_softmax(x, 1);
  expect_torch_values(y, Shape({4, 3}), nabla::kFloat32,
                      {-2.186870813369751, -0.2868707478046417, -1.9868707656860352, -0.41813692450523376,
                       -1.7181369066238403, -1.8181369304656982, -3.0996735095977783, -2.99967360496521,
                       -0.09967359155416489, -1.0019428730010986, -1.1019428968429565, -1.2019429206848145},
                      1e-6);
}

// torch: auto y = x.abs().sqrt().neg();
TEST(LibtorchSurface, AbsSqrtNeg) {
  Tensor x = nabla::tensor({-4.0});
  auto y = x.abs().sqrt().neg();
  EXPECT_EQ(y.item<double>(), -2.0);
}

// torch: double n = x.norm().item<double>();
TEST(LibtorchSurface, Norm) {
  Tensor x = nabla::tensor({3.0, 4.0});
  double n = x.norm().item<double>();
  EXPECT_DOUBLE_EQ(n, 5.0);
}

// torch: auto [values, indices] = x.max(1);
TEST(LibtorchSurface, MaxAlongDim) {
  Tensor x = sample_logits();
  auto [values, indices] = x.max(1);
  expect_torch_values(values, Shape({4}), nabla::kFloat32, {2.0, 1.5, 3.0, 0.5}, 1e-7);
  expect_torch_values(indices, Shape({4}), nabla::kInt64, {1, 0, 2, 0});
}

// torch: auto smallest = std::get<0>(x.min(1));
TEST(LibtorchSurface, MinAlongDim) {
  Tensor x = sample_logits();
  auto smallest = std::get<0>(x.min(1));
  expect_torch_values(smallest, Shape({4}), nabla::kFloat32, {0.1, 0.1, 0.0, 0.3}, 1e-7);
}

// torch: auto y = x.mean(1, /*keepdim=*/true);
TEST(LibtorchSurface, MeanKeepdim) {
  Tensor x = counting({2, 3});
  auto y = x.mean(1, /*keepdim=*/true);
  expect_torch_values(y, Shape({2, 1}), nabla::kFloat32, {1, 4});
}

// torch: auto pred = logits.argmax(1);
TEST(LibtorchSurface, ArgmaxMethod) {
  Tensor logits = sample_logits();
  auto pred = logits.argmax(1);
  expect_torch_values(pred, Shape({4}), nabla::kInt64, {1, 0, 2, 0});
}

// torch: int64_t correct = (logits.argmax(1) == labels).sum().item<int64_t>();
TEST(LibtorchSurface, CountCorrectPredictions) {
  Tensor logits = sample_logits(), labels = sample_labels();
  int64_t correct = (logits.argmax(1) == labels).sum().item<int64_t>();
  EXPECT_EQ(correct, 3);  // predictions 1, 0, 2, 0 against labels 1, 0, 2, 1
}

// torch: auto accuracy = pred.eq(labels).to(torch::kFloat).mean().item<float>();
TEST(LibtorchSurface, AccuracyWithEqMethod) {
  Tensor pred = sample_logits().argmax(1), labels = sample_labels();
  auto accuracy = pred.eq(labels).to(nabla::kFloat).mean().item<float>();
  EXPECT_FLOAT_EQ(accuracy, 0.75f);
}

// torch: auto y = x.masked_fill(x < 0, 0);
TEST(LibtorchSurface, MaskedFill) {
  Tensor x = nabla::tensor({-1.0, 2.0, -3.0});
  auto y = x.masked_fill(x < 0, 0);
  expect_torch_values(y, Shape({3}), nabla::kFloat32, {0, 2, 0});
}

// torch: auto y = x.slice(1, 0, 2);
TEST(LibtorchSurface, Slice) {
  Tensor x = nabla::arange(12).reshape({3, 4});
  auto y = x.slice(1, 0, 2);
  expect_torch_values(y, Shape({3, 2}), nabla::kFloat32, {0, 1, 4, 5, 8, 9});
}

// torch: auto row = x.select(0, 1);
TEST(LibtorchSurface, Select) {
  Tensor x = nabla::arange(12).reshape({3, 4});
  auto row = x.select(0, 1);
  expect_torch_values(row, Shape({4}), nabla::kFloat32, {4, 5, 6, 7});
}

// torch: auto y = x.narrow(1, 1, 2);
TEST(LibtorchSurface, Narrow) {
  Tensor x = nabla::arange(12).reshape({3, 4});
  auto y = x.narrow(1, 1, 2);
  expect_torch_values(y, Shape({3, 2}), nabla::kFloat32, {1, 2, 5, 6, 9, 10});
}

// torch: auto row = x[2];
TEST(LibtorchSurface, SubscriptOperator) {
  Tensor x = nabla::arange(12).reshape({3, 4});
  auto row = x[2];
  expect_torch_values(row, Shape({4}), nabla::kFloat32, {8, 9, 10, 11});
}

// torch: using namespace torch::indexing; auto column = x.index({Slice(), 0});
TEST(LibtorchSurface, IndexWithSlice) {
  Tensor x = nabla::arange(12).reshape({3, 4});
  using namespace nabla::indexing; auto column = x.index({Slice(), 0});
  expect_torch_values(column, Shape({3}), nabla::kFloat32, {0, 4, 8});
}

// torch: auto a = x.accessor<float, 2>(); float v = a[1][2];
TEST(LibtorchSurface, Accessor) {
  Tensor x = nabla::arange(12).reshape({3, 4});
  auto a = x.accessor<float, 2>(); float v = a[1][2];
  EXPECT_EQ(v, 6.0f);
}

// torch: auto y = torch::cat({a, b}, 0);
TEST(LibtorchSurface, Cat) {
  Tensor a = counting({2, 3}), b = nabla::full({1, 3}, 9.0);
  auto y = nabla::cat({a, b}, 0);
  expect_torch_values(y, Shape({3, 3}), nabla::kFloat32, {0, 1, 2, 3, 4, 5, 9, 9, 9});
}

// torch: auto y = torch::stack({a, b});
TEST(LibtorchSurface, Stack) {
  Tensor a = counting({2, 3}), b = -a;
  auto y = nabla::stack({a, b});
  expect_torch_values(y, Shape({2, 2, 3}), nabla::kFloat32, {0, 1, 2, 3, 4, 5, 0, -1, -2, -3, -4, -5});
}

// torch: auto y = torch::where(x > 0, x, torch::zeros_like(x));
TEST(LibtorchSurface, Where) {
  Tensor x = nabla::tensor({-1.0, 2.0});
  auto y = nabla::where(x > 0, x, nabla::zeros_like(x));
  expect_torch_values(y, Shape({2}), nabla::kFloat32, {0, 2});
}

// torch: auto shifted = labels + 1;
TEST(LibtorchSurface, Int64Arithmetic) {
  Tensor labels = sample_labels();
  auto shifted = labels + 1;
  expect_torch_values(shifted, Shape({4}), nabla::kInt64, {2, 1, 3, 2});
}

// torch: auto y = x.expand({3, 4});
TEST(LibtorchSurface, Expand) {
  Tensor x = counting({1, 4});
  auto y = x.expand({3, 4});
  expect_torch_values(y, Shape({3, 4}), nabla::kFloat32, {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3});
}

// torch: auto y = x.index_select(0, idx);
TEST(LibtorchSurface, IndexSelect) {
  Tensor x = nabla::arange(12).reshape({3, 4}), idx = nabla::tensor({2, 0}, nabla::kInt64);
  auto y = x.index_select(0, idx);
  expect_torch_values(y, Shape({2, 4}), nabla::kFloat32, {8, 9, 10, 11, 0, 1, 2, 3});
}

// torch: auto y = x.to(torch::kFloat64).detach().clone();
TEST(LibtorchSurface, ToDetachClone) {
  Tensor x = nabla::tensor({0.1, 2.5}).requires_grad_();
  auto y = x.to(nabla::kFloat64).detach().clone();
  // float32's 0.1, widened exactly: 0.10000000149011612, as libtorch gives.
  expect_torch_values(y, Shape({2}), nabla::kFloat64, {0.10000000149011612, 2.5});
  EXPECT_FALSE(y.requires_grad());
}

// torch: float* p = x.data_ptr<float>();
TEST(LibtorchSurface, DataPtr) {
  Tensor x = nabla::full({3}, 2.0);
  float* p = x.data_ptr<float>();
  EXPECT_EQ(p[2], 2.0f);
}

// torch: std::cout << x << std::endl;
TEST(LibtorchSurface, Printing) {
  Tensor x = nabla::ones({2});
  std::ostringstream out;
  out << x << std::endl;
  EXPECT_EQ(out.str(), "tensor([1., 1.])\n");  // PyTorch's layout (libtorch's own differs: " 1\n 1\n[ CPUFloatType{2} ]")
}

// torch: auto y = (x * x).sum(); y.backward(); auto g = x.grad();
TEST(LibtorchSurface, Backward) {
  Tensor x = nabla::tensor({1.0, 2.0}).requires_grad_();
  auto y = (x * x).sum(); y.backward(); auto g = x.grad();
  EXPECT_EQ(g.at({1}), 4.0);
}

// torch: torch::NoGradGuard no_grad;
TEST(LibtorchSurface, NoGradGuard) {
  Tensor x = nabla::ones({2}).requires_grad_();
  nabla::NoGradGuard no_grad;
  EXPECT_FALSE((x * 2).requires_grad());
}

// torch: torch::manual_seed(42);
TEST(LibtorchSurface, ManualSeed) {
  nabla::manual_seed(42);
  const double first = nabla::rand({1}).item<double>();
  nabla::manual_seed(42);
  EXPECT_EQ(nabla::rand({1}).item<double>(), first);
}

// torch: torch::nn::Linear fc(784, 10);
// libtorch draws weight and bias from U(+-1/sqrt(784)); nabla's Linear is a Dense layer:
// Glorot uniform weight, bias 0 (a row of the README's conventions table, checked here).
TEST(LibtorchSurface, Linear) {
  nabla::nn::Linear fc(784, 10);
  EXPECT_EQ(fc.parameter_count(), 7850);
  EXPECT_EQ(fc.weight().sizes(), Shape({10, 784}));
  const double glorot = std::sqrt(6.0 / (784 + 10));
  EXPECT_LE(fc.weight().abs().max().item<double>(), glorot);
  const auto [mean, spread] = moments(fc.weight());
  EXPECT_NEAR(mean, 0.0, 0.01 * glorot);
  EXPECT_NEAR(spread, glorot / std::sqrt(3.0), 0.02 * glorot);
  expect_torch_values(fc.bias(), {10}, nabla::kFloat32, std::vector<double>(10, 0.0));
}

// torch: auto y = fc->forward(x);
TEST(LibtorchSurface, LinearForwardThroughArrow) {
  nabla::nn::Linear fc = linear_4_2();
  auto y = fc->forward(training_input());
  expect_torch_values(y, {3, 2}, nabla::kFloat32, {0.4, 0.0, -0.2, 1.0, -0.8, 2.0}, 1e-6);
}

// torch: torch::nn::Sequential model(torch::nn::Linear(4, 8), torch::nn::ReLU(), torch::nn::Linear(8, 2));
TEST(LibtorchSurface, VariadicSequential) {
  nabla::nn::Sequential model(nabla::nn::Linear(4, 8), nabla::nn::ReLU(), nabla::nn::Linear(8, 2));
  EXPECT_EQ(model.size(), 3u);
  EXPECT_EQ(model.parameter_count(), 4 * 8 + 8 + 8 * 2 + 2);
  EXPECT_EQ(model(nabla::ones({5, 4})).sizes(), Shape({5, 2}));
}

// torch: torch::optim::SGD optimizer(model->parameters(), /*lr=*/0.1);
TEST(LibtorchSurface, SgdWithLearningRate) {
  nabla::nn::Sequential model({nabla::nn::Dense(4, 2)});
  nabla::optim::SGD optimizer(model->parameters(), /*lr=*/0.1);
  EXPECT_DOUBLE_EQ(optimizer.learning_rate(), 0.1);
  expect_near_all(after_steps<nabla::optim::SGD>(0.1, 1),
                  {0.06000003, 0.19000004, 0.32000008, 0.45000011, -0.90000004, -0.95000005, -1.0, -1.05000007,
                   0.62, -1.10000002},
                  1e-6);
}

// torch: torch::optim::SGD optimizer(params, torch::optim::SGDOptions(0.1).momentum(0.9));
TEST(LibtorchSurface, SgdWithMomentum) {
  expect_near_all(after_steps<nabla::optim::SGD>(nabla::optim::SGDOptions(0.1).momentum(0.9), 3),
                  {5.68387556, 6.67459488, 7.66531372, 8.65603352, -18.00937653, -20.96047211, -23.91156197,
                   -26.86266518, 4.06287527, -12.70437622},
                  1e-5);
}

// torch: torch::optim::Adam optimizer(model->parameters(), /*lr=*/1e-3);
TEST(LibtorchSurface, AdamWithLearningRate) {
  nabla::nn::Sequential model({nabla::nn::Dense(4, 2)});
  nabla::optim::Adam optimizer(model->parameters(), /*lr=*/1e-3);
  EXPECT_DOUBLE_EQ(optimizer.learning_rate(), 1e-3);
  expect_near_all(after_steps<nabla::optim::Adam>(1e-3, 3),
                  {-0.2970016, -0.19700176, -0.09700187, 0.00299802, 0.09700053, 0.19700053, 0.29700059, 0.39700058,
                   0.50299627, -0.50299931},
                  1e-5);
}

// torch: optimizer.zero_grad(); loss.backward(); optimizer.step();
// On Linear(3, 3) with weight = arange(9).reshape({3, 3}) / 9 - 0.4, bias = {0.1, 0, -0.1}.
TEST(LibtorchSurface, TrainingStep) {
  nabla::nn::Sequential model({nabla::nn::Linear(3, 3)});
  const std::vector<Tensor> parameters = model.parameters();
  parameters[0].detach().copy_(counting({3, 3}) / 9 - 0.4);
  parameters[1].detach().copy_(nabla::tensor({0.1, 0.0, -0.1}));
  nabla::optim::SGD optimizer(model.parameters(), nabla::optim::SGDOptions(0.1));
  Tensor loss = nabla::nn::cross_entropy(model(sample_logits()), sample_labels());
  EXPECT_NEAR(loss.item<double>(), 1.12531447, 1e-6);
  optimizer.zero_grad(); loss.backward(); optimizer.step();
  EXPECT_NEAR(nabla::nn::cross_entropy(model(sample_logits()), sample_labels()).item<double>(), 1.06592, 1e-6);
  expect_near_all(parameters[0].to_vector(),
                  {-0.37283698, -0.2945404, -0.18609503, -0.06794311, 0.08479415, 0.14617054, 0.24078012, 0.34307957,
                   0.5065912},
                  1e-6);
  expect_near_all(parameters[1].to_vector(), {0.10831537, 0.02075816, -0.12907353}, 1e-6);
}

// torch: model->train(); model->eval();
TEST(LibtorchSurface, TrainEvalThroughArrow) {
  nabla::nn::Sequential model({nabla::nn::Dense(4, 2)});
  model->train(); model->eval();
  EXPECT_FALSE(model.is_training());
}

// torch: auto loss = torch::nn::functional::cross_entropy(logits, labels);
TEST(LibtorchSurface, FunctionalCrossEntropy) {
  Tensor logits = sample_logits(), labels = sample_labels();
  auto loss = nabla::nn::functional::cross_entropy(logits, labels);
  EXPECT_GT(loss.item<double>(), 0.0);
}

// torch: namespace F = torch::nn::functional; auto y = F::relu(F::linear(x, w, b));
TEST(LibtorchSurface, FunctionalLinearRelu) {
  Tensor x = nabla::ones({2, 3}), w = nabla::ones({4, 3}), b = nabla::full({4}, -5.0);
  namespace F = nabla::nn::functional; auto y = F::relu(F::linear(x, w, b));
  EXPECT_EQ(y.sum().item<double>(), 0.0);  // 3 - 5 < 0 everywhere
}

// torch: auto y = F::dropout(x, F::DropoutFuncOptions().p(0.5).training(false));
TEST(LibtorchSurface, FunctionalDropout) {
  namespace F = nabla::nn::functional;
  Tensor x = nabla::ones({2, 3});
  auto y = F::dropout(x, F::DropoutFuncOptions().p(0.5).training(false));
  EXPECT_EQ(y.sum().item<double>(), 6.0);
}

// torch: torch::nn::init::xavier_uniform_(w);
TEST(LibtorchSurface, XavierUniform) {
  Tensor w = nabla::zeros({4, 6});
  nabla::nn::init::xavier_uniform_(w);
  EXPECT_LE(w.abs().max().item<double>(), std::sqrt(6.0 / 10.0));
  // U(-a, a) with a = sqrt(6 / (fan_in + fan_out)), libtorch's: standard deviation a / sqrt 3,
  // checked on a larger weight with the same a (fan_in + fan_out = 10).
  Tensor big = nabla::zeros({5, 5});
  double sum = 0, sum_squares = 0;
  for (int draw = 0; draw < 4000; ++draw) {
    nabla::nn::init::xavier_uniform_(big);
    sum += big.sum().item<double>();
    sum_squares += (big * big).sum().item<double>();
  }
  const double n = 4000.0 * 25, mean = sum / n;
  EXPECT_NEAR(mean, 0.0, 0.01);
  EXPECT_NEAR(std::sqrt(sum_squares / n - mean * mean), std::sqrt(6.0 / 10.0) / std::sqrt(3.0), 0.005);
}

// torch: torch::nn::init::kaiming_normal_(w, 0.0, torch::kFanOut, torch::kReLU);
TEST(LibtorchSurface, KaimingNormal) {
  Tensor w = nabla::zeros({4, 6});
  nabla::nn::init::kaiming_normal_(w, 0.0, nabla::kFanOut, nabla::kReLU);
  EXPECT_GT(w.abs().sum().item<double>(), 0.0);
  // N(0, gain^2 / fan_out) with relu's gain sqrt(2): std sqrt(2 / 4) for fan_out = 4 rows,
  // checked on a larger weight of the same fan_out.
  Tensor big = nabla::zeros({4, 50000});
  nabla::nn::init::kaiming_normal_(big, 0.0, nabla::kFanOut, nabla::kReLU);
  const auto [mean, stddev] = moments(big);
  EXPECT_NEAR(mean, 0.0, 0.01);
  EXPECT_NEAR(stddev, std::sqrt(2.0 / 4.0), 0.01);
}

// torch: torch::nn::init::zeros_(b);
TEST(LibtorchSurface, InitZeros) {
  Tensor b = nabla::ones({4});
  nabla::nn::init::zeros_(b);
  EXPECT_EQ(b.abs().sum().item<double>(), 0.0);
}

// Lines nabla does not accept, and why (counted as not compiling):
//
// torch: struct Net : torch::nn::Module { torch::Tensor forward(torch::Tensor x); };
//   nabla's Module::forward is a virtual taking const Tensor&, and a module names its
//   type (type_name()); a forward(Tensor) would not override it.
// torch: torch::nn::Linear fc{nullptr}; ... fc = register_module("fc", torch::nn::Linear(4, 2));
//   libtorch's modules are reference-counted holders that can be null; nabla's are values
//   (std::make_shared<nn::Linear>(4, 2) with register_module gives the same sharing).
// torch: torch::nn::init::xavier_uniform_(fc->weight);
//   a layer's weight is fc.weight() (a method), not a public member.
// torch: for (const auto& p : model->named_parameters()) std::cout << p.key();
//   named_parameters() gives std::pair<name, tensor> (p.first), not libtorch's OrderedDict.
// torch: auto loss = torch::mse_loss(prediction, target);
//   the losses live in nabla::nn (nn::mse_loss, or nn::functional::mse_loss), not in nabla.
// torch: torch::save(model, "model.pt");
//   nabla's file format is its own: nn::save(model, "model.nbl").

}  // namespace
