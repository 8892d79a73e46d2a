#include "datasets/mnist.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <stdexcept>

#include "autograd/ops/byte_rows.h"
#include "autograd/tensor.h"
#include "datasets/error.h"
#include "datasets/idx.h"

namespace nabla::datasets {
namespace {

constexpr const char* kHowToGetTheFiles =
    "To get Fashion-MNIST, run `apt-get install dataset-fashion-mnist` (it installs to "
    "/usr/share/datasets/fashion-mnist, nabla::datasets::default_data_directory()), or put the four MNIST files "
    "(train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each "
    "optionally .gz) in a directory and pass that directory.";

void require_directory(const std::string& directory) {
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) {
    throw FileNotFoundError("MNIST directory '" + directory + "' does not exist or is not a directory. " +
                            kHowToGetTheFiles);
  }
}

// The official names (train-images-idx3-ubyte), then the dotted form of some mirrors
// (train-images.idx3-ubyte); plain files first, as they load faster than .gz.
std::vector<std::string> candidate_names(Split split, const std::string& kind, const std::string& format) {
  const std::string prefix = split == Split::Train ? "train-" : "t10k-";
  const std::string dashed = prefix + kind + "-" + format + "-ubyte";
  const std::string dotted = prefix + kind + "." + format + "-ubyte";
  return {dashed, dashed + ".gz", dotted, dotted + ".gz"};
}

std::string find_file(const std::string& directory, Split split, const std::string& kind, const std::string& format) {
  const std::vector<std::string> names = candidate_names(split, kind, format);
  for (const std::string& name : names) {
    const std::filesystem::path path = std::filesystem::path(directory) / name;
    std::error_code error;
    if (std::filesystem::is_regular_file(path, error)) return path.string();
  }
  std::string looked_for;
  for (const std::string& name : names) looked_for += (looked_for.empty() ? "" : ", ") + name;
  throw FileNotFoundError("MNIST " + std::string(to_string(split)) + " " + kind + " not found in '" + directory +
                          "' (looked for " + looked_for + "). " + kHowToGetTheFiles);
}

std::string dims_to_string(const std::vector<std::size_t>& dims) {
  std::string text = "[";
  for (std::size_t d = 0; d < dims.size(); ++d) text += (d ? ", " : "") + std::to_string(dims[d]);
  return text + "]";
}

// Checks the two headers against MNIST's layout and each other, before either file's data
// is read: a file that declares the wrong shape costs nothing to refuse.
void check_layout(const IdxFile& images, const IdxFile& labels) {
  const std::vector<std::size_t>& image_dims = images.dims();
  const std::vector<std::size_t>& label_dims = labels.dims();
  if (image_dims.size() != 3) {
    throw FormatError(images.path() + ": the IDX header declares " + std::to_string(image_dims.size()) +
                      " dimensions " + dims_to_string(image_dims) +
                      ", where MNIST images need 3 [count, rows, cols] (magic number 0x00000803)");
  }
  if (image_dims[1] == 0 || image_dims[2] == 0) {
    throw FormatError(images.path() + ": MNIST images of size " + std::to_string(image_dims[1]) + "x" +
                      std::to_string(image_dims[2]) + " have no pixels");
  }
  if (label_dims.size() != 1) {
    throw FormatError(labels.path() + ": the IDX header declares " + std::to_string(label_dims.size()) +
                      " dimensions " + dims_to_string(label_dims) +
                      ", where MNIST labels need 1 [count] (magic number 0x00000801)");
  }
  if (image_dims[0] != label_dims[0]) {
    throw FormatError("MNIST files disagree: " + images.path() + " holds " + std::to_string(image_dims[0]) +
                      " images but " + labels.path() + " holds " + std::to_string(label_dims[0]) + " labels");
  }
}

void check_labels(const IdxArray& labels, const std::string& labels_path) {
  for (std::size_t i = 0; i < labels.data.size(); ++i) {
    if (labels.data[i] >= MNIST::kNumClasses) {
      throw FormatError(labels_path + ": label " + std::to_string(labels.data[i]) + " of example " + std::to_string(i) +
                        " is not a class in 0..9");
    }
  }
}

void check_index(std::size_t i, std::size_t size, const char* where) {
  if (i >= size) {
    throw std::out_of_range(std::string(where) + ": index " + std::to_string(i) + " is outside the data set of " +
                            std::to_string(size) + " examples");
  }
}

// One division per possible byte instead of one per pixel; also makes the default
// normalisation exactly byte / 255.0f.
std::array<float, 256> pixel_values(Normalization normalization) {
  std::array<float, 256> values{};
  for (int byte = 0; byte < 256; ++byte) {
    values[byte] = (static_cast<float>(byte) / 255.0f - normalization.mean) / normalization.stddev;
  }
  return values;
}

// Labels are stored as the bytes 0..9 and read as the int64 class.
const std::array<int64_t, 256>& label_values() {
  static const std::array<int64_t, 256> values = [] {
    std::array<int64_t, 256> v{};
    for (int byte = 0; byte < 256; ++byte) v[byte] = byte;
    return v;
  }();
  return values;
}

void reuse_or_allocate(Tensor& tensor, const Shape& shape, ScalarType dtype) {
  if (!tensor.defined() || tensor.dtype() != dtype || !(tensor.sizes() == shape)) tensor = nabla::empty(shape, dtype);
}

}  // namespace

Split parse_split(std::string_view name) {
  if (name == "train") return Split::Train;
  if (name == "test") return Split::Test;
  throw std::invalid_argument("unknown data set split '" + std::string(name) + "' (expected 'train' or 'test')");
}

std::string_view to_string(Split split) { return split == Split::Train ? "train" : "test"; }

std::string default_data_directory() { return "/usr/share/datasets/fashion-mnist"; }

MNIST::MNIST(const std::string& directory, Split split, std::size_t max_examples) : split_(split) {
  require_directory(directory);
  // Find both files before reading either, so a missing one is reported at once.
  images_path_ = find_file(directory, split, "images", "idx3");
  labels_path_ = find_file(directory, split, "labels", "idx1");
  // Both headers first: only data of the right shape is inflated, and only as much as
  // the headers declare (a gzip bomb stops there).
  IdxFile image_file(images_path_);
  IdxFile label_file(labels_path_);
  check_layout(image_file, label_file);
  IdxArray labels = std::move(label_file).read();
  check_labels(labels, labels_path_);
  IdxArray images = std::move(image_file).read();
  rows_ = images.dims[1];
  cols_ = images.dims[2];
  images_ = std::move(images.data);
  labels_ = std::move(labels.data);
  keep_first(max_examples);
}

void MNIST::keep_first(std::size_t n) {
  if (n >= size()) return;
  images_.resize(n * image_size());
  labels_.resize(n);
  images_.shrink_to_fit();
  labels_.shrink_to_fit();
}

std::span<const uint8_t> MNIST::image(std::size_t i) const {
  check_index(i, size(), "MNIST::image");
  return std::span(images_).subspan(i * image_size(), image_size());
}

uint8_t MNIST::label(std::size_t i) const {
  check_index(i, size(), "MNIST::label");
  return labels_[i];
}

MNIST MNIST::subset(std::size_t n) const {
  n = std::min(n, size());
  MNIST part;
  part.split_ = split_;
  part.images_path_ = images_path_;
  part.labels_path_ = labels_path_;
  part.rows_ = rows_;
  part.cols_ = cols_;
  part.images_.assign(images_.begin(), images_.begin() + static_cast<std::ptrdiff_t>(n * image_size()));
  part.labels_.assign(labels_.begin(), labels_.begin() + static_cast<std::ptrdiff_t>(n));
  return part;
}

void MNIST::fill_batch(std::span<const int64_t> indices, Tensor& images, Tensor& labels,
                       Normalization normalization) const {
  if (!(normalization.stddev > 0.0f)) {
    throw std::invalid_argument("MNIST::fill_batch: normalization.stddev must be positive, got " +
                                std::to_string(normalization.stddev));
  }
  for (int64_t index : indices) {
    if (index < 0) throw std::out_of_range("MNIST::fill_batch: negative index " + std::to_string(index));
    check_index(static_cast<std::size_t>(index), size(), "MNIST::fill_batch");
  }
  const auto batch = static_cast<int64_t>(indices.size());
  const std::size_t pixels = image_size();
  reuse_or_allocate(images, {batch, static_cast<int64_t>(pixels)}, kFloat32);
  reuse_or_allocate(labels, {batch}, kInt64);

  // Written in place: a graph still holding last step's batch will notice (and refuse).
  gather_byte_rows_(images, images_, indices, pixel_values(normalization));
  gather_byte_rows_(labels, labels_, indices, label_values());
}

}  // namespace nabla::datasets
