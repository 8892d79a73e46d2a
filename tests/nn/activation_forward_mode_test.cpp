// Forward mode through every activation of the table: the tangent is f'(x) t, from the same
// description as the backward, so a custom activation given as an f/f' pair gets forward
// mode with no code of its own. Forward and reverse Jacobians agree (float64, 1e-10), and
// both agree with central differences, at points away from each activation's kinks and
// inside its domain; and forward over reverse gives the Hessian that reverse over reverse does.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "nn/activations/activation.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::relative_difference;

// 13 points of [-3, 3] (or (0.3, 3.3] for a domain that ends at 0), none within 0.05 of a kink.
Tensor points_away_from_kinks(const Activation& a) {
  std::vector<double> xs;
  for (int i = 0; i < 13; ++i) {
    double x = -3.0 + 0.5 * i + 0.037;
    if (a.domain != Domain::AllReals) x = std::abs(x) + 0.3;
    bool near_kink = false;
    for (double k : a.kinks) near_kink = near_kink || std::abs(x - k) < 0.05;
    if (!near_kink) xs.push_back(x);
  }
  return tensor(xs, {static_cast<int64_t>(xs.size())}, kFloat64);
}

TEST(ActivationForwardMode, EveryActivationsForwardAndReverseJacobiansAgreeAwayFromKinks) {
  ASSERT_GE(activation_names().size(), 20u) << "the activation table lost its built-ins";
  for (const std::string& name : activation_names()) {
    const Activation& a = activation(name);
    const Tensor x = points_away_from_kinks(a);
    auto f = [&a](const Tensor& t) { return a(t); };
    const Tensor forward = func::jacfwd(f, x), reverse = func::jacrev(f, x);
    EXPECT_LE(relative_difference(forward, reverse), 1e-10) << name;
    EXPECT_GT(forward.abs().sum().item<double>(), 0.0) << name << ": a Jacobian of zeros proves nothing";
    // Central differences on the diagonal, D(h) = (f(x + h) - f(x - h)) / 2h, Richardson
    // extrapolated: (4 D(h/2) - D(h)) / 3 is off by O(h^4) instead of O(h^2).
    NoGradGuard no_graph;
    const double h = 2e-4;
    auto central = [&](double step) { return (a(x + step) - a(x - step)) / (2 * step); };
    const Tensor extrapolated = (central(h / 2) * 4.0 - central(h)) / 3.0;
    EXPECT_LE(relative_difference(forward.diagonal(), extrapolated), 1e-10) << name;
    // Forward over reverse: the Hessian of sum f is diag(f''), as reverse over reverse says.
    if (!a.twice_differentiable) continue;
    AutoGradMode recording(true);
    auto total = [&a](const Tensor& t) { return a(t).sum(); };
    EXPECT_LE(relative_difference(func::hessian(total, x), func::hessian_reverse_over_reverse(total, x)), 1e-12) << name;
  }
}

}  // namespace
}  // namespace nabla
