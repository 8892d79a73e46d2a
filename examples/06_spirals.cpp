// Two interleaved spirals: a task no straight line can solve.
//
// Points of two classes wind around each other. A network without activations is a
// linear classifier however deep it is (it collapses into one layer), so it can do no
// better than cutting the plane in two: about 50-65% here. The same network with relu
// bends its decision boundary along the spirals and reaches nearly 100%.
//
//   ./build/examples/spirals [--activation tanh] [--steps 3000] [--out out/spirals]
//
// Picture: out/spirals/spirals.svg, the plane as each network sees it: light where it says
// class 0, dark where it says class 1, the training points on top (white and black). The
// linear network's boundary is one straight line; relu's winds between the arms.
//
// It exits 1, saying so, when the activation does not reach 95% or the linear network
// does better than 75%: the test suite runs it to catch a regression in training.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numbers>
#include <stdexcept>
#include <string>

#include <nabla.h>

#include "examples/common/args.h"
#include "examples/common/diagnose.h"
#include "nn/plot/svg_plot.h"  // not (yet) part of <nabla.h>

using namespace nabla;

namespace {

// n points per class: class c at angle t + c pi, radius growing with t, plus a little noise.
void make_spirals(int64_t n, Tensor& points, Tensor& labels, Generator& gen) {
  points = empty({2 * n, 2});
  labels = empty({2 * n}, kInt64);
  const auto p = points.accessor<float, 2>();
  const auto y = labels.accessor<int64_t, 1>();
  for (int64_t c = 0; c < 2; ++c) {
    for (int64_t i = 0; i < n; ++i) {
      const double t = 3.5 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(n);
      const double radius = 0.2 + t / (3.5 * std::numbers::pi);
      const double angle = t + static_cast<double>(c) * std::numbers::pi;
      const int64_t row = c * n + i;
      p[row][0] = static_cast<float>(radius * std::cos(angle) + 0.02 * gen.normal());
      p[row][1] = static_cast<float>(radius * std::sin(angle) + 0.02 * gen.normal());
      y[row] = c;
    }
  }
}

double train(nn::Sequential& model, const std::string& activation, const Tensor& points, const Tensor& labels,
             int steps) {
  const double learning_rate = 0.01;
  manual_seed(0);
  model = nn::mlp({2, 64, 64, 2}, activation);
  optim::Adam optimizer(model.parameters(), optim::AdamOptions(learning_rate));
  for (int step = 1; step <= steps; ++step) {
    optimizer.zero_grad();
    const Tensor loss = nn::cross_entropy(model(points), labels);
    if (!std::isfinite(loss.item())) {  // say why, rather than train on NaN
      throw std::runtime_error(activation + ", step " + std::to_string(step) + ": " +
                               examples::diagnose_non_finite_loss(model, points, loss.item(), learning_rate));
    }
    loss.backward();
    optimizer.step();
    if (step % (steps / 5) == 0) {
      NoGradGuard no_grad;
      std::printf("  %-8s step %5d  loss %.4f  accuracy %5.1f%%\n", activation.c_str(), step, loss.item(),
                  100 * nn::accuracy(model(points), labels));
    }
  }
  NoGradGuard no_grad;
  return nn::accuracy(model(points), labels);
}

// The model's answer over the square [-1.2, 1.2]^2 as a picture: the probability of class 1
// as a shade between light and dark grey, and the training points stamped on top.
void draw(plot::Figure& figure, int col, nn::Sequential& model, const Tensor& points, const Tensor& labels,
          const std::string& caption) {
  const int size = 120;
  const double half = 1.2;
  Tensor grid = empty({size * size, 2});
  const auto g = grid.accessor<float, 2>();
  for (int row = 0; row < size; ++row) {
    for (int c = 0; c < size; ++c) {
      g[row * size + c][0] = static_cast<float>(-half + 2 * half * (c + 0.5) / size);
      g[row * size + c][1] = static_cast<float>(half - 2 * half * (row + 0.5) / size);  // y up
    }
  }
  NoGradGuard no_grad;
  const std::vector<double> p1 = softmax(model(grid), 1).select(1, 1).to_vector();
  std::vector<float> pixels(size * size);
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<float>(0.25 + 0.5 * p1[i]);
  const std::vector<double> xy = points.to_vector(), y = labels.to_vector();
  for (size_t i = 0; i < y.size(); ++i) {
    const int c = static_cast<int>((xy[2 * i] + half) / (2 * half) * size);
    const int row = static_cast<int>((half - xy[2 * i + 1]) / (2 * half) * size);
    if (c >= 0 && c < size && row >= 0 && row < size) pixels[row * size + c] = static_cast<float>(y[i]);
  }
  plot::ImageGrid& panel = figure.image_grid(0, col);
  panel.value_range = plot::Range{0, 1};
  panel.add_image(size, size, std::move(pixels), caption);
}

}  // namespace

int main(int argc, char** argv) {
  return examples::run("spirals", [&] {
    std::string activation = "relu";
    int steps = 1000;
    examples::Arguments args("spirals", "Two interleaved spirals: a deep linear network against one with activations.");
    args.choice("--activation", activation, activation_names(), "the activation to compare with none");
    args.option("--steps", steps, "N", "Adam steps per network", {.min = 5, .max = 1'000'000});
    std::filesystem::path out = "out/spirals";
    args.output_directory("--out", out, "where spirals.svg goes");
    if (!args.parse(argc, argv)) return 0;  // --help

    Generator gen(1);
    Tensor points, labels;
    make_spirals(500, points, labels, gen);

    std::printf("two spirals, 1000 points, an MLP 2-64-64-2 trained with Adam\n");
    nn::Sequential linear_model, nonlinear_model;
    const double linear = train(linear_model, "identity", points, labels, steps);
    const double nonlinear = train(nonlinear_model, activation, points, labels, steps);
    std::printf("\nwithout activations: %.1f%% (a straight line through the plane)\n", 100 * linear);
    std::printf("with %s:%*s %.1f%%\n", activation.c_str(), std::max(0, 12 - static_cast<int>(activation.size())), "",
                100 * nonlinear);
    plot::Figure figure(1, 2, "two spirals: what each network predicts over the plane");
    char caption[100];
    std::snprintf(caption, sizeof caption, "no activation: %.1f%%", 100 * linear);
    draw(figure, 0, linear_model, points, labels, caption);
    std::snprintf(caption, sizeof caption, "%s: %.1f%%", activation.c_str(), 100 * nonlinear);
    draw(figure, 1, nonlinear_model, points, labels, caption);
    figure.save((out / "spirals.svg").string());
    std::printf("picture: %s\n", (out / "spirals.svg").string().c_str());
    if (nonlinear > 0.95 && linear < 0.75) return 0;
    char verdict[200];
    std::snprintf(verdict, sizeof verdict, "expected over 95%% with %s and under 75%% without activations, got %.1f%% "
                  "and %.1f%% (more --steps may help)", activation.c_str(), 100 * nonlinear, 100 * linear);
    throw std::runtime_error(verdict);
  });
}
