// The in-place methods of Tensor (x.add_(y), x.fill_(0), x.normal_() ...): never recorded
// in the graph, for optimizers, initialisers and data loading. Each one passes through
// begin_in_place_write, which refuses a tensor that requires grad while recording and bumps
// the storage's version, so that a graph that saved the tensor refuses to backward.
// Defined here, with the ops whose kernels they run, so that the Tensor handle
// (autograd/tensor.cpp) depends on nothing above it.
#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>
#include <string>

#include "autograd/grad_mode.h"
#include "autograd/kernels/layout.h"
#include "autograd/kernels/pointwise.h"
#include "autograd/ops/creation.h"
#include "autograd/ops/dense_layout.h"
#include "autograd/ops/math_ops.h"
#include "autograd/tensor.h"

namespace nabla {
namespace {

// Every in-place write passes here: refused on a tensor that needs grad while recording,
// and counted, so that a graph that saved this tensor notices the change (Node::check_versions).
void begin_in_place_write(const Tensor& t, const char* op) {
  if (GradMode::is_enabled() && t.requires_grad()) {
    throw AutogradError(std::string(op) +
                        ": in-place change of a tensor that requires grad would corrupt its gradient; do it "
                        "inside a NoGradGuard (as optimizers do), or use the out-of-place op");
  }
  t.impl().storage->bump_version();
}

// Refuses a view two of whose elements share one memory location (a broadcast, stride 0):
// writing it would depend on the order of the writes, as libtorch says too. The test: with the
// dimensions sorted by stride, each stride passes the whole extent of the smaller ones.
void check_no_overlap(const Tensor& t, const char* op) {
  std::vector<std::pair<int64_t, int64_t>> dims;  // (stride, size) of each dimension longer than 1
  for (int d = 0; d < t.dim(); ++d) {
    if (t.size(d) > 1) dims.emplace_back(t.stride(d), t.size(d));
  }
  std::sort(dims.begin(), dims.end());
  int64_t extent = 1;  // the elements the smaller dimensions span
  for (const auto& [stride, size] : dims) {
    if (stride < extent) {
      throw ShapeError(std::string(op) + ": the tensor is a view whose elements overlap in memory (sizes " +
                       to_string(t.sizes()) + ", strides " + to_string(t.strides()) +
                       "), as a broadcast is; write into a copy instead (clone())");
    }
    extent = stride * (size - 1) + extent;
  }
}

// Whether an in-place op reads the values it overwrites (mul_) or only writes (fill_).
enum class Reads { OldValues, Nothing };

// Runs `write` on t's elements: on t itself when it is contiguous, else on a contiguous buffer
// (a copy of t's values, if the op reads them) that is then written back through t's strides,
// so that a view's writes reach its base.
template <class Write>
void write_elements(const Tensor& t, const char* op, Reads reads, Write&& write) {
  if (t.is_contiguous()) {
    write(t);
    return;
  }
  check_no_overlap(t, op);
  const Tensor dense = reads == Reads::OldValues ? t.detach().contiguous() : empty(t.sizes(), t.dtype(), op);
  write(dense);
  dispatch_all(t.dtype(), [&]<class T>() {
    T* base = static_cast<T*>(t.impl().storage->data()) + t.storage_offset();
    kernels::scatter_strided(dense.data_ptr<T>(), t.sizes(), t.strides(), base);
  });
}

// `other` must have t's dtype and broadcast to t's shape.
void check_fits(const Tensor& t, const Tensor& other, const char* op) {
  detail::check_same_dtype(t, other, op);
  if (!(broadcast_shapes(t.sizes(), other.sizes(), op) == t.sizes())) {
    throw ShapeError(std::string(op) + ": a tensor of shape " + to_string(other.sizes()) +
                     " does not fit in place into shape " + to_string(t.sizes()));
  }
}

// self = self op other (other broadcast to self's shape), unrecorded.
void binary_in_place(Tensor& self, const Tensor& given_other, kernels::BinaryOp op, const char* name) {
  check_fits(self, given_other, name);
  begin_in_place_write(self, name);
  const Tensor other = given_other.contiguous();  // the kernel walks one run of memory
  write_elements(self, name, Reads::OldValues, [&](const Tensor& target) {
    dispatch_floating(target.dtype(), name, [&]<class T>() {
      kernels::binary(op, target.data_ptr<T>(), target.sizes(), other.data_ptr<T>(), other.sizes(),
                      target.data_ptr<T>(), target.sizes());
    });
  });
}

// self = self op value, unrecorded.
void scalar_in_place(Tensor& self, double value, kernels::ScalarOp op, const char* name) {
  begin_in_place_write(self, name);
  write_elements(self, name, Reads::OldValues, [&](const Tensor& target) {
    dispatch_floating(target.dtype(), name, [&]<class T>() {
      kernels::scalar(op, target.data_ptr<T>(), static_cast<T>(value), target.data_ptr<T>(), target.numel());
    });
  });
}

}  // namespace

Tensor& Tensor::add_(const Tensor& other, double alpha) {
  check_fits(*this, other, "add_");
  const auto broadcast_source = detail::broadcast_source_shape(other);
  if (other.sizes() == sizes() && is_contiguous() && !other.is_contiguous() && broadcast_source && alpha == 1.0) {
    // A broadcast gradient (a sum's) accumulating into a leaf: the kernel repeats its run itself.
    begin_in_place_write(*this, "add_");
    dispatch_floating(dtype(), "add_", [&]<class T>() {
      kernels::binary(kernels::BinaryOp::Add, data_ptr<T>(), sizes(), detail::run_begin<T>(other), *broadcast_source,
                      data_ptr<T>(), sizes());
    });
  } else if (other.sizes() == sizes() && is_contiguous()) {  // the optimizers' case: one fused pass, self += alpha * other
    begin_in_place_write(*this, "add_");
    const Tensor dense = other.contiguous();
    dispatch_floating(dtype(), "add_", [&]<class T>() {
      kernels::axpy(static_cast<T>(alpha), dense.data_ptr<T>(), data_ptr<T>(), numel());
    });
  } else {
    binary_in_place(*this, alpha == 1.0 ? other : nabla::mul(other.detach(), alpha), kernels::BinaryOp::Add, "add_");
  }
  return *this;
}

Tensor& Tensor::add_(double value) {
  scalar_in_place(*this, value, kernels::ScalarOp::Add, "add_");
  return *this;
}

Tensor& Tensor::mul_(const Tensor& other) {
  binary_in_place(*this, other, kernels::BinaryOp::Mul, "mul_");
  return *this;
}

Tensor& Tensor::mul_(double value) {
  scalar_in_place(*this, value, kernels::ScalarOp::Mul, "mul_");
  return *this;
}

Tensor& Tensor::div_(const Tensor& other) {
  binary_in_place(*this, other, kernels::BinaryOp::Div, "div_");
  return *this;
}

Tensor& Tensor::fill_(double value) {
  begin_in_place_write(*this, "fill_");
  write_elements(*this, "fill_", Reads::Nothing, [&](const Tensor& target) {
    dispatch_all(dtype(), [&]<class T>() { kernels::fill(static_cast<T>(value), target.data_ptr<T>(), numel()); });
  });
  return *this;
}

Tensor& Tensor::copy_(const Tensor& source) {
  if (!(source.sizes() == sizes())) {
    throw ShapeError("copy_: source of shape " + to_string(source.sizes()) + " into a tensor of shape " +
                     to_string(sizes()));
  }
  begin_in_place_write(*this, "copy_");
  // The source's elements as one run, copied first where it shares memory with this tensor.
  const Tensor converted = source.dtype() != dtype()                                ? source.detach().to(dtype())
                           : source.is_contiguous() && !source.is_view_of(*this) ? source
                                                                                 : source.detach().clone();
  write_elements(*this, "copy_", Reads::Nothing, [&](const Tensor& target) {
    std::memcpy(target.raw_data(), converted.raw_data(), static_cast<size_t>(numel()) * element_size(dtype()));
  });
  return *this;
}

Tensor& Tensor::uniform_(double low, double high) {
  begin_in_place_write(*this, "uniform_");
  Generator& g = default_generator();
  write_elements(*this, "uniform_", Reads::Nothing, [&](const Tensor& target) {
    dispatch_floating(dtype(), "uniform_", [&]<class T>() {
      T* p = target.data_ptr<T>();
      for (int64_t i = 0; i < numel(); ++i) p[i] = static_cast<T>(low + (high - low) * g.uniform());
    });
  });
  return *this;
}

Tensor& Tensor::normal_(double mean, double stddev) {
  begin_in_place_write(*this, "normal_");
  Generator& g = default_generator();
  write_elements(*this, "normal_", Reads::Nothing, [&](const Tensor& target) {
    dispatch_floating(dtype(), "normal_", [&]<class T>() {
      T* p = target.data_ptr<T>();
      for (int64_t i = 0; i < numel(); ++i) p[i] = static_cast<T>(mean + stddev * g.normal());
    });
  });
  return *this;
}

}  // namespace nabla
