// Step 2 of the tour: the chain rule on a small graph, by hand and by autograd.
//
//   c = a * b      d = sin(a)      e = c + d      L = e^2
//
// The forward pass records a graph: one node per op, an edge from each input to the op
// that used it. The backward pass walks it from L back to the leaves, and at every node
// multiplies the gradient arriving from above (dL/d output) by the op's local derivative
// (d output / d input). That product is all the chain rule is.
//
// `a` is used twice, by the multiplication and by the sine, so two gradients flow back
// into it, and they are added: dL/da = dL/dc * b + dL/dd * cos(a). Forgetting that sum is
// the classic bug of a first autograd (micrograd's issue #2).
//
// The program does the backward pass by hand, printing each step, then lets autograd do
// it, and compares. It writes the recorded graph as Graphviz DOT (out/chain_rule/graph.dot;
// render it with `dot -Tsvg graph.dot -o graph.svg`, from Debian's graphviz): the two
// leaves are boxes labelled a and b, the four ops ellipses, L is orange, and two edges leave a. Two also
// leave e, since L = e * e: autograd's dL/de is e + e, both uses added, which is 2e.
//
// It exits 1 if autograd and the hand computation disagree beyond rounding.
//
//   ./build/examples/chain_rule [--a 2] [--b -3] [--out out/chain_rule]
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <nabla.h>

#include "examples/common/args.h"

using namespace nabla;

int main(int argc, char** argv) {
  return examples::run("chain_rule", [&] {
    double a_value = 2, b_value = -3;
    std::filesystem::path out = "out/chain_rule";
    examples::Arguments args("chain_rule", "The chain rule on L = (a b + sin a)^2, by hand and by autograd.");
    args.option("--a", a_value, "X", "the value of the leaf a", {.min = -100, .max = 100});
    args.option("--b", b_value, "X", "the value of the leaf b", {.min = -100, .max = 100});
    args.output_directory("--out", out, "where graph.dot goes");
    if (!args.parse(argc, argv)) return 0;  // --help

    // Forward, recorded: every op remembers its inputs and how to differentiate itself.
    Tensor a = scalar_tensor(a_value, kFloat64).requires_grad_();
    Tensor b = scalar_tensor(b_value, kFloat64).requires_grad_();
    Tensor c = a * b;
    Tensor d = sin(a);
    Tensor e = c + d;
    Tensor L = e * e;  // e^2, written as a product: e is used twice, like a
    std::printf("forward:  c = a b = %g   d = sin a = %g   e = c + d = %g   L = e^2 = %g\n\n", c.item<double>(),
                d.item<double>(), e.item<double>(), L.item<double>());

    // Backward by hand, from L down: upstream gradient times local derivative, at each node.
    const double ev = e.item<double>();
    const double dL_de = 2 * ev;           // d(e^2)/de = 2e
    const double dL_dc = dL_de * 1;        // d(c + d)/dc = 1
    const double dL_dd = dL_de * 1;        // d(c + d)/dd = 1
    const double via_c = dL_dc * b_value;  // d(a b)/da = b
    const double via_d = dL_dd * std::cos(a_value);  // d(sin a)/da = cos a
    const double dL_da = via_c + via_d;    // a feeds two ops: their contributions add up
    const double dL_db = dL_dc * a_value;  // d(a b)/db = a
    std::printf("backward by hand:\n");
    std::printf("  dL/de = 2e                 = %.17g\n", dL_de);
    std::printf("  dL/dc = dL/de * 1          = %.17g\n", dL_dc);
    std::printf("  dL/dd = dL/de * 1          = %.17g\n", dL_dd);
    std::printf("  dL/da = dL/dc * b          = %.17g   (through c)\n", via_c);
    std::printf("        + dL/dd * cos(a)     = %.17g   (through d)\n", via_d);
    std::printf("        = %.17g\n", dL_da);
    std::printf("  dL/db = dL/dc * a          = %.17g\n\n", dL_db);

    // The picture, before backward frees the graph's saved values.
    const std::filesystem::path dot = out / "graph.dot";
    std::ofstream(dot) << nn::to_dot(L, {{"a", a}, {"b", b}});
    if (!std::ifstream(dot)) throw std::runtime_error("could not write " + dot.string());

    L.backward();  // the same walk, done by the engine
    const double autograd_a = a.grad().item<double>(), autograd_b = b.grad().item<double>();
    std::printf("backward by autograd:\n");
    std::printf("  dL/da = %.17g   difference %.1e\n", autograd_a, autograd_a - dL_da);
    std::printf("  dL/db = %.17g   difference %.1e\n\n", autograd_b, autograd_b - dL_db);
    std::printf("graph: %s (dot -Tsvg %s -o graph.svg)\n", dot.string().c_str(), dot.string().c_str());

    auto agree = [](double x, double y) { return std::abs(x - y) <= 1e-12 * (1 + std::abs(y)); };
    if (!agree(autograd_a, dL_da) || !agree(autograd_b, dL_db)) {
      throw std::runtime_error("autograd and the chain rule by hand disagree beyond rounding");
    }
    std::printf("autograd agrees with the chain rule by hand, to rounding\n");
    return 0;
  });
}
