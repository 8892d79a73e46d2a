#pragma once
// Batches of an MNIST data set for a training loop, reshuffled every epoch:
//
//   nabla::datasets::DataLoader loader(train, {.batch_size = 64, .seed = 42});
//   for (int epoch = 0; epoch < 10; ++epoch)
//     for (const nabla::datasets::Batch& batch : loader) step(batch.images, batch.labels);
//
// Each range-for loop (each call to begin()) is one epoch. The batch tensors are filled in
// place at every step, so a loop allocates nothing after its first epoch; clone() what
// must outlive the step.
//
// Where it fits: datasets/ turns files into tensors for nn/ to train on. It reads the MNIST
// set (mnist.h), uses autograd's Tensor and Generator, and knows nothing of models.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <span>
#include <vector>

#include "autograd/tensor.h"
#include "datasets/mnist.h"

namespace nabla {
class Generator;
}

namespace nabla::datasets {

struct Batch {
  Tensor images;                     // float32 [B, rows * cols]
  Tensor labels;                     // int64 [B]
  std::span<const int64_t> indices;  // the examples in the batch, in row order
};

struct DataLoaderOptions {
  std::size_t batch_size = 64;
  bool shuffle = true;     // a new random order every epoch, else 0, 1, 2, ...
  bool drop_last = false;  // skip the last batch if it is smaller than batch_size
  uint64_t seed = 0;       // the same seed gives the same orders, epoch after epoch
  Normalization normalization{};
};

class DataLoader {
 public:
  class Iterator;

  // The loader refers to `dataset`, which must outlive it. Throws std::invalid_argument
  // if options.batch_size is 0.
  DataLoader(const MNIST& dataset, DataLoaderOptions options = {});
  DataLoader(const MNIST&& dataset, DataLoaderOptions options = {}) = delete;  // would dangle
  DataLoader(DataLoader&&) noexcept;
  DataLoader& operator=(DataLoader&&) noexcept;
  ~DataLoader();

  // Batches per epoch: ceil(examples / batch_size), or floor with drop_last.
  std::size_t size() const;
  const DataLoaderOptions& options() const { return options_; }
  // How many epochs have begun.
  std::size_t epoch() const { return epoch_; }

  // Starts a new epoch (a new order when shuffling) and loads its first batch.
  Iterator begin();
  Iterator end();

 private:
  void start_epoch();
  const Batch& load(std::size_t batch_index);

  const MNIST* dataset_;
  DataLoaderOptions options_;
  std::unique_ptr<Generator> generator_;
  std::vector<int64_t> order_;
  Batch full_batch_;  // every batch but a smaller last one, which gets its own
  Batch last_batch_;  // tensors so that neither is reallocated epoch after epoch
  std::size_t epoch_ = 0;
};

class DataLoader::Iterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = Batch;
  using difference_type = std::ptrdiff_t;
  using reference = const Batch&;
  using pointer = const Batch*;

  Iterator() = default;
  // The current batch; valid until the iterator advances (the tensors are refilled in place).
  const Batch& operator*() const { return *batch_; }
  const Batch* operator->() const { return batch_; }
  Iterator& operator++();  // loads the next batch
  void operator++(int) { ++*this; }
  friend bool operator==(const Iterator& a, const Iterator& b) { return a.index_ == b.index_; }

 private:
  friend class DataLoader;
  Iterator(DataLoader* loader, std::size_t index);

  DataLoader* loader_ = nullptr;
  std::size_t index_ = 0;
  const Batch* batch_ = nullptr;
};

}  // namespace nabla::datasets
