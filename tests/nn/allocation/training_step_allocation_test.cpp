// What a training step allocates once it has run a few times: a Dense/relu/cross-entropy/SGD
// loop fed by a DataLoader, on two threads. Tensor memory comes from the storage cache
// (autograd/storage.h), so in steady state a step takes no tensor buffer from the heap; the
// graph itself (nodes, tensor handles, the backward's gradient lists) is built anew each
// step, and the number of those small allocations must not grow from epoch to epoch.
//
// This program replaces the global operator new and delete with counting versions. Tensor
// buffers are the only allocations made with an alignment (operator new with align_val_t),
// so they are counted apart from the rest.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <vector>

#include "nabla.h"
#include "tests/datasets/dataset_files.h"

namespace {

std::atomic<long> step_allocation_plain{0};    // operator new without an alignment
std::atomic<long> step_allocation_aligned{0};  // operator new with one: tensor buffers
std::atomic<long> step_allocation_live{0};     // allocations not yet freed

void* step_allocation_plain_new(std::size_t n) {
  step_allocation_plain.fetch_add(1, std::memory_order_relaxed);
  step_allocation_live.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}

void* step_allocation_aligned_new(std::size_t n, std::align_val_t alignment) {
  step_allocation_aligned.fetch_add(1, std::memory_order_relaxed);
  step_allocation_live.fetch_add(1, std::memory_order_relaxed);
  const auto align = static_cast<std::size_t>(alignment);
  if (void* p = std::aligned_alloc(align, (std::max<std::size_t>(n, 1) + align - 1) / align * align)) return p;
  throw std::bad_alloc();
}

void step_allocation_free(void* p) {
  if (!p) return;
  step_allocation_live.fetch_sub(1, std::memory_order_relaxed);
  std::free(p);
}

}  // namespace

void* operator new(std::size_t n) { return step_allocation_plain_new(n); }
void* operator new[](std::size_t n) { return step_allocation_plain_new(n); }
void* operator new(std::size_t n, std::align_val_t a) { return step_allocation_aligned_new(n, a); }
void* operator new[](std::size_t n, std::align_val_t a) { return step_allocation_aligned_new(n, a); }
void operator delete(void* p) noexcept { step_allocation_free(p); }
void operator delete[](void* p) noexcept { step_allocation_free(p); }
void operator delete(void* p, std::size_t) noexcept { step_allocation_free(p); }
void operator delete[](void* p, std::size_t) noexcept { step_allocation_free(p); }
void operator delete(void* p, std::align_val_t) noexcept { step_allocation_free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { step_allocation_free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { step_allocation_free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { step_allocation_free(p); }

namespace nabla {
namespace {

struct StepAllocationCounts {
  long plain = 0, aligned = 0, live = 0;
};

StepAllocationCounts step_allocation_now() {
  return {step_allocation_plain.load(), step_allocation_aligned.load(), step_allocation_live.load()};
}

// Ten batches of 64 synthetic 28x28 images a epoch; a 784-64-32-10 relu network, SGD with
// momentum (its velocity buffers appear at the first step). On two threads, so that the
// batching, the GEMMs and the fused kernels take their threaded paths.
class TrainingStepAllocation : public ::testing::Test {
 protected:
  static constexpr std::size_t kExamples = 640, kBatch = 64;

  void SetUp() override {
    threads_before_ = get_num_threads();
    set_num_threads(2);
    testing::write_mnist(dir_, "train", kExamples, 28, 28);
    data_ = std::make_unique<datasets::MNIST>(dir_.path(), datasets::Split::Train);
  }
  void TearDown() override { set_num_threads(threads_before_); }

  // Runs one epoch and returns the counts after each step (the loader's next batch included).
  std::vector<StepAllocationCounts> epoch(nn::Sequential& model, optim::SGD& optimizer, datasets::DataLoader& loader) {
    std::vector<StepAllocationCounts> after_each_step;
    after_each_step.reserve(kExamples / kBatch + 1);  // before counting starts
    const StepAllocationCounts start = step_allocation_now();
    for (auto it = loader.begin(); it != loader.end(); ++it) {
      optimizer.zero_grad();
      nn::cross_entropy(model(it->images), it->labels).backward();
      optimizer.step();
      after_each_step.push_back(step_allocation_now());
    }
    after_each_step.insert(after_each_step.begin(), start);  // within the reserved capacity
    return after_each_step;
  }

  int threads_before_ = 1;
  testing::TempDir dir_;
  std::unique_ptr<datasets::MNIST> data_;
};

TEST_F(TrainingStepAllocation, TakesNoTensorBufferFromTheHeapAndDoesNotGrowInSteadyState) {
  manual_seed(0);
  nn::Sequential model = nn::mlp({784, 64, 32, 10}, "relu");
  optim::SGD optimizer(model.parameters(), optim::SGDOptions(0.01).momentum(0.9));
  datasets::DataLoader loader(*data_, {.batch_size = kBatch, .seed = 0});
  // Warm-up: the first epoch fills the storage cache, the thread pool starts, the
  // velocities appear.
  epoch(model, optimizer, loader);

  const std::vector<StepAllocationCounts> second = epoch(model, optimizer, loader);
  const std::vector<StepAllocationCounts> third = epoch(model, optimizer, loader);
  ASSERT_EQ(second.size(), kExamples / kBatch + 1);
  for (std::size_t step = 1; step < second.size(); ++step) {
    EXPECT_EQ(second[step].aligned - second[step - 1].aligned, 0)
        << "step " << step << " of the second epoch took tensor buffers from the heap, not the storage cache";
    EXPECT_EQ(third[step].aligned - third[step - 1].aligned, 0)
        << "step " << step << " of the third epoch took tensor buffers from the heap, not the storage cache";
  }
  // The graph's own small allocations: as many in the third epoch as in the second, and
  // all of them freed again (no step leaves memory behind).
  const long second_plain = second.back().plain - second.front().plain;
  const long third_plain = third.back().plain - third.front().plain;
  EXPECT_EQ(third_plain, second_plain);
  EXPECT_EQ(third.back().live, third.front().live) << "a training epoch left allocations behind";
  std::printf("graph bookkeeping: %ld small allocations in an epoch of %zu steps\n", third_plain, third.size() - 1);
}

}  // namespace
}  // namespace nabla
