#include "autograd/ops/creation.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>

#include "autograd/kernels/pointwise.h"

namespace nabla {
namespace {

// Writes f(i) as double into element i of t, whatever its type.
template <class F>
void fill_with(Tensor& t, F f) {
  const int64_t n = t.numel();
  dispatch_all(t.dtype(), [&]<class T>() {
    T* p = t.data_ptr<T>();
    for (int64_t i = 0; i < n; ++i) p[i] = static_cast<T>(f(i));
  });
}

Tensor finish(Tensor t, TensorOptions options) {
  if (options.requires_grad()) t.requires_grad_(true);
  return t;
}

Tensor filled(const Shape& shape, double value, TensorOptions options, const char* op) {
  Tensor t = empty(shape, options.requires_grad(false), op);
  t.fill_(value);
  return finish(t, options);
}

}  // namespace

Tensor full(const Shape& shape, double value, TensorOptions options) { return filled(shape, value, options, "full"); }
Tensor zeros(const Shape& shape, TensorOptions options) { return filled(shape, 0.0, options, "zeros"); }
Tensor ones(const Shape& shape, TensorOptions options) { return filled(shape, 1.0, options, "ones"); }

Tensor arange(double end, TensorOptions options) { return arange(0.0, end, 1.0, options); }

Tensor arange(double start, double end, double step, TensorOptions options) {
  if (step == 0 || !std::isfinite(start) || !std::isfinite(end) || !std::isfinite(step)) {
    throw std::invalid_argument("arange: start, end and step must be finite and step non-zero");
  }
  const auto n = static_cast<int64_t>(std::max(0.0, std::ceil((end - start) / step)));
  Tensor t = empty({n}, options.requires_grad(false), "arange");
  fill_with(t, [&](int64_t i) { return start + static_cast<double>(i) * step; });
  return finish(t, options);
}

Tensor linspace(double start, double end, int64_t steps, TensorOptions options) {
  if (steps < 0) throw std::invalid_argument("linspace: steps must be non-negative, got " + std::to_string(steps));
  Tensor t = empty({steps}, options.requires_grad(false), "linspace");
  const double step = steps > 1 ? (end - start) / static_cast<double>(steps - 1) : 0.0;
  // The second half counts back from `end` (as PyTorch does), so both ends are exact and a
  // symmetric range puts its middle point at exactly 0.
  fill_with(t, [&](int64_t i) {
    return i < steps / 2 ? start + static_cast<double>(i) * step : end - static_cast<double>(steps - 1 - i) * step;
  });
  return finish(t, options);
}

Tensor tensor(std::initializer_list<double> values, TensorOptions options) {
  return tensor(std::vector<double>(values), {static_cast<int64_t>(values.size())}, options);
}

Tensor tensor(const std::vector<double>& values, const Shape& shape, TensorOptions options) {
  if (static_cast<int64_t>(values.size()) != shape.numel()) {
    throw ShapeError("tensor: " + std::to_string(values.size()) + " values do not fill shape " + to_string(shape) +
                     " (" + std::to_string(shape.numel()) + " elements)");
  }
  Tensor t = empty(shape, options.requires_grad(false), "tensor");
  fill_with(t, [&](int64_t i) { return values[i]; });
  return finish(t, options);
}

Tensor tensor(std::initializer_list<std::initializer_list<double>> rows, TensorOptions options) {
  std::vector<double> values;
  const size_t width = rows.size() == 0 ? 0 : rows.begin()->size();
  for (const auto& row : rows) {
    if (row.size() != width) {
      throw ShapeError("tensor: rows of different lengths (" + std::to_string(width) + " and " +
                       std::to_string(row.size()) + "); every row of a nested list must be as long as the first");
    }
    values.insert(values.end(), row.begin(), row.end());
  }
  return tensor(values, {static_cast<int64_t>(rows.size()), static_cast<int64_t>(width)}, options);
}

Tensor tensor(std::initializer_list<std::initializer_list<std::initializer_list<double>>> blocks,
              TensorOptions options) {
  std::vector<double> values;
  int64_t rows = -1, width = -1;
  for (const auto& block : blocks) {
    const Tensor part = tensor(block, TensorOptions(kFloat64));
    const int64_t r = part.size(0), w = part.size(1);
    if (rows >= 0 && (r != rows || w != width)) {
      throw ShapeError("tensor: blocks of different shapes ([" + std::to_string(rows) + ", " + std::to_string(width) +
                       "] and [" + std::to_string(r) + ", " + std::to_string(w) + "]) in a nested list");
    }
    rows = r;
    width = w;
    const double* p = part.data_ptr<double>();
    values.insert(values.end(), p, p + part.numel());
  }
  return tensor(values, {static_cast<int64_t>(blocks.size()), std::max<int64_t>(rows, 0), std::max<int64_t>(width, 0)},
                options);
}

Tensor from_blob(void* data, const Shape& shape, TensorOptions options) {
  const int64_t n = checked_numel(shape, "from_blob");
  if (data == nullptr && n > 0) throw std::invalid_argument("from_blob: null data for shape " + to_string(shape));
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = std::make_shared<Storage>(data, static_cast<size_t>(n) * element_size(options.dtype()));
  impl->shape = shape;
  impl->strides = contiguous_strides(shape);
  impl->dtype = options.dtype();
  return finish(Tensor(std::move(impl)), options);
}

Tensor eye(int64_t n, TensorOptions options) {
  if (n < 0) throw ShapeError("eye: size must be non-negative, got " + std::to_string(n));
  Tensor t = empty({n, n}, options.requires_grad(false));
  fill_with(t, [n](int64_t i) { return i / n == i % n ? 1.0 : 0.0; });
  return finish(t, options);
}

Tensor scalar_tensor(double value, TensorOptions options) { return full({}, value, options); }

Tensor empty_like(const Tensor& t) { return empty(t.sizes(), t.dtype()); }
Tensor zeros_like(const Tensor& t) { return zeros(t.sizes(), t.dtype()); }
Tensor ones_like(const Tensor& t) { return ones(t.sizes(), t.dtype()); }
Tensor full_like(const Tensor& t, double value) { return full(t.sizes(), value, t.dtype()); }

// --- random ------------------------------------------------------------------------

double Generator::uniform() {
  // The top 53 bits: every double in [0, 1) on a 2^-53 grid, equally likely.
  return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
}

double Generator::normal() {
  // Box-Muller, written out so the stream is the same with every standard library.
  if (has_spare_) {
    has_spare_ = false;
    return spare_normal_;
  }
  double u1 = uniform();
  while (u1 <= 0.0) u1 = uniform();
  const double u2 = uniform();
  const double radius = std::sqrt(-2.0 * std::log(u1));
  const double angle = 2.0 * std::numbers::pi * u2;
  spare_normal_ = radius * std::sin(angle);
  has_spare_ = true;
  return radius * std::cos(angle);
}

Generator& default_generator() {
  static Generator gen(0);
  return gen;
}

void manual_seed(uint64_t seed) {
  default_generator() = Generator(seed);
}

Tensor rand(const Shape& shape, TensorOptions options, Generator* gen) {
  Generator& g = gen ? *gen : default_generator();
  Tensor t = empty(shape, options.requires_grad(false), "rand");
  fill_with(t, [&](int64_t) { return g.uniform(); });
  return finish(t, options);
}

Tensor randn(const Shape& shape, TensorOptions options, Generator* gen) {
  Generator& g = gen ? *gen : default_generator();
  Tensor t = empty(shape, options.requires_grad(false), "randn");
  fill_with(t, [&](int64_t) { return g.normal(); });
  return finish(t, options);
}

Tensor rand_like(const Tensor& t) { return rand(t.sizes(), t.dtype()); }
Tensor randn_like(const Tensor& t) { return randn(t.sizes(), t.dtype()); }

Tensor randint(int64_t low, int64_t high, const Shape& shape, TensorOptions options, Generator* gen) {
  if (high <= low) {
    throw std::invalid_argument("randint: empty range [" + std::to_string(low) + ", " + std::to_string(high) + ")");
  }
  Generator& g = gen ? *gen : default_generator();
  const auto span = static_cast<uint64_t>(high - low);
  Tensor t = empty(shape, options.requires_grad(false), "randint");
  fill_with(t, [&](int64_t) { return static_cast<double>(low + static_cast<int64_t>(g.next() % span)); });
  return finish(t, options);
}

Tensor randperm(int64_t n, Generator* gen) {
  Generator& g = gen ? *gen : default_generator();
  Tensor t = empty({n}, kInt64, "randperm");
  int64_t* p = t.data_ptr<int64_t>();
  for (int64_t i = 0; i < n; ++i) p[i] = i;
  // Fisher-Yates, with our own index draw (std::shuffle differs between libraries).
  for (int64_t i = n - 1; i > 0; --i) std::swap(p[i], p[static_cast<int64_t>(g.next() % static_cast<uint64_t>(i + 1))]);
  return t;
}

}  // namespace nabla
