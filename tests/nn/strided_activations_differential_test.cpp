// Every activation of the table given a strided input, in every layout a view can have, at
// every differential size, in both dtypes: f, f' and f'' (the fused kernels of
// activation_kernels_differential_test) must give for a view exactly what they give for its
// elements packed by a plain scalar walk, with the incoming gradients strided too.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nn/activations/activation.h"
#include "tests/strided_inputs.h"

namespace nabla::differential {
namespace {

std::vector<Case> activation_cases(const std::vector<std::string>& names) {
  std::vector<Case> cases;
  for (const std::string& name : names) {
    const Activation& a = activation(name);
    cases.push_back({name, [&a](const Tensor& x) { return TensorList{a(x)}; }});
  }
  return cases;
}

// The built-ins in two halves, one test each, so that ctest runs them side by side.
std::vector<std::string> half_of_the_builtins(int half) {
  std::vector<std::string> names;
  const std::vector<std::string> all = activation_names();
  for (size_t i = 0; i < all.size(); ++i) {
    if (activation(all[i]).builtin && static_cast<int>(i % 2) == half) names.push_back(all[i]);
  }
  return names;
}

class StridedActivationsDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(StridedActivationsDifferential, AStridedInputGivesWhatItsPackedElementsGiveInEveryDerivative) {
  const std::vector<std::string> names = half_of_the_builtins(GetParam().name == "first half" ? 0 : 1);
  ASSERT_GE(names.size(), 10u) << "the activation table lost its built-ins";
  const Verdict verdict = compare_strided_with_packed(activation_cases(names), GetParam().float64, /*order=*/2);
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Activations, StridedActivationsDifferential,
                         ::testing::ValuesIn(both_dtypes({"first half", "second half"})), param_name);

}  // namespace
}  // namespace nabla::differential
