// The tiny-op loop in libtorch C++, the reference for nabla's tiny_relu_loop
// (bench/activations_bench.cpp): y = relu(x * w + b).sum(); y.backward() on 4 elements.
// Not part of nabla's build: bench/compare_pytorch.py compiles it where libtorch-dev is
// installed and prints "<nanoseconds per iteration>" like Google Benchmark's real time.
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  const double min_seconds = argc > 1 ? std::atof(argv[1]) : 0.5;
  torch::manual_seed(0);
  const torch::Tensor x = torch::randn({4});
  const torch::Tensor w = torch::randn({4}, torch::requires_grad());
  const torch::Tensor b = torch::randn({4}, torch::requires_grad());
  auto step = [&] {
    torch::Tensor y = torch::relu(x * w + b).sum();
    y.backward();
  };
  for (int i = 0; i < 1000; ++i) step();  // warm-up: allocator, dispatcher caches
  using Clock = std::chrono::steady_clock;
  long iterations = 0;
  const auto start = Clock::now();
  double seconds = 0;
  do {
    for (int i = 0; i < 1000; ++i) step();
    iterations += 1000;
    seconds = std::chrono::duration<double>(Clock::now() - start).count();
  } while (seconds < min_seconds);
  std::printf("%.1f\n", seconds * 1e9 / static_cast<double>(iterations));
  return 0;
}
