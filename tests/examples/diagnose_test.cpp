// Telling an activation used outside its domain from divergence when a loss turns NaN/inf
// (examples/common/diagnose.h).
#include "examples/common/diagnose.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace {

using namespace nabla;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(DiagnoseNonFiniteLoss, SqrtOfNegativePreActivationsIsADomainProblem) {
  manual_seed(0);
  nn::Sequential model = nn::mlp({2, 8, 2}, "sqrt");
  const Tensor inputs = tensor(std::vector<double>{-1, 2, 3, -4, 0.5, 0.5}, {3, 2});
  const std::string why = examples::diagnose_non_finite_loss(model, inputs, std::nan(""), 0.01);
  EXPECT_TRUE(contains(why, "layer 1 applies sqrt, which is defined only for x >= 0")) << why;
  EXPECT_TRUE(contains(why, "activations")) << why;  // points at the audit
  EXPECT_FALSE(contains(why, "smaller learning rate")) << why;
  // The anomaly detector names the op, and that its inputs were finite.
  EXPECT_TRUE(contains(why, "[detect_anomaly: forward of 'sqrt' produced NaN")) << why;
  EXPECT_TRUE(contains(why, "all inputs were finite")) << why;
}

TEST(DiagnoseNonFiniteLoss, LogIsDefinedOnlyForPositiveInputs) {
  manual_seed(0);
  nn::Sequential model = nn::mlp({2, 8, 2}, "log");
  const Tensor inputs = tensor(std::vector<double>{-1, 2, 3, -4}, {2, 2});
  const std::string why = examples::diagnose_non_finite_loss(model, inputs, std::nan(""), 0.01);
  EXPECT_TRUE(contains(why, "applies log, which is defined only for x > 0")) << why;
}

TEST(DiagnoseNonFiniteLoss, WeightsThatBlewUpAreDivergence) {
  manual_seed(0);
  nn::Sequential model = nn::mlp({2, 8, 2}, "relu");
  {
    NoGradGuard no_grad;
    model.parameters()[0].fill_(std::numeric_limits<float>::infinity());
  }
  const std::string why = examples::diagnose_non_finite_loss(model, ones({3, 2}), std::nan(""), 0.5);
  EXPECT_TRUE(contains(why, "the weights of layer 1 became NaN/inf")) << why;
  EXPECT_TRUE(contains(why, "try a smaller learning rate than 0.5")) << why;
}

TEST(DiagnoseNonFiniteLoss, HugeButFiniteLogitsAreDivergenceToo) {
  manual_seed(0);
  nn::Sequential model = nn::mlp({2, 8, 2}, "tanh");
  const std::string why =
      examples::diagnose_non_finite_loss(model, ones({3, 2}), std::numeric_limits<double>::infinity(), 1.0);
  EXPECT_TRUE(contains(why, "the loss became inf with finite outputs")) << why;
  EXPECT_TRUE(contains(why, "smaller learning rate")) << why;
}

}  // namespace
