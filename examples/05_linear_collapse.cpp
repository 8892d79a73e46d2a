// Step 5 of the tour: why stacked linear layers collapse into one.
//
// A Dense layer without activation computes y = W x + b. Two of them in a row:
//
//   W2 (W1 x + b1) + b2  =  (W2 W1) x + (W2 b1 + b2)  =  W x + b
//
// which is again one Dense layer, with W = W2 W1 and b = W2 b1 + b2. By induction, any
// stack of them is one layer: depth adds parameters, not power. nn::collapse(model)
// computes that single layer (W = Wn ... W2 W1, b folded through the same products).
//
// The program builds a deep linear network (by default 8 -> 32 -> 32 -> 32 -> 4, in
// float64), multiplies its weight matrices by hand with matmul, collapses it, and checks
// three things in numbers: collapse's W equals the hand product; the one layer gives the
// same outputs as the deep network on random inputs (to rounding, ~1e-15) and so the
// same prediction on every input; and it has a fraction of the parameters. Then it puts
// relu between the layers: collapse refuses, naming the layer, because
// relu(a + b) != relu(a) + relu(b), and the algebra above no longer goes through.
// Step 8 shows the consequence on real data.
//
// It exits 1 if the collapsed layer ever predicts differently from the deep one.
//
//   ./build/examples/linear_collapse [--sizes 8,32,32,32,4] [--inputs 1000] [--seed 0]
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <vector>

#include <nabla.h>

#include "examples/common/args.h"

using namespace nabla;

namespace {

int64_t count(const std::vector<Tensor>& parameters) {
  int64_t n = 0;
  for (const Tensor& p : parameters) n += p.numel();
  return n;
}

double largest_difference(const Tensor& a, const Tensor& b) { return (a - b).abs().max().item<double>(); }

}  // namespace

int main(int argc, char** argv) {
  return examples::run("linear_collapse", [&] {
    std::vector<int64_t> sizes = {8, 32, 32, 32, 4};
    int inputs = 1000;
    uint64_t seed = 0;
    examples::Arguments args("linear_collapse", "Stacked linear layers are one linear layer: the algebra, in numbers.");
    args.option("--sizes", sizes, "A,B,...", "layer widths, input first (default 8,32,32,32,4)", {.min = 1, .max = 1024});
    args.option("--inputs", inputs, "N", "random inputs the two models are compared on", {.min = 1, .max = 100'000});
    args.option("--seed", seed, "N", "random seed", {.min = 0, .max = INT64_MAX});
    if (!args.parse(argc, argv)) return 0;  // --help
    if (sizes.size() < 3) throw examples::UsageError("--sizes needs at least 3 widths (2 layers) to have something to collapse");

    manual_seed(seed);
    NoGradGuard no_grad;  // nothing is trained here
    nn::Sequential deep = nn::mlp(sizes, "identity", kFloat64);
    std::cout << "deep linear network:\n" << nn::summary(deep) << "\n";

    // W = Wn ... W2 W1 by hand. parameters() lists weight, bias of layer 0, then of layer 1, ...
    const std::vector<Tensor> p = deep.parameters();
    Tensor product = p[0];
    for (size_t i = 2; i < p.size(); i += 2) product = matmul(p[i], product);

    const nn::Dense one = nn::collapse(deep);
    const double weight_difference = largest_difference(one.weight(), product);
    std::printf("collapse: one Dense(%lld -> %lld); its W vs Wn...W1 by hand: largest difference %.1e\n",
                static_cast<long long>(one.in_features()), static_cast<long long>(one.out_features()),
                weight_difference);

    const Tensor x = randn({inputs, sizes.front()}, kFloat64);
    nn::Dense collapsed = one;
    const Tensor deep_out = deep(x), one_out = collapsed(x);
    const int64_t same = (argmax(deep_out, 1) == argmax(one_out, 1)).sum().item<int64_t>();
    std::printf("on %d random inputs: largest output difference %.1e, same prediction on %lld of %d\n", inputs,
                largest_difference(deep_out, one_out), static_cast<long long>(same), inputs);
    std::printf("parameters: %lld in the deep network, %lld in the one layer\n\n",
                static_cast<long long>(count(deep.parameters())), static_cast<long long>(count(collapsed.parameters())));

    // One non-linearity per layer, and the algebra fails.
    nn::Sequential with_relu = nn::mlp(sizes, "relu", kFloat64);
    try {
      nn::collapse(with_relu);
      throw std::runtime_error("collapse accepted a network with relu");
    } catch (const std::invalid_argument& e) {
      std::printf("with relu between the layers: %s\n", e.what());
    }

    if (same != inputs || weight_difference > 1e-10) {
      throw std::runtime_error("the collapsed layer is not the deep linear network");
    }
    std::printf("the collapsed layer predicts the same as the deep linear network on every input\n");
    return 0;
  });
}
