// x.to(dtype) and x.clone(): the two Tensor methods that make a new tensor from an old one
// and record themselves in the graph. Defined here, with the ops, so that the Tensor handle
// (autograd/tensor.cpp) depends on nothing above it.
#include <cstring>

#include "autograd/kernels/pointwise.h"
#include "autograd/record.h"
#include "autograd/tensor.h"

namespace nabla {

Tensor Tensor::to(ScalarType target) const {
  if (target == dtype()) return *this;
  Tensor out = empty(sizes(), target);
  const int64_t n = numel();
  const Tensor source = contiguous();  // the kernel walks one run of memory
  dispatch_all(dtype(), [&]<class From>() {
    dispatch_all(target, [&]<class To>() { kernels::cast(source.data_ptr<From>(), out.data_ptr<To>(), n); });
  });
  if (is_floating_point(target)) {  // a gradient, or a tangent, can flow through a cast to floating point
    const ScalarType source = dtype();
    // d/dx cast(x) = 1, cast back
    return record(
        "to", out, {*this}, [source](const Tensor& grad) { return TensorList{grad.to(source)}; },
        [&](const TensorList& t) { return t[0].to(target); });  // J t = t, cast the same way
  }
  return out;
}

Tensor Tensor::clone() const {
  if (!is_contiguous()) return contiguous();  // already a new copy, recorded
  Tensor out = empty(sizes(), dtype());
  std::memcpy(out.raw_data(), raw_data(), static_cast<size_t>(numel()) * element_size(dtype()));
  // d/dx x = 1
  return record("clone", out, {*this}, [](const Tensor& grad) { return TensorList{grad}; }, detail::kElementwise);
}

}  // namespace nabla
