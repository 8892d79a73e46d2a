#include "nn/layers/sequential.h"

#include <gtest/gtest.h>

#include "nn/nn.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

TEST(Sequential, MlpBuildsDenseLayersWithLogitsLast) {
  nn::Sequential model = nn::mlp({784, 256, 256, 10}, "relu");
  ASSERT_EQ(model.size(), 3u);
  EXPECT_EQ(dynamic_cast<nn::Dense&>(model[0]).activation(), "relu");
  EXPECT_EQ(dynamic_cast<nn::Dense&>(model[2]).activation(), "identity");
  EXPECT_EQ(model.parameter_count(), 784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10);
  EXPECT_EQ(model(zeros({3, 784})).sizes(), Shape({3, 10}));
}

TEST(Sequential, VariadicFormAsInLibtorch) {
  nn::Sequential model(nn::Linear(4, 8), nn::ReLU(), nn::Linear(8, 2));
  ASSERT_EQ(model.size(), 3u);
  EXPECT_EQ(model[1].describe(), "Activation(relu)");
  EXPECT_EQ(model(zeros({5, 4})).sizes(), Shape({5, 2}));
  EXPECT_EQ(model->parameters().size(), 4u);  // -> reaches the model, as a libtorch holder does
  nn::Sequential copy(model);                 // one Sequential argument is still a copy
  EXPECT_EQ(copy.size(), 3u);
  nn::Sequential with_function(nn::Linear(2, 2), nn::Functional([](const Tensor& x) { return x * 2.0; }));
  EXPECT_EQ(with_function[1].type_name(), "Functional");
}

TEST(Sequential, AddReturnsTheHeldModule) {
  nn::Sequential model;
  nn::Dense& first = model.add(nn::Dense(2, 3));
  EXPECT_TRUE(first.weight().is_same(model.parameters()[0]));
}

TEST(Sequential, SummaryIsAKerasStyleTable) {
  nn::Sequential model({nn::Dense(784, 256, "relu"), nn::Dropout(0.2), nn::Dense(256, 10)});
  const std::string s = nn::summary(model);
  EXPECT_NE(s.find("0 Dense(784 -> 256, relu)"), std::string::npos) << s;
  EXPECT_NE(s.find("(None, 256)"), std::string::npos) << s;
  EXPECT_NE(s.find("200960"), std::string::npos) << s;  // 784 * 256 + 256
  EXPECT_NE(s.find("Total params: 203530"), std::string::npos) << s;
  EXPECT_TRUE(model.is_training());  // the dry run left the mode as it was
}

TEST(Sequential, SummaryWithAFlattenFirst) {
  nn::Sequential model({nn::Flatten(), nn::Dense(784, 10)});
  const std::string s = nn::summary(model, {28, 28});
  EXPECT_NE(s.find("(None, 784)"), std::string::npos) << s;
}

}  // namespace
}  // namespace nabla
