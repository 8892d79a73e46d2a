// Step 12 of the tour: forward mode against reverse mode, and when each one wins.
//
// The Jacobian J of f: R^n -> R^m is an m x n matrix, and autograd has two ways to build it.
// Forward mode pushes a tangent v along with x: one pass gives J v, so n passes, one per
// input direction, give every column (func::jacfwd). Reverse mode records f once and walks
// the graph back from a cotangent u: one backward gives u^T J, so m backwards, one per
// output, give every row (func::jacrev). Forward costs about n passes, reverse about m: a loss
// (m = 1) of a million parameters takes one backward instead of a million forward passes,
// which is why networks train by reverse mode; a function of few inputs and many outputs
// is the opposite case.
//
// The experiment: f(x) = tanh(A x + b) in float64, A an m x n matrix (seed 0), with n m held
// near 1000: n = 1, 3, 10, 32, 100, 316, 1000 and m = 1000 / n rounded. Every pass then does
// the same arithmetic (one product with A's ~1000 elements), so from one row of the table to
// the next only the number of passes changes. An identity op at f's output counts them:
// jacfwd makes n tangent passes, jacrev records f once and walks it back m times. Each time
// is the median of --repeats runs, and both Jacobians must agree to 1e-10.
//
// Where do they cross? Not at n = m, because the two kinds of pass do not cost the same: a
// forward pass with tangents does f's work and the tangents' (here about 2.3 plain forwards,
// as the program measures), a backward does its own. With c_f the cost of one forward-mode
// pass (a jvp) and c_b that of one backward through the recorded graph, both measured at
// n = 32, m = 31, theory puts jacfwd at n c_f and jacrev at m c_b (leaving out what is paid
// once, such as jacrev's recorded forward), so they cross where n / m = c_b / c_f. The
// picture, out/forward_vs_reverse/jacobian_cost.svg, has both times against log10(n/m), the
// theory dashed, the measured crossover as a point and the theory's as a dotted line. Near the
// ends the lines leave their theory: the costs paid once show where passes are few, and where
// they are many each pass is a long dot product (1 x 1000 times 1000 x 1), which costs more
// than the same multiply-adds in the 31 x 32 product of the middle.
//
// Second derivatives mix the modes. The Hessian of a scalar loss is the Jacobian of its
// gradient: forward over reverse (func::hessian) pushes a tangent through f and its backward,
// one pass per parameter (a Hessian-vector product each); reverse over reverse
// (func::hessian_reverse_over_reverse) records f and its gradient once, then walks the
// gradient's graph back once per parameter. Here for a 2-8-8-1 tanh network's squared error on
// 16 fixed points, as a function of its 105 parameters: both times, and how far apart the two
// Hessians are (rounding only). Reverse over reverse wins here because it does f's forward and
// backward once, where each forward-over-reverse pass redoes them; torch.func and JAX prefer
// forward over reverse because they push all the tangents through in one batched pass (vmap).
//
// It exits 1 if the Jacobians differ by more than 1e-10, or the Hessians by more than 1e-12
// (relative to their largest element).
//
//   ./build/examples/forward_vs_reverse [--max-n 1000] [--repeats 5] [--out out/forward_vs_reverse]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <vector>

#include <nabla.h>

#include "examples/common/args.h"
#include "nn/plot/svg_plot.h"  // not (yet) part of <nabla.h>

using namespace nabla;

namespace {

constexpr int64_t kProduct = 1000;  // n m, about
constexpr double kJacobianTolerance = 1e-10, kHessianTolerance = 1e-12;

// An identity op that counts the passes through it. It sits at f's output, so every
// evaluation of f runs its forward once, every forward-mode pass its jvp once, and every
// reverse-mode pass its backward once (step 10 shows how such an op is written).
struct PassCounter : autograd::Function<PassCounter> {
  static constexpr const char* name = "PassCounter";
  static inline int64_t evaluations = 0, tangent_passes = 0, backward_passes = 0;
  static void reset() { evaluations = tangent_passes = backward_passes = 0; }

  static Tensor forward(autograd::AutogradContext*, const Tensor& y) {
    ++evaluations;
    return y.clone();
  }
  static Tensor jvp(autograd::AutogradContext*, const TensorList& tangents) {
    ++tangent_passes;
    return tangents[0];
  }
  static TensorList backward(autograd::AutogradContext*, const TensorList& grad_outputs) {
    ++backward_passes;
    return {grad_outputs[0]};
  }
};

// The largest |a - b| relative to the largest |b| (or 1): one number for a whole matrix.
double relative_difference(const Tensor& a, const Tensor& b) {
  const std::vector<double> x = a.to_vector(), y = b.to_vector();
  double worst = 0, scale = 1;
  for (size_t i = 0; i < x.size(); ++i) {
    worst = std::max(worst, std::abs(x[i] - y[i]));
    scale = std::max(scale, std::abs(y[i]));
  }
  return worst / scale;
}

// The median of `repeats` timings of f, in milliseconds.
template <class F> double median_ms(int repeats, F&& f) {
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    f();
    times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::nth_element(times.begin(), times.begin() + repeats / 2, times.end());
  return times[repeats / 2];
}

// f(x) = tanh(A x + b): R^n -> R^m.
struct Layer {
  Tensor a, b;
  Layer(int64_t n, int64_t m) {
    manual_seed(0);
    a = randn({m, n}, kFloat64) / std::sqrt(static_cast<double>(n));  // A x of order 1: tanh not saturated
    b = randn({m}, kFloat64) * 0.1;
  }
  Tensor operator()(const Tensor& x) const {
    return nabla::tanh(linear(x.reshape({1, x.numel()}), a, b)).reshape({a.sizes()[0]});
  }
};

struct Row {
  int64_t n, m, tangent_passes, backward_passes;
  double forward_ms, reverse_ms, difference;
};

Row measure(int64_t n, int64_t m, int repeats) {
  const Layer f(n, m);
  const Tensor x = randn({n}, kFloat64);
  // Once with the counter at f's output: the pass counts, and the two Jacobians compared.
  auto counted = [&f](const Tensor& t) { return PassCounter::apply(f(t)); };
  PassCounter::reset();
  const Tensor by_forward = func::jacfwd(counted, x);
  const int64_t tangent_passes = PassCounter::tangent_passes;
  PassCounter::reset();
  const Tensor by_reverse = func::jacrev(counted, x);
  if (PassCounter::evaluations != 1) throw std::logic_error("jacrev evaluated f more than once");
  const int64_t backward_passes = PassCounter::backward_passes;
  // Then timed without it, each mode in turn.
  const double forward_ms = median_ms(repeats, [&] { func::jacfwd(f, x); });
  const double reverse_ms = median_ms(repeats, [&] { func::jacrev(f, x); });
  return {n, m, tangent_passes, backward_passes, forward_ms, reverse_ms, relative_difference(by_forward, by_reverse)};
}

// What one pass of each kind costs, in microseconds, at one size: the median of many.
struct PassCosts {
  double plain, tangent, recorded, backward;
};
PassCosts pass_costs(int64_t n, int64_t m) {
  constexpr int kRuns = 101;
  const Layer f(n, m);
  const Tensor x = randn({n}, kFloat64), direction = randn({n}, kFloat64), cotangent = randn({m}, kFloat64);
  PassCosts c{};
  c.plain = 1e3 * median_ms(kRuns, [&] {
    NoGradGuard no_recording;
    f(x);
  });
  c.tangent = 1e3 * median_ms(kRuns, [&] { func::jvp(f, x, direction); });
  const Tensor leaf = x.detach().requires_grad_();
  c.recorded = 1e3 * median_ms(kRuns, [&] { f(leaf); });
  const Tensor y = f(leaf);
  c.backward = 1e3 * median_ms(kRuns, [&] { autograd::grad({y}, {leaf}, {cotangent}, /*retain_graph=*/true); });
  return c;
}

// Where the line through (x0, y0) and (x1, y1) is zero.
double zero_between(double x0, double y0, double x1, double y1) { return x0 + (x1 - x0) * (-y0) / (y1 - y0); }

// The loss of a tanh network with the given widths, as a function of all its parameters
// flattened into theta (each layer's weight, then its bias): mean squared error on (points, targets).
Tensor network_loss(const Tensor& theta, const std::vector<int64_t>& widths, const Tensor& points, const Tensor& targets) {
  int64_t at = 0;
  auto take = [&](const Shape& shape) {
    const Tensor part = theta.narrow(0, at, shape.numel()).reshape(shape);
    at += shape.numel();
    return part;
  };
  Tensor h = points;
  for (size_t layer = 1; layer < widths.size(); ++layer) {
    const Tensor w = take({widths[layer], widths[layer - 1]});
    const Tensor b = take({widths[layer]});
    h = linear(h, w, b);
    if (layer + 1 < widths.size()) h = nabla::tanh(h);
  }
  return (h - targets).square().mean();
}

int64_t parameter_count(const std::vector<int64_t>& widths) {
  int64_t count = 0;
  for (size_t layer = 1; layer < widths.size(); ++layer) count += (widths[layer - 1] + 1) * widths[layer];
  return count;
}

}  // namespace

int main(int argc, char** argv) {
  return examples::run("forward_vs_reverse", [&] {
    int64_t max_n = 1000;
    int repeats = 5;
    std::filesystem::path out = "out/forward_vs_reverse";
    examples::Arguments args("forward_vs_reverse",
                             "A Jacobian by n forward-mode passes or m reverse-mode ones, and where they cross.");
    args.option("--max-n", max_n, "N", "the largest n of f: R^n -> R^m measured (of 1, 3, 10, 32, 100, 316, 1000)",
                {.min = 3, .max = kProduct});
    args.option("--repeats", repeats, "R", "timed runs of each transform; the median is reported", {.min = 1, .max = 100});
    args.output_directory("--out", out, "where jacobian_cost.svg goes");
    if (!args.parse(argc, argv)) return 0;  // --help

    std::printf("The Jacobian of f(x) = tanh(A x + b): R^n -> R^m, float64, n m ~ %lld, by jacfwd (forward mode)\n"
                "and jacrev (reverse mode); times are the median of %d run%s.\n\n",
                static_cast<long long>(kProduct), repeats, repeats == 1 ? "" : "s");
    std::printf("     n      m   forward passes   reverse passes   jacfwd ms   jacrev ms   fwd / rev   max rel diff\n");
    std::vector<Row> rows;
    for (int64_t n : {1, 3, 10, 32, 100, 316, 1000}) {
      if (n > max_n) break;
      const int64_t m = std::max<int64_t>(1, std::llround(static_cast<double>(kProduct) / static_cast<double>(n)));
      const Row& r = rows.emplace_back(measure(n, m, repeats));
      std::printf("%6lld %6lld   %14lld   %14lld   %9.3f   %9.3f   %9.3f   %12.1e\n", static_cast<long long>(r.n),
                  static_cast<long long>(r.m), static_cast<long long>(r.tangent_passes),
                  static_cast<long long>(r.backward_passes), r.forward_ms, r.reverse_ms, r.forward_ms / r.reverse_ms,
                  r.difference);
    }
    double worst_jacobian = 0;
    for (const Row& r : rows) worst_jacobian = std::max(worst_jacobian, r.difference);
    std::printf("Jacobians agree: largest relative difference %.1e (must be <= %g); jacrev evaluated f once per size\n\n",
                worst_jacobian, kJacobianTolerance);

    // Theory: n passes of c_f against m passes of c_b.
    const PassCosts c = pass_costs(32, 31);
    std::printf("one pass at n = 32, m = 31 (median of 101): plain forward %.1f us; forward with tangents (a jvp) %.1f us,\n"
                "%.2f x a plain forward; recorded forward %.1f us; one backward %.1f us, %.2f x a plain forward\n",
                c.plain, c.tangent, c.tangent / c.plain, c.recorded, c.backward, c.backward / c.plain);
    const double theory_ratio = c.backward / c.tangent;
    std::printf("theory: jacfwd = n x %.1f us, jacrev = m x %.1f us: they cross at n / m = %.2f / %.2f = %.2f "
                "(log10 %.2f), not at n = m\n",
                c.tangent, c.backward, c.backward, c.tangent, theory_ratio, std::log10(theory_ratio));

    std::vector<double> ratio, forward_time, reverse_time, forward_theory, reverse_theory;
    for (const Row& r : rows) {
      ratio.push_back(std::log10(static_cast<double>(r.n) / static_cast<double>(r.m)));
      forward_time.push_back(std::log10(r.forward_ms));
      reverse_time.push_back(std::log10(r.reverse_ms));
      forward_theory.push_back(std::log10(static_cast<double>(r.n) * c.tangent / 1e3));
      reverse_theory.push_back(std::log10(static_cast<double>(r.m) * c.backward / 1e3));
    }
    // Measured: where log(forward time / reverse time) first turns from negative to positive.
    std::optional<double> crossing;
    double crossing_time = 0;
    for (size_t k = 0; k + 1 < rows.size() && !crossing; ++k) {
      const double below = forward_time[k] - reverse_time[k], above = forward_time[k + 1] - reverse_time[k + 1];
      if (below > 0 || above <= 0) continue;
      crossing = zero_between(ratio[k], below, ratio[k + 1], above);
      const double t = (*crossing - ratio[k]) / (ratio[k + 1] - ratio[k]);
      crossing_time = forward_time[k] + t * (forward_time[k + 1] - forward_time[k]);
      std::printf("measured: the two times cross at n / m = %.2f (log10 %.2f), between n = %lld and n = %lld\n",
                  std::pow(10.0, *crossing), *crossing, static_cast<long long>(rows[k].n),
                  static_cast<long long>(rows[k + 1].n));
    }
    if (!crossing) {
      std::printf("measured: no crossing within n <= %lld: %s is faster at every size measured\n",
                  static_cast<long long>(rows.back().n),
                  forward_time.back() < reverse_time.back() ? "forward mode" : "reverse mode");
    }

    plot::Figure figure(1, 1, "The Jacobian of f: R^n -> R^m, n m ~ 1000, both ways");
    figure.panel_width = 680;
    figure.panel_height = 440;
    plot::Chart& chart = figure.chart(0, 0);
    chart.x_label = "log10 (n / m): inputs over outputs";
    chart.y_label = "log10 time (ms)";
    const std::string forward_color = "#1f77b4", reverse_color = "#d62728";
    plot::Series& forward_line = chart.add_line("forward mode (jacfwd): n passes", ratio, forward_time);
    forward_line.markers = true;
    forward_line.color = forward_color;
    plot::Series& reverse_line = chart.add_line("reverse mode (jacrev): m passes", ratio, reverse_time);
    reverse_line.markers = true;
    reverse_line.color = reverse_color;
    chart.add_line("theory: n x one jvp", ratio, forward_theory, plot::LineStyle::Dashed).color = forward_color;
    chart.add_line("theory: m x one backward", ratio, reverse_theory, plot::LineStyle::Dashed).color = reverse_color;
    // The theory's crossover as a vertical line across the plot, named in the legend.
    double low = INFINITY, high = -INFINITY;
    for (const std::vector<double>* line : {&forward_time, &reverse_time, &forward_theory, &reverse_theory}) {
      low = std::min(low, *std::min_element(line->begin(), line->end()));
      high = std::max(high, *std::max_element(line->begin(), line->end()));
    }
    char label[96];
    std::snprintf(label, sizeof label, "theory's crossover: n/m = %.2f", theory_ratio);
    chart.y_range = plot::Range{low - 0.2, high + 2.0};  // room for the legend above the lines
    chart.add_line(label, {std::log10(theory_ratio), std::log10(theory_ratio)}, {low - 0.2, high + 2.0},
                   plot::LineStyle::Dotted)
        .color = "#555555";
    if (crossing) {
      std::snprintf(label, sizeof label, "measured crossover: n/m = %.2f", std::pow(10.0, *crossing));
      plot::Series& point = chart.add_line(label, {*crossing}, {crossing_time});
      point.markers = true;
      point.color = "black";
    }
    figure.save((out / "jacobian_cost.svg").string());
    std::printf("picture: %s\n\n", (out / "jacobian_cost.svg").string().c_str());

    // The Hessian of a small network's loss in its parameters, both ways.
    const std::vector<int64_t> widths = {2, 8, 8, 1};
    const int64_t p = parameter_count(widths);
    manual_seed(1);
    const Tensor points = randn({16, 2}, kFloat64);
    const Tensor targets = points.narrow(1, 0, 1).sin() * points.narrow(1, 1, 1).cos();
    const Tensor theta = randn({p}, kFloat64) * 0.5;
    auto loss = [&](const Tensor& t) { return network_loss(t, widths, points, targets); };
    Tensor forward_over_reverse, reverse_over_reverse;
    const double fr_ms = median_ms(repeats, [&] { forward_over_reverse = func::hessian(loss, theta); });
    const double rr_ms = median_ms(repeats, [&] { reverse_over_reverse = func::hessian_reverse_over_reverse(loss, theta); });
    const double hessian_difference = relative_difference(forward_over_reverse, reverse_over_reverse);
    std::printf("The Hessian of a 2-8-8-1 tanh network's squared error on 16 points, in its %lld parameters\n"
                "(%lld x %lld; median of %d run%s):\n",
                static_cast<long long>(p), static_cast<long long>(p), static_cast<long long>(p), repeats,
                repeats == 1 ? "" : "s");
    std::printf("  forward over reverse (func::hessian)                       %8.2f ms: %lld passes of f and its backward,"
                " with a tangent\n",
                fr_ms, static_cast<long long>(p));
    std::printf("  reverse over reverse (func::hessian_reverse_over_reverse)  %8.2f ms: f and its gradient recorded once,"
                " then %lld backwards of the gradient\n",
                rr_ms, static_cast<long long>(p));
    std::printf("Hessians agree: largest relative difference %.1e (must be <= %g)\n", hessian_difference,
                kHessianTolerance);

    if (!(worst_jacobian <= kJacobianTolerance)) throw std::runtime_error("the two Jacobians disagree");
    if (!(hessian_difference <= kHessianTolerance)) throw std::runtime_error("the two Hessians disagree");
    return 0;
  });
}
