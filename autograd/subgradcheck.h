#pragma once
// A gradient check that understands kinks, for elementwise functions f: R -> R (activations).
//
// Central differences straddling a kink agree with no convention: at relu's 0 they give 0.5,
// where the derivative is 0 from the left, 1 from the right, and 0 by convention. So every
// other checker fails falsely there, and projects keep their checks away from kinks, which
// is where a hand-written derivative is most often wrong. Given where f's kinks are, this
// check does the right thing at each point:
//
//   - away from kinks: f' against central differences (Richardson extrapolated, about
//     1e-12 accurate), with the step shrunk near a kink so it never straddles one; and the
//     left and right one-sided differences against each other: if they differ, f has a kink
//     there that was not declared;
//   - at a kink: the one-sided differences of f against the one-sided derivatives (f' just
//     left and just right of it), and f' at the kink, the convention, against both: it must
//     lie between them (one of them, as PyTorch's conventions do, or any subgradient);
//   - at the edge of the domain (sqrt's and log's 0): the same, on the inside only.
//
// Infinite one-sided slopes (signed_sqrt at 0) are recognised on both sides, by f' and by
// the differences growing without bound as the step shrinks. A NaN derivative where f and
// its differences are finite is reported; if the graph holds a where(), as the NaN trap:
// the branch where() did not select computed NaN (sqrt of a negative, say), and its zero
// gradient times that NaN is still NaN.
//
//   SubgradcheckResult r = subgradcheck(f, {.points = xs, .kinks = {0}});
//   std::cout << r;   // PASSED / FAILED, each kink's three slopes, every failing point
//
// nn/activations/derivative_check.h runs it on an activation, with its description's kinks and domain.
// Checked in float64, by reverse mode and (check_forward_ad) by forward mode.
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <limits>
#include <string>
#include <vector>

#include "autograd/tensor.h"

namespace nabla {

struct SubgradcheckOptions {
  std::vector<double> points;  // where f' is checked; each declared kink is checked as one too
  std::vector<double> kinks;   // where f' may jump
  // f is defined from here up (NaN: on all reals). Points below it are not checked.
  double domain_edge = std::numeric_limits<double>::quiet_NaN();
  bool check_forward_ad = true;  // the same checks on the derivative jvp gives
  double atol = 1e-5;            // |analytic - numeric| <= atol + rtol |numeric|
  double rtol = 1e-3;
  double step = 1e-3;  // finite-difference step (times max(1, |x|)), shrunk near kinks
};

// What the check found at one point.
struct DerivativeCheck {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  double x = 0;
  std::string kind;                  // "smooth", "near a kink", "kink", "domain edge"
  std::string mode = "reverse mode";  // or "forward mode": whose f' was checked
  bool passed = true;
  std::string problem;  // what is wrong, in words (empty when passed)
  // Off kinks: f'(x) by AD, and by central differences.
  double analytic = kNaN, numeric = kNaN;
  // At a kink or an edge: the one-sided slopes by AD (f' just beside it) and by one-sided
  // differences of f (+-inf where they grow without bound), and f' at the point itself.
  double left_analytic = kNaN, left_numeric = kNaN;
  double right_analytic = kNaN, right_numeric = kNaN;
  double convention = kNaN;
};

struct SubgradcheckResult {
  bool passed = false;
  int64_t points_checked = 0;
  std::vector<DerivativeCheck> kinks;     // every kink and domain edge, passed or not
  std::vector<DerivativeCheck> failures;  // every point that failed (kinks included)
  explicit operator bool() const { return passed; }
};

std::ostream& operator<<(std::ostream& os, const DerivativeCheck& check);
// "subgradcheck PASSED: N points", each kink's slopes, then the failures (the first 10).
std::ostream& operator<<(std::ostream& os, const SubgradcheckResult& result);

// Checks f' of an elementwise f (applied to a float64 tensor of points, it must return their
// images, one each) as the header describes. Failures are results, not exceptions; bad
// options (no points, a NaN point, a step <= 0) and an f that is not elementwise are
// std::invalid_argument.
SubgradcheckResult subgradcheck(const std::function<Tensor(const Tensor&)>& f, const SubgradcheckOptions& options);

}  // namespace nabla
