#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <memory>
#include <type_traits>

#include "nn/nn.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using optim::Adam;
using optim::AdamOptions;
using optim::AdamW;
using optim::AdamWOptions;
using optim::SGD;
using optim::SGDOptions;

struct Reference {
  const char* name;
  std::vector<std::vector<double>> after_step;
};

// Recorded from PyTorch 1.13 by tests/nn/optim_reference.py (same problem, same settings).
const std::vector<Reference> kPyTorch = {
{"sgd", {{0.80000000000000004, -1.2, 1.2}, {0.64000000000000001, -0.71999999999999997, 0.47999999999999998}, {0.51200000000000001, -0.432, 0.19199999999999998}}},
{"sgd_momentum", {{0.80000000000000004, -1.2, 1.2}, {0.45999999999999996, 1.1102230246251565e-16, -1.1400000000000001}, {0.061999999999999902, 1.0800000000000003, -2.5620000000000003}}},
{"sgd_nesterov_wd", {{0.81099999999999994, -1.262, 1.3529999999999998}, {0.59052099999999996, -0.53392200000000001, 0.024602999999999681}, {0.37065333099999992, 0.038589618000000082, -0.72148964700000018}}},
{"adam", {{0.90000000049999995, -1.9000000001249999, 2.9000000000555555}, {0.80041222869179274, -1.8001664858630053, 2.800102707190947}, {0.70158627294603015, -1.7006233916636408, 2.700381523112696}}},
{"adam_wd", {{0.95000002380951243, -1.9500000060975602, 2.9500000027322404}, {0.90015246083629197, -1.9000711598700524, 2.9000463451572438}, {0.85056829126767886, -1.8502625285618783, 2.8501704321989343}}},
{"adamw", {{0.94500000024999997, -1.9400000000625, 2.9350000000277778}, {0.89036865882407001, -1.8803454864341329, 2.8703565439720258}, {0.8361739414819791, -1.821066635269353, 2.8060895562641943}}},
{"adamw_default_decay", {{0.94950000025000003, -1.9490000000625001, 2.9485000000277779}, {0.89910951696093144, -1.898063329704192, 2.897050189814895}, {0.84889123289407775, -1.847216472363485, 2.8456673548039348}}},
{"adam_amsgrad", {{0.50000000249999998, -1.5000000006250001, 2.5000000002777778}, {0.091751713515516253, -1.004926229857396, 2.0019417554936902}, {-0.13190941002875933, -0.59150873339055787, 1.5406055798023042}}},
{"adamw_amsgrad", {{0.49500000249999998, -1.490000000625, 2.4850000002777777}, {0.086317954942835617, -0.98771278994537393, 1.9746497141540218}, {-0.13477607951808285, -0.57198176149540003, 1.5058521684915089}}},
};

std::unique_ptr<optim::Optimizer> make(const std::string& name, const Tensor& p) {
  if (name == "sgd") return std::make_unique<SGD>(TensorList{p}, SGDOptions(0.1));
  if (name == "sgd_momentum") return std::make_unique<SGD>(TensorList{p}, SGDOptions(0.1).momentum(0.9));
  if (name == "sgd_nesterov_wd") {
    return std::make_unique<SGD>(TensorList{p}, SGDOptions(0.05).momentum(0.8).nesterov().weight_decay(0.1));
  }
  if (name == "adam") return std::make_unique<Adam>(TensorList{p}, AdamOptions(0.1));
  if (name == "adam_wd") {
    return std::make_unique<Adam>(TensorList{p}, AdamOptions(0.05).betas(0.8, 0.99).eps(1e-6).weight_decay(0.1));
  }
  if (name == "adamw") return std::make_unique<AdamW>(TensorList{p}, AdamWOptions(0.05).weight_decay(0.1));
  if (name == "adamw_default_decay") return std::make_unique<AdamW>(TensorList{p}, AdamWOptions(0.05));
  // Without amsgrad the first coordinate would be 0.0286 after the second step instead of 0.0918.
  if (name == "adam_amsgrad") return std::make_unique<Adam>(TensorList{p}, AdamOptions(0.5).betas(0.5, 0.5).amsgrad());
  if (name == "adamw_amsgrad") return std::make_unique<AdamW>(TensorList{p}, AdamWOptions(0.5).betas(0.5, 0.5).amsgrad());
  throw std::invalid_argument(name);
}

TEST(Optim, StepsMatchPyTorch) {
  const Tensor c = tensor({1.0, 2.0, 3.0}, kFloat64);
  for (const Reference& ref : kPyTorch) {
    Tensor p = tensor({1.0, -2.0, 3.0}, kFloat64).requires_grad_();
    auto optimizer = make(ref.name, p);
    for (const auto& expected : ref.after_step) {
      optimizer->zero_grad();
      (c * p * p).sum().backward();
      optimizer->step();
      testing::expect_values_near(p, expected, 1e-12);
    }
  }
}

// AdamW has its own options type, whose weight decay defaults to 0.01 as in torch.optim.AdamW
// and libtorch's AdamWOptions: options given with only a learning rate keep that default.
// (Adam's options, whose default is 0, are not accepted: they would silently turn AdamW into Adam.)
static_assert(!std::is_constructible_v<AdamW, std::vector<Tensor>, AdamOptions>);
static_assert(std::is_constructible_v<AdamW, std::vector<Tensor>, AdamWOptions>);

std::vector<double> adamw_after_two_steps(const AdamWOptions& options) {
  Tensor p = tensor({1.0, -2.0, 3.0}, kFloat64).requires_grad_();
  AdamW optimizer({p}, options);
  for (int step = 0; step < 2; ++step) {
    optimizer.zero_grad();
    (p * p).sum().backward();
    optimizer.step();
  }
  return p.to_vector();
}

TEST(Optim, AdamWDecaysWeightsByDefault) {
  EXPECT_EQ(AdamWOptions().weight_decay_, 0.01);
  EXPECT_EQ(AdamWOptions(0.1).weight_decay_, 0.01);
  const std::vector<double> by_default = adamw_after_two_steps(AdamWOptions(0.1));
  EXPECT_EQ(by_default, adamw_after_two_steps(AdamWOptions(0.1).weight_decay(0.01)));
  EXPECT_NE(by_default, adamw_after_two_steps(AdamWOptions(0.1).weight_decay(0)));
}

TEST(Optim, LearningRateShorthandsEqualTheOptionForms) {
  // libtorch's SGD(params, 0.1) and Adam(params, 1e-3): the same steps as the options forms.
  Tensor a = ones({2}, kFloat64).requires_grad_(), b = ones({2}, kFloat64).requires_grad_();
  Tensor c = ones({2}, kFloat64).requires_grad_(), d = ones({2}, kFloat64).requires_grad_();
  SGD sgd_short({a}, 0.1), sgd_long({b}, SGDOptions(0.1));
  Adam adam_short({c}, 1e-2), adam_long({d}, AdamOptions(1e-2));
  for (int step = 0; step < 3; ++step) {
    for (Tensor* p : {&a, &b, &c, &d}) (*p * *p * tensor({1.0, 2.0}, kFloat64)).sum().backward();
    for (optim::Optimizer* o : std::initializer_list<optim::Optimizer*>{&sgd_short, &sgd_long, &adam_short, &adam_long}) {
      o->step();
      o->zero_grad();
    }
  }
  EXPECT_DOUBLE_EQ(sgd_short.learning_rate(), 0.1);
  EXPECT_DOUBLE_EQ(adam_short.learning_rate(), 1e-2);
  testing::expect_values_near(a, b.to_vector(), 0.0);
  testing::expect_values_near(c, d.to_vector(), 0.0);
  EXPECT_LT(a.at({1}), 1.0);  // the steps did move the parameters
  EXPECT_LT(c.at({1}), 1.0);
}

TEST(Optim, ParametersWithoutGradientsAreLeftAlone) {
  Tensor used = ones({2}, kFloat64).requires_grad_(), unused = ones({2}, kFloat64).requires_grad_();
  Adam optimizer({used, unused}, AdamOptions(0.1));
  (used * 2.0).sum().backward();
  optimizer.step();
  testing::expect_values_near(unused, {1, 1});
  EXPECT_LT(used.at({0}), 1.0);
}

TEST(Optim, BackwardThroughAGraphBuiltBeforeTheStepIsAnError) {
  Tensor w = ones({2}, kFloat64).requires_grad_();
  SGD optimizer({w}, SGDOptions(0.1));
  const Tensor loss = (w * w).sum();
  loss.backward({}, /*retain_graph=*/true);
  optimizer.step();  // w changes: the old graph's saved w is stale
  testing::expect_error<AutogradError>([&] { loss.backward(); }, "modified in place");
}

TEST(Optim, ZeroGradForgetsGradients) {
  Tensor p = ones({2}).requires_grad_();
  SGD optimizer({p}, SGDOptions(0.1));
  (p * 3.0).sum().backward();
  optimizer.zero_grad();
  EXPECT_FALSE(p.grad().defined());
}

TEST(Optim, BadOptionsAreRefused) {
  Tensor p = ones({2}).requires_grad_();
  testing::expect_error<std::invalid_argument>([&] { SGD({p}, SGDOptions(0.1).nesterov()); }, "Nesterov needs momentum");
  testing::expect_error<std::invalid_argument>([&] { Adam({p}, AdamOptions(0.1).betas(1.0, 0.9)); }, "betas");
  testing::expect_error<std::invalid_argument>([&] { SGD({ones({2})}, SGDOptions(0.1)); }, "does not require grad");
}

TEST(Optim, StepDecay) {
  Tensor p = ones({1}).requires_grad_();
  SGD optimizer({p}, SGDOptions(1.0));
  optim::StepLR schedule(optimizer, 2, 0.5);
  std::vector<double> rates;
  for (int epoch = 0; epoch < 5; ++epoch) {
    rates.push_back(optimizer.learning_rate());
    schedule.step();
  }
  EXPECT_EQ(rates, (std::vector<double>{1, 1, 0.5, 0.5, 0.25}));
}

// Rates of torch.optim.lr_scheduler.CosineAnnealingLR(T_max=4, eta_min=0.1) from lr 1, epochs
// 0..12, printed by optim_reference.py (PyTorch 1.13): after T_max the cosine rises again, back
// to 1 at 2 T_max, down to eta_min at 3 T_max. PyTorch computes them recursively, so they carry
// a few ulp of its rounding (1.0000000000000004 at epoch 8).
TEST(Optim, CosineAnnealingFollowsTheCosineBackUpAsPyTorchDoes) {
  const std::vector<double> pytorch = {1, 0.86819805153394636, 0.55000000000000004, 0.23180194846605368,
                                       0.10000000000000001, 0.23180194846605359, 0.55000000000000004,
                                       0.86819805153394669, 1.0000000000000004, 0.8681980515339468,
                                       0.55000000000000038, 0.23180194846605409, 0.10000000000000001};
  Tensor p = ones({1}).requires_grad_();
  SGD optimizer({p}, SGDOptions(1.0));
  optim::CosineAnnealingLR schedule(optimizer, 4, 0.1);
  for (size_t epoch = 0; epoch < pytorch.size(); ++epoch) {
    EXPECT_NEAR(optimizer.learning_rate(), pytorch[epoch], 1e-15) << "epoch " << epoch;
    schedule.step();
  }
}

TEST(Optim, CosineAnnealingClosedForm) {
  Tensor p = ones({1}).requires_grad_();
  SGD optimizer({p}, SGDOptions(1.0));
  optim::CosineAnnealingLR schedule(optimizer, 4, 0.0);
  std::vector<double> rates;
  for (int epoch = 0; epoch <= 4; ++epoch) {
    rates.push_back(optimizer.learning_rate());
    schedule.step();
  }
  const std::vector<double> expected = {1, (1 + std::cos(M_PI / 4)) / 2, 0.5, (1 + std::cos(3 * M_PI / 4)) / 2, 0};
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(rates[i], expected[i], 1e-12);
}

}  // namespace
}  // namespace nabla
