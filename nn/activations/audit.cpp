#include "nn/activations/audit.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "autograd/autograd.h"

namespace nabla {
namespace {

std::string format(double v, int precision = 3) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::ostringstream s;
  s << std::setprecision(precision) << v;
  return s.str();
}

// f and f' at each point of xs, in float64, through the activation's own backward.
struct Samples {
  std::vector<double> x, f, df;
};

Samples evaluate(const Activation& a, const std::vector<double>& xs) {
  Tensor x = tensor(xs, {static_cast<int64_t>(xs.size())}, kFloat64).requires_grad_();
  const Tensor y = a(x);
  y.backward(ones_like(y));
  return {xs, y.to_vector(), x.grad().to_vector()};
}

// Describes runs of x where `bad` holds, e.g. "x in [-10, -0.001]" or "x = 0".
std::string where(const Samples& s, const std::vector<bool>& bad) {
  std::string out;
  size_t i = 0, runs = 0;
  while (i < bad.size()) {
    if (!bad[i]) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j + 1 < bad.size() && bad[j + 1]) ++j;
    if (runs++ < 3) {
      if (!out.empty()) out += ", ";
      if (i == j) {
        out += "x = ";
        out += format(s.x[i]);
      } else {
        out += "x in [";
        out += format(s.x[i]);
        out += ", ";
        out += format(s.x[j]);
        out += "]";
      }
    }
    i = j + 1;
  }
  if (runs > 3) out += ", ...";
  return out;
}

// Nanoseconds per element of the best of a few runs (the least disturbed by the machine).
template <class F>
double best_ns_per_element(F run, int64_t elements) {
  double best = INFINITY;
  run();  // warm the caches and the buffer pool
  for (int rep = 0; rep < 7; ++rep) {
    const auto start = std::chrono::steady_clock::now();
    run();
    const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count());
  }
  return best / static_cast<double>(elements);
}

void measure_cost(const Activation& a, const AuditOptions& o, AuditResult& r) {
  const Tensor x = randn({o.cost_elements}).mul_(3.0);
  {
    NoGradGuard no_grad;
    r.forward_ns = best_ns_per_element([&] { a(x); }, o.cost_elements);
  }
  Tensor leaf = x.clone().requires_grad_();
  const Tensor y = a(leaf);
  const Tensor seed = ones_like(y);
  if (!y.requires_grad()) return;
  r.backward_ns = best_ns_per_element([&] { autograd::grad({y}, {leaf}, {seed}, /*retain_graph=*/true); },
                                      o.cost_elements);
}

}  // namespace

AuditResult audit(const Activation& a, const AuditOptions& o) {
  AuditResult r;
  r.name = a.name;
  std::vector<double> xs(o.points);
  for (int64_t i = 0; i < o.points; ++i) {
    xs[i] = o.low + (o.high - o.low) * static_cast<double>(i) / static_cast<double>(o.points - 1);
  }
  const Samples s = evaluate(a, xs);
  const size_t n = xs.size();

  // Defined: f and f' are numbers everywhere on the grid.
  std::vector<bool> undefined(n), not_differentiable(n);
  for (size_t i = 0; i < n; ++i) {
    undefined[i] = !std::isfinite(s.f[i]);
    not_differentiable[i] = !undefined[i] && !std::isfinite(s.df[i]);
  }
  r.defined_everywhere = std::none_of(undefined.begin(), undefined.end(), [](bool b) { return b; });
  if (!r.defined_everywhere) r.notes.push_back("f undefined (NaN or inf) for " + where(s, undefined));
  r.differentiable = r.defined_everywhere && std::none_of(not_differentiable.begin(), not_differentiable.end(),
                                                           [](bool b) { return b; });
  if (std::any_of(not_differentiable.begin(), not_differentiable.end(), [](bool b) { return b; })) {
    r.notes.push_back("f' infinite or NaN at " + where(s, not_differentiable));
  }
  if (a.domain != Domain::AllReals) {
    r.notes.push_back("x = " + format(a.domain_edge()) + " is the edge of its domain (" + to_string(a.domain) +
                      "), where f stops: not a kink");
  }

  // The rest is measured where f is defined.
  std::vector<size_t> ok;
  for (size_t i = 0; i < n; ++i) {
    if (!undefined[i] && std::isfinite(s.df[i])) ok.push_back(i);
  }
  if (ok.empty()) return r;

  // Non-linear: the best straight line a x + b leaves a residual.
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (size_t i : ok) {
    sx += s.x[i], sy += s.f[i], sxx += s.x[i] * s.x[i], sxy += s.x[i] * s.f[i];
  }
  const double m = static_cast<double>(ok.size());
  const double slope = (m * sxy - sx * sy) / (m * sxx - sx * sx), intercept = (sy - slope * sx) / m;
  double residual = 0, spread = 0;
  for (size_t i : ok) residual = std::max(residual, std::abs(s.f[i] - (slope * s.x[i] + intercept)));
  r.min_output = INFINITY, r.max_output = -INFINITY;
  for (size_t i = 0; i < n; ++i) {
    if (undefined[i]) continue;
    r.min_output = std::min(r.min_output, s.f[i]);
    r.max_output = std::max(r.max_output, s.f[i]);
  }
  spread = r.max_output - r.min_output;
  r.nonlinear = residual > 1e-6 * std::max(spread, 1e-300);
  if (!r.nonlinear) r.notes.push_back("linear: stacked layers with it collapse into one layer");

  // Meaningful signal: an even function maps x and -x to the same output, and a function
  // defined on one side of 0 only cannot pass the sign of its input on at all.
  double asymmetry = 0;
  size_t mirrored_pairs = 0;
  for (size_t i = 0; i < n / 2; ++i) {
    const size_t mirror = n - 1 - i;  // the grid is symmetric when low = -high
    if (undefined[i] || undefined[mirror]) continue;
    ++mirrored_pairs;
    asymmetry = std::max(asymmetry, std::abs(s.f[i] - s.f[mirror]));
  }
  const bool symmetric_grid = std::abs(o.low + o.high) < 1e-12;
  if (symmetric_grid && mirrored_pairs == 0) {
    r.meaningful_signal = false;
    r.notes.push_back("defined on one side of 0 only: the sign of its input cannot come through");
  } else {
    r.meaningful_signal = !(symmetric_grid && asymmetry <= 1e-12 * std::max(spread, 1.0));
    if (!r.meaningful_signal) r.notes.push_back("even: f(-x) = f(x), so the sign of its input is lost");
  }

  // Monotonic: never decreasing, or never increasing.
  bool up = true, down = true;
  for (size_t k = 1; k < ok.size(); ++k) {
    up = up && s.f[ok[k]] >= s.f[ok[k - 1]];
    down = down && s.f[ok[k]] <= s.f[ok[k - 1]];
  }
  r.monotonic = up || down;

  // Bounded: does f keep growing between |x| = 100 and |x| = 10,000?
  const Samples far = evaluate(a, {-1e4, -100, 100, 1e4});
  // NaN far out means undefined there, which says nothing about a bound.
  auto grows = [](double near, double distant) {
    return !std::isnan(distant) && !std::isnan(near) && (std::isinf(distant) || std::abs(distant - near) > 1.0);
  };
  const bool unbounded_left = grows(far.f[1], far.f[0]), unbounded_right = grows(far.f[2], far.f[3]);
  auto direction = [](double near, double distant) { return distant > near; };
  r.bounded_above = !((unbounded_left && direction(far.f[1], far.f[0])) || (unbounded_right && direction(far.f[2], far.f[3])));
  r.bounded_below = !((unbounded_left && !direction(far.f[1], far.f[0])) || (unbounded_right && !direction(far.f[2], far.f[3])));
  // Approaching the edge of the domain: does f run off to infinity there (log at 0+)?
  if (a.domain != Domain::AllReals) {
    const double edge = a.domain_edge();
    const Samples near_edge = evaluate(a, {edge + 1e-6, edge + 1e-300, edge});
    const double at_edge = a.domain == Domain::Positive ? near_edge.f[2] : near_edge.f[1];
    const double before = near_edge.f[0];
    if (std::isinf(at_edge) || (!std::isnan(at_edge) && std::abs(at_edge - before) > 1.0)) {
      (at_edge > before ? r.bounded_above : r.bounded_below) = false;
    }
  }
  if (!r.bounded_above) r.max_output = INFINITY;
  if (!r.bounded_below) r.min_output = -INFINITY;

  // Zero-centred: f(0) = 0 with outputs of both signs.
  const Samples at_zero = evaluate(a, {0.0});
  r.zero_centred = std::abs(at_zero.f[0]) < 1e-12 && r.min_output < 0 && r.max_output > 0;

  // Saturation.
  size_t vanishing = 0, dead = 0;
  for (size_t i : ok) {
    vanishing += std::abs(s.df[i]) < kSaturatedSlope;
    dead += s.df[i] == 0.0;
  }
  r.vanishing_fraction = static_cast<double>(vanishing) / m;
  r.dead_fraction = static_cast<double>(dead) / m;

  if (o.measure_cost) measure_cost(a, o, r);
  return r;
}

AuditResult audit(const std::string& name, const AuditOptions& options) { return audit(activation(name), options); }

std::vector<AuditResult> audit_all(const AuditOptions& options) {
  std::vector<AuditResult> rows;
  for (const std::string& name : activation_names()) rows.push_back(audit(name, options));
  return rows;
}

namespace {

const char* mark(bool ok) { return ok ? "yes" : "NO"; }

std::string range_of(const AuditResult& r) {
  std::string range = "[";  // appended piece by piece: g++ 12 warns falsely on "[" + std::string
  range += format(r.min_output, 2);
  range += ", ";
  range += format(r.max_output, 2);
  range += "]";
  return range;
}

}  // namespace

void print_audit_table(std::ostream& os, const std::vector<AuditResult>& rows) {
  size_t name_width = 14;
  for (const AuditResult& r : rows) name_width = std::max(name_width, r.name.size() + 2);
  const int w = static_cast<int>(name_width);
  os << std::left << std::setw(w) << "activation" << std::setw(9) << "defined" << std::setw(10) << "f' finite"
     << std::setw(10) << "nonlinear" << std::setw(9) << "signal" << std::setw(10) << "monotone" << std::setw(18)
     << "range" << std::setw(8) << "zero-c" << std::setw(10) << "vanish%" << std::setw(8) << "dead%" << std::setw(9)
     << "fwd ns" << std::setw(9) << "bwd ns" << "verdict\n";
  for (const AuditResult& r : rows) {
    os << std::left << std::setw(w) << r.name << std::setw(9) << mark(r.defined_everywhere) << std::setw(10)
       << mark(r.differentiable) << std::setw(10) << mark(r.nonlinear) << std::setw(9) << mark(r.meaningful_signal)
       << std::setw(10) << (r.monotonic ? "yes" : "no") << std::setw(18) << range_of(r) << std::setw(8)
       << (r.zero_centred ? "yes" : "no") << std::setw(10) << format(100 * r.vanishing_fraction, 3) << std::setw(8)
       << format(100 * r.dead_fraction, 3) << std::setw(9) << format(r.forward_ns, 2) << std::setw(9)
       << format(r.backward_ns, 2) << (r.good() ? "good" : "poor") << '\n';
  }
  os << "(f' finite: f' is a number at every grid point, kinks included, where it takes the one-sided value\n"
        " PyTorch uses (relu'(0) = 0); zero-c: zero-centred, f(0) = 0 with outputs on both sides of 0;\n"
        " vanish%: share of the grid where |f'| < " << kSaturatedSlope
     << "; dead%: where f' = 0 exactly, a flat piece; sampled in float64)\n";
  bool any = false;
  for (const AuditResult& r : rows) {
    for (const std::string& note : r.notes) {
      if (!any) os << "\nwhy:\n";
      any = true;
      os << "  " << r.name << ": " << note << '\n';
    }
  }
}

std::ostream& operator<<(std::ostream& os, const AuditResult& r) {
  print_audit_table(os, {r});
  return os;
}

std::vector<PlotMark> plot_marks(const Activation& a) {
  std::vector<PlotMark> marks;
  for (double kink : a.kinks) marks.push_back({kink, "kink"});
  if (a.domain != Domain::AllReals) marks.push_back({a.domain_edge(), "domain edge"});
  return marks;
}

std::pair<double, double> plot_x_range(const Activation& a) {
  double low = -5, high = 5;
  for (double kink : a.kinks) low = std::min(low, kink - 1), high = std::max(high, kink + 1);
  return {low, high};
}

}  // namespace nabla
