// Training throughput on Fashion-MNIST: one epoch of SGD at batch 64, for 784-256-256-10
// relu and 784-128-10 relu. bench/compare_training.py runs this next to PyTorch.
//   ./build/bench/training_bench
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>

#include <nabla.h>

namespace {

using namespace nabla;

const datasets::MNIST* training_set() {
  static std::unique_ptr<datasets::MNIST> data = [] {
    const std::string dir = datasets::default_data_directory();
    return std::filesystem::exists(dir) ? std::make_unique<datasets::MNIST>(dir, datasets::Split::Train) : nullptr;
  }();
  return data.get();
}

void BM_TrainEpoch(benchmark::State& state, std::vector<int64_t> sizes) {
  const datasets::MNIST* train = training_set();
  if (!train) {
    state.SkipWithError("Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
    return;
  }
  manual_seed(0);
  nn::Sequential model = nn::mlp(sizes, "relu");
  optim::SGD optimizer(model.parameters(), optim::SGDOptions(0.01));
  datasets::DataLoader loader(*train, {.batch_size = 64, .seed = 0});
  for (auto _ : state) {
    for (const datasets::Batch& batch : loader) {
      optimizer.zero_grad();
      nn::cross_entropy(model(batch.images), batch.labels).backward();
      optimizer.step();
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(train->size()));
}

BENCHMARK_CAPTURE(BM_TrainEpoch, mlp_784_256_256_10, std::vector<int64_t>{784, 256, 256, 10})
    ->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(BM_TrainEpoch, mlp_784_128_10, std::vector<int64_t>{784, 128, 10})
    ->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
