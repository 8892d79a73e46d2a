#pragma once
// Small MNIST-format directories written by the tests themselves, so that the examples can
// be run end to end without downloading anything.
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace testing_examples {

inline void write_big_endian(std::ofstream& file, uint32_t v) {
  const char bytes[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                         static_cast<char>(v)};
  file.write(bytes, 4);
}

// One split as two IDX files: 28x28 images (a bright bar whose row depends on the label,
// so that the classes can be learnt) and their labels.
inline void write_split(const std::string& directory, const std::string& prefix, const std::vector<uint8_t>& labels) {
  std::ofstream images(directory + "/" + prefix + "-images-idx3-ubyte", std::ios::binary);
  write_big_endian(images, 0x00000803);
  write_big_endian(images, static_cast<uint32_t>(labels.size()));
  write_big_endian(images, 28);
  write_big_endian(images, 28);
  for (size_t i = 0; i < labels.size(); ++i) {
    std::vector<char> pixels(28 * 28, 0);
    for (int col = 0; col < 28; ++col) pixels[(2 + 2 * labels[i]) * 28 + col] = static_cast<char>(200 + i % 50);
    images.write(pixels.data(), static_cast<std::streamsize>(pixels.size()));
  }
  std::ofstream label_file(directory + "/" + prefix + "-labels-idx1-ubyte", std::ios::binary);
  write_big_endian(label_file, 0x00000801);
  write_big_endian(label_file, static_cast<uint32_t>(labels.size()));
  label_file.write(reinterpret_cast<const char*>(labels.data()), static_cast<std::streamsize>(labels.size()));
}

// Labels 0, 1, ..., 9, 0, 1, ... : n of them.
inline std::vector<uint8_t> cycling_labels(size_t n) {
  std::vector<uint8_t> labels(n);
  for (size_t i = 0; i < n; ++i) labels[i] = static_cast<uint8_t>(i % 10);
  return labels;
}

// A directory holding both splits.
inline void write_mnist_directory(const std::string& directory, const std::vector<uint8_t>& train_labels,
                                  const std::vector<uint8_t>& test_labels) {
  write_split(directory, "train", train_labels);
  write_split(directory, "t10k", test_labels);
}

}  // namespace testing_examples
