// The README's table "where nabla differs from PyTorch", one test per row: each checks nabla's
// side, and states PyTorch's as tests/nn/conventions_torch.py prints it (PyTorch 1.13). A row
// of the table with no test here, or a test for a row the table no longer has, fails
// EveryRowOfTheReadmesTableHasATest.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "autograd/autograd.h"
#include "nn/nn.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;
using testing::expect_values_near;

// The first cell of every row, as the README writes it.
const std::set<std::string> kTestedRows = {
    "comparisons (`==`, `lt`, ...)",
    "`tensor({1, 2})`, `arange(5)`, `full({2}, 1)`",
    "mixed dtypes (`float32 + float64`)",
    "`data_ptr()` of a non-contiguous view",
    "`amax(x, dim)` with a NaN in the slice",
    "`hard_sigmoid` second derivative",
    "`softplus(x)` for large x",
    "learning-rate schedulers",
    "float32 `sum`, `mean`, cross-entropy",
    "`nn::Linear` initialisation",
    "copying a module (`auto m2 = m;`)",
    "anomaly detection",
    "errors",
    "not there",
};

TEST(Conventions, EveryRowOfTheReadmesTableHasATest) {
  std::ifstream file(NABLA_SOURCE_DIR "/README.md");
  std::stringstream text;
  text << file.rdbuf();
  const std::string readme = text.str();
  const size_t table = readme.find("| where | PyTorch | nabla, and why |");
  ASSERT_NE(table, std::string::npos) << "the README has no conventions table";
  std::set<std::string> rows;
  std::istringstream lines(readme.substr(table));
  std::string line;
  std::getline(lines, line);  // the header
  std::getline(lines, line);  // |---|
  while (std::getline(lines, line) && line.rfind("| ", 0) == 0) rows.insert(line.substr(2, line.find(" | ", 2) - 2));
  EXPECT_EQ(rows, kTestedRows);
}

// PyTorch: torch.bool. nabla: 0/1 in the inputs' dtype.
TEST(Conventions, ComparisonsGiveZeroOrOneInTheInputsDtype) {
  const Tensor same = tensor({1.0, 2.0}) == tensor({1.0, 3.0});
  EXPECT_EQ(same.dtype(), kFloat32);
  expect_values_near(same, {1, 0});
  EXPECT_EQ(same.sum().item(), 1);
}

// PyTorch: int64 for all three. nabla: float32, one default for every factory.
TEST(Conventions, FactoriesMakeFloat32FromIntegers) {
  EXPECT_EQ(tensor({1, 2}).dtype(), kFloat32);
  EXPECT_EQ(arange(5).dtype(), kFloat32);
  EXPECT_EQ(full({2}, 1).dtype(), kFloat32);
  EXPECT_EQ(tensor({1, 2}, kInt64).dtype(), kInt64);
}

// PyTorch: float64 (promoted). nabla: a DtypeError saying what to do.
TEST(Conventions, MixedDtypesAreRefusedNotPromoted) {
  expect_error<DtypeError>([] { zeros({2}) + zeros({2}, kFloat64); },
                           "add: mixed dtypes float32 and float64; cast one explicitly with .to(dtype)");
}

// PyTorch: the address of element [0, 0], the strides left to the caller. nabla: a ShapeError
// saying what to do; contiguous() and accessor() give the elements.
TEST(Conventions, DataPtrOfANonContiguousViewIsRefused) {
  const Tensor t = arange(6).reshape({2, 3}).t();
  expect_error<ShapeError>([&] { t.data_ptr<float>(); },
                           "data_ptr: the tensor is a non-contiguous view (sizes [3, 2], strides [1, 3])");
  EXPECT_EQ(t.contiguous().data_ptr<float>()[1], 3);
  EXPECT_EQ((t.accessor<float, 2>()[0][1]), 3);
}

// PyTorch: [[nan, nan, nan]]. nabla: the NaNs tie, and share the gradient.
TEST(Conventions, AmaxSharesItsGradientAmongTheNaNs) {
  const Tensor x = tensor({1.0, NAN, NAN}, {1, 3}, kFloat64).requires_grad_();
  x.amax(1).sum().backward();
  expect_values_near(x.grad(), {0, 0.5, 0.5});
}

// PyTorch: "derivative for aten::hardsigmoid_backward is not implemented". nabla: 0.
TEST(Conventions, HardSigmoidHasASecondDerivativeOfZero) {
  const Tensor x = tensor({0.5}, kFloat64).requires_grad_();
  const Tensor g = autograd::grad({hard_sigmoid(x).sum()}, {x}, {}, true, /*create_graph=*/true)[0];
  EXPECT_EQ(autograd::grad({g.sum()}, {x}, {}, false, false, /*allow_unused=*/true)[0].sum().item(), 0);
}

// PyTorch: 25.0 (x itself above the threshold 20). nabla: log(1 + e^25), rounded.
TEST(Conventions, SoftplusHasNoThreshold) {
  EXPECT_EQ(softplus(tensor({25.0}, kFloat64)).item(), 25.000000000013888);
}

// PyTorch: 2.0 (a rate set by hand, 4, carries on: 4 * 0.5). nabla: the closed form, 1 * 0.5.
TEST(Conventions, SchedulersSetTheClosedForm) {
  optim::SGD optimizer({zeros({1}).requires_grad_()}, 1.0);
  optim::StepLR scheduler(optimizer, 1, 0.5);
  optimizer.set_learning_rate(4.0);
  scheduler.step();
  EXPECT_EQ(optimizer.learning_rate(), 0.5);
}

// PyTorch: 0.0 (float accumulation loses the 1). nabla: 1, accumulated in double.
TEST(Conventions, Float32SumsAccumulateInDouble) {
  EXPECT_EQ(tensor({1e8, 1, -1e8}).sum().item(), 1);
  EXPECT_EQ(tensor({1e8, 1, -1e8}).mean().item(), static_cast<double>(1.0f / 3));
}

// PyTorch: the bias is uniform too (not zero). nabla: weight Glorot uniform, bias 0.
TEST(Conventions, LinearStartsWithAZeroBiasAndGlorotWeights) {
  manual_seed(0);
  nn::Linear linear(400, 300);
  EXPECT_EQ(linear.bias().abs().sum().item(), 0);
  const double glorot_bound = std::sqrt(6.0 / (400 + 300));
  EXPECT_LE(linear.weight().abs().max().item(), glorot_bound);
  EXPECT_GT(linear.weight().abs().max().item(), 0.99 * glorot_bound);  // not PyTorch's 1/sqrt(400) = 0.05
}

// PyTorch: copy.deepcopy copies the parameters (a libtorch holder shares). nabla: shares.
TEST(Conventions, CopyingAModuleSharesItsParameters) {
  nn::Dense layer(3, 2);
  nn::Dense copy = layer;
  NoGradGuard no_grad;
  Tensor weight = copy.weight();  // a handle: the same storage
  weight.fill_(5);
  EXPECT_EQ(layer.weight().sum().item(), 30);
}

// PyTorch: no error (detect_anomaly checks backward only). nabla: the forward op is named.
TEST(Conventions, AnomalyDetectionChecksForwardsEvenWithoutAGraph) {
  NoGradGuard no_grad;
  DetectAnomalyGuard anomaly;
  expect_error<AnomalyError>([] { log(tensor({-1.0})); }, "forward of 'log' produced NaN");
}

// PyTorch: RuntimeError. nabla: an error type per kind of mistake.
TEST(Conventions, ErrorsAreTyped) {
  expect_error<ShapeError>([] { mm(zeros({2, 3}), zeros({2, 3})); }, "cannot be multiplied");
  expect_error<DtypeError>([] { exp(zeros({2}, kInt64)); }, "exp");
}

// PyTorch: class-probability targets, ignore_index, label smoothing. nabla: int64 labels only.
TEST(Conventions, CrossEntropyTakesClassIndicesOnly) {
  expect_error<DtypeError>([] { nn::cross_entropy(zeros({2, 3}), zeros({2, 3})); }, "expects int64 labels");
  EXPECT_NO_THROW(nn::cross_entropy(zeros({2, 3}), tensor({0, 2}, kInt64)));
}

}  // namespace
}  // namespace nabla
