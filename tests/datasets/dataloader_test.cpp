// DataLoader over a small synthetic MNIST: coverage of each epoch, reproducible shuffles,
// drop_last, and the reuse of the batch tensors from step to step.
#include "datasets/dataloader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "autograd/threads.h"
#include "tests/datasets/dataset_files.h"
#include "tests/test_util.h"

namespace nabla::datasets {
namespace {

constexpr std::size_t kExamples = 23;
constexpr std::size_t kRows = 2;
constexpr std::size_t kCols = 3;

class DataLoaderTest : public ::testing::Test {
 protected:
  static MNIST write_and_load(const testing::TempDir& dir) {
    testing::write_mnist(dir, "train", kExamples, kRows, kCols);
    return MNIST(dir.path(), Split::Train);
  }

  testing::TempDir dir_;
  MNIST mnist_ = write_and_load(dir_);
};

// The indices of one epoch, batch after batch.
std::vector<int64_t> one_epoch(DataLoader& loader) {
  std::vector<int64_t> order;
  for (const Batch& batch : loader) order.insert(order.end(), batch.indices.begin(), batch.indices.end());
  return order;
}

std::vector<int64_t> sorted(std::vector<int64_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<int64_t> all_indices(std::size_t n) {
  std::vector<int64_t> v(n);
  std::iota(v.begin(), v.end(), int64_t{0});
  return v;
}

TEST_F(DataLoaderTest, NumberOfBatches) {
  EXPECT_EQ(DataLoader(mnist_, {.batch_size = 5}).size(), 5u);
  EXPECT_EQ(DataLoader(mnist_, {.batch_size = 5, .drop_last = true}).size(), 4u);
  EXPECT_EQ(DataLoader(mnist_, {.batch_size = 23}).size(), 1u);
  EXPECT_EQ(DataLoader(mnist_, {.batch_size = 100}).size(), 1u);
  EXPECT_EQ(DataLoader(mnist_, {.batch_size = 100, .drop_last = true}).size(), 0u);
  EXPECT_EQ(DataLoader(mnist_, {.batch_size = 1}).size(), kExamples);
}

TEST_F(DataLoaderTest, EveryExampleExactlyOncePerEpoch) {
  DataLoader loader(mnist_, {.batch_size = 5, .seed = 3});
  for (int epoch = 0; epoch < 4; ++epoch) {
    EXPECT_EQ(sorted(one_epoch(loader)), all_indices(kExamples)) << "epoch " << epoch;
  }
  EXPECT_EQ(loader.epoch(), 4u);
}

TEST_F(DataLoaderTest, BatchesHoldTheExamplesTheyName) {
  DataLoader loader(mnist_, {.batch_size = 4, .seed = 11});
  std::size_t steps = 0;
  for (const Batch& batch : loader) {
    const auto b = static_cast<int64_t>(batch.indices.size());
    ASSERT_EQ(batch.images.sizes(), (Shape{b, static_cast<int64_t>(kRows * kCols)}));
    ASSERT_EQ(batch.labels.sizes(), (Shape{b}));
    for (int64_t row = 0; row < b; ++row) {
      const auto example = static_cast<std::size_t>(batch.indices[row]);
      EXPECT_EQ(batch.labels.data_ptr<int64_t>()[row], testing::synthetic_label(example));
      for (std::size_t p = 0; p < kRows * kCols; ++p) {
        EXPECT_FLOAT_EQ(batch.images.data_ptr<float>()[row * static_cast<int64_t>(kRows * kCols) + p],
                        static_cast<float>(testing::synthetic_pixel(example, p)) / 255.0f);
      }
    }
    ++steps;
  }
  EXPECT_EQ(steps, loader.size());
}

// Batches of full-size images are copied on several threads (a chunk of rows each, with
// rows prefetched ahead): every row, normalised, still holds the example it names, and the
// last, smaller batch too.
TEST(DataLoaderThreaded, FullSizeBatchesHoldTheExamplesTheyNameOnThreeThreads) {
  const int threads_before = get_num_threads();
  set_num_threads(3);
  testing::TempDir dir;
  testing::write_mnist(dir, "train", 300, 28, 28);
  const MNIST mnist(dir.path(), Split::Train);
  const Normalization normalization{0.25f, 0.5f};
  DataLoader loader(mnist, {.batch_size = 128, .seed = 5, .normalization = normalization});
  std::size_t examples = 0;
  for (const Batch& batch : loader) {
    const auto b = static_cast<int64_t>(batch.indices.size());
    const float* images = batch.images.data_ptr<float>();
    for (int64_t row = 0; row < b; ++row) {
      const auto example = static_cast<std::size_t>(batch.indices[row]);
      ASSERT_EQ(batch.labels.data_ptr<int64_t>()[row], testing::synthetic_label(example));
      for (std::size_t p = 0; p < 28 * 28; ++p) {
        const float expected =
            (static_cast<float>(testing::synthetic_pixel(example, p)) / 255.0f - normalization.mean) / normalization.stddev;
        ASSERT_EQ(images[row * 28 * 28 + static_cast<int64_t>(p)], expected) << "example " << example << " pixel " << p;
      }
    }
    examples += static_cast<std::size_t>(b);
  }
  EXPECT_EQ(examples, 300u);
  set_num_threads(threads_before);
}

TEST_F(DataLoaderTest, TheLastBatchIsSmaller) {
  DataLoader loader(mnist_, {.batch_size = 5});
  std::vector<std::size_t> sizes;
  for (const Batch& batch : loader) sizes.push_back(static_cast<std::size_t>(batch.images.size(0)));
  EXPECT_EQ(sizes, (std::vector<std::size_t>{5, 5, 5, 5, 3}));
}

TEST_F(DataLoaderTest, SameSeedSameOrder) {
  DataLoader a(mnist_, {.batch_size = 4, .seed = 42});
  DataLoader b(mnist_, {.batch_size = 4, .seed = 42});
  for (int epoch = 0; epoch < 3; ++epoch) EXPECT_EQ(one_epoch(a), one_epoch(b)) << "epoch " << epoch;
}

TEST_F(DataLoaderTest, DifferentSeedsDifferentOrders) {
  DataLoader a(mnist_, {.batch_size = 4, .seed = 1});
  DataLoader b(mnist_, {.batch_size = 4, .seed = 2});
  EXPECT_NE(one_epoch(a), one_epoch(b));
}

TEST_F(DataLoaderTest, EachEpochHasANewOrder) {
  DataLoader loader(mnist_, {.batch_size = 4, .seed = 5});
  std::set<std::vector<int64_t>> orders;
  for (int epoch = 0; epoch < 5; ++epoch) orders.insert(one_epoch(loader));
  EXPECT_EQ(orders.size(), 5u);  // 23! orders: a repeat would be a bug, not bad luck
  EXPECT_NE(*orders.begin(), all_indices(kExamples));
}

TEST_F(DataLoaderTest, WithoutShuffleTheOrderIsSequential) {
  DataLoader loader(mnist_, {.batch_size = 6, .shuffle = false});
  EXPECT_EQ(one_epoch(loader), all_indices(kExamples));
  EXPECT_EQ(one_epoch(loader), all_indices(kExamples));
}

TEST_F(DataLoaderTest, DropLastSkipsTheIncompleteBatch) {
  DataLoader loader(mnist_, {.batch_size = 5, .drop_last = true, .seed = 9});
  for (int epoch = 0; epoch < 3; ++epoch) {
    std::size_t steps = 0;
    std::vector<int64_t> seen;
    for (const Batch& batch : loader) {
      EXPECT_EQ(batch.images.size(0), 5);
      seen.insert(seen.end(), batch.indices.begin(), batch.indices.end());
      ++steps;
    }
    EXPECT_EQ(steps, 4u);
    const std::vector<int64_t> unique = sorted(seen);
    EXPECT_EQ(std::adjacent_find(unique.begin(), unique.end()), unique.end()) << "an example came twice";
    EXPECT_EQ(unique.size(), 20u);
  }
}

TEST_F(DataLoaderTest, DropLastWithTooFewExamplesGivesNoBatches) {
  DataLoader loader(mnist_, {.batch_size = 24, .drop_last = true});
  EXPECT_TRUE(loader.begin() == loader.end());
  EXPECT_TRUE(one_epoch(loader).empty());
}

TEST_F(DataLoaderTest, BatchTensorsAreReusedAcrossStepsAndEpochs) {
  DataLoader loader(mnist_, {.batch_size = 5, .seed = 1});
  const float* full_images = nullptr;
  const int64_t* full_labels = nullptr;
  const float* last_images = nullptr;
  for (int epoch = 0; epoch < 3; ++epoch) {
    std::size_t step = 0;
    for (const Batch& batch : loader) {
      const bool last = ++step == loader.size();
      if (last) {
        if (last_images == nullptr) last_images = batch.images.data_ptr<float>();
        EXPECT_EQ(batch.images.data_ptr<float>(), last_images) << "epoch " << epoch;
        continue;
      }
      if (full_images == nullptr) {
        full_images = batch.images.data_ptr<float>();
        full_labels = batch.labels.data_ptr<int64_t>();
      }
      EXPECT_EQ(batch.images.data_ptr<float>(), full_images) << "epoch " << epoch << ", step " << step;
      EXPECT_EQ(batch.labels.data_ptr<int64_t>(), full_labels) << "epoch " << epoch << ", step " << step;
    }
  }
}

TEST_F(DataLoaderTest, AppliesTheNormalization) {
  const Normalization normalization{0.5f, 0.25f};
  DataLoader loader(mnist_, {.batch_size = 23, .shuffle = false, .normalization = normalization});
  const Batch& batch = *loader.begin();
  const float scaled = static_cast<float>(testing::synthetic_pixel(0, 1)) / 255.0f;
  EXPECT_FLOAT_EQ(batch.images.data_ptr<float>()[1], (scaled - 0.5f) / 0.25f);
}

TEST_F(DataLoaderTest, IteratorArrowAndPostIncrement) {
  DataLoader loader(mnist_, {.batch_size = 10, .shuffle = false});
  auto it = loader.begin();
  EXPECT_EQ(it->indices.front(), 0);
  it++;
  EXPECT_EQ(it->indices.front(), 10);
}

TEST_F(DataLoaderTest, ZeroBatchSizeIsRejected) {
  testing::expect_error<std::invalid_argument>([&] { DataLoader(mnist_, {.batch_size = 0}); },
                                               "batch_size must be at least 1");
}

TEST_F(DataLoaderTest, SurvivesAMove) {
  DataLoader first(mnist_, {.batch_size = 4, .seed = 8});
  DataLoader reference(mnist_, {.batch_size = 4, .seed = 8});
  DataLoader moved = std::move(first);
  EXPECT_EQ(one_epoch(moved), one_epoch(reference));
}

}  // namespace
}  // namespace nabla::datasets
