#pragma once
// Which data set an MNIST-format directory holds, so that titles and captions can name it
// and its classes: Fashion-MNIST and MNIST share one file format, and a folder's name says
// nothing reliable about its content.
#include <string>
#include <vector>

#include <nabla.h>

namespace mnist {

struct DatasetName {
  std::string name;                      // "Fashion-MNIST", "MNIST" or "MNIST-format data"
  std::vector<std::string> class_names;  // one per label 0..9
};

// --dataset's values: "fashion", "mnist", or "auto" to recognise the files.
DatasetName dataset_named(const std::string& choice, const nabla::datasets::MNIST& test);

// Recognises the official test split (10000 images of 28x28) by its first 32 labels,
// which differ between the two data sets; anything else is "MNIST-format data" with
// digits as class names.
DatasetName identify(const nabla::datasets::MNIST& test);

}  // namespace mnist
