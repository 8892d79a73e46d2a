#include "examples/mnist/dataset_name.h"

#include <array>
#include <stdexcept>

namespace mnist {

namespace {

// The first labels of each official test file (t10k-labels-idx1-ubyte), as published.
constexpr std::array<uint8_t, 32> kFashionFirstTestLabels = {9, 2, 1, 1, 6, 1, 4, 6, 5, 7, 4, 5, 7, 3, 4, 1,
                                                             2, 4, 8, 0, 2, 5, 7, 9, 1, 4, 6, 0, 9, 3, 8, 8};
constexpr std::array<uint8_t, 32> kMnistFirstTestLabels = {7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6, 9, 0, 1, 5,
                                                           9, 7, 3, 4, 9, 6, 6, 5, 4, 0, 7, 4, 0, 1, 3, 1};

DatasetName fashion() {
  return {"Fashion-MNIST",
          {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}};
}

DatasetName digits(const std::string& name) { return {name, {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}}; }

bool starts_with(const nabla::datasets::MNIST& test, const std::array<uint8_t, 32>& labels) {
  if (test.size() != 10000 || test.rows() != 28 || test.cols() != 28) return false;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (test.label(i) != labels[i]) return false;
  }
  return true;
}

}  // namespace

DatasetName identify(const nabla::datasets::MNIST& test) {
  if (starts_with(test, kFashionFirstTestLabels)) return fashion();
  if (starts_with(test, kMnistFirstTestLabels)) return digits("MNIST");
  return digits("MNIST-format data");
}

DatasetName dataset_named(const std::string& choice, const nabla::datasets::MNIST& test) {
  if (choice == "fashion") return fashion();
  if (choice == "mnist") return digits("MNIST");
  if (choice == "auto") return identify(test);
  throw std::invalid_argument("dataset_named: unknown choice '" + choice + "' (fashion, mnist or auto)");
}

}  // namespace mnist
