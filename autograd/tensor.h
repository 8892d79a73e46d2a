#pragma once
// Tensor: the user's handle to an n-dimensional array and, when it requires grad, to the
// graph of operations that produced it. Copying a Tensor is cheap: copies share the data,
// like torch::Tensor. Operations live in autograd/ops/; this file holds the handle itself.
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "autograd/dtype.h"
#include "autograd/shape.h"
#include "autograd/storage.h"

namespace nabla {

class Node;
class Tensor;
class TensorIndex;
template <class T, int N> class TensorAccessor;

// What the tensor factories take: nabla::zeros({2, 3}, nabla::kFloat64) or
// nabla::zeros({2, 3}, TensorOptions(kFloat64).requires_grad(true)).
class TensorOptions {
 public:
  TensorOptions() = default;
  TensorOptions(ScalarType dtype) : dtype_(dtype) {}  // NOLINT: implicit, as in libtorch
  TensorOptions dtype(ScalarType dtype) const { auto o = *this; o.dtype_ = dtype; return o; }
  TensorOptions requires_grad(bool on) const { auto o = *this; o.requires_grad_ = on; return o; }
  ScalarType dtype() const { return dtype_; }
  bool requires_grad() const { return requires_grad_; }

 private:
  ScalarType dtype_ = kFloat32;
  bool requires_grad_ = false;
};

// The state behind a Tensor handle. Users normally never touch it.
// Element [i0, i1, ...] lives at storage element offset + i0 strides[0] + i1 strides[1] + ...
// An op's output is contiguous (row-major strides, offset 0), or, for an elementwise op on a
// view that fills a run of memory (a transpose), laid out as that view; a view shares another
// tensor's storage with strides and an offset of its own.
struct TensorImpl {
  std::shared_ptr<Storage> storage;
  Shape shape;
  Strides strides;
  int64_t offset = 0;      // in elements
  bool contiguous = true;  // strides row-major without gaps: known when the tensor is made, asked by every op
  ScalarType dtype = kFloat32;
  bool requires_grad = false;
  std::shared_ptr<Node> grad_fn;          // the op that made this tensor; null for leaves
  // For leaves that require grad: the node that adds into `grad`. Made once, by
  // requires_grad_(), so that graphs recorded on several threads share one accumulator
  // (and its lock) rather than race to make one each.
  std::shared_ptr<Node> grad_accumulator;
  std::shared_ptr<TensorImpl> grad;       // accumulated gradient of a leaf
  std::shared_ptr<TensorImpl> tangent;    // forward mode: the derivative this value carries (forward_ad.h)
};

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  bool defined() const { return impl_ != nullptr; }

  // --- shape and type -------------------------------------------------------
  const Shape& sizes() const { return impl().shape; }
  int64_t size(int64_t dim) const;
  int dim() const { return impl().shape.dim(); }
  int64_t numel() const { return impl().shape.numel(); }
  ScalarType dtype() const { return impl().dtype; }
  ScalarType scalar_type() const { return impl().dtype; }

  // --- memory layout --------------------------------------------------------
  // Where the elements live in the storage, in elements (libtorch's names and values).
  const Strides& strides() const { return impl().strides; }
  int64_t stride(int64_t dim) const;
  int64_t storage_offset() const { return impl().offset; }
  // Row-major without gaps (sizes of 1 and empty tensors whatever their strides, as libtorch).
  bool is_contiguous() const { return impl().contiguous; }
  // *this if contiguous, else a contiguous copy (differentiable).
  Tensor contiguous() const { return is_contiguous() ? *this : contiguous_copy(); }
  // A view of this tensor's storage with the given sizes, strides and offset (libtorch's
  // as_strided). ShapeError if it would reach outside the storage; not differentiable
  // (AutogradError on a tensor that requires grad while recording).
  Tensor as_strided(const Shape& sizes, const Strides& strides, int64_t offset) const;
  bool is_view_of(const Tensor& other) const { return impl().storage == other.impl().storage; }

  // --- data -----------------------------------------------------------------
  // The elements of a contiguous tensor, for reading (DtypeError if T is not the tensor's
  // type; ShapeError for a non-contiguous view, whose elements are not one run: call
  // contiguous() first, or read it through accessor()). Writing through this pointer
  // bypasses the version counter: use mutable_data_ptr to write.
  template <class T> T* data_ptr() const;
  // The elements, for writing in place: you are about to write, so the storage's version is
  // bumped now, and graphs that saved this tensor will refuse to backward (AutogradError)
  // instead of computing a silently wrong gradient. Unrecorded (like the in-place ops below);
  // DtypeError if T is not the tensor's type. Take it once per write, before the writes.
  template <class T> T* mutable_data_ptr() const;
  void* raw_data() const;  // data_ptr's bytes, of any dtype
  // The only element of a one-element tensor.
  template <class T = double> T item() const;
  // One element by its index, e.g. x.at({1, 2}); negative indices count from the end.
  double at(std::initializer_list<int64_t> index) const;
  std::vector<double> to_vector() const;

  // --- autograd -------------------------------------------------------------
  Tensor& requires_grad_(bool on = true);
  bool requires_grad() const { return impl().requires_grad; }
  bool is_leaf() const { return impl().grad_fn == nullptr; }
  const std::shared_ptr<Node>& grad_fn() const { return impl().grad_fn; }
  // The accumulated gradient of a leaf (undefined until a backward reaches it).
  Tensor grad() const;
  void set_grad(const Tensor& grad) const;
  // Forgets the accumulated gradient (PyTorch's zero_grad(set_to_none=true)).
  void zero_grad() const;
  // Gradients of this tensor w.r.t. every leaf that requires grad, added into leaf.grad().
  // `gradient` may be omitted only for a one-element tensor (d loss / d loss = 1).
  void backward(const Tensor& gradient = {}, bool retain_graph = false, bool create_graph = false) const;
  // Same data, cut from the graph.
  Tensor detach() const;

  // --- conversion -----------------------------------------------------------
  Tensor to(ScalarType dtype) const;
  Tensor clone() const;

  // --- method forms of the ops in autograd/ops/ -----------------------------
  Tensor sum() const;
  Tensor sum(int64_t dim, bool keepdim = false) const;
  Tensor mean() const;
  Tensor mean(int64_t dim, bool keepdim = false) const;
  Tensor max() const;
  std::tuple<Tensor, Tensor> max(int64_t dim, bool keepdim = false) const;  // values, indices
  Tensor amax() const;
  Tensor amax(int64_t dim, bool keepdim = false) const;
  Tensor min() const;
  Tensor amin() const;
  Tensor amin(int64_t dim, bool keepdim = false) const;
  Tensor argmax() const;
  Tensor argmax(int64_t dim, bool keepdim = false) const;
  Tensor reshape(const Shape& shape) const;
  Tensor view(const Shape& shape) const;  // a view, or a ShapeError where none exists
  Tensor flatten(int64_t start_dim = 0, int64_t end_dim = -1) const;
  Tensor unsqueeze(int64_t dim) const;
  Tensor squeeze(int64_t dim) const;
  Tensor t() const;
  Tensor transpose(int64_t dim0, int64_t dim1) const;
  Tensor index_select(int64_t dim, const Tensor& index) const;
  Tensor matmul(const Tensor& other) const;
  // The elementwise functions (exp, log, sin, ...), one per row of autograd/ops/unary_ops.def,
  // each the free function of the same name; defined in autograd/ops/unary_ops.cpp.
#define NABLA_UNARY(name, ...) Tensor name() const;
#include "autograd/ops/unary_ops.def"
#undef NABLA_UNARY
  Tensor pow(double exponent) const;
  Tensor clamp(double min, double max) const;

  // --- more of libtorch's method forms, each the free function of the same name --------
  // Defined in autograd/ops/tensor_methods.cpp, except the activations: relu, sigmoid and
  // tanh in ops/activation_functions.cpp, softmax and log_softmax in ops/softmax.cpp.
  Tensor add(const Tensor& other) const;
  Tensor add(double other) const;
  Tensor sub(const Tensor& other) const;
  Tensor sub(double other) const;
  Tensor mul(const Tensor& other) const;
  Tensor mul(double other) const;
  Tensor div(const Tensor& other) const;
  Tensor div(double other) const;
  Tensor mm(const Tensor& other) const;
  Tensor eq(const Tensor& other) const;
  Tensor eq(double other) const;
  Tensor ne(const Tensor& other) const;
  Tensor ne(double other) const;
  Tensor lt(const Tensor& other) const;
  Tensor lt(double other) const;
  Tensor le(const Tensor& other) const;
  Tensor le(double other) const;
  Tensor gt(const Tensor& other) const;
  Tensor gt(double other) const;
  Tensor ge(const Tensor& other) const;
  Tensor ge(double other) const;
  Tensor relu() const;
  Tensor sigmoid() const;
  Tensor tanh() const;
  Tensor softmax(int64_t dim) const;
  Tensor log_softmax(int64_t dim) const;
  Tensor norm() const;  // the 2-norm of all elements, sqrt(sum(x^2))
  std::tuple<Tensor, Tensor> min(int64_t dim, bool keepdim = false) const;  // values, indices
  Tensor squeeze() const;
  Tensor permute(const std::vector<int64_t>& dims) const;
  Tensor expand(const Shape& shape) const;  // broadcast_to, a view; -1 keeps a size
  Tensor expand_as(const Tensor& other) const;
  Tensor diagonal(int64_t offset = 0, int64_t dim1 = 0, int64_t dim2 = 1) const;
  Tensor unfold(int64_t dim, int64_t size, int64_t step) const;
  // masked_fill(mask, v): v where mask != 0, x elsewhere.
  Tensor masked_fill(const Tensor& mask, double value) const;
  TensorOptions options() const { return TensorOptions(dtype()).requires_grad(requires_grad()); }

  // Slicing (views sharing the storage, differentiable; see autograd/ops/shape_ops.h and
  // autograd/indexing.h):
  Tensor slice(int64_t dim = 0, int64_t start = 0, int64_t end = INT64_MAX, int64_t step = 1) const;
  Tensor select(int64_t dim, int64_t index) const;
  Tensor narrow(int64_t dim, int64_t start, int64_t length) const;
  Tensor operator[](int64_t index) const { return select(0, index); }
  // x.index({Slice(), 0}), x.index({0, Slice(1, None)}), x.index({indices}) ...
  Tensor index(std::initializer_list<TensorIndex> indices) const;
  // Element access in loops: auto a = x.accessor<float, 2>(); a[i][j] = ... (no bounds checks).
  template <class T, int N> TensorAccessor<T, N> accessor() const;

  // --- in place: never recorded in the graph (for optimizers and initialisers) ---
  Tensor& add_(const Tensor& other, double alpha = 1.0);
  Tensor& add_(double value);
  Tensor& sub_(const Tensor& other) { return add_(other, -1.0); }
  Tensor& mul_(const Tensor& other);
  Tensor& mul_(double value);
  Tensor& div_(const Tensor& other);
  Tensor& zero_() { return fill_(0.0); }
  Tensor& fill_(double value);
  Tensor& copy_(const Tensor& source);
  Tensor& uniform_(double low, double high);
  Tensor& normal_(double mean = 0.0, double stddev = 1.0);

  TensorImpl& impl() const;
  Tensor contiguous_copy() const;  // contiguous()'s copy (autograd/ops/shape_ops.cpp)
  const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }
  bool is_same(const Tensor& other) const { return impl_ == other.impl_; }

 private:
  std::shared_ptr<TensorImpl> impl_;
};

// Output printing in PyTorch's layout: tensor([[1., 2.], [3., 4.]], dtype=float64).
std::ostream& operator<<(std::ostream& os, const Tensor& t);
void print(const Tensor& t);

// A new, uninitialised tensor (the building block of every op's forward). Throws
// ShapeError for a negative size or a count that overflows, and OutOfMemoryError, naming
// `op`, the shape and the bytes, when the memory cannot be had.
Tensor empty(const Shape& shape, TensorOptions options = {}, const char* op = "empty");

namespace detail {
[[noreturn]] void throw_not_contiguous(const Tensor& t, const char* op);
}

template <class T>
T* Tensor::data_ptr() const {
  if (scalar_type_of<T>() != dtype()) {
    throw DtypeError("data_ptr: tensor holds " + std::string(to_string(dtype())) + ", asked for " +
                     std::string(to_string(scalar_type_of<T>())));
  }
  if (!is_contiguous()) detail::throw_not_contiguous(*this, "data_ptr");
  return static_cast<T*>(impl().storage->data()) + impl().offset;
}

template <class T>
T* Tensor::mutable_data_ptr() const {
  T* data = data_ptr<T>();
  impl().storage->bump_version();
  return data;
}

}  // namespace nabla

#include "autograd/accessor.h"
