// The free functions with a parameter (celu(x, alpha), ...) check it as the by-name path
// does: the same std::invalid_argument, the same message (which the by-name path frames with
// the spec it was given and the spelling of the activation's parameters).
#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>
#include <string>

#include "nn/nn.h"

namespace nabla {
namespace {

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected std::invalid_argument";
  return {};
}

void expect_same_error(const std::function<void()>& free_form, const std::function<void()>& by_name,
                       const std::string& expected) {
  const std::string free_message = message_of(free_form), by_name_message = message_of(by_name);
  EXPECT_EQ(free_message, expected);
  EXPECT_NE(by_name_message.find(free_message), std::string::npos) << "by name: " << by_name_message;
}

const Tensor& input() {
  static const Tensor x = tensor({-1.0f, 0.0f, 2.0f});
  return x;
}

TEST(ActivationParameterCheck, CeluWithAlphaZeroThrowsAsByName) {
  expect_same_error([] { celu(input(), 0); }, [] { activation("celu", {{"alpha", 0.0}}); },
                    "celu: alpha must not be 0 (it divides x)");
}

TEST(ActivationParameterCheck, SoftplusWithNonPositiveBetaThrowsAsByName) {
  expect_same_error([] { softplus(input(), -1); }, [] { activation("softplus", {{"beta", -1.0}}); },
                    "softplus: beta must be positive, got -1");
  expect_same_error([] { softplus(input(), 0); }, [] { activation("softplus", {{"beta", 0.0}}); },
                    "softplus: beta must be positive, got 0");
}

TEST(ActivationParameterCheck, HardtanhWithMinNotBelowMaxThrowsAsByName) {
  expect_same_error([] { hardtanh(input(), 2, 1); },
                    [] { activation("hardtanh", {{"min_val", 2.0}, {"max_val", 1.0}}); },
                    "hardtanh: min_val must be below max_val, got min_val = 2, max_val = 1");
}

// leaky_relu and elu accept every slope and alpha, by name and as functions alike.
TEST(ActivationParameterCheck, LeakyReluAndEluAcceptAnyValueAsByName) {
  const Tensor x = input();
  EXPECT_EQ(leaky_relu(x, -2).to_vector(), activation("leaky_relu", {{"slope", -2.0}}).apply(x).to_vector());
  EXPECT_EQ(elu(x, 0).to_vector(), activation("elu", {{"alpha", 0.0}}).apply(x).to_vector());
  EXPECT_EQ(elu(x, -3).to_vector(), activation("elu", {{"alpha", -3.0}}).apply(x).to_vector());
}

}  // namespace
}  // namespace nabla
