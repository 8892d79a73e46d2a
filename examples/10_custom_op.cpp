// Step 10 of the tour: a new op with autograd::Function, checked with gradcheck.
//
// Most new ops need no backward: write them with nabla's ops (as in steps 1 and 7) and
// autograd derives them. You write one yourself when the forward cannot be written that way,
// or should not be. hypot(a, b) = sqrt(a^2 + b^2) is the textbook case: the composite
// squares first, so at a = 3e200 it overflows to inf although the answer, 5e200 for
// b = 4e200, is an ordinary double. std::hypot scales before squaring and gets it right,
// but it is a plain C++ loop that autograd cannot see into. So it becomes an op:
//
//   struct Hypot : autograd::Function<Hypot> {
//     static Tensor forward(AutogradContext*, const Tensor& a, const Tensor& b);  // any code
//     static TensorList backward(AutogradContext*, const TensorList& grad_output);
//   };
//   Tensor h = Hypot::apply(a, b);
//
// forward runs with recording off and saves what backward needs (here the output h).
// backward receives dL/dh and returns one gradient per tensor input:
//   dh/da = a / h,   dh/db = b / h   (undefined at a = b = 0, where hypot has a corner).
// It is written with nabla's ops, so it is itself differentiable: second derivatives come
// free. Because this backward is your claim, not autograd's, the program checks it with
// gradcheck (first derivatives) and gradgradcheck (second), and prints their reports.
//
// It exits 1 if either check fails.
//
//   ./build/examples/custom_op [--size 6] [--seed 0]
#include <cmath>
#include <cstdio>
#include <iostream>
#include <stdexcept>

#include <nabla.h>

#include "examples/common/args.h"

using namespace nabla;

namespace {

struct Hypot : autograd::Function<Hypot> {
  static constexpr const char* name = "Hypot";  // named in error messages and graph pictures

  // h = sqrt(a^2 + b^2), elementwise, without overflow: std::hypot on every element.
  static Tensor forward(autograd::AutogradContext* ctx, const Tensor& a, const Tensor& b) {
    if (a.sizes() != b.sizes()) throw std::invalid_argument("Hypot: a and b must have the same shape");
    const Tensor a64 = a.to(kFloat64).reshape({-1}), b64 = b.to(kFloat64).reshape({-1});
    Tensor h = empty({a.numel()}, kFloat64);
    const auto pa = a64.accessor<double, 1>(), pb = b64.accessor<double, 1>(), ph = h.accessor<double, 1>();
    for (int64_t i = 0; i < h.numel(); ++i) ph[i] = std::hypot(pa[i], pb[i]);
    h = h.reshape(a.sizes()).to(a.dtype());
    ctx->save_for_backward({a, b, h});
    return h;
  }

  // dh/da = a / h, dh/db = b / h; each times the gradient arriving from above.
  static TensorList backward(autograd::AutogradContext* ctx, const TensorList& grad_output) {
    const TensorList saved = ctx->get_saved_variables();
    const Tensor &a = saved[0], &b = saved[1], &h = saved[2];
    const Tensor g = grad_output[0];
    return {ctx->needs_input_grad(0) ? g * a / h : Tensor(), ctx->needs_input_grad(1) ? g * b / h : Tensor()};
  }
};

}  // namespace

int main(int argc, char** argv) {
  return examples::run("custom_op", [&] {
    int size = 6;
    uint64_t seed = 0;
    examples::Arguments args("custom_op", "A new op, hypot(a, b), with autograd::Function, gradchecked.");
    args.option("--size", size, "N", "elements of a and b in the checks", {.min = 1, .max = 1000});
    args.option("--seed", seed, "N", "random seed of a and b", {.min = 0, .max = INT64_MAX});
    if (!args.parse(argc, argv)) return 0;  // --help

    const Tensor big_a = tensor({3e200}, kFloat64), big_b = tensor({4e200}, kFloat64);
    std::printf("composite sqrt(a^2 + b^2) at a = 3e200, b = 4e200: %g\n", sqrt(big_a * big_a + big_b * big_b).item<double>());
    std::printf("Hypot::apply(a, b)                   at the same:  %g\n\n", Hypot::apply(big_a, big_b).item<double>());

    // Use it like any op: forward, backward, gradients in .grad().
    manual_seed(seed);
    Tensor a = randn({size}, kFloat64).requires_grad_(), b = randn({size}, kFloat64).requires_grad_();
    Tensor h = Hypot::apply(a, b);
    h.sum().backward();
    std::printf("a[0] = %.6f, b[0] = %.6f, h[0] = %.6f: dh/da = %.6f (a/h = %.6f)\n", a.to_vector()[0],
                b.to_vector()[0], h.to_vector()[0], a.grad().to_vector()[0], a.to_vector()[0] / h.to_vector()[0]);

    // The check that matters: the hand-written backward against finite differences.
    auto hypot_of = [](const TensorList& in) { return Hypot::apply(in[0], in[1]); };
    const GradcheckResult first = gradcheck(hypot_of, {a, b});
    const GradcheckResult second = gradgradcheck(hypot_of, {a, b});
    std::cout << "\nfirst derivatives:  " << first << "\nsecond derivatives: " << second << "\n";
    if (!first.passed || !second.passed) throw std::runtime_error("Hypot's backward failed its check");
    return 0;
  });
}
