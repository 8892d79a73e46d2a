// Training throughput on Fashion-MNIST: one epoch of SGD (lr 0.01) for 784-256-256-10 relu
// and 784-128-10 relu, at batch 64 and 256. Each iteration is one whole epoch, after a
// warm-up of a few steps (the buffer pool and the thread pool start cold in a new process).
// bench/compare_pytorch.py runs this next to PyTorch.
//   ./build/bench/training_bench
//   NABLA_NUM_THREADS=1 ./build/bench/training_bench --benchmark_filter='256_256_10/64'
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

void train_step(nn::Sequential& model, optim::SGD& optimizer, const datasets::Batch& batch) {
  optimizer.zero_grad();
  nn::cross_entropy(model(batch.images), batch.labels).backward();
  optimizer.step();
}

// state.range(0) is the batch size.
void BM_TrainEpoch(benchmark::State& state, std::vector<int64_t> sizes) {
  const datasets::MNIST* train = training_set();
  if (!train) {
    state.SkipWithError("Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
    return;
  }
  manual_seed(0);
  nn::Sequential model = nn::mlp(sizes, "relu");
  optim::SGD optimizer(model.parameters(), optim::SGDOptions(0.01));
  datasets::DataLoader loader(*train, {.batch_size = static_cast<size_t>(state.range(0)), .seed = 0});
  int warm_up = 20;
  for (const datasets::Batch& batch : loader) {
    if (warm_up-- == 0) break;
    train_step(model, optimizer, batch);
  }
  for (auto _ : state) {
    for (const datasets::Batch& batch : loader) train_step(model, optimizer, batch);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(train->size()));
}

BENCHMARK_CAPTURE(BM_TrainEpoch, mlp_784_256_256_10, std::vector<int64_t>{784, 256, 256, 10})
    ->Arg(64)->Arg(256)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_TrainEpoch, mlp_784_128_10, std::vector<int64_t>{784, 128, 10})
    ->Arg(64)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
