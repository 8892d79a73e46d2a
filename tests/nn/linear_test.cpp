// nn::Linear: libtorch's name for a Dense layer without an activation.
#include "nn/layers/linear.h"

#include <gtest/gtest.h>

#include "nn/nn.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_tensors_near;

TEST(Linear, IsADenseLayerWithoutActivation) {
  nn::Linear fc(3, 2);
  EXPECT_EQ(fc.activation(), "identity");
  EXPECT_EQ(fc.in_features(), 3);
  EXPECT_EQ(fc.out_features(), 2);
  EXPECT_EQ(fc.parameter_count(), 8);
  const Tensor x = randn({4, 3});
  expect_tensors_near(fc(x), matmul(x, fc.weight().t()) + fc.bias(), 1e-6);
  expect_tensors_near(fc->forward(x), fc(x), 0.0);
  EXPECT_NE(dynamic_cast<nn::Dense*>(&fc), nullptr);
}

TEST(Linear, OptionsTurnTheBiasOff) {
  nn::Linear fc(nn::LinearOptions(5, 4).bias(false));
  EXPECT_FALSE(fc.bias().defined());
  EXPECT_EQ(fc.parameter_count(), 20);
  nn::Linear wide(5, 4, {.dtype = kFloat64});
  EXPECT_EQ(wide.weight().dtype(), kFloat64);
}

TEST(Linear, StackedLinearLayersCollapseLikeDense) {
  nn::Sequential model(nn::Linear(4, 6), nn::Linear(6, 3));
  nn::Dense one = nn::collapse(model);
  const Tensor x = randn({2, 4});
  expect_tensors_near(one(x), model(x), 1e-5);
}

TEST(Linear, RegisterModuleHandsTheModuleBack) {
  struct Net : nn::Module {
    Net() { fc = register_module("fc", std::make_shared<nn::Linear>(4, 2)); }
    Tensor forward(const Tensor& x) override { return fc->forward(x); }
    std::string type_name() const override { return "Net"; }
    std::shared_ptr<nn::Linear> fc;
  };
  Net net;
  ASSERT_EQ(net.named_parameters().size(), 2u);
  EXPECT_EQ(net.named_parameters()[0].first, "fc.weight");
  EXPECT_TRUE(net.parameters()[0].is_same(net.fc->weight()));
}

}  // namespace
}  // namespace nabla
