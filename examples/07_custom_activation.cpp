// Writing your own activation, two ways: the exercise f(x) = sign(x) sqrt(|x|).
//
// (a) Composite: write f with differentiable tensor ops and let autograd find f' (and f'').
//     Nothing to get wrong, and you get exactly what the chain rule gives, odd points too.
// (b) Elementwise pair: write f and f' as plain scalar functions; nabla runs them as one
//     fused kernel, which is faster. But f' is now your claim, so check it with gradcheck,
//     and see below what the report looks like when the claim is wrong.
// Both become rows of the activation table, so audit(), the plots (and Dense layers) take
// them by name. The audit then tells you whether this is a good activation. (It is not.)
//
//   ./build/examples/custom_activation                  # writes out/custom_activation/
//   ./build/examples/custom_activation --out /tmp/mine
#include <cmath>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nabla.h>
#include "examples/common/args.h"
#include "nn/plot/svg_plot.h"  // not (yet) part of <nabla.h>

namespace {

using namespace nabla;

// Lambdas rather than plain functions: the fused kernel inlines a lambda into its loop and
// vectorises it, while a function pointer is called once per element (several times slower).
const auto signed_sqrt_of = [](double x) { return std::copysign(std::sqrt(std::abs(x)), x); };
// d/dx sign(x) sqrt(|x|) = 1 / (2 sqrt(|x|)) on both sides: the graph is steepest at 0, where
// the slope is infinite (a vertical tangent) and no finite number is right.
const auto signed_sqrt_slope = [](double x) { return 0.5 / std::sqrt(std::abs(x)); };
const auto forgot_the_half = [](double x) { return 1.0 / std::sqrt(std::abs(x)); };  // the usual slip

void register_both() {
  // (a) Composite. Away from 0 the chain rule gives sign(x) * 1/(2 sqrt|x|) * sign(x), right.
  // At 0 it multiplies sign(0) = 0 by sqrt'(0) = 1/0 = inf, and 0 * inf is NaN: autograd
  // cannot know the true answer (+inf) from the pieces. The audit flags it either way.
  register_activation({.name = "my_signed_sqrt_composite",
                       .formula = "sign(x) * sqrt(abs(x)), from tensor ops",
                       .derivative = "by autograd: 1 / (2 sqrt(|x|)), NaN at 0",
                       .kinks = {0},
                       .apply = [](const Tensor& x) { return sign(x) * sqrt(abs(x)); }});
  // (b) Elementwise pair. Without a third function for f'' it is differentiable once.
  register_activation(elementwise_activation(
      {.name = "my_signed_sqrt", .formula = "sign(x) sqrt(|x|)", .derivative = "1 / (2 sqrt(|x|)), inf at 0",
       .kinks = {0}},
      signed_sqrt_of, signed_sqrt_slope));
}

// Plots f and f' of the registered pair over [-5, 5], f' through nabla's backward (that is,
// through the kernel running our signed_sqrt_slope). Near 0 f' leaves the top of the plot.
void plot_pair(const std::filesystem::path& file) {
  std::vector<double> grid;
  for (int i = -500; i <= 500; ++i) grid.push_back(i / 100.0);  // x = 0 exactly: f' = inf, a gap
  const Tensor x = tensor(grid, {static_cast<int64_t>(grid.size())}, kFloat64).requires_grad_();
  const Tensor y = activation("my_signed_sqrt")(x);
  const Tensor dy = autograd::grad({y}, {x}, {ones_like(y)})[0];
  plot::Figure figure(1, 1);
  figure.panel_width = 640, figure.panel_height = 440;
  plot::Chart& chart = figure.chart(0, 0);
  chart.title = "my_signed_sqrt: sign(x) sqrt(|x|)";
  chart.x_label = std::string("x");  // not = "x": g++ 12 -O3 warns falsely (-Wrestrict, GCC bug 105329)
  chart.y_range = plot::Range{-2.5, 2.5};
  chart.add_line("f", grid, y.to_vector()).color = "#1f5fa8";
  chart.add_line("f' = 1 / (2 sqrt(|x|))", grid, dy.to_vector(), plot::LineStyle::Dashed).color = "#d0402b";
  chart.add_hline(0);
  figure.save(file.string());
}

// The registered name works wherever a built-in does: here, inside Dense layers that learn
// XOR-like quadrants (the sign of x times the sign of y), which no linear model can.
void train_small_model_with(const std::string& activation) {
  nabla::manual_seed(0);
  const nabla::Tensor points = nabla::rand({400, 2}) * 2.0 - 1.0;
  const nabla::Tensor x = nabla::narrow(points, 1, 0, 1), y = nabla::narrow(points, 1, 1, 1);
  const nabla::Tensor labels = nabla::gt(x * y, 0.0).reshape({-1}).to(nabla::kInt64);
  nabla::nn::Sequential model({nabla::nn::Dense(2, 16, activation), nabla::nn::Dense(16, 2)});
  nabla::optim::Adam optimizer(model.parameters(), nabla::optim::AdamOptions(0.05));
  for (int step = 0; step < 300; ++step) {
    optimizer.zero_grad();
    nabla::nn::cross_entropy(model(points), labels).backward();
    optimizer.step();
  }
  nabla::NoGradGuard no_grad;
  std::cout << "a 2-16-2 network with " << activation << " learns the quadrants: "
            << 100 * nabla::nn::accuracy(model(points), labels) << "% of 400 points right\n";
}

}  // namespace

int main(int argc, char** argv) {
  return examples::run("custom_activation", [&] {
    std::filesystem::path out = "out/custom_activation";
    examples::Arguments args("custom_activation", "Writing your own activation, two ways: sign(x) sqrt(|x|).");
    args.output_directory("--out", out, "where the SVG goes");
    if (!args.parse(argc, argv)) return 0;  // --help

    register_both();

    // Check the pair where f' is finite: finite differences straddling 0 mean nothing.
    const Tensor points = tensor({-4.0, -1.5, -0.3, 0.2, 0.9, 2.5}, kFloat64).requires_grad_();
    const GradcheckResult right = gradcheck(activation("my_signed_sqrt").apply, points);
    std::cout << "gradcheck of my_signed_sqrt, f' = 1 / (2 sqrt(|x|)):\n  " << right << "\n\n";

    // The same f with f' missing its 1/2: gradcheck must catch it, and say where.
    const Activation wrong = elementwise_activation({.name = "my_signed_sqrt_wrong"}, signed_sqrt_of, forgot_the_half);
    const GradcheckResult caught = gradcheck(wrong.apply, points);
    std::cout << "gradcheck of the same f with f' = 1 / sqrt(|x|) (forgot the 1/2):\n  " << caught << "\n\n";

    // Both versions, audited: the same verdict, and the fused pair is the cheaper one.
    print_audit_table(std::cout, {audit("my_signed_sqrt_composite"), audit("my_signed_sqrt")});

    plot_pair(out / "my_signed_sqrt.svg");
    std::cout << "\nwrote " << (out / "my_signed_sqrt.svg").string() << "\n\n";
    train_small_model_with("my_signed_sqrt");

    if (!right.passed || caught.passed) {
      throw std::runtime_error("gradcheck did not pass the right f' and fail the wrong one");
    }
    return 0;
  });
}
