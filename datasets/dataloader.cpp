#include "datasets/dataloader.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "autograd/ops/creation.h"

namespace nabla::datasets {

DataLoader::DataLoader(const MNIST& dataset, DataLoaderOptions options)
    : dataset_(&dataset), options_(options), generator_(std::make_unique<Generator>(options.seed)) {
  if (options_.batch_size == 0) throw std::invalid_argument("DataLoader: batch_size must be at least 1");
  order_.resize(dataset.size());
  std::iota(order_.begin(), order_.end(), int64_t{0});
}

DataLoader::DataLoader(DataLoader&&) noexcept = default;
DataLoader& DataLoader::operator=(DataLoader&&) noexcept = default;
DataLoader::~DataLoader() = default;

std::size_t DataLoader::size() const {
  const std::size_t n = order_.size();
  const std::size_t b = options_.batch_size;
  return options_.drop_last ? n / b : (n + b - 1) / b;
}

DataLoader::Iterator DataLoader::begin() {
  start_epoch();
  return Iterator(this, 0);
}

DataLoader::Iterator DataLoader::end() { return Iterator(this, size()); }

void DataLoader::start_epoch() {
  ++epoch_;
  if (!options_.shuffle) return;
  const Tensor permutation = randperm(static_cast<int64_t>(order_.size()), generator_.get());
  const int64_t* p = permutation.data_ptr<int64_t>();
  std::copy(p, p + order_.size(), order_.begin());
}

const Batch& DataLoader::load(std::size_t batch_index) {
  const std::size_t first = batch_index * options_.batch_size;
  const std::size_t count = std::min(options_.batch_size, order_.size() - first);
  Batch& batch = count == options_.batch_size ? full_batch_ : last_batch_;
  batch.indices = std::span<const int64_t>(order_).subspan(first, count);
  dataset_->fill_batch(batch.indices, batch.images, batch.labels, options_.normalization);
  return batch;
}

DataLoader::Iterator::Iterator(DataLoader* loader, std::size_t index) : loader_(loader), index_(index) {
  if (index_ < loader_->size()) batch_ = &loader_->load(index_);
}

DataLoader::Iterator& DataLoader::Iterator::operator++() {
  ++index_;
  batch_ = index_ < loader_->size() ? &loader_->load(index_) : nullptr;
  return *this;
}

}  // namespace nabla::datasets
