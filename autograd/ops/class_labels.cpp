#include "autograd/ops/class_labels.h"

#include <string>

#include "autograd/kernels/reduce.h"
#include "autograd/ops/creation.h"

namespace nabla {

namespace {

// A wrong dtype is a DtypeError, as in PyTorch (which reads float targets as class
// probabilities, a form nabla does not take); a wrong shape is a ShapeError.
void check_labels(const Tensor& labels, int64_t rows, int64_t classes, const char* op) {
  if (labels.dtype() != kInt64) {
    throw DtypeError(std::string(op) + ": expects int64 labels (class indices), got " +
                     std::string(to_string(labels.dtype())) + " " + to_string(labels.sizes()) +
                     "; convert them with .to(kInt64)");
  }
  if (labels.dim() != 1 || labels.size(0) != rows) {
    throw ShapeError(std::string(op) + ": expects int64 labels of shape [" + std::to_string(rows) + "], got " +
                     std::string(to_string(labels.dtype())) + " " + to_string(labels.sizes()));
  }
  const Tensor dense = labels.contiguous();  // read as one run of memory
  const int64_t* p = dense.data_ptr<int64_t>();
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
  const Tensor dense = labels.contiguous();  // the kernel walks one run of memory
  dispatch_floating(dtype, "one_hot", [&]<class T>() {
    kernels::one_hot_dim(dense.data_ptr<int64_t>(), n, classes, 1, t.data_ptr<T>());
  });
  return t;
}

}  // namespace nabla
