// nn::functional: nabla's ops and losses under libtorch's names, plus linear and dropout.
#include "nn/functional.h"

#include <gtest/gtest.h>

#include "nn/nn.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

namespace F = nn::functional;
using testing::expect_error;
using testing::expect_tensors_near;
using testing::expect_values_near;
using testing::random_leaf;

TEST(Functional, NamesAreNablasOps) {
  const Tensor x = random_leaf({3, 4}, 1);
  expect_tensors_near(F::relu(x), relu(x));
  expect_tensors_near(F::softmax(x, 1), softmax(x, 1));
  expect_tensors_near(F::log_softmax(x, 1), log_softmax(x, 1));
  expect_tensors_near(F::gelu(x), gelu(x));
  const Tensor labels = tensor({0, 3, 1}, kInt64);
  expect_tensors_near(F::cross_entropy(x, labels), nn::cross_entropy(x, labels));
  expect_tensors_near(F::nll_loss(F::log_softmax(x, 1), labels), nn::cross_entropy(x, labels), 1e-12);
}

TEST(Functional, MethodFormsOfTheActivations) {
  const Tensor x = random_leaf({2, 3}, 2);
  expect_tensors_near(x.relu(), relu(x));
  expect_tensors_near(x.sigmoid(), sigmoid(x));
  expect_tensors_near(x.tanh(), tanh(x));
  expect_tensors_near(x.softmax(0), softmax(x, 0));
  expect_tensors_near(x.log_softmax(-1), log_softmax(x, -1));
  const GradcheckResult r = gradcheck([](const Tensor& t) { return t.tanh() * t.sigmoid() + t.softmax(1); }, x);
  EXPECT_TRUE(r.passed) << r;
}

TEST(Functional, LinearIsXTimesWTransposedPlusB) {
  const Tensor x = tensor({{1.0, 2.0}}, kFloat64), w = tensor({{1.0, 0.0}, {1.0, 1.0}, {0.0, -1.0}}, kFloat64);
  const Tensor b = tensor({10.0, 20.0, 30.0}, kFloat64);
  expect_values_near(F::linear(x, w, b), {11, 23, 28});
  expect_values_near(F::linear(x, w), {1, 3, -2});
  // Any number of leading dimensions, as in libtorch.
  EXPECT_EQ(F::linear(zeros({5, 4, 2}, kFloat64), w, b).sizes(), Shape({5, 4, 3}));
  // The same as a Dense layer holding w and b.
  nn::Dense dense(2, 3, "identity", {.dtype = kFloat64});
  expect_tensors_near(F::linear(x, dense.weight(), dense.bias()), dense(x));
  expect_error<ShapeError>([&] { F::linear(zeros({2, 5}, kFloat64), w, b); }, "linear: input [2, 5] does not fit weight [3, 2]");
}

TEST(Functional, LinearGradients) {
  const Tensor x = random_leaf({4, 3}, 3), w = random_leaf({2, 3}, 4), b = random_leaf({2}, 5);
  const GradcheckResult r = gradcheck([](const TensorList& in) { return F::linear(in[0], in[1], in[2]); }, {x, w, b});
  EXPECT_TRUE(r.passed) << r;
  const GradcheckResult rr = gradgradcheck([](const TensorList& in) { return F::linear(in[0], in[1], in[2]).square(); }, {x, w, b});
  EXPECT_TRUE(rr.passed) << rr;
}

TEST(Functional, DropoutKeepsTheExpectationAndPassesThroughWhenNotTraining) {
  const Tensor x = ones({100000});
  manual_seed(3);
  const Tensor y = F::dropout(x, 0.25, /*training=*/true);
  const double kept = (y > 0).to(kFloat64).mean().item<double>();
  EXPECT_NEAR(kept, 0.75, 0.01);
  EXPECT_NEAR(y.max().item<double>(), 1.0 / 0.75, 1e-6);  // the kept ones are scaled up
  EXPECT_TRUE(F::dropout(x, 0.25, /*training=*/false).is_same(x));
  EXPECT_TRUE(F::dropout(x, F::DropoutFuncOptions().p(0.5).training(false)).is_same(x));
  expect_error<std::invalid_argument>([&] { F::dropout(x, 1.0); }, "dropout: p must be in [0, 1), got 1");
}

TEST(Functional, DropoutGradientIsTheMask) {
  Tensor x = ones({1000}, kFloat64).requires_grad_();
  manual_seed(4);
  const Tensor y = F::dropout(x, 0.5);
  y.sum().backward();
  expect_tensors_near(x.grad(), y.detach());  // d/dx (x * mask) = mask, and x = 1
}

}  // namespace
}  // namespace nabla
