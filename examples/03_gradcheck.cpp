// Step 3 of the tour: finite differences, and gradcheck, the tool that catches a wrong
// derivative.
//
// A derivative can be estimated without any calculus: nudge x both ways and measure,
//   f'(x) ~ (f(x + eps) - f(x - eps)) / 2 eps        (a central difference).
// Its error has two parts. Truncation: the formula is off by about eps^2 f'''(x) / 6, so a
// smaller eps is better. Rounding: f is only known to ~1e-16 relative, and dividing by
// 2 eps magnifies that, so a smaller eps is worse. The program tabulates the error from
// eps = 1e-1 down to 1e-13 and draws it on log-log axes (out/gradcheck/finite_differences.svg):
// a V, slope 2 on the right (truncation), slope -1 on the left (rounding), with both
// predictions dashed: the measured error follows the larger one, and is smallest near where
// they cross, eps = 1e-5 or 1e-6, about 1e-12 (at x = 1), against 0 for autograd. So finite
// differences are a good *check*, in float64 (in float32 the bottom of the V is near 1e-3),
// but a poor way to train: one pair of evaluations per parameter, and still inexact.
//
// gradcheck(f, x) compares, element by element, the gradient autograd computes against
// central differences in float64. An op written with nabla's own ops always passes; it
// matters when you write a backward yourself. Here sigmoid's backward is written twice by
// hand: right, s (1 - s), and with the usual slip, s alone. The report of the wrong one
// says FAILED, the largest error, and where: which element, its x, and the analytic
// (your backward) against the numeric value. Compare them: s vs s (1 - s).
//
// It exits 1 if gradcheck passes the wrong backward or fails the right one.
//
//   ./build/examples/gradcheck [--x 1] [--out out/gradcheck]
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <vector>

#include <nabla.h>

#include "examples/common/args.h"
#include "nn/plot/svg_plot.h"  // not (yet) part of <nabla.h>

using namespace nabla;

namespace {

// sigmoid with a backward written by hand (step 10 explains autograd::Function).
struct SigmoidRight : autograd::Function<SigmoidRight> {
  static constexpr const char* name = "SigmoidRight";
  static Tensor forward(autograd::AutogradContext* ctx, const Tensor& x) {
    Tensor s = 1.0 / (exp(-x) + 1.0);
    ctx->save_for_backward({s});
    return s;
  }
  // sigmoid' = s (1 - s)
  static TensorList backward(autograd::AutogradContext* ctx, const TensorList& grad) {
    const Tensor s = ctx->get_saved_variables()[0];
    return {grad[0] * s * (1.0 - s)};
  }
};

struct SigmoidForgotOneMinusS : autograd::Function<SigmoidForgotOneMinusS> {
  static constexpr const char* name = "SigmoidForgotOneMinusS";
  static Tensor forward(autograd::AutogradContext* ctx, const Tensor& x) { return SigmoidRight::forward(ctx, x); }
  // wrong on purpose: s instead of s (1 - s)
  static TensorList backward(autograd::AutogradContext* ctx, const TensorList& grad) {
    return {grad[0] * ctx->get_saved_variables()[0]};
  }
};

double f(double x) { return std::sin(x) * std::exp(x); }
double exact_slope(double x) { return (std::sin(x) + std::cos(x)) * std::exp(x); }
double third_derivative(double x) { return 2 * (std::cos(x) - std::sin(x)) * std::exp(x); }

}  // namespace

int main(int argc, char** argv) {
  return examples::run("gradcheck", [&] {
    double at = 1;
    std::filesystem::path out = "out/gradcheck";
    examples::Arguments args("gradcheck", "Finite differences, and gradcheck catching a wrong derivative.");
    args.option("--x", at, "X", "where the finite differences of sin(x) exp(x) are taken", {.min = -5, .max = 5});
    args.output_directory("--out", out, "where finite_differences.svg goes");
    if (!args.parse(argc, argv)) return 0;  // --help

    std::printf("f(x) = sin(x) exp(x) at x = %g: f'(x) = %.17g\n\n", at, exact_slope(at));
    std::printf("  eps      central difference        error\n");
    std::vector<double> log_eps, log_error, truncation, rounding;
    double best_eps = 0, best_error = INFINITY;
    for (int k = 1; k <= 13; ++k) {
      const double eps = std::pow(10.0, -k);
      const double estimate = (f(at + eps) - f(at - eps)) / (2 * eps);
      const double error = std::abs(estimate - exact_slope(at));
      std::printf("  1e-%02d    %.17f   %.1e\n", k, estimate, error);
      log_eps.push_back(-k);
      log_error.push_back(std::log10(std::max(error, 1e-17)));
      // The two parts of the error, as theory has them: Taylor's remainder, and f's rounding / 2 eps.
      truncation.push_back(std::log10(eps * eps * std::abs(third_derivative(at)) / 6));
      rounding.push_back(std::log10(1.1e-16 * std::abs(f(at)) / eps));
      if (error < best_error) best_error = error, best_eps = eps;
    }
    std::printf("smallest error %.1e at eps = %g: truncation to the right of it, rounding to the left\n\n",
                best_error, best_eps);
    plot::Figure figure(1, 1, "central difference of sin(x) exp(x): error against step");
    figure.panel_width = 640;
    plot::Chart& chart = figure.chart(0, 0);
    chart.x_label = "log10 eps";
    chart.y_label = "log10 |error|";
    chart.y_range = plot::Range{-16, 0};
    chart.add_line("measured error", log_eps, log_error).markers = true;
    chart.add_line("truncation: eps^2 |f'''(x)| / 6", log_eps, truncation, plot::LineStyle::Dashed);
    chart.add_line("rounding: 1e-16 |f(x)| / eps", log_eps, rounding, plot::LineStyle::Dashed);
    figure.save((out / "finite_differences.svg").string());
    std::printf("picture: %s\n\n", (out / "finite_differences.svg").string().c_str());

    manual_seed(0);
    const Tensor x = randn({5}, kFloat64).requires_grad_();
    const GradcheckResult right = gradcheck([](const Tensor& t) { return SigmoidRight::apply(t); }, x);
    const GradcheckResult wrong = gradcheck([](const Tensor& t) { return SigmoidForgotOneMinusS::apply(t); }, x);
    std::cout << "sigmoid, backward s (1 - s):\n" << right << "\n\n";
    std::cout << "sigmoid, backward s (the slip):\n" << wrong << "\n";
    if (!wrong.passed) {
      const double s = 1 / (1 + std::exp(-wrong.input_value));
      std::printf("  at x = %g: s = %.6f is the analytic value, s (1 - s) = %.6f the numeric one\n",
                  wrong.input_value, s, s * (1 - s));
    }
    if (!right.passed || wrong.passed) throw std::runtime_error("gradcheck did not tell the right backward from the wrong one");
    return 0;
  });
}
