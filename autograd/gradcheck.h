#pragma once
// Gradient checking, as a public tool: compare the derivatives autograd computes against
// central finite differences, (f(x + eps) - f(x - eps)) / 2 eps.
//
//   auto result = nabla::gradcheck([](const TensorList& in) { return my_op(in[0]); }, {x});
//   std::cout << result;          // PASSED / FAILED, worst error and where it happened
//   EXPECT_TRUE(result.passed);
//
// Inputs are copied to float64 (float32 differences are too coarse to check anything).
// By default a vector-valued f is checked through its full Jacobian: one backward per output
// element against two evaluations of f per input element. Options add forward mode (the
// Jacobian from jvp, one pass per input element, against the numeric one and the reverse
// one) and a fast mode for large inputs: PyTorch's random projections, v^T J u for a random
// u per input and a random v, from one backward (and one jvp per input) against one finite
// difference along u. Built on the public API only (grad, forward_ad.h, finite differences),
// so it checks nabla's own ops in the tests and a user's custom Function (function.h) or
// activation the same way.
//
// Kinks: central differences straddling one disagree with any convention (relu at 0 gives
// 0.5). For an elementwise function whose kinks are known, subgradcheck.h checks them with
// one-sided differences instead.
#include <functional>
#include <cstdint>
#include <iosfwd>
#include <limits>
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
  // Also check forward mode: the derivatives jvp gives against the numeric ones and against
  // reverse mode's. An op without a forward-mode rule fails the check, naming the op.
  bool check_forward_ad = false;
  // Compare v^T J u for random unit vectors u (one per input) and v instead of every entry of
  // J: a few evaluations of f in place of two per input element, so a network's parameters
  // can be checked whole. A disagreement is then traced to one entry of J by halving u's
  // support (and v's) until one element is left, and reported as the full check reports it.
  bool fast_mode = false;
  uint64_t seed = 0;  // of fast mode's random directions
};

struct GradcheckResult {
  std::string check = "gradcheck";  // or "gradgradcheck": which derivative was compared
  bool passed = false;
  // Which derivative disagreed worst: "reverse mode" (the backward against finite
  // differences), "forward mode" (jvp against finite differences) or "forward vs reverse".
  std::string mode = "reverse mode";
  bool fast_mode = false;
  // Fast mode: the projection v^T J u that decided, for the input named by input_index, by
  // `mode` and by finite differences (NaN in the full check).
  double projected_analytic = std::numeric_limits<double>::quiet_NaN();
  double projected_numeric = std::numeric_limits<double>::quiet_NaN();
  double max_abs_error = 0;
  double max_rel_error = 0;
  // Where the worst disagreement was: which input, which of its elements (flat index),
  // which output element, the input's value there and both derivatives (in fast mode, the
  // entry of J a failing projection was traced to; -1 while untraced).
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
// floating-point tensor, and eps must be positive, atol and rtol non-negative
// (std::invalid_argument otherwise). A failure is a result with passed = false, not an
// exception.
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
