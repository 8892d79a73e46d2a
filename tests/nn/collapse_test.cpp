#include "nn/collapse.h"

#include <gtest/gtest.h>

#include <cmath>

#include "nn/nn.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

nn::Sequential deep_linear(int layers, int64_t width, ScalarType dtype) {
  nn::Sequential model;
  for (int i = 0; i < layers; ++i) {
    const int64_t in = i == 0 ? 20 : width, out = i + 1 == layers ? 5 : width;
    model.add(nn::Dense(in, out, "identity", {.dtype = dtype}));
  }
  // Non-zero biases, so that the bias composition is tested too.
  NoGradGuard g;
  for (const Tensor& p : model.parameters()) {
    if (p.dim() == 1) p.detach().uniform_(-1, 1);
  }
  return model;
}

TEST(Collapse, StackedLinearLayersAreOneLayerInFloat64) {
  manual_seed(3);
  for (int layers : {2, 3, 10}) {
    nn::Sequential model = deep_linear(layers, 16, kFloat64);
    nn::Dense single = nn::collapse(model);
    EXPECT_EQ(single.in_features(), 20);
    EXPECT_EQ(single.out_features(), 5);
    NoGradGuard g;
    const Tensor x = randn({50, 20}, kFloat64);
    const double diff = (model(x) - single(x)).abs().max().item();
    EXPECT_LT(diff, 1e-10) << layers << " layers";
  }
}

TEST(Collapse, StackedLinearLayersAreOneLayerInFloat32) {
  manual_seed(4);
  for (int layers : {2, 3, 10}) {
    nn::Sequential model = deep_linear(layers, 16, kFloat32);
    nn::Dense single = nn::collapse(model);
    NoGradGuard g;
    const Tensor x = randn({50, 20});
    const Tensor deep = model(x), flat = single(x);
    const double relative = ((deep - flat).abs().max() / deep.abs().max()).item();
    EXPECT_LT(relative, 1e-4) << layers << " layers";
  }
}

TEST(Collapse, ANonLinearityIsRefusedByName) {
  nn::Sequential with_relu({nn::Dense(4, 4), nn::Dense(4, 4, "relu"), nn::Dense(4, 2)});
  testing::expect_error<std::invalid_argument>([&] { nn::collapse(with_relu); },
                                               "layer 1 is Dense(4 -> 4, relu): its relu non-linearity");
  nn::Sequential with_layer({nn::Dense(4, 4), nn::ActivationLayer("tanh"), nn::Dense(4, 2)});
  testing::expect_error<std::invalid_argument>([&] { nn::collapse(with_layer); }, "layer 1 is Activation(tanh)");
}

TEST(Collapse, IdentityActivationLayersAreLinearAndCollapse) {
  manual_seed(5);
  nn::Sequential model({nn::ActivationLayer("identity"), nn::Dense(6, 4, "identity", {.dtype = kFloat64}),
                        nn::ActivationLayer("identity"), nn::Dense(4, 3, "identity", {.dtype = kFloat64})});
  nn::Dense single = nn::collapse(model);
  EXPECT_EQ(single.in_features(), 6);
  EXPECT_EQ(single.out_features(), 3);
  NoGradGuard g;
  const Tensor x = randn({10, 6}, kFloat64);
  EXPECT_LT((model(x) - single(x)).abs().max().item(), 1e-12);

  nn::Sequential only_identity({nn::ActivationLayer("identity")});
  testing::expect_error<std::invalid_argument>([&] { nn::collapse(only_identity); }, "no Dense layer");
  testing::expect_error<std::invalid_argument>([&] { nn::collapse(nn::Sequential()); }, "no Dense layer");
}

TEST(Collapse, DoesNotDrawFromTheRandomGenerator) {
  manual_seed(6);
  nn::Sequential model = deep_linear(3, 8, kFloat64);
  manual_seed(7);
  const double without = rand({1}, kFloat64).item();
  manual_seed(7);
  nn::collapse(model);
  EXPECT_EQ(rand({1}, kFloat64).item(), without);
}

TEST(Collapse, TheCollapsedLayerIsTheProductOfTheWeights) {
  nn::Sequential model({nn::Dense(2, 2, "identity", {.dtype = kFloat64}), nn::Dense(2, 1, "identity", {.dtype = kFloat64})});
  NoGradGuard g;
  auto& first = dynamic_cast<nn::Dense&>(model[0]);
  auto& second = dynamic_cast<nn::Dense&>(model[1]);
  first.weight().detach().copy_(tensor({1, 2, 3, 4}, {2, 2}, kFloat64));
  first.bias().detach().copy_(tensor({1, -1}, kFloat64));
  second.weight().detach().copy_(tensor({1, 1}, {1, 2}, kFloat64));
  second.bias().detach().copy_(tensor({10}, kFloat64));
  nn::Dense single = nn::collapse(model);
  testing::expect_values_near(single.weight(), {4, 6});    // W2 W1
  testing::expect_values_near(single.bias(), {10});        // W2 b1 + b2 = 1 - 1 + 10
}

}  // namespace
}  // namespace nabla
