#include "autograd/anomaly_mode.h"

#include <gtest/gtest.h>

#include <cmath>

#include "autograd/autograd.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;
using testing::leaf;

TEST(DetectAnomaly, ANaNBornInAForwardNamesTheOpAndItsShapes) {
  DetectAnomalyGuard guard;
  const Tensor x = leaf({1.0, -2.0, 3.0});
  expect_error<AnomalyError>([&] { log(x); },
                             "forward of 'log' produced NaN at element 1 of its output [3] float64 from inputs "
                             "[3] float64; all inputs were finite");
}

TEST(DetectAnomaly, ANaNAlreadyInTheInputIsBlamedOnTheInput) {
  DetectAnomalyGuard guard;
  const Tensor x = leaf({1.0, std::nan(""), 3.0});
  expect_error<AnomalyError>([&] { exp(x); }, "input 0 already held NaN at element 1");
}

TEST(DetectAnomaly, AnInfiniteGradientNamesTheForwardOpWhoseDerivativeMadeIt) {
  const Tensor x = leaf({0.0, 4.0});
  Tensor y = sqrt(x).sum();  // finite forward: sqrt(0) = 0
  DetectAnomalyGuard guard;
  // d/dx sqrt(x) = 1 / (2 sqrt(x)): inf at 0
  expect_error<AnomalyError>([&] { y.backward(); },
                             "backward of 'sqrt' (forward output [2] float64) produced inf at element 0 in the "
                             "gradient for its input 0 [2] float64; the gradient it was given was finite");
}

TEST(DetectAnomaly, AnomalyErrorIsAnAutogradError) {
  DetectAnomalyGuard guard;
  EXPECT_THROW(log(leaf({-1.0})), AutogradError);
}

TEST(DetectAnomaly, OpsThatRecordNothingAreCheckedToo) {
  DetectAnomalyGuard guard;
  NoGradGuard no_grad;
  EXPECT_THROW(log(tensor({-1.0}, kFloat64)), AnomalyError);
}

TEST(DetectAnomaly, WithoutAGuardNaNsFlowAsIEEESays) {
  const Tensor x = leaf({0.0, -1.0});
  Tensor y = (sqrt(x) + log(x)).sum();
  y.backward();
  EXPECT_TRUE(std::isnan(y.item()));
  EXPECT_TRUE(std::isinf(x.grad().to_vector()[0]));
  EXPECT_FALSE(AnomalyMode::is_enabled());
}

TEST(DetectAnomaly, TheModeEndsWithTheLastGuard) {
  {
    DetectAnomalyGuard outer;
    {
      DetectAnomalyGuard inner;
      EXPECT_TRUE(AnomalyMode::is_enabled());
    }
    EXPECT_TRUE(AnomalyMode::is_enabled());
  }
  EXPECT_FALSE(AnomalyMode::is_enabled());
  EXPECT_NO_THROW(log(leaf({-1.0})));
}

TEST(DetectAnomaly, FiniteComputationsGiveTheSameResultsUnderTheGuard) {
  auto run = [] {
    const Tensor x = leaf({0.5, 2.0, 3.0});
    Tensor y = (exp(x) * log(x) + sqrt(x)).sum();
    y.backward();
    return std::make_pair(y.item(), x.grad().to_vector());
  };
  const auto plain = run();
  DetectAnomalyGuard guard;
  const auto checked = run();
  EXPECT_EQ(plain.first, checked.first);
  EXPECT_EQ(plain.second, checked.second);
}

// sqrt's backward divides by its output: the inf is born in that division, but the error
// names what the user wrote, sqrt, not the ops its derivative is made of.
TEST(DetectAnomaly, OpsInsideABackwardAreBlamedOnTheOpBeingDifferentiated) {
  const Tensor x = leaf({0.0});
  Tensor y = sqrt(x).sum();
  DetectAnomalyGuard guard;
  try {
    y.backward();
    ADD_FAILURE() << "expected an AnomalyError";
  } catch (const AnomalyError& e) {
    EXPECT_EQ(std::string(e.what()).find("forward of"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("backward of 'sqrt'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nabla
