#include "autograd/tensor.h"

#include <cmath>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "autograd/grad_mode.h"
#include "autograd/kernels/pointwise.h"
#include "autograd/node.h"
#include "autograd/ops/creation.h"
#include "autograd/ops/math_ops.h"
#include "autograd/record.h"

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
  impl->dtype = options.dtype();
  Tensor t(std::move(impl));
  if (options.requires_grad()) t.requires_grad_(true);
  return t;
}

TensorImpl& Tensor::impl() const {
  if (!impl_) throw std::logic_error("use of an undefined Tensor (default-constructed, or a gradient not yet computed)");
  return *impl_;
}

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
  switch (dtype()) {
    case kFloat32: return static_cast<T>(data_ptr<float>()[0]);
    case kFloat64: return static_cast<T>(data_ptr<double>()[0]);
    case kInt64: return static_cast<T>(data_ptr<int64_t>()[0]);
  }
  return T{};
}
template float Tensor::item<float>() const;
template double Tensor::item<double>() const;
template int64_t Tensor::item<int64_t>() const;
template int Tensor::item<int>() const;

namespace {
double element_as_double(const Tensor& t, int64_t flat) {
  switch (t.dtype()) {
    case kFloat32: return t.data_ptr<float>()[flat];
    case kFloat64: return t.data_ptr<double>()[flat];
    case kInt64: return static_cast<double>(t.data_ptr<int64_t>()[flat]);
  }
  return 0;
}
}  // namespace

double Tensor::at(std::initializer_list<int64_t> index) const {
  if (static_cast<int>(index.size()) != dim()) {
    throw ShapeError("at: " + std::to_string(index.size()) + " indices for a tensor of shape " + to_string(sizes()));
  }
  int64_t flat = 0;
  int d = 0;
  for (int64_t i : index) {
    const int64_t n = sizes()[d];
    const int64_t wrapped = i < 0 ? i + n : i;
    if (wrapped < 0 || wrapped >= n) {
      throw ShapeError("at: index " + std::to_string(i) + " is out of range for dimension " + std::to_string(d) +
                       " of size " + std::to_string(n));
    }
    flat = flat * n + wrapped;
    ++d;
  }
  return element_as_double(*this, flat);
}

std::vector<double> Tensor::to_vector() const {
  std::vector<double> out(numel());
  for (int64_t i = 0; i < numel(); ++i) out[i] = element_as_double(*this, i);
  return out;
}

// --- autograd --------------------------------------------------------------------

Tensor& Tensor::requires_grad_(bool on) {
  if (on && !is_floating_point(dtype())) {
    throw DtypeError("requires_grad_: only floating-point tensors can require grad, this one is " +
                     std::string(to_string(dtype())));
  }
  if (!on && !is_leaf()) {
    throw AutogradError("requires_grad_(false): this tensor is the output of '" + grad_fn()->name() +
                        "'; use detach() to cut it from the graph");
  }
  impl().requires_grad = on;
  if (on && is_leaf() && !impl().grad_accumulator) {
    impl().grad_accumulator = std::make_shared<AccumulateGrad>(impl_);
    impl().grad_accumulator->set_output_meta(sizes(), dtype());
  }
  return *this;
}

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
  impl->dtype = dtype();
  return Tensor(std::move(impl));
}

std::shared_ptr<Node> gradient_edge(const Tensor& t) {
  TensorImpl& impl = t.impl();
  if (impl.grad_fn) return impl.grad_fn;
  if (!impl.requires_grad) return nullptr;
  if (!impl.grad_accumulator) Tensor(t).requires_grad_(true);  // a TensorImpl set up by hand
  return impl.grad_accumulator;
}

// --- conversion --------------------------------------------------------------------

Tensor Tensor::to(ScalarType target) const {
  if (target == dtype()) return *this;
  Tensor out = empty(sizes(), target);
  const int64_t n = numel();
  auto convert = [&]<class From>(const From* src) {
    switch (target) {
      case kFloat32: kernels::cast(src, out.data_ptr<float>(), n); break;
      case kFloat64: kernels::cast(src, out.data_ptr<double>(), n); break;
      case kInt64: kernels::cast(src, out.data_ptr<int64_t>(), n); break;
    }
  };
  switch (dtype()) {
    case kFloat32: convert(data_ptr<float>()); break;
    case kFloat64: convert(data_ptr<double>()); break;
    case kInt64: convert(data_ptr<int64_t>()); break;
  }
  if (is_floating_point(target) && requires_grad()) {
    const ScalarType source = dtype();
    // d/dx cast(x) = 1, cast back
    return record("to", out, {*this}, [source](const Tensor& grad) { return TensorList{grad.to(source)}; });
  }
  return out;
}

Tensor Tensor::clone() const {
  Tensor out = empty(sizes(), dtype());
  std::memcpy(out.raw_data(), raw_data(), static_cast<size_t>(numel()) * element_size(dtype()));
  // d/dx x = 1
  return record("clone", out, {*this}, [](const Tensor& grad) { return TensorList{grad}; });
}

// --- in place ----------------------------------------------------------------------
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

void check_same(const Tensor& t, const Tensor& other, const char* op, bool allow_broadcast) {
  if (t.dtype() != other.dtype()) {
    throw DtypeError(std::string(op) + ": mixed dtypes " + std::string(to_string(t.dtype())) + " and " +
                     std::string(to_string(other.dtype())) + "; cast one with .to()");
  }
  const bool fits = allow_broadcast ? broadcast_shapes(t.sizes(), other.sizes(), op) == t.sizes()
                                    : t.sizes() == other.sizes();
  if (!fits) {
    throw ShapeError(std::string(op) + ": a tensor of shape " + to_string(other.sizes()) +
                     " does not fit in place into shape " + to_string(t.sizes()));
  }
}

// self = self op other (other broadcast to self's shape), unrecorded.
void binary_in_place(Tensor& self, const Tensor& other, kernels::BinaryOp op, const char* name) {
  check_same(self, other, name, true);
  begin_in_place_write(self, name);
  dispatch_floating(self.dtype(), name, [&]<class T>() {
    kernels::binary(op, self.data_ptr<T>(), self.sizes(), other.data_ptr<T>(), other.sizes(), self.data_ptr<T>(),
                    self.sizes());
  });
}

// self = self op value, unrecorded.
void scalar_in_place(Tensor& self, double value, kernels::ScalarOp op, const char* name) {
  begin_in_place_write(self, name);
  dispatch_floating(self.dtype(), name, [&]<class T>() {
    kernels::scalar(op, self.data_ptr<T>(), static_cast<T>(value), self.data_ptr<T>(), self.numel());
  });
}

}  // namespace

Tensor& Tensor::add_(const Tensor& other, double alpha) {
  check_same(*this, other, "add_", true);
  begin_in_place_write(*this, "add_");
  if (other.sizes() == sizes()) {  // the optimizers' case: one fused pass, self += alpha * other
    dispatch_floating(dtype(), "add_", [&]<class T>() {
      kernels::axpy(static_cast<T>(alpha), other.data_ptr<T>(), data_ptr<T>(), numel());
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
  switch (dtype()) {
    case kFloat32: kernels::fill(static_cast<float>(value), data_ptr<float>(), numel()); break;
    case kFloat64: kernels::fill(value, data_ptr<double>(), numel()); break;
    case kInt64: kernels::fill(static_cast<int64_t>(value), data_ptr<int64_t>(), numel()); break;
  }
  return *this;
}

Tensor& Tensor::copy_(const Tensor& source) {
  if (!(source.sizes() == sizes())) {
    throw ShapeError("copy_: source of shape " + to_string(source.sizes()) + " into a tensor of shape " +
                     to_string(sizes()));
  }
  begin_in_place_write(*this, "copy_");
  Tensor converted = source.dtype() == dtype() ? source : source.detach().to(dtype());
  if (converted.raw_data() != raw_data()) {
    std::memcpy(raw_data(), converted.raw_data(), static_cast<size_t>(numel()) * element_size(dtype()));
  }
  return *this;
}

Tensor& Tensor::uniform_(double low, double high) {
  begin_in_place_write(*this, "uniform_");
  Generator& g = default_generator();
  dispatch_floating(dtype(), "uniform_", [&]<class T>() {
    T* p = data_ptr<T>();
    for (int64_t i = 0; i < numel(); ++i) p[i] = static_cast<T>(low + (high - low) * g.uniform());
  });
  return *this;
}

Tensor& Tensor::normal_(double mean, double stddev) {
  begin_in_place_write(*this, "normal_");
  Generator& g = default_generator();
  dispatch_floating(dtype(), "normal_", [&]<class T>() {
    T* p = data_ptr<T>();
    for (int64_t i = 0; i < numel(); ++i) p[i] = static_cast<T>(mean + stddev * g.normal());
  });
  return *this;
}

// --- printing ----------------------------------------------------------------------
namespace {

// Large tensors show their first and last kEdge entries per dimension, like PyTorch.
constexpr int64_t kSummariseAbove = 1000;
constexpr int64_t kEdge = 3;

std::string format_value(double v, ScalarType dtype, int precision) {
  if (dtype == kInt64) return std::to_string(static_cast<int64_t>(v));
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::ostringstream s;
  const double mag = std::abs(v);
  if (mag != 0 && (mag >= 1e8 || mag < 1e-4)) {
    s << std::scientific << std::setprecision(precision) << v;
  } else {
    s << std::fixed << std::setprecision(precision) << v;
  }
  return s.str();
}

void print_dims(std::ostream& os, const Tensor& t, const std::vector<std::string>& cells, size_t width, int dim,
                int64_t offset, int indent, bool summarise) {
  const Shape& shape = t.sizes();
  int64_t stride = 1;
  for (int d = dim + 1; d < shape.dim(); ++d) stride *= shape[d];
  const int64_t n = shape[dim];
  os << '[';
  for (int64_t i = 0; i < n; ++i) {
    if (summarise && n > 2 * kEdge && i == kEdge) {
      os << "...";
      i = n - kEdge - 1;
      os << (dim + 1 == shape.dim() ? ", " : ",\n" + std::string(indent + 1, ' '));
      continue;
    }
    if (dim + 1 == shape.dim()) {
      const std::string& cell = cells[offset + i];
      os << std::string(width - cell.size(), ' ') << cell;
    } else {
      print_dims(os, t, cells, width, dim + 1, offset + i * stride, indent + 1, summarise);
    }
    if (i + 1 < n) {
      os << ',';
      if (dim + 1 == shape.dim()) {
        os << ' ';
      } else {
        os << std::string(shape.dim() - dim - 1, '\n') << std::string(indent + 1, ' ');
      }
    }
  }
  os << ']';
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const Tensor& t) {
  if (!t.defined()) return os << "tensor(undefined)";
  const std::vector<double> values = t.to_vector();
  bool all_integers = true;
  for (double v : values) all_integers = all_integers && std::isfinite(v) && v == std::round(v);
  const int precision = all_integers ? 1 : 4;
  std::vector<std::string> cells;
  size_t width = 0;
  for (int64_t i = 0; i < t.numel(); ++i) {
    // int64 straight from memory: through double, values above 2^53 would print rounded.
    cells.push_back(t.dtype() == kInt64 ? std::to_string(t.data_ptr<int64_t>()[i])
                                        : format_value(values[i], t.dtype(), precision));
    width = std::max(width, cells.back().size());
  }
  os << "tensor(";
  if (t.dim() == 0) {
    os << cells[0];
  } else {
    print_dims(os, t, cells, width, 0, 0, 7, t.numel() > kSummariseAbove);
  }
  if (t.dtype() != kFloat32) os << ", dtype=" << to_string(t.dtype());
  if (t.grad_fn()) {
    os << ", grad_fn=<" << t.grad_fn()->name() << ">";
  } else if (t.requires_grad()) {
    os << ", requires_grad=true";
  }
  return os << ')';
}

void print(const Tensor& t) { std::cout << t << '\n'; }

}  // namespace nabla
