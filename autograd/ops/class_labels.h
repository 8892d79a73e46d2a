#pragma once
// Class labels: int64 tensors [N] of indices into the C classes of scores [N, C], as the
// classification losses take them.
#include <cstdint>

#include "autograd/tensor.h"

namespace nabla {

// ShapeError unless scores is [N, C] and labels an int64 [N] whose every label is in
// [0, C); the message begins with `op` and names the bad shape, or the first bad label
// and its position.
void check_class_labels(const Tensor& scores, const Tensor& labels, const char* op);

// [N, classes] of `dtype` (float32 or float64), 1 at (i, labels[i]) and 0 elsewhere; labels
// as check_class_labels wants them. Not differentiable.
Tensor one_hot(const Tensor& labels, int64_t classes, ScalarType dtype);

}  // namespace nabla
