// MNIST from small synthetic files in a temporary directory (the real data set is never
// needed): file discovery, layout checks, and the float32 batches.
#include "datasets/mnist.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "autograd/tensor.h"
#include "datasets/error.h"
#include "tests/datasets/dataset_files.h"
#include "tests/test_util.h"

namespace nabla::datasets {
namespace {

using testing::Bytes;
using testing::Compression;
using testing::expect_error;
using testing::idx_bytes;
using testing::Naming;
using testing::synthetic_label;
using testing::synthetic_pixel;

constexpr std::size_t kRows = 4;
constexpr std::size_t kCols = 3;

void expect_synthetic_examples(const MNIST& mnist, std::size_t count) {
  ASSERT_EQ(mnist.size(), count);
  EXPECT_EQ(mnist.rows(), kRows);
  EXPECT_EQ(mnist.cols(), kCols);
  EXPECT_EQ(mnist.image_size(), kRows * kCols);
  for (std::size_t i = 0; i < count; ++i) {
    const auto image = mnist.image(i);
    ASSERT_EQ(image.size(), kRows * kCols);
    for (std::size_t p = 0; p < image.size(); ++p) ASSERT_EQ(image[p], synthetic_pixel(i, p)) << i << ", " << p;
    EXPECT_EQ(mnist.label(i), synthetic_label(i));
  }
}

TEST(Mnist, LoadsPlainFiles) {
  testing::TempDir dir;
  testing::write_mnist(dir, "train", 25, kRows, kCols);
  const MNIST train(dir.path(), Split::Train);
  expect_synthetic_examples(train, 25);
  EXPECT_EQ(train.split(), Split::Train);
  EXPECT_EQ(train.images_path(), dir.file("train-images-idx3-ubyte"));
  EXPECT_EQ(train.labels_path(), dir.file("train-labels-idx1-ubyte"));
}

TEST(Mnist, LoadsGzipFilesOfTheTestSplit) {
  testing::TempDir dir;
  testing::write_mnist(dir, "t10k", 17, kRows, kCols, Compression::Gzip);
  const MNIST test(dir.path(), Split::Test);
  expect_synthetic_examples(test, 17);
  EXPECT_EQ(test.images_path(), dir.file("t10k-images-idx3-ubyte.gz"));
}

TEST(Mnist, LoadsTheDottedNamesOfSomeMirrors) {
  testing::TempDir dir;
  testing::write_mnist(dir, "train", 6, kRows, kCols, Compression::None, Naming::Dotted);
  testing::write_mnist(dir, "t10k", 5, kRows, kCols, Compression::Gzip, Naming::Dotted);
  expect_synthetic_examples(MNIST(dir.path(), Split::Train), 6);
  const MNIST test(dir.path(), Split::Test);
  expect_synthetic_examples(test, 5);
  EXPECT_EQ(test.labels_path(), dir.file("t10k-labels.idx1-ubyte.gz"));
}

TEST(Mnist, SplitsAreSeparateFiles) {
  testing::TempDir dir;
  testing::write_mnist(dir, "train", 8, kRows, kCols);
  testing::write_mnist(dir, "t10k", 3, kRows, kCols, Compression::Gzip);
  EXPECT_EQ(MNIST(dir.path(), Split::Train).size(), 8u);
  EXPECT_EQ(MNIST(dir.path(), Split::Test).size(), 3u);
}

TEST(Mnist, KeepsOnlyTheFirstExamplesWhenAsked) {
  testing::TempDir dir;
  testing::write_mnist(dir, "train", 30, kRows, kCols);
  expect_synthetic_examples(MNIST(dir.path(), Split::Train, 7), 7);
  expect_synthetic_examples(MNIST(dir.path(), Split::Train, 1000), 30);
}

TEST(Mnist, SubsetCopiesTheFirstExamples) {
  testing::TempDir dir;
  testing::write_mnist(dir, "train", 30, kRows, kCols);
  const MNIST all(dir.path(), Split::Train);
  const MNIST part = all.subset(12);
  expect_synthetic_examples(part, 12);
  EXPECT_EQ(part.images_path(), all.images_path());
  EXPECT_EQ(all.size(), 30u);
  EXPECT_EQ(all.subset(100).size(), 30u);
  EXPECT_EQ(all.subset(0).size(), 0u);
}

TEST(Mnist, IndexOutOfRange) {
  testing::TempDir dir;
  testing::write_mnist(dir, "train", 3, kRows, kCols);
  const MNIST mnist(dir.path(), Split::Train);
  expect_error<std::out_of_range>([&] { mnist.image(3); }, "index 3 is outside the data set of 3 examples");
  expect_error<std::out_of_range>([&] { mnist.label(3); }, "index 3");
}

TEST(Mnist, MissingDirectorySaysHowToGetTheData) {
  const std::string missing = "/nonexistent/nabla-mnist";
  expect_error<FileNotFoundError>([&] { MNIST(missing, Split::Train); }, missing);
  expect_error<FileNotFoundError>([&] { MNIST(missing, Split::Train); }, "apt-get install dataset-fashion-mnist");
  expect_error<FileNotFoundError>([&] { MNIST(missing, Split::Train); }, "put the four MNIST files");
}

TEST(Mnist, MissingFilesAreListed) {
  testing::TempDir dir;
  testing::write_mnist(dir, "train", 3, kRows, kCols);
  expect_error<FileNotFoundError>([&] { MNIST(dir.path(), Split::Test); },
                                  "MNIST test images not found in '" + dir.path() +
                                      "' (looked for t10k-images-idx3-ubyte, t10k-images-idx3-ubyte.gz, "
                                      "t10k-images.idx3-ubyte, t10k-images.idx3-ubyte.gz)");
  expect_error<FileNotFoundError>([&] { MNIST(dir.path(), Split::Test); }, "dataset-fashion-mnist");

  std::filesystem::remove(dir.file("train-labels-idx1-ubyte"));
  expect_error<FileNotFoundError>([&] { MNIST(dir.path(), Split::Train); }, "MNIST train labels not found");
}

TEST(Mnist, ImagesMustBeThreeDimensional) {
  testing::TempDir dir;
  testing::write_bytes(dir.file("train-images-idx3-ubyte"), idx_bytes({2, 12}, Bytes(24, 0)));
  testing::write_bytes(dir.file("train-labels-idx1-ubyte"), idx_bytes({2}, {1, 2}));
  expect_error<FormatError>([&] { MNIST(dir.path(), Split::Train); },
                            dir.file("train-images-idx3-ubyte") +
                                ": the IDX header declares 2 dimensions [2, 12], where MNIST images need 3");
}

TEST(Mnist, FourDimensionalImagesHeaderIsReportedAsSuch) {
  // A real idx3 file whose magic number's last byte was changed from 3 to 4: the data's
  // first four bytes become a fourth size. The header is the problem, not the data length.
  testing::TempDir dir;
  Bytes images = idx_bytes({200, 28, 28}, Bytes(200 * 28 * 28, 0));
  images[3] = 4;
  testing::write_bytes(dir.file("train-images-idx3-ubyte"), images);
  testing::write_bytes(dir.file("train-labels-idx1-ubyte"), idx_bytes({200}, Bytes(200, 1)));
  expect_error<FormatError>([&] { MNIST(dir.path(), Split::Train); },
                            dir.file("train-images-idx3-ubyte") +
                                ": the IDX header declares 4 dimensions [200, 28, 28, 0], where MNIST images need 3");
}

TEST(Mnist, GzipBombWithTheWrongCountIsRefusedFromItsHeader) {
  // 64 MiB of images in 420 KB of gzip, for 3 labels. The header says so: nothing past it
  // is inflated, so the count mismatch is reported, not the CRC-32 broken at the very end.
  testing::TempDir dir;
  const std::size_t count = (std::size_t{64} << 20) / (28 * 28);
  const Bytes header = idx_bytes({static_cast<uint32_t>(count), 28, 28}, {});
  testing::write_bytes(dir.file("train-images-idx3-ubyte.gz"),
                       testing::gzip_bomb(header, count * 28 * 28, /*break_crc=*/true));
  testing::write_bytes(dir.file("train-labels-idx1-ubyte"), idx_bytes({3}, {1, 2, 3}));
  expect_error<FormatError>([&] { MNIST(dir.path(), Split::Train); },
                            " holds " + std::to_string(count) + " images but " + dir.file("train-labels-idx1-ubyte") +
                                " holds 3 labels");
}

TEST(Mnist, GzipBombBeyondItsDeclaredSizeStopsThere) {
  // A header for 3 images of 28x28 (2352 bytes), then 64 MiB of zeros: inflating stops at
  // the 16 + 2352 bytes the header declares, long before the broken CRC-32 at the end.
  testing::TempDir dir;
  testing::write_bytes(dir.file("train-images-idx3-ubyte.gz"),
                       testing::gzip_bomb(idx_bytes({3, 28, 28}, {}), std::size_t{64} << 20, /*break_crc=*/true));
  testing::write_bytes(dir.file("train-labels-idx1-ubyte"), idx_bytes({3}, {1, 2, 3}));
  expect_error<FormatError>([&] { MNIST(dir.path(), Split::Train); },
                            dir.file("train-images-idx3-ubyte.gz") +
                                ": decompressed data exceeds the limit of 2368 bytes");
}

TEST(Mnist, LabelsMustBeOneDimensional) {
  testing::TempDir dir;
  testing::write_bytes(dir.file("train-images-idx3-ubyte"), idx_bytes({2, 2, 2}, Bytes(8, 0)));
  testing::write_bytes(dir.file("train-labels-idx1-ubyte"), idx_bytes({2, 1}, {1, 2}));
  expect_error<FormatError>([&] { MNIST(dir.path(), Split::Train); },
                            dir.file("train-labels-idx1-ubyte") +
                                ": the IDX header declares 2 dimensions [2, 1], where MNIST labels need 1");
}

TEST(Mnist, ImagesWithoutPixels) {
  testing::TempDir dir;
  testing::write_bytes(dir.file("train-images-idx3-ubyte"), idx_bytes({2, 0, 28}, {}));
  testing::write_bytes(dir.file("train-labels-idx1-ubyte"), idx_bytes({2}, {1, 2}));
  expect_error<FormatError>([&] { MNIST(dir.path(), Split::Train); }, "have no pixels");
}

TEST(Mnist, CountsMustAgree) {
  testing::TempDir dir;
  testing::write_bytes(dir.file("train-images-idx3-ubyte"), idx_bytes({3, 2, 2}, Bytes(12, 0)));
  testing::write_bytes(dir.file("train-labels-idx1-ubyte"), idx_bytes({2}, {1, 2}));
  expect_error<FormatError>([&] { MNIST(dir.path(), Split::Train); },
                            dir.file("train-images-idx3-ubyte") + " holds 3 images but " +
                                dir.file("train-labels-idx1-ubyte") + " holds 2 labels");
}

TEST(Mnist, LabelsMustBeClasses) {
  testing::TempDir dir;
  testing::write_bytes(dir.file("train-images-idx3-ubyte"), idx_bytes({3, 2, 2}, Bytes(12, 0)));
  testing::write_bytes(dir.file("train-labels-idx1-ubyte"), idx_bytes({3}, {1, 10, 2}));
  expect_error<FormatError>([&] { MNIST(dir.path(), Split::Train); },
                            dir.file("train-labels-idx1-ubyte") + ": label 10 of example 1 is not a class in 0..9");
}

TEST(Mnist, CorruptFileIsNamed) {
  testing::TempDir dir;
  testing::write_mnist(dir, "train", 3, kRows, kCols);
  testing::write_bytes(dir.file("train-images-idx3-ubyte"), idx_bytes({3, kRows, kCols}, Bytes(5, 0)));
  expect_error<FormatError>([&] { MNIST(dir.path(), Split::Train); },
                            dir.file("train-images-idx3-ubyte") + ": truncated");
}

TEST(Mnist, SplitNames) {
  EXPECT_EQ(parse_split("train"), Split::Train);
  EXPECT_EQ(parse_split("test"), Split::Test);
  EXPECT_EQ(to_string(Split::Train), "train");
  EXPECT_EQ(to_string(Split::Test), "test");
  expect_error<std::invalid_argument>([] { parse_split("validation"); }, "unknown data set split 'validation'");
}

TEST(Mnist, DefaultDirectoryIsWhereDebianInstallsFashionMnist) {
  EXPECT_EQ(default_data_directory(), "/usr/share/datasets/fashion-mnist");
}

class MnistBatch : public ::testing::Test {
 protected:
  void SetUp() override { testing::write_mnist(dir_, "train", 20, kRows, kCols); }
  MNIST load() const { return MNIST(dir_.path(), Split::Train); }

  testing::TempDir dir_;
};

TEST_F(MnistBatch, PixelsAreBytesOver255InTheOrderOfTheIndices) {
  const MNIST mnist = load();
  const std::vector<int64_t> indices = {7, 0, 19, 7};
  Tensor images;
  Tensor labels;
  mnist.fill_batch(indices, images, labels);
  ASSERT_EQ(images.dtype(), kFloat32);
  ASSERT_EQ(labels.dtype(), kInt64);
  ASSERT_EQ(images.sizes(), (Shape{4, static_cast<int64_t>(kRows * kCols)}));
  ASSERT_EQ(labels.sizes(), (Shape{4}));
  const float* pixels = images.data_ptr<float>();
  for (std::size_t b = 0; b < indices.size(); ++b) {
    const auto example = static_cast<std::size_t>(indices[b]);
    EXPECT_EQ(labels.data_ptr<int64_t>()[b], synthetic_label(example));
    for (std::size_t p = 0; p < kRows * kCols; ++p) {
      const float value = pixels[b * kRows * kCols + p];
      EXPECT_FLOAT_EQ(value, static_cast<float>(synthetic_pixel(example, p)) / 255.0f);
      EXPECT_GE(value, 0.0f);
      EXPECT_LE(value, 1.0f);
    }
  }
}

TEST_F(MnistBatch, ExtremePixelsMapToZeroAndOne) {
  testing::write_bytes(dir_.file("train-images-idx3-ubyte"), idx_bytes({2, 1, 2}, {0, 255, 128, 1}));
  testing::write_bytes(dir_.file("train-labels-idx1-ubyte"), idx_bytes({2}, {0, 9}));
  const MNIST mnist = load();
  Tensor images;
  Tensor labels;
  mnist.fill_batch(std::vector<int64_t>{0, 1}, images, labels);
  const float* p = images.data_ptr<float>();
  EXPECT_EQ(p[0], 0.0f);
  EXPECT_EQ(p[1], 1.0f);
  EXPECT_FLOAT_EQ(p[2], 128.0f / 255.0f);
  EXPECT_FLOAT_EQ(p[3], 1.0f / 255.0f);
  EXPECT_EQ(labels.data_ptr<int64_t>()[1], 9);
}

TEST_F(MnistBatch, NormalizationStandardises) {
  const MNIST mnist = load();
  Tensor images;
  Tensor labels;
  mnist.fill_batch(std::vector<int64_t>{3}, images, labels, kFashionMnistNormalization);
  for (std::size_t p = 0; p < kRows * kCols; ++p) {
    const float scaled = static_cast<float>(synthetic_pixel(3, p)) / 255.0f;
    EXPECT_FLOAT_EQ(images.data_ptr<float>()[p],
                    (scaled - kFashionMnistNormalization.mean) / kFashionMnistNormalization.stddev);
  }
}

TEST_F(MnistBatch, ReusesTensorsOfTheRightShape) {
  const MNIST mnist = load();
  Tensor images;
  Tensor labels;
  mnist.fill_batch(std::vector<int64_t>{0, 1, 2}, images, labels);
  const float* image_memory = images.data_ptr<float>();
  const int64_t* label_memory = labels.data_ptr<int64_t>();
  const Tensor alias = images;  // a handle sharing the memory sees the new values
  mnist.fill_batch(std::vector<int64_t>{5, 6, 7}, images, labels);
  EXPECT_EQ(images.data_ptr<float>(), image_memory);
  EXPECT_EQ(labels.data_ptr<int64_t>(), label_memory);
  EXPECT_FLOAT_EQ(alias.data_ptr<float>()[0], static_cast<float>(synthetic_pixel(5, 0)) / 255.0f);

  mnist.fill_batch(std::vector<int64_t>{1}, images, labels);  // another batch size: new tensors
  EXPECT_EQ(images.sizes(), (Shape{1, static_cast<int64_t>(kRows * kCols)}));
  EXPECT_EQ(labels.sizes(), (Shape{1}));
}

TEST_F(MnistBatch, ReplacesTensorsOfTheWrongType) {
  const MNIST mnist = load();
  Tensor images = empty({2, static_cast<int64_t>(kRows * kCols)}, kFloat64);
  Tensor labels = empty({2}, kFloat32);
  mnist.fill_batch(std::vector<int64_t>{0, 1}, images, labels);
  EXPECT_EQ(images.dtype(), kFloat32);
  EXPECT_EQ(labels.dtype(), kInt64);
}

TEST_F(MnistBatch, BadIndicesAreRejectedBeforeWriting) {
  const MNIST mnist = load();
  Tensor images;
  Tensor labels;
  mnist.fill_batch(std::vector<int64_t>{0, 1}, images, labels);
  const float first = images.data_ptr<float>()[0];
  expect_error<std::out_of_range>(
      [&] {
        mnist.fill_batch(std::vector<int64_t>{2, 20}, images, labels);
      },
      "index 20 is outside the data set of 20 examples");
  expect_error<std::out_of_range>(
      [&] {
        mnist.fill_batch(std::vector<int64_t>{2, -1}, images, labels);
      },
      "negative index -1");
  EXPECT_EQ(images.data_ptr<float>()[0], first);
}

TEST_F(MnistBatch, RejectsAZeroStandardDeviation) {
  const MNIST mnist = load();
  Tensor images;
  Tensor labels;
  expect_error<std::invalid_argument>(
      [&] {
        mnist.fill_batch(std::vector<int64_t>{0}, images, labels, Normalization{0.5f, 0.0f});
      },
      "stddev must be positive");
}

}  // namespace
}  // namespace nabla::datasets
