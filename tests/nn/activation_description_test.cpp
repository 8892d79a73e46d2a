// Each activation is described once (activation.h): parameters chosen by name, the init
// family read by nn::initialize, and a new row picked up by every consumer.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "nn/nn.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;

Tensor line() { return tensor({-3.0, -0.5, 0.25, 1.5, 4.0}, kFloat64); }

TEST(ActivationParameters, DefaultsAreWrittenOnceAndShownInTheFormula) {
  const Activation& a = activation("leaky_relu");
  ASSERT_EQ(a.parameters.size(), 1u);
  EXPECT_EQ(a.parameters[0].name, "slope");
  EXPECT_EQ(a.parameters[0].value, 0.01);
  EXPECT_EQ(a.formula, "x if x > 0, else 0.01 x");
  // The free function without a slope uses the same default.
  testing::expect_tensors_near(leaky_relu(line()), leaky_relu(line(), 0.01), 0);
  EXPECT_EQ(activation("hardtanh").kinks, (std::vector<double>{-1, 1}));
}

TEST(ActivationParameters, ChosenByNameInCodeAndAsText) {
  const Activation& by_values = activation("leaky_relu", {{"slope", 0.2}});
  EXPECT_EQ(by_values.name, "leaky_relu(slope=0.2)");
  EXPECT_EQ(by_values.base_name(), "leaky_relu");
  EXPECT_EQ(by_values.formula, "x if x > 0, else 0.2 x");
  EXPECT_EQ(by_values.parameters[0].value, 0.2);
  testing::expect_tensors_near(by_values(line()), leaky_relu(line(), 0.2), 0);
  // Every spelling gives the same row, made once.
  EXPECT_EQ(&activation("leaky_relu(0.2)"), &by_values);
  EXPECT_EQ(&activation("leaky_relu(slope=0.2)"), &by_values);
  EXPECT_EQ(&activation(" leaky_relu( slope = 0.2 ) "), &by_values);
  // The defaults are the table's own row.
  EXPECT_EQ(&activation("leaky_relu(0.01)"), &activation("leaky_relu"));
  EXPECT_EQ(&activation("leaky_relu()"), &activation("leaky_relu"));
}

TEST(ActivationParameters, SeveralParametersByPositionOrName) {
  const Activation& wide = activation("hardtanh(-2, 2)");
  EXPECT_EQ(wide.kinks, (std::vector<double>{-2, 2}));
  EXPECT_EQ(wide.formula, "clamp(x, -2, 2)");
  testing::expect_values_near(wide(line()), {-2, -0.5, 0.25, 1.5, 2});
  EXPECT_EQ(&activation("hardtanh(max_val=2, min_val=-2)"), &wide);
  // Only one given: the other keeps its default.
  testing::expect_values_near(activation("hardtanh(max_val=3)")(line()), {-1, -0.5, 0.25, 1.5, 3});
  // A parameter changes the derivative and its kinks too: elu with alpha != 1 jumps at 0.
  EXPECT_TRUE(activation("elu").kinks.empty());
  EXPECT_EQ(activation("elu(2)").kinks, (std::vector<double>{0}));
  EXPECT_TRUE(gradcheck(activation("elu(2)").apply, tensor({-1.0, -0.2, 0.3}, kFloat64).requires_grad_()).passed);
}

TEST(ActivationParameters, BadSpecsAreClearErrorsNamingTheActivationAndItsParameters) {
  expect_error<std::invalid_argument>([] { activation("leaky_relu(0.1, 2)"); },
                                      "activation 'leaky_relu(0.1, 2)': too many values (2); "
                                      "leaky_relu takes leaky_relu(slope = 0.01)");
  expect_error<std::invalid_argument>([] { activation("leaky_relu(alpha=2)"); }, "no parameter named 'alpha'");
  expect_error<std::invalid_argument>([] { activation("leaky_relu", {{"alpha", 2.0}}); }, "no parameter named 'alpha'");
  expect_error<std::invalid_argument>([] { activation("leaky_relu(abc)"); }, "'abc' is not a number");
  expect_error<std::invalid_argument>([] { activation("leaky_relu(0.2x)"); }, "'0.2x' is not a number");
  expect_error<std::invalid_argument>([] { activation("leaky_relu(0.2"); }, "expected ')' at the end");
  expect_error<std::invalid_argument>([] { activation("relu(1)"); }, "relu takes no parameters");
  expect_error<std::invalid_argument>([] { activation("hardtanh(2, -2)"); },
                                      "hardtanh: min_val must be below max_val, got min_val = 2, max_val = -2; "
                                      "hardtanh takes hardtanh(min_val = -1, max_val = 1)");
  expect_error<std::invalid_argument>([] { activation("hardtanh(0, max_val=1, min_val=0.5)"); }, "min_val given twice");
  expect_error<std::invalid_argument>([] { activation("nope(1)"); }, "unknown activation 'nope'");
}

TEST(ActivationParameters, DenseAcceptsAParameterisedName) {
  manual_seed(0);
  nn::Dense layer(3, 2, "leaky_relu(0.2)", {.dtype = kFloat64});
  const Tensor x = tensor({1.0, -2.0, 0.5, -1.0, 3.0, -4.0}, {2, 3}, kFloat64);
  const Tensor z = x.matmul(layer.weight().t()) + layer.bias();
  testing::expect_tensors_near(layer(x), leaky_relu(z, 0.2), 1e-15);
}

TEST(ActivationInit, EachFamilyIsReadFromTheDescription) {
  EXPECT_EQ(activation("relu").init, InitFamily::He);
  EXPECT_EQ(activation("tanh").init, InitFamily::Glorot);
  EXPECT_EQ(activation("selu").init, InitFamily::LeCun);
  EXPECT_EQ(nn::default_init_for("relu"), nn::Init::HeUniform);
  EXPECT_EQ(nn::default_init_for("leaky_relu(0.2)"), nn::Init::HeUniform);
  EXPECT_EQ(nn::default_init_for("tanh"), nn::Init::GlorotUniform);
  EXPECT_EQ(nn::default_init_for("selu"), nn::Init::LecunNormal);
}

// The rule a custom activation without a family gets gives every built-in its stated family,
// but selu, which states LeCun for its self-normalisation.
TEST(ActivationInit, TheDerivedFamilyAgreesWithEveryBuiltIn) {
  for (const std::string& name : activation_names()) {
    const Activation& a = activation(name);
    if (!a.builtin || name == "selu") continue;
    EXPECT_EQ(to_string(derive_init_family(a)), to_string(a.init)) << name;
  }
  EXPECT_EQ(derive_init_family(activation("selu")), InitFamily::He);
}

// Largest |w| of a Dense(fan_in, fan_out) layer's fresh weight.
double largest_weight(const std::string& activation_name) {
  manual_seed(1);
  nn::Dense layer(400, 100, activation_name);
  return layer.weight().abs().amax(0).amax(0).item();
}

TEST(ActivationInit, CustomActivationsGetAFamilyDerivedFromTheirFunctionUnlessTheyStateOne) {
  const Activation& bent = register_activation(
      {.name = "desc_test_softened_relu", .apply = [](const Tensor& x) { return relu(x) + 0.05 * tanh(x); }});
  const Activation& squashing =
      register_activation({.name = "desc_test_tanh", .apply = [](const Tensor& x) { return tanh(x * 0.5) * 2.0; }});
  const Activation& stated = register_activation({.name = "desc_test_stated",
                                                  .init = InitFamily::LeCun,
                                                  .apply = [](const Tensor& x) { return relu(x); }});
  EXPECT_EQ(bent.init, InitFamily::He);
  EXPECT_EQ(squashing.init, InitFamily::Glorot);
  EXPECT_EQ(stated.init, InitFamily::LeCun);
  // He's bound sqrt(6 / 400) = 0.122, Glorot's sqrt(6 / 500) = 0.110: Dense uses the family.
  EXPECT_GT(largest_weight("desc_test_softened_relu"), 0.115);
  EXPECT_LT(largest_weight("desc_test_tanh"), 0.111);
}

TEST(ActivationDescription, EveryBuiltInsSecondDerivativeFlowsThroughTheEngine) {
  for (const std::string& name : activation_names()) {
    const Activation& a = activation(name);
    if (a.builtin) {
      EXPECT_TRUE(a.twice_differentiable) << name;
    }
  }
  // relu's f'' = 0 is there to be asked for, and is 0.
  Tensor x = tensor({-1.0, 2.0}, kFloat64).requires_grad_();
  const Tensor dy = autograd::grad({relu(x)}, {x}, {ones_like(x)}, true, true)[0];
  ASSERT_TRUE(dy.requires_grad());
  testing::expect_values_near(autograd::grad({dy}, {x}, {ones_like(dy)})[0], {0, 0});
}

// "Adding an activation is one place": a row registered once is found by name, listed,
// initialised by its family, audited, plotted at its kink and passes gradcheck, with no
// other list to update.
TEST(ActivationDescription, ANewRowIsPickedUpEverywhere) {
  const Activation& added = register_activation(elementwise_activation(
      {.name = "desc_test_bent_identity", .formula = "x if x > 0, else x / 4", .kinks = {0}},
      [](double x) { return x > 0 ? x : 0.25 * x; }, [](double x) { return x > 0 ? 1.0 : 0.25; },
      [](double) { return 0.0; }));
  // By name, and in the list.
  EXPECT_EQ(&activation("desc_test_bent_identity"), &added);
  const std::vector<std::string> names = activation_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "desc_test_bent_identity"), names.end());
  // Init: relu-like (slope 1 right, 1/4 left), so He, and Dense draws its weights so.
  EXPECT_EQ(added.init, InitFamily::He);
  EXPECT_EQ(nn::default_init_for("desc_test_bent_identity"), nn::Init::HeUniform);
  EXPECT_GT(largest_weight("desc_test_bent_identity"), 0.115);
  // The audit reads it.
  AuditOptions quick;
  quick.measure_cost = false;
  const AuditResult r = audit("desc_test_bent_identity", quick);
  EXPECT_TRUE(r.good()) << r;
  EXPECT_TRUE(r.monotonic);
  // The plots mark its kink.
  const std::vector<PlotMark> marks = plot_marks(added);
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_EQ(marks[0].x, 0);
  EXPECT_EQ(marks[0].label, "kink");
  // Its derivatives check out.
  const Tensor x = tensor({-2.0, -0.3, 0.4, 1.7}, kFloat64).requires_grad_();
  EXPECT_TRUE(gradcheck(added.apply, x).passed);
  EXPECT_TRUE(gradgradcheck(added.apply, x, {.expect_zero_gradient = true}).passed);
}

}  // namespace
}  // namespace nabla
