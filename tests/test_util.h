#pragma once
// Helpers shared by every test suite.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "autograd/autograd.h"

// Skips the test when a tool or data set it needs is missing, with `what` as the message;
// on CI ($CI set) a missing one is a failure instead, since .ci/run installs everything the
// tests use and a skip there would hide a check that never ran.
#define NABLA_REQUIRE(available, what)                                                   \
  do {                                                                                   \
    if (!(available)) {                                                                  \
      if (std::getenv("CI")) FAIL() << what << " is missing on CI (.ci/run installs it)"; \
      GTEST_SKIP() << what << " is not installed";                                       \
    }                                                                                    \
  } while (0)

namespace nabla::testing {

// Every element of `actual` within `tol` of `expected` (same shape).
inline void expect_values_near(const Tensor& actual, const std::vector<double>& expected, double tol = 1e-12) {
  const std::vector<double> values = actual.to_vector();
  ASSERT_EQ(values.size(), expected.size());
  for (size_t i = 0; i < values.size(); ++i) EXPECT_NEAR(values[i], expected[i], tol) << "at element " << i;
}

inline void expect_tensors_near(const Tensor& actual, const Tensor& expected, double tol = 1e-12) {
  ASSERT_EQ(to_string(actual.sizes()), to_string(expected.sizes()));
  expect_values_near(actual, expected.to_vector(), tol);
}

// A float64 leaf that requires grad, with values drawn from a fixed seed.
inline Tensor random_leaf(const Shape& shape, uint64_t seed = 1, double scale = 1.0) {
  Generator gen(seed);
  Tensor t = randn(shape, kFloat64, &gen);
  t.mul_(scale);
  return t.requires_grad_();
}

// Inputs kept away from the points where an op is undefined or has a kink: random_leaf's
// values moved 0.2 away from 0, or made positive (|x| + 0.3).
inline Tensor away_from_zero(const Shape& shape, uint64_t seed) {
  NoGradGuard g;
  Tensor x = random_leaf(shape, seed).detach();
  Tensor moved = x + sign(x) * 0.2;
  return moved.requires_grad_();
}
inline Tensor positive(const Shape& shape, uint64_t seed) {
  NoGradGuard g;
  Tensor x = random_leaf(shape, seed).detach();
  Tensor moved = abs(x) + 0.3;
  return moved.requires_grad_();
}

// The largest |a - b| relative to the largest |b| (or 1): one number for a whole Jacobian.
inline double relative_difference(const Tensor& a, const Tensor& b) {
  const std::vector<double> x = a.to_vector(), y = b.to_vector();
  double worst = 0, scale = 1;
  for (size_t i = 0; i < x.size(); ++i) {
    worst = std::max(worst, std::abs(x[i] - y[i]));
    scale = std::max(scale, std::abs(y[i]));
  }
  return worst / scale;
}

// A float64 leaf that requires grad, with the given values.
inline Tensor leaf(std::initializer_list<double> values) { return tensor(values, kFloat64).requires_grad_(); }

// Runs `f`, expecting an exception of type E whose message contains `fragment`.
template <class E, class F>
void expect_error(F&& f, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "expected an exception mentioning '" << fragment << "'";
  } catch (const E& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << "message was: " << e.what();
  }
}

// The whole content of a file (empty if it cannot be read).
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// A fresh directory, removed with its contents when the test ends. mkdtemp makes the
// name unique, so several test processes (ctest -j) never share one.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "nabla-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string path() const { return path_.string(); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace nabla::testing
