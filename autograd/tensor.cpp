// The Tensor handle itself: allocation, element access, and the leaf's gradient slot. This
// file includes nothing above the Tensor layer (storage, shape, dtype, error): the methods
// that record in the graph or run kernels are defined with the ops, in autograd/ops/
// (conversion.cpp, in_place.cpp, tensor_methods.cpp ...); requires_grad_, which gives a
// leaf its gradient accumulator, with the nodes (node.cpp); printing in print.cpp.
#include "autograd/tensor.h"

#include <iomanip>
#include <sstream>

namespace nabla {

namespace {

// "3.6 TiB"
std::string human_bytes(double bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  for (; bytes >= 1024 && u < 6; ++u) bytes /= 1024;
  std::ostringstream s;
  s << std::setprecision(3) << bytes << ' ' << units[u];
  return s.str();
}

[[noreturn]] void throw_out_of_memory(const char* op, const Shape& shape, ScalarType dtype, const std::string& bytes,
                                      const std::string& why) {
  throw OutOfMemoryError(std::string(op) + ": cannot allocate " + bytes + " for a " + std::string(to_string(dtype)) +
                         " tensor of shape " + to_string(shape) + "; " + why);
}

std::shared_ptr<Storage> allocate_storage(const Shape& shape, ScalarType dtype, const char* op) {
  const int64_t n = checked_numel(shape, op);
  size_t bytes = 0;
  if (__builtin_mul_overflow(static_cast<size_t>(n), element_size(dtype), &bytes)) {
    throw_out_of_memory(op, shape, dtype, std::to_string(n) + " x " + std::to_string(element_size(dtype)) + " bytes",
                        "that is more than a 64-bit address space holds");
  }
  const auto what = [&] { return human_bytes(static_cast<double>(bytes)) + " (" + std::to_string(bytes) + " bytes)"; };
  // Refused before asking: the system may grant more than it has and kill the process later.
  constexpr size_t kCheckAbove = size_t{1} << 30;
  if (bytes > kCheckAbove && bytes > total_memory_bytes()) {
    throw_out_of_memory(op, shape, dtype, what(),
                        "this machine has " + human_bytes(static_cast<double>(total_memory_bytes())) +
                            " of memory in all");
  }
  try {
    return std::make_shared<Storage>(bytes);
  } catch (const std::bad_alloc&) {
    throw_out_of_memory(op, shape, dtype, what(), "the system refused it");
  }
}

}  // namespace

Tensor empty(const Shape& shape, TensorOptions options, const char* op) {
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = allocate_storage(shape, options.dtype(), op);
  impl->shape = shape;
  impl->strides = contiguous_strides(shape);
  impl->dtype = options.dtype();
  Tensor t(std::move(impl));
  if (options.requires_grad()) t.requires_grad_(true);
  return t;
}

TensorImpl& Tensor::impl() const {
  if (!impl_) throw std::logic_error("use of an undefined Tensor (default-constructed, or a gradient not yet computed)");
  return *impl_;
}

int64_t Tensor::stride(int64_t dim) const {
  if (this->dim() == 0) throw ShapeError("stride: a zero-dimensional tensor has no dimension " + std::to_string(dim));
  return strides()[wrap_dim(dim, this->dim(), "stride")];
}


void* Tensor::raw_data() const {
  if (!is_contiguous()) detail::throw_not_contiguous(*this, "raw_data");
  return static_cast<char*>(impl().storage->data()) + impl().offset * static_cast<int64_t>(element_size(dtype()));
}

namespace detail {
void throw_not_contiguous(const Tensor& t, const char* op) {
  throw ShapeError(std::string(op) + ": the tensor is a non-contiguous view (sizes " + to_string(t.sizes()) +
                   ", strides " + to_string(t.strides()) +
                   "), whose elements are not one run in memory; call contiguous() first, or use accessor()");
}
}  // namespace detail

int64_t Tensor::size(int64_t dim) const {
  if (this->dim() == 0) throw ShapeError("size: a zero-dimensional tensor has no dimension " + std::to_string(dim));
  return sizes()[wrap_dim(dim, this->dim(), "size")];
}

template <class T>
T Tensor::item() const {
  if (numel() != 1) {
    throw ShapeError("item: the tensor has " + std::to_string(numel()) + " elements " + to_string(sizes()) +
                     "; item() needs exactly one");
  }
  T value{};
  dispatch_all(dtype(), [&]<class E>() { value = static_cast<T>(data_ptr<E>()[0]); });
  return value;
}
template float Tensor::item<float>() const;
template double Tensor::item<double>() const;
template int64_t Tensor::item<int64_t>() const;
template int Tensor::item<int>() const;

namespace {
// The element `position` elements past the storage's start (a view's element, wherever it is).
double storage_element(const Tensor& t, int64_t position) {
  double value = 0;
  dispatch_all(t.dtype(), [&]<class E>() { value = static_cast<double>(static_cast<const E*>(t.impl().storage->data())[position]); });
  return value;
}
}  // namespace

double Tensor::at(std::initializer_list<int64_t> index) const {
  if (static_cast<int>(index.size()) != dim()) {
    throw ShapeError("at: " + std::to_string(index.size()) + " indices for a tensor of shape " + to_string(sizes()));
  }
  int64_t position = storage_offset();
  int d = 0;
  for (int64_t i : index) {
    const int64_t n = sizes()[d];
    const int64_t wrapped = i < 0 ? i + n : i;
    if (wrapped < 0 || wrapped >= n) {
      throw ShapeError("at: index " + std::to_string(i) + " is out of range for dimension " + std::to_string(d) +
                       " of size " + std::to_string(n));
    }
    position += wrapped * strides()[d];
    ++d;
  }
  return storage_element(*this, position);
}

std::vector<double> Tensor::to_vector() const {
  std::vector<double> out(numel());
  const Tensor dense = contiguous();
  dispatch_all(dtype(), [&]<class E>() {
    const E* p = dense.data_ptr<E>();
    for (int64_t i = 0; i < numel(); ++i) out[i] = static_cast<double>(p[i]);
  });
  return out;
}

// --- autograd --------------------------------------------------------------------

Tensor Tensor::grad() const { return Tensor(impl().grad); }

void Tensor::set_grad(const Tensor& grad) const {
  if (grad.defined() && !(grad.sizes() == sizes())) {
    throw ShapeError("set_grad: gradient of shape " + to_string(grad.sizes()) + " for a tensor of shape " +
                     to_string(sizes()));
  }
  impl().grad = grad.impl_ptr();
}

void Tensor::zero_grad() const { impl().grad.reset(); }

Tensor Tensor::detach() const {
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = this->impl().storage;
  impl->shape = sizes();
  impl->strides = strides();
  impl->offset = storage_offset();
  impl->contiguous = is_contiguous();
  impl->dtype = dtype();
  return Tensor(std::move(impl));
}

}  // namespace nabla
