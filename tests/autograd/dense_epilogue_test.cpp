// The fused ends of a dense layer (kernels/dense_epilogue.h) against plain loops: every
// shape across the 64-column blocks and the threading grain, float32 and float64, relu and
// identity, with and without bias, on one thread and on three; then outputs of about a
// million elements in odd shapes (far past the threading threshold of both kernels), with the
// bias gradient also held to a long-double sum.
#include "autograd/kernels/dense_epilogue.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "autograd/kernels/parallel.h"
#include "tests/differential.h"

namespace nabla::kernels {
namespace {

template <class T>
void check_shape(DenseEpilogue f, bool with_bias, int64_t rows, int64_t cols) {
  std::mt19937 rng(static_cast<unsigned>(rows * 1000 + cols));
  std::normal_distribution<double> normal;
  std::vector<T> z(rows * cols), g(rows * cols), bias(cols);
  for (T& v : z) v = static_cast<T>(normal(rng));
  for (T& v : g) v = static_cast<T>(normal(rng));
  for (T& v : bias) v = static_cast<T>(normal(rng));
  const bool relu = f == DenseEpilogue::Relu;
  const std::string where = std::string(differential::dtype_name<T>()) + (relu ? " relu" : " identity") +
                            (with_bias ? " with bias " : " ") + std::to_string(rows) + "x" + std::to_string(cols);

  std::vector<T> y = z, expected_y(rows * cols);
  for (int64_t i = 0; i < rows * cols; ++i) {
    const T v = with_bias ? z[i] + bias[i % cols] : z[i];
    expected_y[i] = relu && v < T(0) ? T(0) : v;
  }
  dense_bias_activation(f, with_bias ? bias.data() : nullptr, y.data(), rows, cols);
  ASSERT_EQ(y, expected_y) << where;

  std::vector<T> gz(rows * cols, T(-7)), gb(cols, T(-7)), expected_gz(rows * cols);
  std::vector<double> sums(cols, 0.0);
  for (int64_t i = 0; i < rows * cols; ++i) {
    expected_gz[i] = relu ? g[i] * (y[i] > T(0) ? T(1) : T(0)) : g[i];
    sums[i % cols] += expected_gz[i];
  }
  dense_activation_grad_bias_sum(f, g.data(), y.data(), relu ? gz.data() : nullptr, gb.data(), rows, cols);
  if (relu) {
    ASSERT_EQ(gz, expected_gz) << where;
  }
  for (int64_t c = 0; c < cols; ++c) ASSERT_EQ(gb[c], static_cast<T>(sums[c])) << where << ", column " << c;

  // The bias gradient against the exact sum (long double), in ulps of T at the sum of the
  // terms' magnitudes. Summing in double, a float32 result is off by its final rounding
  // alone; a float64 one also by the sum's own error, at most (rows - 1) / 2 such ulps.
  std::vector<long double> exact(cols, 0.0L), magnitude(cols, 0.0L);
  for (int64_t i = 0; i < rows * cols; ++i) {
    exact[i % cols] += static_cast<long double>(expected_gz[i]);
    magnitude[i % cols] += std::fabs(static_cast<long double>(expected_gz[i]));
  }
  for (int64_t c = 0; c < cols; ++c) {
    const double allowed = sizeof(T) == 4 ? 1.0 : 1.0 + 0.5 * static_cast<double>(rows - 1);
    ASSERT_LE(differential::error_in_ulp<T>(gb[c], exact[c], magnitude[c]), allowed) << where << ", column " << c;
  }
}

TEST(DenseEpilogue, MatchesPlainLoopsAtEveryShape) {
  const int threads_before = get_num_threads();
  for (int threads : {1, 3}) {
    set_num_threads(threads);
    for (int64_t rows : {1, 5, 64, 257, 1100}) {
      for (int64_t cols : {1, 63, 64, 65, 200}) {
        for (DenseEpilogue f : {DenseEpilogue::Identity, DenseEpilogue::Relu}) {
          for (bool with_bias : {true, false}) {
            check_shape<float>(f, with_bias, rows, cols);
            check_shape<double>(f, with_bias, rows, cols);
          }
        }
      }
    }
  }
  set_num_threads(threads_before);
}

// About a million outputs in odd shapes: tall (the forward splits its rows across threads),
// wide (the backward splits its 64-column blocks), and square-ish with no dimension a
// multiple of the vector width or of 64. Each kernel crosses its threading threshold
// (2 chunks of kMinWorkPerChunk) in at least two of the shapes.
TEST(DenseEpilogue, MatchesPlainLoopsAtAMillionOutputs) {
  struct DenseEpilogueShape {
    int64_t rows, cols;
  };
  const DenseEpilogueShape shapes[] = {{1000003, 1}, {7, 142861}, {1009, 991}, {3001, 333}};
  // Three threads only: the single-threaded loops are the ones of the test above.
  const int threads_before = get_num_threads();
  for (int threads : {3}) {
    set_num_threads(threads);
    for (const DenseEpilogueShape& shape : shapes) {
      for (DenseEpilogue f : {DenseEpilogue::Identity, DenseEpilogue::Relu}) {
        for (bool with_bias : {true, false}) {
          check_shape<float>(f, with_bias, shape.rows, shape.cols);
          check_shape<double>(f, with_bias, shape.rows, shape.cols);
        }
      }
    }
  }
  set_num_threads(threads_before);
}

// As the relu op's own backward, g * relu'(z) is a product: a NaN gradient at a dead unit
// stays NaN (and reaches the bias gradient) rather than being masked to zero.
TEST(DenseEpilogue, NanGradientAtADeadReluUnitStaysNan) {
  std::vector<float> y = {0.0f, 2.0f}, g = {std::numeric_limits<float>::quiet_NaN(), 1.0f}, gz(2), gb(2);
  dense_activation_grad_bias_sum(DenseEpilogue::Relu, g.data(), y.data(), gz.data(), gb.data(), 1, 2);
  EXPECT_TRUE(std::isnan(gz[0]));
  EXPECT_TRUE(std::isnan(gb[0]));
  EXPECT_EQ(gz[1], 1.0f);
}

}  // namespace
}  // namespace nabla::kernels
