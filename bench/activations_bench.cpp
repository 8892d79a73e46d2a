// Every activation in the table, forward and backward, on a million float32 elements,
// next to a plain copy of the same bytes (the floor for a memory-bound kernel).
//   ./build/bench/activations_bench
//   /usr/bin/python3 bench/compare_pytorch.py --only activations    (adds PyTorch on the same machine)
#include <benchmark/benchmark.h>


#include <nabla.h>

#include "bench/copy_floor.h"

namespace {

using namespace nabla;

constexpr int64_t kElements = int64_t{1} << 20;

// The inputs: 3 N(0, 1), or |3 N(0, 1)| + 0.1 for an activation defined on part of the line
// only (sqrt, log), so that it is timed on numbers, not NaN. bench/compare_pytorch.py gives
// PyTorch the same inputs.
Tensor inputs(const Activation& a) {
  Tensor x = randn({kElements}).mul_(3.0);
  return a.domain == Domain::AllReals ? x : x.abs().add_(0.1);
}

void BM_Copy(benchmark::State& state) { bench::copy_floor(state, kElements); }

void BM_Forward(benchmark::State& state, const std::string& name) {
  const Activation& a = activation(name);
  const Tensor x = inputs(a);
  NoGradGuard no_grad;
  for (auto _ : state) {
    Tensor y = a(x);
    benchmark::DoNotOptimize(y.raw_data());
  }
  state.SetItemsProcessed(state.iterations() * kElements);
}

// The backward alone: the graph is built once and its backward run again and again.
void BM_Backward(benchmark::State& state, const std::string& name) {
  const Activation& a = activation(name);
  const Tensor x = inputs(a).requires_grad_();
  const Tensor y = a(x);
  const Tensor seed = ones_like(y);
  for (auto _ : state) {
    TensorList g = autograd::grad({y}, {x}, {seed}, /*retain_graph=*/true);
    benchmark::DoNotOptimize(g[0].raw_data());
  }
  state.SetItemsProcessed(state.iterations() * kElements);
}

// A loop of tiny ops, where the per-op overhead is all there is: y = relu(x * w + b).sum();
// y.backward() on 4-element tensors.
void BM_TinyReluLoop(benchmark::State& state) {
  const Tensor x = randn({4}), w = randn({4}).requires_grad_(), b = randn({4}).requires_grad_();
  for (auto _ : state) {
    Tensor y = relu(x * w + b).sum();
    y.backward();
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::RegisterBenchmark("copy", BM_Copy);
  benchmark::RegisterBenchmark("tiny_relu_loop", BM_TinyReluLoop);
  for (const std::string& name : activation_names()) {
    if (name == "swish") continue;  // the same kernel as silu
    benchmark::RegisterBenchmark(("forward/" + name).c_str(), BM_Forward, name);
    benchmark::RegisterBenchmark(("backward/" + name).c_str(), BM_Backward, name);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
