// The function transforms (autograd/functional.h): forward mode and reverse mode give the same
// Jacobian for every op, and both agree with finite differences; Hessians by forward over
// reverse and by reverse over reverse agree; transforms compose (reverse over forward).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "autograd/ops/activation_functions.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::away_from_zero;
using testing::expect_error;
using testing::positive;
using testing::expect_tensors_near;
using testing::random_leaf;
using testing::relative_difference;

// The Jacobian by central differences (float64), shape f(x).sizes() + x.sizes(), Richardson
// extrapolated: (4 D(h/2) - D(h)) / 3 cancels the h^2 term of the central difference D, so
// the error is O(h^4) (about 1e-15 f^(5) at h = 2e-4) against a rounding error of about 1e-16 / h.
Tensor finite_difference_jacobian(const func::Function& f, const Tensor& given_x, double h = 2e-4) {
  NoGradGuard no_graph;
  const Tensor x = given_x.detach().clone();
  const Tensor y = f(x);
  auto central = [&](int64_t j, double step) {
    Tensor up = x.clone(), down = x.clone();
    up.flatten().narrow(0, j, 1).add_(step);
    down.flatten().narrow(0, j, 1).add_(-step);
    return (f(up) - f(down)) / (2 * step);
  };
  TensorList columns;
  for (int64_t j = 0; j < x.numel(); ++j) columns.push_back((central(j, h / 2) * 4.0 - central(j, h)) / 3.0);
  Shape shape = y.sizes();
  for (int64_t s : x.sizes()) shape.push_back(s);
  return stack(columns, -1).reshape(shape);
}

struct OpCase {
  std::string name;
  func::Function f;
  Tensor x;
};

// Every differentiable op of the engine, each as a function of one float64 input (the other
// operands fixed), at points away from kinks and domain edges.
std::vector<OpCase> op_cases() {
  const Tensor w = random_leaf({3, 4}, 21).detach(), row = random_leaf({4}, 22).detach();
  const Tensor m = random_leaf({4, 2}, 23).detach(), bias = random_leaf({3}, 24).detach();
  const Tensor labels = tensor({0, 2, 1}, kInt64);
  const Tensor x = away_from_zero({3, 4}, 7), p = positive({3, 4}, 8);
  std::vector<OpCase> cases = {
#define NABLA_UNARY(op, ...) {#op, [](const Tensor& t) { return nabla::op(t); }, std::string(#op) == "log" || std::string(#op) == "sqrt" ? p : x},
#include "autograd/ops/unary_ops.def"
#undef NABLA_UNARY
      {"relu", [](const Tensor& t) { return relu(t); }, x},
      {"sigmoid", [](const Tensor& t) { return sigmoid(t); }, x},
      {"tanh", [](const Tensor& t) { return nabla::tanh(t); }, x},
      {"identity", [](const Tensor& t) { return identity(t); }, x},
      {"x + w, x - row", [w, row](const Tensor& t) { return (t + w) - row; }, x},
      {"x * w, row / x", [w, row](const Tensor& t) { return t * w + row / t; }, x},
      {"maximum, minimum", [w](const Tensor& t) { return maximum(t, w) + minimum(w * 0.5, t); }, x},
      {"scalar ops", [](const Tensor& t) { return (t + 2.0) * 3.0 - 1.0 + 2.0 / t - t / 4.0 + (5.0 - t); }, x},
      {"pow, clamp", [](const Tensor& t) { return pow(t, 3.0) + clamp(t, -0.5, 0.7); }, x},
      {"where", [w](const Tensor& t) { return where(gt(w, 0.0), t * t, -t); }, x},
      {"sum, mean", [](const Tensor& t) { return stack({t.sum(), t.mean(), t.sum(1).sum(), t.mean(0, true).sum()}); }, x},
      {"amax, max(dim), min", [](const Tensor& t) { return stack({t.amax(), std::get<0>(t.max(1)).sum(), t.min()}); }, x},
      {"norm", [](const Tensor& t) { return t.norm(); }, x},
      {"softmax, log_softmax", [](const Tensor& t) { return softmax(t, 1) + log_softmax(t, 0); }, x},
      {"cross_entropy", [labels](const Tensor& t) { return softmax_cross_entropy(t, labels); }, x},
      {"mm, matmul", [m](const Tensor& t) { return t.mm(m).sum(0) + matmul(t.t(), t).sum(1).narrow(0, 0, 2); }, x},
      {"linear (+ relu)", [w, bias](const Tensor& t) { return linear(t, w, bias) + linear(t, w, bias, LinearActivation::Relu); }, x},
      {"views", [](const Tensor& t) {
         return cat({t.t().reshape({-1}), t.slice(1, 0, 4, 2).flatten(), t.diagonal(), t.unfold(1, 2, 1).sum(-1).flatten(),
                     t[1], t.select(1, 2), t.narrow(0, 1, 2).flatten(), t.unsqueeze(0).squeeze(0).permute({1, 0}).flatten(),
                     index_select(t, 0, std::vector<int64_t>{2, 0}).flatten(), broadcast_to(t.narrow(0, 0, 1), {2, 4}).flatten()});
       }, x},
      {"clone, index_add, where of two", [w](const Tensor& t) {
         return t.clone() * 3.0 + index_add({4, 4}, 0, tensor({3, 0, 3}, kInt64), t).narrow(0, 0, 3) +
                where(gt(w, 0.0), t, t.exp());
       }, x},
      {"stack, contiguous", [](const Tensor& t) { return stack({t.t().contiguous(), t.t() * 2}); }, x},
  };
  return cases;
}

TEST(Functional, ForwardAndReverseModeGiveTheSameJacobianForEveryOpAndFiniteDifferencesAgree) {
  for (const OpCase& c : op_cases()) {
    const Tensor forward = func::jacfwd(c.f, c.x), reverse = func::jacrev(c.f, c.x);
    EXPECT_EQ(forward.sizes(), reverse.sizes()) << c.name;
    EXPECT_LE(relative_difference(forward, reverse), 1e-10) << c.name;
    EXPECT_LE(relative_difference(forward, finite_difference_jacobian(c.f, c.x)), 1e-10) << c.name;
  }
}

// A 2-16-16-2 tanh network as a function of its input, and of its first weight.
Tensor mlp(const Tensor& x, const Tensor& w1) {
  const Tensor b1 = random_leaf({16}, 31).detach(), w2 = random_leaf({16, 16}, 32).detach();
  const Tensor b2 = random_leaf({16}, 33).detach(), w3 = random_leaf({2, 16}, 34).detach();
  const Tensor h = nabla::tanh(linear(x, w1, b1));
  return linear(nabla::tanh(linear(h, w2, b2)), w3, Tensor());
}

TEST(Functional, ForwardAndReverseModeAgreeOnAnMlpsJacobians) {
  const Tensor x = random_leaf({3, 2}, 35), w1 = random_leaf({16, 2}, 36, 0.5);
  auto of_x = [&](const Tensor& t) { return mlp(t, w1.detach()); };
  auto of_w = [&](const Tensor& t) { return mlp(x.detach(), t); };
  EXPECT_LE(relative_difference(func::jacfwd(of_x, x), func::jacrev(of_x, x)), 1e-10);
  EXPECT_LE(relative_difference(func::jacfwd(of_w, w1), func::jacrev(of_w, w1)), 1e-10);
  EXPECT_LE(relative_difference(func::jacfwd(of_x, x), finite_difference_jacobian(of_x, x)), 1e-10);
  EXPECT_LE(relative_difference(func::jacrev(of_w, w1), finite_difference_jacobian(of_w, w1)), 1e-10);
}

TEST(Functional, HessiansByForwardOverReverseAndReverseOverReverseAgree) {
  const Tensor x = random_leaf({3, 2}, 37), w1 = random_leaf({16, 2}, 38, 0.5);
  const Tensor labels = tensor({1, 0, 1}, kInt64);
  auto loss = [&](const Tensor& t) { return softmax_cross_entropy(mlp(x.detach(), t), labels).mean(); };
  const Tensor forward_over_reverse = func::hessian(loss, w1);
  const Tensor reverse_over_reverse = func::hessian_reverse_over_reverse(loss, w1);
  EXPECT_EQ(forward_over_reverse.sizes(), Shape({16, 2, 16, 2}));
  EXPECT_LE(relative_difference(forward_over_reverse, reverse_over_reverse), 1e-12);
  // A few elementwise functions whose saved outputs carry tangents in the backward.
  auto smooth = [](const Tensor& t) { return (exp(t) * sigmoid(t) + nabla::tanh(t) * sqrt(t) + log(t) / t).sum(); };
  const Tensor p = positive({5}, 39);
  EXPECT_LE(relative_difference(func::hessian(smooth, p), func::hessian_reverse_over_reverse(smooth, p)), 1e-12);
}

// jvp(f, x, v) for f: R^n -> R is the gradient along v; its own gradient in x is H v.
TEST(Functional, ReverseOverForwardGivesTheHessianVectorProduct) {
  const Tensor x = positive({4}, 40), v = random_leaf({4}, 41).detach();
  auto f = [](const Tensor& t) { return (exp(t) * t.sin() + t.square() * sigmoid(t)).sum(); };
  auto directional = [&](const Tensor& t) { return func::jvp(f, t, v).second; };
  const Tensor reverse_over_forward = func::vjp(directional, x, ones({}, kFloat64)).second;
  const Tensor by_hessian = matmul(func::hessian_reverse_over_reverse(f, x), v.unsqueeze(1)).squeeze(1);
  EXPECT_LE(relative_difference(reverse_over_forward, by_hessian), 1e-12)
      << reverse_over_forward << by_hessian;
  EXPECT_LE(relative_difference(func::hvp(f, x, v).second, by_hessian), 1e-12) << func::hvp(f, x, v).second;
}

TEST(Functional, JvpAndVjpGiveTheValueAndTheProduct) {
  const Tensor x = away_from_zero({5}, 42), v = random_leaf({5}, 43).detach();
  const auto [y, jv] = func::jvp([](const Tensor& t) { return t.sin(); }, x, v);
  expect_tensors_near(y, x.sin(), 1e-15);
  expect_tensors_near(jv, x.cos() * v, 1e-15);
  const auto [y2, uj] = func::vjp([](const Tensor& t) { return t.sin(); }, x, v);
  expect_tensors_near(uj, x.cos() * v, 1e-15);
  // Several inputs: J_a v_a + J_b v_b.
  const Tensor a = random_leaf({3}, 44), b = random_leaf({3}, 45), va = random_leaf({3}, 46), vb = random_leaf({3}, 47);
  const auto [ab, t] = func::jvp([](const TensorList& in) { return in[0] * in[1]; }, {a, b}, {va, vb});
  expect_tensors_near(t, va * b + a * vb, 1e-15);
}

TEST(Functional, ADirectionThatDoesNotFitItsInputIsAnErrorNamingBoth) {
  const Tensor x = random_leaf({3}, 48);
  auto f = [](const Tensor& t) { return t.exp(); };
  expect_error<ShapeError>([&] { func::jvp(f, x, zeros({4}, kFloat64)); }, "the direction's shape [4] is not its input's [3]");
  expect_error<DtypeError>([&] { func::jvp(f, x, zeros({3})); }, "the direction is float32 but its input is float64");
  expect_error<ShapeError>([&] { func::vjp(f, x, zeros({2}, kFloat64)); }, "vjp: the output");
  expect_error<ShapeError>([&] { func::hvp(f, x, zeros({3}, kFloat64)); }, "hvp: f must give one element");
}

}  // namespace
}  // namespace nabla
