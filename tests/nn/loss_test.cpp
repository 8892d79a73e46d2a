#include "nn/loss.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "nn/nn.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using nn::Reduction;
using testing::expect_error;
using testing::random_leaf;

const Tensor kLabels = tensor({2, 0, 1, 2}, kInt64);

TEST(Loss, CrossEntropyValue) {
  const Tensor logits = tensor({1, 2, 3, 0, 0, 0}, {2, 3}, kFloat64);
  const Tensor labels = tensor({2, 0}, kInt64);
  const double first = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)) - 3.0, second = std::log(3.0);
  EXPECT_NEAR(nn::cross_entropy(logits, labels).item(), (first + second) / 2, 1e-12);
  EXPECT_NEAR(nn::cross_entropy(logits, labels, Reduction::Sum).item(), first + second, 1e-12);
  testing::expect_values_near(nn::cross_entropy(logits, labels, Reduction::None), {first, second}, 1e-12);
}

TEST(Loss, CrossEntropyIsStableForHugeLogits) {
  const Tensor logits = tensor({1000, -1000, 0, 1e4, 1e4, -1e4}, {2, 3});
  const Tensor loss = nn::cross_entropy(logits, tensor({0, 1}, kInt64));
  EXPECT_TRUE(std::isfinite(loss.item()));
  EXPECT_NEAR(loss.item(), std::log(2.0) / 2, 1e-5);
}

// The loss of one row in long double, from the values the tensor actually holds.
long double reference_cross_entropy(const std::vector<double>& row, size_t label) {
  long double m = row[0];
  for (double z : row) m = std::max(m, static_cast<long double>(z));
  long double total = 0;
  for (double z : row) total += std::exp(static_cast<long double>(z) - m);
  return std::log(total) - (static_cast<long double>(row[label]) - m);
}

// Far from 0 the logits' own rounding is all that may be lost: the loss, a number of order 1,
// must not lose |max| 2^-53 to the way it is computed. PyTorch 1.13 gives, in float64,
// 0.50459690234228350, 1.0045969023422834, 3.5045969023422834 for {0, -0.5, -3} shifted by 1e12
// and by 1e15 (labels 0, 1, 2), and log 3 = 1.0986122886681098 for three logits of 1e30.
TEST(Loss, CrossEntropyKeepsItsDigitsAtLargeLogits) {
  const std::vector<std::vector<double>> rows = {
      {0, -0.5, -3}, {1e12, 1e12 - 0.5, 1e12 - 3}, {1e15, 1e15 - 0.5, 1e15 - 3}, {-1e12, -1e12 - 0.5, -1e12 - 3},
      {1e30, 1e30, 1e30}, {1e15, 0, -1e15}};
  for (ScalarType dtype : {kFloat64, kFloat32}) {
    const double ulp = dtype == kFloat64 ? 0x1p-52 : 0x1p-23;
    for (const std::vector<double>& row : rows) {
      const Tensor logits = tensor({row[0], row[1], row[2], row[0], row[1], row[2], row[0], row[1], row[2]}, {3, 3}, dtype);
      const std::vector<double> stored = logits.to_vector();  // float32 rounds the shifted values
      const std::vector<double> loss = nn::cross_entropy(logits, tensor({0, 1, 2}, kInt64), Reduction::None).to_vector();
      for (size_t label = 0; label < 3; ++label) {
        const long double expected = reference_cross_entropy({stored.begin(), stored.begin() + 3}, label);
        EXPECT_NEAR(loss[label], static_cast<double>(expected), 4 * ulp * static_cast<double>(expected))
            << to_string(dtype) << " logits " << row[0] << ", " << row[1] << ", " << row[2] << " label " << label;
      }
    }
  }
  // The cases, spelled out.
  EXPECT_DOUBLE_EQ(nn::cross_entropy(full({1, 3}, 1e30, kFloat64), tensor({1}, kInt64)).item(), std::log(3.0));
  EXPECT_NEAR(nn::cross_entropy(tensor({1e12, 1e12 - 0.5, 1e12 - 3}, {1, 3}, kFloat64), tensor({0}, kInt64)).item(),
              0.50459690234228350, 1e-15);
}

// The cross-entropy kernel at every row length that crosses a loop boundary, and at a batch
// large enough to be split across threads, against the long-double reference. The kernel
// rounds once from double, so float32 is within 1 ulp; float64 loses at most a few ulp of
// log(sum) (worst measured: 2.2 ulp of max(1, loss) in float64, 0.5 in float32).
TEST(Loss, CrossEntropyMatchesLongDoubleAtEverySize) {
  std::vector<std::pair<int64_t, int64_t>> shapes;  // rows, classes
  for (int64_t c = 1; c <= 70; ++c) shapes.push_back({3, c});
  for (int64_t c : {127, 128, 129, 1000, 4099}) shapes.push_back({3, c});
  shapes.push_back({20000, 3});  // threaded: 2^14 / 3 rows a chunk
  for (ScalarType dtype : {kFloat64, kFloat32}) {
    const double ulp = dtype == kFloat64 ? 0x1p-52 : 0x1p-23;
    const double allowed = dtype == kFloat64 ? 4 : 1;
    for (const auto& [rows, classes] : shapes) {
      Generator gen(static_cast<uint64_t>(rows * 7919 + classes));
      const Tensor logits = (randn({rows, classes}, kFloat64, &gen) * 10.0).to(dtype);
      const Tensor labels = randint(0, classes, {rows}, kInt64, &gen);
      const std::vector<double> z = logits.to_vector();
      const std::vector<double> loss = nn::cross_entropy(logits, labels, Reduction::None).to_vector();
      const int64_t* y = labels.data_ptr<int64_t>();
      double worst = 0;
      int64_t worst_row = 0;
      for (int64_t r = 0; r < rows; ++r) {
        const std::vector<double> row(z.begin() + r * classes, z.begin() + (r + 1) * classes);
        const long double expected = reference_cross_entropy(row, static_cast<size_t>(y[r]));
        const double error = std::abs(static_cast<double>(loss[r] - expected)) /
                             (ulp * std::max(1.0, std::abs(static_cast<double>(expected))));
        if (error > worst) worst = error, worst_row = r;
      }
      EXPECT_LE(worst, allowed) << "cross_entropy " << to_string(dtype) << " [" << rows << ", " << classes
                                << "]: worst row " << worst_row << " is off by " << worst << " ulp";
    }
  }
}

// The fused gradient kernel (softmax, one-hot and the loss's factor in one pass) at the same
// sizes, against softmax - one-hot in long double, times the factor (1 / rows of the mean),
// in ulps of the factor (the largest a gradient can be). float32 is computed in double and
// rounded once: within 1 ulp. float64 also carries the double sum of the row's
// exponentials, whose relative error grows with the classes: within 1 + (classes + 2) / 2.
TEST(Loss, CrossEntropyGradientMatchesLongDoubleAtEverySize) {
  std::vector<std::pair<int64_t, int64_t>> shapes;  // rows, classes
  for (int64_t c = 1; c <= 70; ++c) shapes.push_back({3, c});
  for (int64_t c : {127, 128, 129, 1000, 4099}) shapes.push_back({3, c});
  shapes.push_back({20000, 3});  // threaded
  shapes.push_back({100003, 10});  // threaded, MNIST's ten classes
  for (ScalarType dtype : {kFloat64, kFloat32}) {
    const double ulp = dtype == kFloat64 ? 0x1p-52 : 0x1p-23;
    for (const auto& [rows, classes] : shapes) {
      Generator gen(static_cast<uint64_t>(rows * 104729 + classes));
      const Tensor logits = (randn({rows, classes}, kFloat64, &gen) * 10.0).to(dtype).requires_grad_();
      const Tensor labels = randint(0, classes, {rows}, kInt64, &gen);
      nn::cross_entropy(logits, labels).backward();
      const std::vector<double> z = logits.detach().to_vector(), grad = logits.grad().to_vector();
      const int64_t* y = labels.data_ptr<int64_t>();
      double worst = 0;
      int64_t worst_row = 0;
      for (int64_t r = 0; r < rows; ++r) {
        const double* row = z.data() + r * classes;
        long double m = row[0], total = 0;
        for (int64_t j = 0; j < classes; ++j) m = std::max(m, static_cast<long double>(row[j]));
        for (int64_t j = 0; j < classes; ++j) total += std::exp(static_cast<long double>(row[j]) - m);
        const long double factor = 1.0L / static_cast<long double>(rows);
        for (int64_t j = 0; j < classes; ++j) {
          const long double p = std::exp(static_cast<long double>(row[j]) - m) / total;
          const long double expected = (p - (j == y[r] ? 1.0L : 0.0L)) * factor;
          const double error = std::abs(static_cast<double>(grad[r * classes + j] - expected)) /
                               (ulp * static_cast<double>(factor));
          if (error > worst) worst = error, worst_row = r;
        }
      }
      const double allowed = dtype == kFloat32 ? 1.0 : 1.0 + static_cast<double>(classes + 2) / 2;
      EXPECT_LE(worst, allowed) << "cross_entropy gradient " << to_string(dtype) << " [" << rows << ", " << classes
                            << "]: worst row " << worst_row << " is off by " << worst << " ulp of 1/rows";
    }
  }
}

TEST(Loss, CrossEntropyGradientIsSoftmaxMinusOneHotOverTheBatch) {
  Tensor logits = random_leaf({4, 3}, 1);
  nn::cross_entropy(logits, kLabels).backward();
  Tensor expected = softmax(logits.detach(), 1);
  for (int i = 0; i < 4; ++i) expected.data_ptr<double>()[i * 3 + static_cast<int>(kLabels.at({i}))] -= 1;
  testing::expect_tensors_near(logits.grad(), expected / 4.0, 1e-12);
}

TEST(Loss, EveryLossIsGradchecked) {
  const Tensor logits = random_leaf({4, 3}, 2), other = random_leaf({4, 3}, 3);
  Generator gen(4);
  const Tensor targets = rand({4, 3}, kFloat64, &gen);
  for (Reduction r : {Reduction::Mean, Reduction::Sum, Reduction::None}) {
    EXPECT_TRUE(gradcheck([&](const Tensor& x) { return nn::cross_entropy(x, kLabels, r); }, logits).passed);
    EXPECT_TRUE(gradcheck([&](const Tensor& x) { return nn::nll_loss(log_softmax(x, 1), kLabels, r); }, logits).passed);
    EXPECT_TRUE(gradcheck([&](const TensorList& in) { return nn::mse_loss(in[0], in[1], r); }, {logits, other}).passed);
    EXPECT_TRUE(gradcheck([&](const Tensor& x) { return nn::binary_cross_entropy_with_logits(x, targets, r); }, logits).passed);
  }
  EXPECT_TRUE(gradgradcheck([&](const Tensor& x) { return nn::cross_entropy(x, kLabels); }, logits).passed);
  EXPECT_TRUE(gradgradcheck([&](const Tensor& x) { return nn::binary_cross_entropy_with_logits(x, targets); }, logits).passed);
}

TEST(Loss, NllOfLogSoftmaxIsCrossEntropy) {
  const Tensor logits = random_leaf({4, 3}, 5).detach();
  EXPECT_NEAR(nn::nll_loss(log_softmax(logits, 1), kLabels).item(), nn::cross_entropy(logits, kLabels).item(), 1e-12);
}

TEST(Loss, BinaryCrossEntropyIsStableAndRight) {
  const Tensor x = tensor({-1e4, 0.0, 1e4}, kFloat64), t = tensor({0.0, 1.0, 1.0}, kFloat64);
  testing::expect_values_near(nn::binary_cross_entropy_with_logits(x, t, Reduction::None), {0, std::log(2.0), 0}, 1e-12);
}

TEST(Loss, BadLabelsAreNamed) {
  const Tensor logits = zeros({2, 3});
  expect_error<ShapeError>([&] { nn::cross_entropy(logits, tensor({0, 3}, kInt64)); },
                           "label 3 at position 1 is not a class in [0, 3)");
  // Float labels are the wrong dtype (PyTorch: a dtype error too), whatever their shape.
  expect_error<DtypeError>([&] { nn::cross_entropy(logits, tensor({0.0, 1.0})); },
                           "expects int64 labels (class indices), got float32 [2]; convert them with .to(kInt64)");
  expect_error<DtypeError>([&] { nn::cross_entropy(logits, zeros({2, 3})); }, "got float32 [2, 3]");
  expect_error<ShapeError>([&] { nn::cross_entropy(logits, tensor({0, 1, 2}, kInt64)); },
                           "expects int64 labels of shape [2], got int64 [3]");
  expect_error<ShapeError>([&] { nn::cross_entropy(zeros({3}), tensor({0}, kInt64)); }, "[batch, classes]");
  expect_error<ShapeError>([&] { nn::mse_loss(zeros({2}), zeros({3})); }, "differ in shape");
}

TEST(Loss, Accuracy) {
  const Tensor logits = tensor({0, 1, 0, 5, 0, 0, 0, 0, 9, 1, 2, 3}, {4, 3});
  EXPECT_EQ(nn::accuracy(logits, tensor({1, 0, 2, 0}, kInt64)), 0.75);
}

}  // namespace
}  // namespace nabla
