#include "autograd/subgradcheck.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "autograd/engine.h"
#include "autograd/forward_ad.h"
#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "autograd/ops/creation.h"

namespace nabla {
namespace {

using Values = std::vector<double>;

Tensor points_tensor(const Values& xs) { return tensor(xs, {static_cast<int64_t>(xs.size())}, kFloat64); }

void check_elementwise(const Tensor& y, size_t n) {
  if (!y.defined() || !is_floating_point(y.dtype()) || y.numel() != static_cast<int64_t>(n)) {
    throw std::invalid_argument("subgradcheck: f must map a tensor of points to their images, one floating-point value each");
  }
}

Values images(const std::function<Tensor(const Tensor&)>& f, const Values& xs) {
  NoGradGuard no_grad;
  const Tensor y = f(points_tensor(xs));
  check_elementwise(y, xs.size());
  return y.to_vector();
}

// f' at each point, by one backward (f is elementwise, so the gradient of sum f is f').
Values reverse_slopes(const std::function<Tensor(const Tensor&)>& f, const Values& xs, bool& has_where) {
  AutoGradMode recording(true);
  const Tensor x = points_tensor(xs).requires_grad_();
  const Tensor y = f(x);
  check_elementwise(y, xs.size());
  if (!y.requires_grad()) return Values(xs.size(), 0.0);
  has_where = graph_has_op(y.grad_fn(), "where");
  const TensorList g = autograd::grad({y}, {x}, {ones(y.sizes(), y.dtype())}, false, false, /*allow_unused=*/true);
  return g[0].defined() ? g[0].to_vector() : Values(xs.size(), 0.0);
}

// f' at each point, by one forward-mode pass with tangent 1.
Values forward_slopes(const std::function<Tensor(const Tensor&)>& f, const Values& xs) {
  NoGradGuard no_graph;
  DualLevel level;
  const Tensor x = points_tensor(xs);
  const Tensor y = f(make_dual(x, ones(x.sizes(), kFloat64)));
  check_elementwise(y, xs.size());
  const Tensor t = tangent_of(y);
  return t.defined() ? t.to_vector() : Values(xs.size(), 0.0);
}

// Every x the check evaluates f (or f') at, collected so that each is one pass over a tensor.
struct Probes {
  Values xs;
  size_t add(double x) {
    xs.push_back(x);
    return xs.size() - 1;
  }
};

// One point to check, with the indices of its probes: f at x + k h for k in -2, -1, -1/2,
// 1/2, 1, 2 (and x), f' at x.
struct SmoothPoint {
  double x, h;
  bool near_kink;
  size_t f_at[7];  // -2h, -h, -h/2, 0, h/2, h, 2h
  size_t slope_at;
};

// A kink or a domain edge: f one-sided at steps h and h/100 on each side, f' at +-delta and
// +-delta/100, and f' at the point.
struct Kink {
  double x, h, delta;
  bool edge;
  size_t f_at_point, f_left[4], f_right[4];  // h, 2h, h/100, 2h/100
  size_t slope_left[2], slope_right[2], slope_at;
};

bool close(double analytic, double numeric, const SubgradcheckOptions& o) {
  if (std::isinf(analytic) || std::isinf(numeric)) return analytic == numeric;
  return std::abs(analytic - numeric) <= o.atol + o.rtol * std::abs(numeric);
}

// A one-sided slope estimate at two steps (or f' at two distances): +-inf if it grows
// without bound as the step shrinks, else the estimate at the smaller distance for f' and
// the larger (more accurate) step for differences.
double limit(double coarse, double fine, const SubgradcheckOptions& o, bool prefer_fine) {
  if (std::isnan(coarse) || std::isnan(fine)) return NAN;
  if (std::abs(fine) > 2 * std::abs(coarse) + o.atol) return std::copysign(INFINITY, fine);
  return prefer_fine ? fine : coarse;
}

std::string number(double v) {
  std::ostringstream s;
  s << std::setprecision(6) << v + 0.0;  // + 0.0: -0 prints as 0
  return s.str();
}

class Checker {
 public:
  Checker(const std::function<Tensor(const Tensor&)>& f, const SubgradcheckOptions& o) : f_(f), o_(o) {
    for (double k : o.kinks) special_.push_back(k);
    if (has_edge()) special_.push_back(o.domain_edge);
  }

  SubgradcheckResult run() {
    for (double k : o_.kinks) add_kink(k, false);
    if (has_edge()) add_kink(o_.domain_edge, true);
    for (double x : o_.points) {
      if (is_special(x) || (has_edge() && !(x > o_.domain_edge))) continue;
      add_point(x);
    }
    image_ = images(f_, f_probes_.xs);
    bool has_where = false;
    const Values reverse = reverse_slopes(f_, slope_probes_.xs, has_where);
    SubgradcheckResult r;
    r.points_checked = static_cast<int64_t>(points_.size() + kinks_.size());
    judge(reverse, "reverse mode", has_where, r);
    if (o_.check_forward_ad) judge(forward_slopes(f_, slope_probes_.xs), "forward mode", has_where, r);
    r.passed = r.failures.empty();
    return r;
  }

 private:
  bool has_edge() const { return !std::isnan(o_.domain_edge); }
  bool is_special(double x) const { return std::find(special_.begin(), special_.end(), x) != special_.end(); }
  double scale(double x) const { return std::max(1.0, std::abs(x)); }
  // Distance from x to the nearest kink or edge other than x itself.
  double gap(double x) const {
    double g = INFINITY;
    for (double s : special_) {
      if (s != x) g = std::min(g, std::abs(s - x));
    }
    return g;
  }

  void add_point(double x) {
    const double full = o_.step * scale(x);
    const double h = std::min(full, gap(x) / 8);  // the stencil, x +- 2h, stays clear of kinks
    SmoothPoint p{x, h, h < full, {}, slope_probes_.add(x)};
    const double offsets[7] = {-2, -1, -0.5, 0, 0.5, 1, 2};
    for (int i = 0; i < 7; ++i) p.f_at[i] = f_probes_.add(x + offsets[i] * h);
    points_.push_back(p);
  }

  void add_kink(double x, bool edge) {
    const double h = std::min(o_.step * 0.1 * scale(x), gap(x) / 8);
    const double delta = std::min(1e-9 * scale(x), h / 100);
    Kink k{x, h, delta, edge, f_probes_.add(x), {}, {}, {}, {}, slope_probes_.add(x)};
    const double steps[4] = {h, 2 * h, h / 100, 2 * h / 100};
    for (int i = 0; i < 4; ++i) {
      k.f_left[i] = f_probes_.add(edge ? NAN : x - steps[i]);
      k.f_right[i] = f_probes_.add(x + steps[i]);
    }
    for (int i = 0; i < 2; ++i) {
      const double d = i == 0 ? delta : delta / 100;
      k.slope_left[i] = slope_probes_.add(edge ? NAN : x - d);
      k.slope_right[i] = slope_probes_.add(x + d);
    }
    kinks_.push_back(k);
  }

  void judge(const Values& slope, const char* mode, bool has_where, SubgradcheckResult& r) {
    for (const Kink& k : kinks_) {
      DerivativeCheck c = judge_kink(k, slope);
      c.mode = mode;
      if (!c.passed) r.failures.push_back(c);
      r.kinks.push_back(c);
    }
    for (const SmoothPoint& p : points_) {
      DerivativeCheck c = judge_point(p, slope, has_where);
      c.mode = mode;
      if (!c.passed) r.failures.push_back(c);
    }
  }

  DerivativeCheck judge_point(const SmoothPoint& p, const Values& slope, bool has_where) const {
    DerivativeCheck c;
    c.x = p.x;
    c.kind = p.near_kink ? "near a kink" : "smooth";
    double v[7];
    for (int i = 0; i < 7; ++i) v[i] = image_[p.f_at[i]];
    const double h = p.h;
    // Central differences at h and 2h, Richardson extrapolated: error O(h^4).
    const double d1 = (v[5] - v[1]) / (2 * h), d2 = (v[6] - v[0]) / (4 * h);
    c.numeric = (4 * d1 - d2) / 3;
    c.analytic = slope[p.slope_at];
    if (!std::isfinite(v[3]) || std::isnan(c.numeric)) return c;  // outside where f is defined: nothing to check
    if (std::isnan(c.analytic)) {
      c.passed = false;
      c.problem = has_where ? "f' is NaN where f is finite: the NaN trap of where(). The branch where() did not select "
                              "computes NaN here (sqrt or log of a negative, say), and the zero gradient it sends "
                              "there times that NaN is NaN. Give that branch a safe input (where() it too)"
                            : "f' is NaN where f and its differences are finite";
      return c;
    }
    // One-sided second-order differences at h and h/2: away from a kink they agree, and their
    // gap shrinks 4x as the step halves; across one, it stays.
    const double left = (3 * v[3] - 4 * v[1] + v[0]) / (2 * h), right = (-3 * v[3] + 4 * v[5] - v[6]) / (2 * h);
    const double left_half = (3 * v[3] - 4 * v[2] + v[1]) / h, right_half = (-3 * v[3] + 4 * v[4] - v[5]) / h;
    const double jump = left_half - right_half;
    if (std::abs(jump) > o_.atol + o_.rtol * std::max(std::abs(left_half), std::abs(right_half)) &&
        std::abs(jump) > 0.5 * std::abs(left - right)) {
      c.passed = false;
      c.kind = "undeclared kink";
      c.left_numeric = left_half;
      c.right_numeric = right_half;
      c.problem = "f has a kink at or within " + number(h) + " of x = " + number(p.x) + " (slope " + number(left_half) +
                  " on the left, " + number(right_half) + " on the right) that is not declared: list it in kinks";
      return c;
    }
    if (!close(c.analytic, c.numeric, o_)) {
      c.passed = false;
      c.problem = "f' is " + number(c.analytic) + " but f's differences say " + number(c.numeric);
    }
    return c;
  }

  DerivativeCheck judge_kink(const Kink& k, const Values& slope) const {
    DerivativeCheck c;
    c.x = k.x;
    c.kind = k.edge ? "domain edge" : "kink";
    c.convention = slope[k.slope_at];
    const double at = image_[k.f_at_point];
    // Second-order one-sided differences: (3 f(x) - 4 f(x -+ h) + f(x -+ 2h)) / 2h, +- for each side.
    auto one_sided = [&](const size_t (&side)[4], double sign) {
      const double coarse = sign * (4 * image_[side[0]] - 3 * at - image_[side[1]]) / (2 * k.h);
      const double fine = sign * (4 * image_[side[2]] - 3 * at - image_[side[3]]) / (2 * k.h / 100);
      return limit(coarse, fine, o_, false);
    };
    c.right_analytic = limit(slope[k.slope_right[0]], slope[k.slope_right[1]], o_, true);
    if (!std::isfinite(at)) return c;  // log's 0: f itself is infinite there, nothing to difference
    c.right_numeric = one_sided(k.f_right, 1);
    std::vector<std::string> problems;
    if (!close(c.right_analytic, c.right_numeric, o_)) {
      problems.push_back("the right slope is " + number(c.right_analytic) + " by f' but " + number(c.right_numeric) +
                         " by f's one-sided differences");
    }
    double low = c.right_numeric, high = c.right_numeric;
    if (!k.edge) {
      c.left_analytic = limit(slope[k.slope_left[0]], slope[k.slope_left[1]], o_, true);
      c.left_numeric = one_sided(k.f_left, -1);
      if (!close(c.left_analytic, c.left_numeric, o_)) {
        problems.push_back("the left slope is " + number(c.left_analytic) + " by f' but " + number(c.left_numeric) +
                           " by f's one-sided differences");
      }
      low = std::min(low, c.left_numeric);
      high = std::max(high, c.left_numeric);
    }
    const double largest_finite = std::max(std::isfinite(low) ? std::abs(low) : 0, std::isfinite(high) ? std::abs(high) : 0);
    const double tolerance = o_.atol + o_.rtol * largest_finite;
    const bool between = c.convention == low || c.convention == high ||
                         (c.convention >= low - tolerance && c.convention <= high + tolerance);
    if (!between) {
      problems.push_back("f' at the " + c.kind + " is " + number(c.convention) +
                         (k.edge ? ", not the slope inside, " + number(low)
                                 : ", outside [" + number(low) + ", " + number(high) + "], the one-sided slopes"));
    }
    for (size_t i = 0; i < problems.size(); ++i) c.problem += (i ? "; " : "") + problems[i];
    c.passed = problems.empty();
    return c;
  }

  const std::function<Tensor(const Tensor&)>& f_;
  const SubgradcheckOptions& o_;
  std::vector<double> special_;  // the kinks and the domain edge
  std::vector<SmoothPoint> points_;
  std::vector<Kink> kinks_;
  Probes f_probes_, slope_probes_;
  Values image_;  // f at f_probes_
};

}  // namespace

std::ostream& operator<<(std::ostream& os, const DerivativeCheck& c) {
  os << std::setprecision(6) << c.kind << " at x = " << c.x << " (" << c.mode << "): ";
  if (c.kind == "kink" || c.kind == "domain edge") {
    if (c.kind == "kink") os << "left slope " << number(c.left_analytic) << " (differences " << number(c.left_numeric) << "), ";
    os << "right slope " << number(c.right_analytic) << " (differences " << number(c.right_numeric) << "), f' there "
       << number(c.convention);
  } else if (c.kind == "undeclared kink") {
    os << "one-sided differences " << number(c.left_numeric) << " left, " << number(c.right_numeric) << " right";
  } else {
    os << "f' " << number(c.analytic) << ", differences " << number(c.numeric);
  }
  if (!c.passed) os << "\n    " << c.problem;
  return os;
}

std::ostream& operator<<(std::ostream& os, const SubgradcheckResult& r) {
  os << "subgradcheck " << (r.passed ? "PASSED" : "FAILED") << ": " << r.points_checked << " points, "
     << r.failures.size() << " failures (reverse and forward mode together)";
  for (const DerivativeCheck& k : r.kinks) os << "\n  " << k;
  constexpr size_t kShown = 10;
  for (size_t i = 0; i < std::min(kShown, r.failures.size()); ++i) {
    if (r.failures[i].kind == "kink" || r.failures[i].kind == "domain edge") continue;  // shown above
    os << "\n  " << r.failures[i];
  }
  if (r.failures.size() > kShown) os << "\n  ... and " << r.failures.size() - kShown << " more";
  return os;
}

SubgradcheckResult subgradcheck(const std::function<Tensor(const Tensor&)>& f, const SubgradcheckOptions& options) {
  if (options.points.empty() && options.kinks.empty()) {
    throw std::invalid_argument("subgradcheck: no points and no kinks given: nothing to check");
  }
  for (const std::vector<double>* list : {&options.points, &options.kinks}) {
    for (double x : *list) {
      if (!std::isfinite(x)) {
        throw std::invalid_argument("subgradcheck: every point and kink must be finite, got " + number(x));
      }
    }
  }
  if (!(options.step > 0) || !std::isfinite(options.step) || !(options.atol >= 0) || !(options.rtol >= 0)) {
    throw std::invalid_argument("subgradcheck: step must be positive and finite, atol and rtol non-negative (got step " +
                                number(options.step) + ", atol " + number(options.atol) + ", rtol " +
                                number(options.rtol) + ")");
  }
  return Checker(f, options).run();
}

}  // namespace nabla
