// Step 1 of the tour: a derivative by hand, and the same derivative from autograd.
//
// For a few functions of one number x, the derivative is worked out on paper (the power
// rule, the product rule, the chain rule) and written as a plain C++ expression. Autograd
// gets only f: x becomes a scalar tensor that requires grad, f(x) is computed with tensor
// ops (each op records how to push a gradient back), and y.backward() fills x.grad() with
// dy/dx. The program prints both, and their difference, which is 0 or a rounding error:
// autograd does not approximate, as finite differences do; it applies the same rules you
// did, only multiplying the factors in its own order, which can change the last bit.
//
// Then it draws x^2 sin(x), its hand-derived slope as a line and autograd's slope as dots,
// one scalar backward per dot (out/derivative/derivative.svg). Where f peaks or dips, the
// slope crosses zero.
//
// It exits 1 if autograd and the hand-derived formula ever disagree by more than rounding.
//
//   ./build/examples/derivative              # at x = 0.7
//   ./build/examples/derivative --x -2.5 --out /tmp/derivative
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nabla.h>

#include "examples/common/args.h"
#include "nn/plot/svg_plot.h"  // not (yet) part of <nabla.h>

using namespace nabla;

namespace {

struct Example {
  const char* name;
  const char* by_hand;                        // the derivative, as a student writes it
  std::function<Tensor(const Tensor&)> f;     // what autograd sees
  std::function<double(double)> derivative;   // the same derivative, in code
};

const std::vector<Example> kExamples = {
    {"x^3", "3 x^2  (power rule)", [](const Tensor& x) { return x * x * x; },
     [](double x) { return 3 * x * x; }},
    {"x^2 sin(x)", "2x sin(x) + x^2 cos(x)  (product rule)", [](const Tensor& x) { return x * x * sin(x); },
     [](double x) { return 2 * x * std::sin(x) + x * x * std::cos(x); }},
    {"exp(-x^2 / 2)", "-x exp(-x^2 / 2)  (chain rule)", [](const Tensor& x) { return exp(x * x * -0.5); },
     [](double x) { return -x * std::exp(-x * x / 2); }},
    {"sin(x) / x", "(x cos(x) - sin(x)) / x^2  (quotient rule)", [](const Tensor& x) { return sin(x) / x; },
     [](double x) { return (x * std::cos(x) - std::sin(x)) / (x * x); }},
};

// dy/dx at x by autograd: a fresh scalar leaf, one forward, one backward.
double autograd_derivative(const Example& e, double at) {
  Tensor x = scalar_tensor(at, kFloat64).requires_grad_();
  Tensor y = e.f(x);
  y.backward();
  return x.grad().item<double>();
}

// Agreement up to rounding: a few ulp of the larger of the terms involved.
bool agree(double a, double b) { return std::abs(a - b) <= 1e-12 * (1 + std::abs(b)); }

}  // namespace

int main(int argc, char** argv) {
  return examples::run("derivative", [&] {
    double at = 0.7;
    std::filesystem::path out = "out/derivative";
    examples::Arguments args("derivative", "A derivative by hand and by autograd, on scalars.");
    args.option("--x", at, "X", "the point where the derivatives are taken (not 0: sin(x)/x is 0/0 there)",
                {.min = -10, .max = 10});
    args.output_directory("--out", out, "where derivative.svg goes");
    if (!args.parse(argc, argv)) return 0;  // --help
    if (at == 0) throw examples::UsageError("--x must not be 0: sin(x)/x is 0/0 there");

    std::printf("derivatives at x = %g\n\n", at);
    bool all_agree = true;
    for (const Example& e : kExamples) {
      const double hand = e.derivative(at), autograd = autograd_derivative(e, at);
      all_agree = all_agree && agree(autograd, hand);
      std::printf("f(x) = %-14s f'(x) = %s\n", e.name, e.by_hand);
      std::printf("  by hand %.17g  autograd %.17g  difference %.1e\n\n", hand, autograd, autograd - hand);
    }

    // The picture: f, the hand-derived f' as a line, autograd's f' as dots.
    const Example& shown = kExamples[1];
    std::vector<double> xs, f, hand, dots_x, dots;
    for (int i = 0; i <= 200; ++i) {
      const double x = -6 + 12.0 * i / 200;
      xs.push_back(x);
      f.push_back(x * x * std::sin(x));
      hand.push_back(shown.derivative(x));
      if (i % 8 == 0) {
        dots_x.push_back(x);
        dots.push_back(autograd_derivative(shown, x));
        all_agree = all_agree && agree(dots.back(), shown.derivative(x));
      }
    }
    plot::Figure figure(1, 1, "f(x) = x^2 sin(x) and its derivative");
    plot::Chart& chart = figure.chart(0, 0);
    chart.x_label = "x (radians)";
    chart.add_line("f(x)", xs, f);
    chart.add_line("f'(x) by hand: 2x sin(x) + x^2 cos(x)", xs, hand, plot::LineStyle::Dashed);
    plot::Series& dotted = chart.add_line("f'(x) by autograd, one backward per dot", dots_x, dots);
    dotted.markers = true;
    dotted.style = plot::LineStyle::Dotted;
    chart.add_hline(0);
    figure.panel_width = 640;
    figure.save((out / "derivative.svg").string());
    std::printf("picture: %s\n", (out / "derivative.svg").string().c_str());

    if (!all_agree) throw std::runtime_error("autograd and the hand-derived derivative disagree beyond rounding");
    std::printf("autograd agrees with every hand-derived derivative, to rounding\n");
    return 0;
  });
}
