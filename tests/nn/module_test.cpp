#include "nn/module.h"

#include <gtest/gtest.h>

#include "nn/nn.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

TEST(Module, NamedParametersAreDottedAndInOrder) {
  nn::Sequential model({nn::Dense(4, 3, "relu"), nn::ActivationLayer("tanh"), nn::Dense(3, 2)});
  std::vector<std::string> names;
  for (const auto& [name, p] : model.named_parameters()) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias"}));
  EXPECT_EQ(model.parameter_count(), 4 * 3 + 3 + 3 * 2 + 2);
  for (const Tensor& p : model.parameters()) EXPECT_TRUE(p.requires_grad());
}

TEST(Module, NestedModelsPrefixTheirChildren) {
  nn::Sequential inner({nn::Dense(2, 2)});
  nn::Sequential outer;
  outer.add(nn::Dense(2, 2));
  outer.add(inner);
  EXPECT_EQ(outer.named_parameters()[2].first, "1.0.weight");
}

TEST(Module, TrainAndEvalReachEveryChild) {
  nn::Sequential model({nn::Dense(2, 2), nn::Dropout(0.5)});
  model.eval();
  EXPECT_FALSE(model[1].is_training());
  model.train();
  EXPECT_TRUE(model[1].is_training());
}

TEST(Module, ZeroGradClearsEveryParameter) {
  nn::Sequential model({nn::Dense(3, 2, "tanh")});
  model(ones({5, 3})).sum().backward();
  for (const Tensor& p : model.parameters()) EXPECT_TRUE(p.grad().defined());
  model.zero_grad();
  for (const Tensor& p : model.parameters()) EXPECT_FALSE(p.grad().defined());
}

TEST(Module, DropoutScalesInTrainingAndPassesInEvaluation) {
  manual_seed(1);
  nn::Dropout dropout(0.25);
  const Tensor x = ones({100000});
  const Tensor y = dropout(x);
  EXPECT_NEAR(y.mean().item(), 1.0, 0.01);                    // expectation preserved
  EXPECT_NEAR(eq(y, 0.0).mean().item(), 0.25, 0.01);          // a quarter dropped
  EXPECT_NEAR(y.max().item(), 1.0 / 0.75, 1e-6);
  dropout.eval();
  EXPECT_TRUE(dropout(x).is_same(x));
}

TEST(Module, PReLULearnsItsSlope) {
  nn::PReLU layer(0.25, kFloat64);
  layer(tensor({-2.0, 1.0}, kFloat64)).sum().backward();
  EXPECT_EQ(layer.slope().grad().item(), -2.0);
}

TEST(Module, FlattenKeepsTheBatch) {
  nn::Flatten flatten;
  EXPECT_EQ(flatten(zeros({5, 28, 28})).sizes(), Shape({5, 784}));
}

}  // namespace
}  // namespace nabla
