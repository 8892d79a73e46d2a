#pragma once
// Gradient checking, as a public tool: compare the gradients autograd computes against
// central finite differences, (f(x + eps) - f(x - eps)) / 2 eps, element by element.
//
//   auto result = nabla::gradcheck([](const TensorList& in) { return my_op(in[0]); }, {x});
//   std::cout << result;          // PASSED / FAILED, worst error and where it happened
//   EXPECT_TRUE(result.passed);
//
// Inputs are copied to float64 (float32 differences are too coarse to check anything).
// A vector-valued f is checked through its full Jacobian, one row per output element.
// Built on the public API only (grad, finite differences), so it checks nabla's own ops in
// the tests and a user's custom Function (function.h) or activation the same way.
#include <functional>
#include <iosfwd>
#include <string>

#include "autograd/node.h"

namespace nabla {

struct GradcheckOptions {
  double eps = 1e-6;   // finite-difference step
  double atol = 1e-5;  // |analytic - numeric| <= atol + rtol * |numeric|
  double rtol = 1e-3;
  // An all-zero Jacobian passes only when this says zero is the right answer: a check where
  // both sides are zero proves nothing about the backward.
  bool expect_zero_gradient = false;
};

struct GradcheckResult {
  std::string check = "gradcheck";  // or "gradgradcheck": which derivative was compared
  bool passed = false;
  double max_abs_error = 0;
  double max_rel_error = 0;
  // Where the worst disagreement was: which input, which of its elements (flat index),
  // which output element, the input's value there and both derivatives.
  int input_index = -1;
  int64_t element_index = -1;
  int64_t output_index = -1;
  double input_value = 0;
  double analytic = 0;
  double numeric = 0;
  std::string message;
  explicit operator bool() const { return passed; }
};

// "gradcheck PASSED" (or gradgradcheck, FAILED), the largest errors, and the worst element
// with both derivatives.
std::ostream& operator<<(std::ostream& os, const GradcheckResult& r);

using DifferentiableFunction = std::function<Tensor(const TensorList&)>;

// Checks every input that requires grad (the others are held fixed). f must return a
// floating-point tensor (std::invalid_argument otherwise). A failure is a result with
// passed = false, not an exception.
GradcheckResult gradcheck(const DifferentiableFunction& f, const TensorList& inputs, const GradcheckOptions& options = {});
GradcheckResult gradcheck(const std::function<Tensor(const Tensor&)>& f, const Tensor& input,
                          const GradcheckOptions& options = {});

// Second derivatives: checks the gradient of <v, f(x)> (for a fixed random v), itself
// computed with create_graph=true, against finite differences of that gradient.
GradcheckResult gradgradcheck(const DifferentiableFunction& f, const TensorList& inputs,
                              const GradcheckOptions& options = {});
GradcheckResult gradgradcheck(const std::function<Tensor(const Tensor&)>& f, const Tensor& input,
                              const GradcheckOptions& options = {});

}  // namespace nabla
