#pragma once
// MNIST (handwritten digits) and Fashion-MNIST (clothes), which share one layout: 28x28
// grey images with labels 0..9, 60000 for training and 10000 for testing, stored as four
// IDX files (idx.h). The images stay as bytes in memory (47 MB for the training set) and
// become float32 only batch by batch, in fill_batch(). DataLoader (dataloader.h) batches
// and shuffles a loaded set for a training loop.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nabla {
class Tensor;
}

namespace nabla::datasets {

enum class Split { Train, Test };

// "train" -> Split::Train, "test" -> Split::Test; anything else throws std::invalid_argument.
Split parse_split(std::string_view name);
std::string_view to_string(Split split);  // "train" or "test"

// Where Debian's package dataset-fashion-mnist installs Fashion-MNIST:
// "/usr/share/datasets/fashion-mnist".
std::string default_data_directory();

// Pixels are scaled to [0, 1] and then standardised: x = (byte / 255 - mean) / stddev.
// The default leaves them in [0, 1].
struct Normalization {
  float mean = 0.0f;
  float stddev = 1.0f;
};
// Mean and standard deviation of the training images, scaled to [0, 1].
inline constexpr Normalization kMnistNormalization{0.1307f, 0.3081f};
inline constexpr Normalization kFashionMnistNormalization{0.2860f, 0.3530f};

class MNIST {
 public:
  static constexpr std::size_t kNumClasses = 10;
  static constexpr std::size_t kAllExamples = std::numeric_limits<std::size_t>::max();

  // Loads one split from `directory`, which holds the usual files
  // (train|t10k)-(images-idx3|labels-idx1)-ubyte, each plain or .gz, also named with a dot
  // (train-images.idx3-ubyte) as some mirrors do. Keeps the first `max_examples` examples.
  // Throws FileNotFoundError (saying how to get the files) or FormatError (naming the file).
  MNIST(const std::string& directory, Split split, std::size_t max_examples = kAllExamples);

  std::size_t size() const { return labels_.size(); }             // examples kept
  std::size_t rows() const { return rows_; }                      // 28 for (Fashion-)MNIST
  std::size_t cols() const { return cols_; }
  std::size_t image_size() const { return rows_ * cols_; }        // pixels per image
  Split split() const { return split_; }
  const std::string& images_path() const { return images_path_; }  // the files it read
  const std::string& labels_path() const { return labels_path_; }

  // The rows() x cols() pixels of example i, row-major, 0 = background. Throws
  // std::out_of_range if i >= size().
  std::span<const uint8_t> image(std::size_t i) const;
  uint8_t label(std::size_t i) const;  // 0..9; std::out_of_range if i >= size()

  // A copy holding only the first min(n, size()) examples.
  MNIST subset(std::size_t n) const;

  // Writes the examples `indices` into `images`, float32 [B, rows*cols] with B =
  // indices.size(), and `labels`, int64 [B]. Tensors that already have that shape and
  // type are filled in place, so a training loop reuses the same memory every step;
  // others are replaced by new tensors. Throws std::out_of_range for a bad index (before
  // writing anything) and std::invalid_argument if normalization.stddev is not positive.
  void fill_batch(std::span<const int64_t> indices, Tensor& images, Tensor& labels,
                  Normalization normalization = {}) const;

 private:
  MNIST() = default;
  void keep_first(std::size_t n);

  Split split_ = Split::Train;
  std::string images_path_;
  std::string labels_path_;
  std::size_t rows_ = 0;
  std::size_t cols_ = 0;
  std::vector<uint8_t> images_;  // size() * rows_ * cols_ bytes
  std::vector<uint8_t> labels_;
};

}  // namespace nabla::datasets
