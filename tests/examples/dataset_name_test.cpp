// Naming the data set of an MNIST-format directory (examples/mnist/dataset_name.h): by the
// files' content or by --dataset, never by the folder's name.
#include "examples/mnist/dataset_name.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/examples/mnist_files.h"
#include "tests/examples/run_program.h"

namespace {

using namespace nabla;

// A 10000-image test split whose labels start with `first` and then cycle 0..9.
datasets::MNIST test_split_starting_with(const std::vector<uint8_t>& first, const std::string& directory) {
  std::vector<uint8_t> labels = testing_examples::cycling_labels(10000);
  std::copy(first.begin(), first.end(), labels.begin());
  testing_examples::write_split(directory, "t10k", labels);
  return datasets::MNIST(directory, datasets::Split::Test);
}

class DatasetName : public ::testing::Test {
 protected:
  // A folder called "fashion": its name must not decide anything.
  void SetUp() override { dir_ = testing_examples::make_temporary_directory("nabla_fashion_"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(DatasetName, TheOfficialFashionTestFileIsRecognisedByItsLabels) {
  const auto test = test_split_starting_with({9, 2, 1, 1, 6, 1, 4, 6, 5, 7, 4, 5, 7, 3, 4, 1,
                                              2, 4, 8, 0, 2, 5, 7, 9, 1, 4, 6, 0, 9, 3, 8, 8}, dir_);
  const mnist::DatasetName name = mnist::identify(test);
  EXPECT_EQ(name.name, "Fashion-MNIST");
  ASSERT_EQ(name.class_names.size(), 10u);
  EXPECT_EQ(name.class_names[0], "T-shirt/top");
  EXPECT_EQ(name.class_names[9], "Ankle boot");
}

TEST_F(DatasetName, TheOfficialMnistTestFileIsRecognisedByItsLabels) {
  const auto test = test_split_starting_with({7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6, 9, 0, 1, 5,
                                              9, 7, 3, 4, 9, 6, 6, 5, 4, 0, 7, 4, 0, 1, 3, 1}, dir_);
  const mnist::DatasetName name = mnist::identify(test);
  EXPECT_EQ(name.name, "MNIST");
  EXPECT_EQ(name.class_names[7], "7");
}

TEST_F(DatasetName, OtherFilesAreMnistFormatDataWhateverTheFolderIsCalled) {
  const auto test = test_split_starting_with({}, dir_);
  EXPECT_EQ(mnist::identify(test).name, "MNIST-format data");
  EXPECT_EQ(mnist::identify(test.subset(100)).name, "MNIST-format data");
}

TEST_F(DatasetName, TheDatasetOptionOverridesTheFiles) {
  const auto test = test_split_starting_with({}, dir_);
  EXPECT_EQ(mnist::dataset_named("fashion", test).class_names[1], "Trouser");
  EXPECT_EQ(mnist::dataset_named("mnist", test).name, "MNIST");
  EXPECT_EQ(mnist::dataset_named("auto", test).name, "MNIST-format data");
  EXPECT_THROW(mnist::dataset_named("cifar", test), std::invalid_argument);
}

}  // namespace
