// Fitting a curve by gradient descent, with nothing but tensors and backward().
//
// A cubic a + b x + c x^2 + d x^3 learns sin(x) on [-pi, pi]: each step computes the
// mean squared error, asks autograd for d loss / d parameters, and steps downhill.
//   ./build/examples/fit_function [--steps 1000] [--lr 0.5]
#include <cmath>
#include <cstdio>
#include <numbers>
#include <stdexcept>
#include <string>

#include <nabla.h>

#include "examples/common/args.h"

int main(int argc, char** argv) {
  return examples::run("fit_function", [&] {
    using namespace nabla;
    int steps = 1000;
    double learning_rate = 0.5;
    examples::Arguments args("fit_function", "Fit a cubic to sin(x) by gradient descent, with tensors and backward().");
    args.option("--steps", steps, "N", "gradient descent steps", {.min = 0, .max = 10'000'000});
    args.option("--lr", learning_rate, "X", "step size", {.min = 0, .max = 100, .min_exclusive = true});
    if (!args.parse(argc, argv)) return 0;  // --help

    manual_seed(0);
    const Tensor x = linspace(-std::numbers::pi, std::numbers::pi, 2000, kFloat64);
    const Tensor target = sin(x);

    // Features 1, t, t^2, t^3 of t = x / pi, all in [-1, 1]: with raw powers of x (up to 31)
    // the loss surface is so steep along d that any step size that moves a, b, c diverges.
    const Tensor t = x / std::numbers::pi;
    const Tensor features = cat({ones_like(t).unsqueeze(1), t.unsqueeze(1), (t * t).unsqueeze(1), (t * t * t).unsqueeze(1)}, 1);

    // The four coefficients are the leaves we differentiate with respect to.
    Tensor coefficients = randn({4}, kFloat64).requires_grad_();

    for (int step = 0; step <= steps; ++step) {
      const Tensor prediction = matmul(features, coefficients.unsqueeze(1)).squeeze(1);
      const Tensor loss = (prediction - target).square().mean();
      // Too large a step overshoots the minimum by more each time, until the numbers overflow.
      if (!std::isfinite(loss.item())) {
        throw std::runtime_error("the loss became " + std::to_string(loss.item()) + " at step " + std::to_string(step) +
                                 ": gradient descent diverged; try a smaller --lr");
      }
      loss.backward();
      {
        NoGradGuard no_grad;  // the update itself is not part of the model
        coefficients.add_(coefficients.grad(), -learning_rate);
      }
      coefficients.zero_grad();
      if (step % 200 == 0 || step == steps) std::printf("step %4d   loss %.6f\n", step, loss.item());
    }
    // Back from powers of t to powers of x: a coefficient of t^k is one of x^k / pi^k.
    std::vector<double> c = coefficients.to_vector();
    for (int k = 1; k < 4; ++k) c[k] /= std::pow(std::numbers::pi, k);
    std::printf("sin(x) ~ %.4f + %.4f x + %.4f x^2 + %.4f x^3\n", c[0], c[1], c[2], c[3]);
    std::printf("(the Taylor series starts x - 0.1667 x^3; a least-squares fit on [-pi, pi] flattens it)\n");
    return 0;
  });
}
