#include "autograd/ops/class_labels.h"

#include <string>

#include "autograd/kernels/reduce.h"
#include "autograd/ops/creation.h"

namespace nabla {

namespace {

void check_labels(const Tensor& labels, int64_t rows, int64_t classes, const char* op) {
  if (labels.dtype() != kInt64 || labels.dim() != 1 || labels.size(0) != rows) {
    throw ShapeError(std::string(op) + ": expects int64 labels of shape [" + std::to_string(rows) + "], got " +
                     std::string(to_string(labels.dtype())) + " " + to_string(labels.sizes()));
  }
  const int64_t* p = labels.data_ptr<int64_t>();
  for (int64_t i = 0; i < rows; ++i) {
    if (p[i] < 0 || p[i] >= classes) {
      throw ShapeError(std::string(op) + ": label " + std::to_string(p[i]) + " at position " + std::to_string(i) +
                       " is not a class in [0, " + std::to_string(classes) + ")");
    }
  }
}

}  // namespace

void check_class_labels(const Tensor& scores, const Tensor& labels, const char* op) {
  if (scores.dim() != 2) {
    throw ShapeError(std::string(op) + ": expects scores of shape [batch, classes], got " + to_string(scores.sizes()));
  }
  check_labels(labels, scores.size(0), scores.size(1), op);
}

Tensor one_hot(const Tensor& labels, int64_t classes, ScalarType dtype) {
  const int64_t n = labels.numel();
  check_labels(labels, n, classes, "one_hot");
  Tensor t = zeros({n, classes}, dtype);
  dispatch_floating(dtype, "one_hot", [&]<class T>() {
    kernels::one_hot_dim(labels.data_ptr<int64_t>(), n, classes, 1, t.data_ptr<T>());
  });
  return t;
}

}  // namespace nabla
