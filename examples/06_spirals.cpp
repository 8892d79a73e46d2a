// Two interleaved spirals: a task no straight line can solve.
//
// Points of two classes wind around each other. A network without activations is a
// linear classifier however deep it is (it collapses into one layer), so it can do no
// better than cutting the plane in two: about 50-65% here. The same network with relu
// bends its decision boundary along the spirals and reaches nearly 100%.
//
//   ./build/examples/spirals [--activation tanh] [--steps 3000]
//
// It exits 1, saying so, when the activation does not reach 95% or the linear network
// does better than 75%: the test suite runs it to catch a regression in training.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <stdexcept>
#include <string>

#include <nabla.h>

#include "examples/common/args.h"
#include "examples/common/diagnose.h"

using namespace nabla;

namespace {

// n points per class: class c at angle t + c pi, radius growing with t, plus a little noise.
void make_spirals(int64_t n, Tensor& points, Tensor& labels, Generator& gen) {
  points = empty({2 * n, 2});
  labels = empty({2 * n}, kInt64);
  float* p = points.data_ptr<float>();
  int64_t* y = labels.data_ptr<int64_t>();
  for (int64_t c = 0; c < 2; ++c) {
    for (int64_t i = 0; i < n; ++i) {
      const double t = 3.5 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(n);
      const double radius = 0.2 + t / (3.5 * std::numbers::pi);
      const double angle = t + static_cast<double>(c) * std::numbers::pi;
      const int64_t row = c * n + i;
      p[2 * row] = static_cast<float>(radius * std::cos(angle) + 0.02 * gen.normal());
      p[2 * row + 1] = static_cast<float>(radius * std::sin(angle) + 0.02 * gen.normal());
      y[row] = c;
    }
  }
}

double train(const std::string& activation, const Tensor& points, const Tensor& labels, int steps) {
  const double learning_rate = 0.01;
  manual_seed(0);
  nn::Sequential model = nn::mlp({2, 64, 64, 2}, activation);
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

}  // namespace

int main(int argc, char** argv) {
  return examples::run("spirals", [&] {
    std::string activation = "relu";
    int steps = 1000;
    examples::Arguments args("spirals", "Two interleaved spirals: a deep linear network against one with activations.");
    args.choice("--activation", activation, activation_names(), "the activation to compare with none");
    args.option("--steps", steps, "N", "Adam steps per network", {.min = 5, .max = 1'000'000});
    if (!args.parse(argc, argv)) return 0;  // --help

    Generator gen(1);
    Tensor points, labels;
    make_spirals(500, points, labels, gen);

    std::printf("two spirals, 1000 points, an MLP 2-64-64-2 trained with Adam\n");
    const double linear = train("identity", points, labels, steps);
    const double nonlinear = train(activation, points, labels, steps);
    std::printf("\nwithout activations: %.1f%% (a straight line through the plane)\n", 100 * linear);
    std::printf("with %s:%*s %.1f%%\n", activation.c_str(), std::max(0, 12 - static_cast<int>(activation.size())), "",
                100 * nonlinear);
    if (nonlinear > 0.95 && linear < 0.75) return 0;
    char verdict[200];
    std::snprintf(verdict, sizeof verdict, "expected over 95%% with %s and under 75%% without activations, got %.1f%% "
                  "and %.1f%% (more --steps may help)", activation.c_str(), 100 * nonlinear, 100 * linear);
    throw std::runtime_error(verdict);
  });
}
