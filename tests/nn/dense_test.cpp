#include "nn/layers/dense.h"

#include <gtest/gtest.h>

#include <cmath>

#include "nn/nn.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;

TEST(Dense, ComputesActivationOfXWTransposePlusB) {
  nn::Dense layer(3, 2, "relu", {.dtype = kFloat64});
  NoGradGuard g;
  layer.weight().detach().copy_(tensor({1, 0, -1, 2, 1, 0}, {2, 3}, kFloat64));
  layer.bias().detach().copy_(tensor({0.5, -10}, kFloat64));
  const Tensor y = layer(tensor({1, 2, 3}, {1, 3}, kFloat64));
  testing::expect_values_near(y, {relu(tensor({1 - 3 + 0.5}, kFloat64)).item(), 0.0});  // [-1.5 -> 0, 4-10 -> 0]
  testing::expect_values_near(layer(tensor({3, 1, 0}, {1, 3}, kFloat64)), {3.5, 0});
}

TEST(Dense, GradientsOfWeightsBiasAndInput) {
  nn::Dense layer(4, 3, "tanh", {.dtype = kFloat64});
  const Tensor x = testing::random_leaf({5, 4}, 1);
  const GradcheckResult r = gradcheck(
      [&](const TensorList& in) {
        return relu(mm(in[0], in[1], false, true) + in[2]) * 0 + tanh(mm(in[0], in[1], false, true) + in[2]);
      },
      {x, layer.weight(), layer.bias()});
  EXPECT_TRUE(r.passed) << r;
  // And through the layer itself, w.r.t. its input.
  EXPECT_TRUE(gradcheck([&](const Tensor& in) { return layer(in); }, x).passed);
}

TEST(Dense, InitialisationMatchesTheActivation) {
  manual_seed(0);
  nn::Dense relu_layer(1000, 500, "relu"), tanh_layer(1000, 500, "tanh");
  // He uniform: U(-a, a), a = sqrt(6 / fan_in), variance 2 / fan_in.
  const double he_var = 2.0 / 1000, glorot_var = 2.0 / (1000 + 500);
  EXPECT_NEAR(relu_layer.weight().square().mean().item(), he_var, he_var * 0.02);
  EXPECT_NEAR(tanh_layer.weight().square().mean().item(), glorot_var, glorot_var * 0.02);
  EXPECT_LE(relu_layer.weight().max().item(), std::sqrt(6.0 / 1000));
  EXPECT_EQ(relu_layer.bias().abs().max().item(), 0.0);
  nn::Dense explicit_init(1000, 500, "relu", {.init = nn::Init::GlorotUniform});
  EXPECT_NEAR(explicit_init.weight().square().mean().item(), glorot_var, glorot_var * 0.02);
}

TEST(Dense, SameSeedSameWeights) {
  manual_seed(7);
  nn::Dense a(10, 5, "relu");
  manual_seed(7);
  nn::Dense b(10, 5, "relu");
  EXPECT_EQ(a.weight().to_vector(), b.weight().to_vector());
}

TEST(Dense, WrongInputShapeIsNamed) {
  nn::Dense layer(784, 10);
  expect_error<ShapeError>([&] { layer(zeros({2, 785})); },
                           "Dense(784 -> 10): expects input of shape [batch, 784], got [2, 785]");
}

TEST(Dense, UnknownActivationFailsAtConstruction) {
  expect_error<std::invalid_argument>([] { nn::Dense(2, 2, "rleu"); }, "unknown activation 'rleu'");
}

TEST(Dense, WithoutBias) {
  nn::Dense layer(3, 2, "identity", {.bias = false});
  EXPECT_EQ(layer.parameters().size(), 1u);
  EXPECT_FALSE(layer.bias().defined());
}

TEST(Dense, CustomActivationByName) {
  register_activation({.name = "dense_test_double", .apply = [](const Tensor& x) { return x * 2.0; }});
  nn::Dense layer(2, 2, "dense_test_double", {.dtype = kFloat64});
  nn::Dense linear(2, 2, "identity", {.dtype = kFloat64});
  NoGradGuard g;
  linear.weight().detach().copy_(layer.weight());
  const Tensor x = ones({1, 2}, kFloat64);
  testing::expect_tensors_near(layer(x), linear(x) * 2.0, 1e-15);
}

// Inputs of nn::dense for one activation: x [5, 4], W [3, 4], b [3], float64 leaves, drawn
// so that every pre-activation z lies in the activation's domain and at least 1e-3 from its
// kinks (finite differences across a kink disagree with any convention).
struct DenseInputs {
  Tensor x, w, b;
};
DenseInputs dense_inputs_for(const Activation& a) {
  for (uint64_t seed = 1;; ++seed) {
    Generator gen(seed);
    const bool positive = a.domain != Domain::AllReals;
    auto draw = [&](const Shape& shape) {
      Tensor t = positive ? rand(shape, kFloat64, &gen).add_(0.25) : randn(shape, kFloat64, &gen);
      return t.requires_grad_();
    };
    DenseInputs in{draw({5, 4}), draw({3, 4}), draw({3})};
    const std::vector<double> z = (mm(in.x, in.w, false, true) + in.b).detach().to_vector();
    bool away = true;
    for (double v : z) {
      for (double k : a.kinks) away = away && std::abs(v - k) > 1e-3;
    }
    if (away) return in;
  }
}

// Every built-in activation of the table through nn::dense, with and without bias, against
// finite differences in float64: relu and identity take the fused op (its own backward),
// the others the fused linear part followed by the activation's op.
TEST(Dense, GradientsOfEveryBuiltinActivationWithAndWithoutBias) {
  int checked = 0;
  for (const std::string& name : activation_names()) {
    const Activation& a = activation(name);
    if (!a.builtin) continue;
    const DenseInputs in = dense_inputs_for(a);
    const GradcheckResult with_bias = gradcheck(
        [&](const TensorList& t) { return nn::dense(t[0], t[1], t[2], name); }, {in.x, in.w, in.b});
    EXPECT_TRUE(with_bias.passed) << name << " with bias: " << with_bias;
    const GradcheckResult without_bias =
        gradcheck([&](const TensorList& t) { return nn::dense(t[0], t[1], Tensor(), name); }, {in.x, in.w});
    EXPECT_TRUE(without_bias.passed) << name << " without bias: " << without_bias;
    ++checked;
  }
  EXPECT_GE(checked, 20);  // the table, not an empty list
}

// Second derivatives through the fused op (its create_graph backward is written in ops) and
// through the unfused path, with and without bias.
TEST(Dense, SecondDerivativesThroughTheFusedOp) {
  for (const std::string name : {"relu", "identity", "tanh"}) {
    const DenseInputs in = dense_inputs_for(activation(name));
    // Squared, so that the second derivative is not zero for relu and identity as well.
    const GradcheckResult with_bias = gradgradcheck(
        [&](const TensorList& t) { return nn::dense(t[0], t[1], t[2], name).square(); }, {in.x, in.w, in.b});
    EXPECT_TRUE(with_bias.passed) << name << " with bias: " << with_bias;
    const GradcheckResult without_bias = gradgradcheck(
        [&](const TensorList& t) { return nn::dense(t[0], t[1], Tensor(), name).square(); }, {in.x, in.w});
    EXPECT_TRUE(without_bias.passed) << name << " without bias: " << without_bias;
  }
}

}  // namespace
}  // namespace nabla
