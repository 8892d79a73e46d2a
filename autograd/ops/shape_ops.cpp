#include "autograd/ops/shape_ops.h"

#include <algorithm>
#include <cstring>
#include <set>

#include "autograd/kernels/layout.h"
#include "autograd/ops/creation.h"
#include "autograd/ops/reduction.h"
#include "autograd/record.h"

namespace nabla {
namespace {

int64_t product(const Shape& s, int begin, int end) {
  int64_t p = 1;
  for (int d = begin; d < end; ++d) p *= s[d];
  return p;
}

// A view of x's storage with the given geometry (x's dtype; no graph).
Tensor view_with(const Tensor& x, const Shape& shape, const Strides& strides, int64_t offset) {
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = x.impl().storage;
  impl->shape = shape;
  impl->strides = strides;
  impl->offset = offset;
  impl->contiguous = is_row_major(shape, strides);
  impl->dtype = x.dtype();
  return Tensor(std::move(impl));
}

std::vector<int64_t> checked_indices(const Tensor& given_index, int64_t size, const char* op) {
  const Tensor index = given_index.contiguous();
  if (index.dtype() != kInt64 || index.dim() != 1) {
    throw ShapeError(std::string(op) + ": the index must be a 1-D int64 tensor, got " +
                     std::string(to_string(index.dtype())) + " of shape " + to_string(index.sizes()));
  }
  const int64_t* p = index.data_ptr<int64_t>();
  std::vector<int64_t> out(p, p + index.numel());
  for (int64_t& i : out) {
    if (i < -size || i >= size) {
      throw ShapeError(std::string(op) + ": index " + std::to_string(i) + " is out of range for a dimension of size " +
                       std::to_string(size));
    }
    if (i < 0) i += size;
  }
  return out;
}

Tensor index_tensor(const std::vector<int64_t>& index) {
  Tensor t = empty({static_cast<int64_t>(index.size())}, kInt64);
  std::copy(index.begin(), index.end(), t.data_ptr<int64_t>());
  return t;
}

// Where a view's elements sit: sizes, strides and offset, in elements.
struct Geometry {
  Shape sizes;
  Strides strides;
  int64_t offset = 0;
};

Tensor scatter_add_view(const Tensor& g, const Shape& shape, const Geometry& where);

// The view of x at `in_x`. Its backward adds each gradient element back where it came from,
// at `in_grad`, the same view taken of a contiguous tensor of x's shape (where the view sees
// one element twice, as unfold's overlapping windows do, both gradients add).
Tensor view_at(const char* op, const Tensor& x, const Geometry& in_x, const Geometry& in_grad) {
  // d/dx view(x) = the gradient added back at the view's positions, 0 elsewhere
  // J t = the same view of t (read as a contiguous tensor of x's shape)
  return record(op, view_with(x, in_x.sizes, in_x.strides, in_x.offset), {x},
                [from = x.sizes(), in_grad](const Tensor& g) { return TensorList{scatter_add_view(g, from, in_grad)}; },
                [&](const TensorList& t) {
                  const Tensor packed = t[0].contiguous();
                  const Geometry in_t{in_grad.sizes, in_grad.strides, packed.storage_offset() + in_grad.offset};
                  return view_at(op, packed, in_t, in_grad);
                });
}

// Zeros of `shape` with g added at the view `where` (of a contiguous tensor of that shape).
Tensor scatter_add_view(const Tensor& given_g, const Shape& shape, const Geometry& where) {
  const Tensor g = given_g.contiguous();  // the kernel reads one run of memory
  Tensor y = zeros(shape, g.dtype());
  dispatch_floating(g.dtype(), "scatter_add_view", [&]<class T>() {
    kernels::scatter_add_strided(g.data_ptr<T>(), where.sizes, where.strides, y.data_ptr<T>() + where.offset);
  });
  // d/dg = the same view of the gradient, read back (linear in g)
  return record("scatter_add_view", y, {g}, [where](const Tensor& given_gy) {
    const Tensor gy = given_gy.contiguous();
    const Geometry in_gy{where.sizes, where.strides, gy.storage_offset() + where.offset};
    return TensorList{view_at("scatter_add_view_backward", gy, in_gy, where)};
  }, [&](const TensorList& t) { return scatter_add_view(t[0], shape, where); });  // linear in g: J t = the same scatter of t
}

// A view whose geometry `place(strides, offset)` builds from a layout of x's sizes: once from
// x's own layout, once from a contiguous one (where its gradient goes).
template <class Place>
Tensor placed_view(const char* op, const Tensor& x, Place&& place) {
  return view_at(op, x, place(x.strides(), x.storage_offset()), place(contiguous_strides(x.sizes()), 0));
}

// The requested shape with its one -1 (if any) inferred from x's element count; ShapeError
// naming `op` if it does not fit x.
Shape resolved_shape(const Tensor& x, const Shape& requested, const char* op) {
  Shape shape = requested;
  int inferred = -1;
  for (int d = 0; d < shape.dim(); ++d) {
    if (shape[d] == -1 && inferred < 0) {
      inferred = d;
    } else if (shape[d] < 0) {
      throw ShapeError(std::string(op) + ": invalid shape " + to_string(requested) + " (only one size may be -1)");
    }
  }
  Shape known_sizes = shape;
  if (inferred >= 0) known_sizes[inferred] = 1;
  int64_t known = 0;
  try {
    known = checked_numel(known_sizes, op);  // unchecked, [2^61 + 1, 8] would wrap to 8 elements
  } catch (const ShapeError&) {
    throw ShapeError(std::string(op) + ": shape " + to_string(requested) + " has more elements than a 64-bit count can hold");
  }
  if (inferred >= 0 && known != 0 && x.numel() % known == 0) shape[inferred] = x.numel() / known;
  if (shape.numel() != x.numel() || (inferred >= 0 && shape[inferred] < 0)) {
    throw ShapeError(std::string(op) + ": shape " + to_string(requested) + " does not fit a tensor of shape " +
                     to_string(x.sizes()) + " (" + std::to_string(x.numel()) + " elements)");
  }
  return shape;
}

// x seen as `shape` under the strides view_strides found.
Tensor reshaped_view(const Tensor& x, const Shape& shape, const Strides& strides) {
  // d/dx reshape(x) = the gradient reshaped back
  return record(
      "reshape", view_with(x, shape, strides, x.storage_offset()), {x},
      [from = x.sizes()](const Tensor& g) { return TensorList{reshape(g, from)}; },
      [&](const TensorList& t) { return reshape(t[0], shape); });  // J t = t reshaped the same way
}

}  // namespace

// A view wherever strides can express the new shape (always for contiguous data); otherwise
// the elements are gathered first, as libtorch's reshape does.
Tensor reshape(const Tensor& x, const Shape& requested) {
  const Shape shape = resolved_shape(x, requested, "reshape");
  if (shape == x.sizes()) return x;
  if (const auto strides = view_strides(x.sizes(), x.strides(), shape)) return reshaped_view(x, shape, *strides);
  return reshape(x.contiguous(), shape);
}

// Never copies: a shape no strides can express is an error, as in libtorch.
Tensor view(const Tensor& x, const Shape& requested) {
  const Shape shape = resolved_shape(x, requested, "view");
  if (shape == x.sizes()) return x;
  const auto strides = view_strides(x.sizes(), x.strides(), shape);
  if (!strides) {
    throw ShapeError("view: a tensor of sizes " + to_string(x.sizes()) + " and strides " + to_string(x.strides()) +
                     " cannot be seen as " + to_string(shape) +
                     " without copying (a merged dimension would span two runs of memory); use reshape(), which "
                     "copies when it must, or contiguous().view()");
  }
  return reshaped_view(x, shape, *strides);
}

Tensor flatten(const Tensor& x, int64_t start_arg, int64_t end_arg) {
  if (x.dim() == 0) return reshape(x, {1});
  const int start = wrap_dim(start_arg, x.dim(), "flatten"), end = wrap_dim(end_arg, x.dim(), "flatten");
  if (start > end) throw ShapeError("flatten: start_dim comes after end_dim");
  Shape shape;
  for (int d = 0; d < start; ++d) shape.push_back(x.size(d));
  shape.push_back(product(x.sizes(), start, end + 1));
  for (int d = end + 1; d < x.dim(); ++d) shape.push_back(x.size(d));
  return reshape(x, shape);
}

// A view: a size-1 dimension with libtorch's stride (that of the dimension it precedes,
// times its size; 1 at the end). Any stride would do for a dimension of size 1.
Tensor unsqueeze(const Tensor& x, int64_t dim_arg) {
  const int dim = wrap_dim(dim_arg, x.dim() + 1, "unsqueeze");
  Shape shape;
  Strides strides;
  for (int d = 0; d <= x.dim(); ++d) {
    if (d == dim) {
      shape.push_back(1);
      strides.push_back(d < x.dim() ? x.size(d) * x.stride(d) : 1);
    }
    if (d < x.dim()) {
      shape.push_back(x.size(d));
      strides.push_back(x.stride(d));
    }
  }
  // d/dx unsqueeze(x) = the gradient without the added dimension
  return record("unsqueeze", view_with(x, shape, strides, x.storage_offset()), {x},
                [dim](const Tensor& g) { return TensorList{squeeze(g, dim)}; },
                [&](const TensorList& t) { return unsqueeze(t[0], dim); });
}

// A view: the dimension of size 1 and its stride dropped.
Tensor squeeze(const Tensor& x, int64_t dim_arg) {
  const int dim = wrap_dim(dim_arg, x.dim(), "squeeze");
  if (x.dim() == 0 || x.size(dim) != 1) return x;
  Shape shape;
  Strides strides;
  for (int d = 0; d < x.dim(); ++d) {
    if (d != dim) {
      shape.push_back(x.size(d));
      strides.push_back(x.stride(d));
    }
  }
  // d/dx squeeze(x) = the gradient with the dimension back
  return record("squeeze", view_with(x, shape, strides, x.storage_offset()), {x},
                [dim](const Tensor& g) { return TensorList{unsqueeze(g, dim)}; },
                [&](const TensorList& t) { return squeeze(t[0], dim); });
}

// A view: the two sizes and the two strides swapped, nothing moved.
Tensor transpose(const Tensor& x, int64_t dim0_arg, int64_t dim1_arg) {
  const int d0 = wrap_dim(dim0_arg, x.dim(), "transpose"), d1 = wrap_dim(dim1_arg, x.dim(), "transpose");
  if (d0 == d1 || x.dim() < 2) return x;
  Shape shape = x.sizes();
  Strides strides = x.strides();
  std::swap(shape[d0], shape[d1]);
  std::swap(strides[d0], strides[d1]);
  // d/dx transpose(x) = the gradient transposed back
  return record("transpose", view_with(x, shape, strides, x.storage_offset()), {x},
                [d0, d1](const Tensor& g) { return TensorList{transpose(g, d0, d1)}; },
                [&](const TensorList& t) { return transpose(t[0], d0, d1); });
}

// A view: a new leading dimension, or a size-1 one stretched, gets stride 0, so every index
// along it reads the same elements. Nothing is copied; writing into it is refused (the
// elements overlap).
Tensor broadcast_to(const Tensor& x, const Shape& shape) {
  checked_numel(shape, "broadcast_to");
  if (x.sizes() == shape) return x;
  if (!(broadcast_shapes(x.sizes(), shape, "broadcast_to") == shape)) {
    throw ShapeError("broadcast_to: shape " + to_string(x.sizes()) + " cannot be broadcast to " + to_string(shape));
  }
  const int lead = shape.dim() - x.dim();
  Strides strides = shape;
  for (int d = 0; d < shape.dim(); ++d) {
    const bool stretched = d < lead || x.size(d - lead) != shape[d];
    strides[d] = stretched ? 0 : x.stride(d - lead);
  }
  // d/dx broadcast(x) = the gradient summed over the copies
  return record("broadcast_to", view_with(x, shape, strides, x.storage_offset()), {x},
                [from = x.sizes()](const Tensor& g) { return TensorList{sum_to(g, from)}; },
                [&](const TensorList& t) { return broadcast_to(t[0], shape); });
}

Tensor expand(const Tensor& x, const Shape& requested) {
  if (requested.dim() < x.dim()) {
    throw ShapeError("expand: " + std::to_string(requested.dim()) + " sizes given for a tensor of shape " +
                     to_string(x.sizes()) + "; expand can add dimensions, not remove them");
  }
  Shape shape = requested;  // -1 keeps the size x has there
  const int lead = requested.dim() - x.dim();
  for (int d = 0; d < shape.dim(); ++d) {
    if (shape[d] == -1 && d >= lead) shape[d] = x.size(d - lead);
    if (shape[d] < 0) {
      throw ShapeError("expand: invalid size " + std::to_string(requested[d]) + " at dimension " +
                       std::to_string(d) + " of " + to_string(requested) + " (-1 keeps an existing size only)");
    }
  }
  return broadcast_to(x, shape);
}

Tensor cat(const std::vector<Tensor>& given, int64_t dim_arg) {
  if (given.empty()) throw ShapeError("cat: no tensors to join");
  std::vector<Tensor> tensors;  // each one run of memory, copied below with memcpy
  for (const Tensor& t : given) tensors.push_back(t.contiguous());
  const Tensor& first = tensors.front();
  if (first.dim() == 0) throw ShapeError("cat: zero-dimensional tensors cannot be joined; unsqueeze(0) them first");
  const int dim = wrap_dim(dim_arg, first.dim(), "cat");
  Shape shape = first.sizes();
  shape[dim] = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    bool fits = t.dim() == first.dim() && t.dtype() == first.dtype();
    for (int d = 0; fits && d < t.dim(); ++d) fits = d == dim || t.size(d) == first.size(d);
    if (!fits) {
      throw ShapeError("cat: tensor " + std::to_string(i) + " (" + std::string(to_string(t.dtype())) + " " +
                       to_string(t.sizes()) + ") does not fit tensor 0 (" + std::string(to_string(first.dtype())) + " " +
                       to_string(first.sizes()) + ") along dimension " + std::to_string(dim));
    }
    shape[dim] += t.size(dim);
  }
  Tensor y = empty(shape, first.dtype());
  const int64_t outer = product(shape, 0, dim), inner = product(shape, dim + 1, shape.dim());
  const size_t elem = element_size(first.dtype());
  int64_t offset = 0;
  for (const Tensor& t : tensors) {
    const int64_t chunk = t.size(dim) * inner;
    for (int64_t o = 0; o < outer; ++o) {
      std::memcpy(static_cast<char*>(y.raw_data()) + (o * shape[dim] * inner + offset * inner) * elem,
                  static_cast<const char*>(t.raw_data()) + o * chunk * elem, static_cast<size_t>(chunk) * elem);
    }
    offset += t.size(dim);
  }
  std::vector<int64_t> sizes;
  for (const Tensor& t : tensors) sizes.push_back(t.size(dim));
  // d/dx_i cat(x_1, ..., x_n) = the slice of the gradient where x_i was placed
  return record_with("cat", y, tensors, [sizes, dim](const Tensor& g) {
    TensorList grads;
    int64_t start = 0;
    for (int64_t n : sizes) {
      grads.push_back(narrow(g, dim, start, n));
      start += n;
    }
    return grads;
  }, [&](const TensorList& t) {  // J t = the tangents joined the same way (zeros for an input without one)
    TensorList parts;
    for (size_t i = 0; i < t.size(); ++i) parts.push_back(t[i].defined() ? t[i] : zeros_like(tensors[i]));
    return cat(parts, dim);
  });
}

Tensor index_select(const Tensor& given_x, int64_t dim_arg, const Tensor& index) {
  const Tensor x = given_x.contiguous();  // the kernel walks one run of memory
  if (x.dim() == 0) throw ShapeError("index_select: a zero-dimensional tensor has no dimension to index");
  const int dim = wrap_dim(dim_arg, x.dim(), "index_select");
  const int64_t size = x.dim() == 0 ? 1 : x.size(dim);
  const std::vector<int64_t> idx = checked_indices(index, size, "index_select");
  Shape shape = x.sizes();
  if (shape.dim() > 0) shape[dim] = static_cast<int64_t>(idx.size());
  Tensor y = empty(shape, x.dtype());
  dispatch_all(x.dtype(), [&]<class T>() {
    kernels::index_select(x.data_ptr<T>(), product(x.sizes(), 0, dim), size, product(x.sizes(), dim + 1, x.dim()),
                          idx.data(), static_cast<int64_t>(idx.size()), y.data_ptr<T>());
  });
  const Tensor clean_index = index_tensor(idx);
  // d/dx index_select(x) = the gradient's slices added back where they were taken from
  return record(
      "index_select", y, {x},
      [from = x.sizes(), dim, clean_index](const Tensor& g) { return TensorList{index_add(from, dim, clean_index, g)}; },
      [&](const TensorList& t) { return index_select(t[0], dim, clean_index); });
}

Tensor index_select(const Tensor& x, int64_t dim, const std::vector<int64_t>& index) {
  return index_select(x, dim, index_tensor(index));
}

Tensor index_add(const Shape& shape, int64_t dim_arg, const Tensor& index, const Tensor& given_source) {
  const Tensor source = given_source.contiguous();  // the kernel walks one run of memory
  if (shape.dim() == 0) throw ShapeError("index_add: a zero-dimensional shape has no dimension to index");
  const int dim = wrap_dim(dim_arg, shape.dim(), "index_add");
  const int64_t size = shape.dim() == 0 ? 1 : shape[dim];
  const std::vector<int64_t> idx = checked_indices(index, size, "index_add");
  Shape expected = shape;
  if (expected.dim() > 0) expected[dim] = static_cast<int64_t>(idx.size());
  if (!(source.sizes() == expected)) {
    throw ShapeError("index_add: source of shape " + to_string(source.sizes()) + " does not match " +
                     to_string(expected));
  }
  Tensor y = zeros(shape, source.dtype());
  dispatch_floating(source.dtype(), "index_add", [&]<class T>() {
    kernels::index_add(source.data_ptr<T>(), product(shape, 0, dim), size, product(shape, dim + 1, shape.dim()),
                       idx.data(), static_cast<int64_t>(idx.size()), y.data_ptr<T>());
  });
  // d/dsource index_add(source) = the gradient's slices at the index
  return record(
      "index_add", y, {source}, [dim, index](const Tensor& g) { return TensorList{index_select(g, dim, index)}; },
      [&](const TensorList& t) { return index_add(shape, dim, index, t[0]); });
}

Tensor narrow(const Tensor& x, int64_t dim_arg, int64_t start, int64_t length) {
  const int dim = wrap_dim(dim_arg, x.dim(), "narrow");
  if (start < 0 || length < 0 || start + length > x.size(dim)) {
    throw ShapeError("narrow: [" + std::to_string(start) + ", " + std::to_string(start + length) +
                     ") is out of range for dimension " + std::to_string(dim) + " of size " +
                     std::to_string(x.size(dim)));
  }
  return slice(x, dim, start, start + length, 1);
}

// A view: stepping along the diagonal steps both dimensions at once, so its stride is the
// sum of theirs; the offset moves to its first element, in row 0 (offset >= 0) or column 0.
Tensor diagonal(const Tensor& x, int64_t offset, int64_t dim1_arg, int64_t dim2_arg) {
  if (x.dim() < 2) throw ShapeError("diagonal: needs at least 2 dimensions, got shape " + to_string(x.sizes()));
  const int d1 = wrap_dim(dim1_arg, x.dim(), "diagonal"), d2 = wrap_dim(dim2_arg, x.dim(), "diagonal");
  if (d1 == d2) throw ShapeError("diagonal: dim1 and dim2 are both dimension " + std::to_string(d1));
  const int64_t length = offset >= 0 ? std::min(x.size(d1), x.size(d2) - offset)
                                     : std::min(x.size(d1) + offset, x.size(d2));
  const int64_t n = std::max<int64_t>(length, 0);
  return placed_view("diagonal", x, [&](const Strides& strides, int64_t start) {
    Geometry g;
    for (int d = 0; d < x.dim(); ++d) {
      if (d != d1 && d != d2) {
        g.sizes.push_back(x.size(d));
        g.strides.push_back(strides[d]);
      }
    }
    g.sizes.push_back(n);
    g.strides.push_back(strides[d1] + strides[d2]);
    g.offset = start + (n == 0 ? 0 : offset >= 0 ? offset * strides[d2] : -offset * strides[d1]);
    return g;
  });
}

// A view: window w starts `step` elements after window w - 1 along dim, and a new last
// dimension walks inside the window with dim's old stride. Windows may overlap (step < size).
Tensor unfold(const Tensor& x, int64_t dim_arg, int64_t size, int64_t step) {
  if (x.dim() == 0) return select(unfold(x.unsqueeze(0), 0, size, step), 0, 0);  // libtorch: a scalar unfolds to [size]
  const int dim = wrap_dim(dim_arg, x.dim(), "unfold");
  if (size < 0 || size > x.size(dim)) {
    throw ShapeError("unfold: window size " + std::to_string(size) + " does not fit dimension " + std::to_string(dim) +
                     " of size " + std::to_string(x.size(dim)) + " in shape " + to_string(x.sizes()));
  }
  if (step <= 0) throw ShapeError("unfold: step must be positive, got " + std::to_string(step));
  return placed_view("unfold", x, [&](const Strides& strides, int64_t start) {
    Geometry g{x.sizes(), strides, start};
    g.sizes[dim] = (x.size(dim) - size) / step + 1;
    g.strides[dim] = strides[dim] * step;
    g.sizes.push_back(size);
    g.strides.push_back(strides[dim]);
    return g;
  });
}

// --- the slicing vocabulary of libtorch -----------------------------------------------------

// A view: along dim, `count` elements from `first`, `step` apart, so the offset moves to the
// first one and the stride grows step times.
Tensor slice(const Tensor& x, int64_t dim_arg, int64_t start, int64_t end, int64_t step) {
  if (x.dim() == 0) throw ShapeError("slice: a zero-dimensional tensor has no dimension to slice");
  const int dim = wrap_dim(dim_arg, x.dim(), "slice");
  if (step <= 0) throw ShapeError("slice: step must be positive, got " + std::to_string(step));
  const int64_t n = x.size(dim);
  // Python's rules: count negative ends from the back, then clamp into [0, n].
  auto clamp_end = [n](int64_t i) { return std::clamp<int64_t>(i < 0 ? i + n : i, 0, n); };
  const int64_t first = clamp_end(start), last = std::max(first, clamp_end(end));
  const int64_t count = (last - first + step - 1) / step;
  if (first == 0 && count == n && step == 1) return x;
  Shape shape = x.sizes();
  Strides strides = x.strides();
  shape[dim] = count;
  const int64_t offset = x.storage_offset() + (count > 0 ? first * strides[dim] : 0);
  strides[dim] *= step;
  // d/dx slice(x) = the gradient put back where the slice was taken from, 0 elsewhere
  return record(
      "slice", view_with(x, shape, strides, offset), {x},
      [from = x.sizes(), dim, first, step, count](const Tensor& g) {
        std::vector<int64_t> index(static_cast<size_t>(count));
        for (int64_t i = 0; i < count; ++i) index[static_cast<size_t>(i)] = first + i * step;
        return TensorList{index_add(from, dim, index_tensor(index), g)};
      },
      [&](const TensorList& t) { return slice(t[0], dim, start, end, step); });  // J t = the same slice of t
}

Tensor select(const Tensor& x, int64_t dim_arg, int64_t index) {
  if (x.dim() == 0) throw ShapeError("select: a zero-dimensional tensor has no dimension to select from");
  const int dim = wrap_dim(dim_arg, x.dim(), "select");
  const int64_t n = x.size(dim);
  if (index < -n || index >= n) {
    throw ShapeError("select: index " + std::to_string(index) + " is out of range for dimension " +
                     std::to_string(dim) + " of size " + std::to_string(n) + " in shape " + to_string(x.sizes()));
  }
  return squeeze(narrow(x, dim, index < 0 ? index + n : index, 1), dim);
}

Tensor permute(const Tensor& x, const std::vector<int64_t>& dims) {
  if (static_cast<int>(dims.size()) != x.dim()) {
    throw ShapeError("permute: " + std::to_string(dims.size()) + " dimensions given for a tensor of shape " +
                     to_string(x.sizes()));
  }
  std::vector<int> wanted;
  for (int64_t d : dims) wanted.push_back(wrap_dim(d, x.dim(), "permute"));
  if (std::set<int>(wanted.begin(), wanted.end()).size() != wanted.size()) {
    throw ShapeError("permute: a dimension appears twice in the permutation of a tensor of shape " +
                     to_string(x.sizes()));
  }
  // Any permutation is a product of transpositions: bring the wanted dimension to each
  // position in turn (differentiable, since transpose is).
  std::vector<int> current(x.dim());
  for (int d = 0; d < x.dim(); ++d) current[d] = d;
  Tensor y = x;
  for (int i = 0; i < x.dim(); ++i) {
    const int j = static_cast<int>(std::find(current.begin(), current.end(), wanted[i]) - current.begin());
    if (j != i) {
      y = transpose(y, i, j);
      std::swap(current[i], current[j]);
    }
  }
  return y;
}

Tensor squeeze(const Tensor& x) {
  Tensor y = x;
  for (int d = x.dim() - 1; d >= 0; --d) y = squeeze(y, d);  // from the back: the dims before keep their place
  return y;
}

Tensor stack(const std::vector<Tensor>& tensors, int64_t dim_arg) {
  if (tensors.empty()) throw ShapeError("stack: needs at least one tensor");
  const int dim = wrap_dim(dim_arg, tensors[0].dim() + 1, "stack");
  std::vector<Tensor> parts;
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (!(tensors[i].sizes() == tensors[0].sizes())) {
      throw ShapeError("stack: tensor " + std::to_string(i) + " has shape " + to_string(tensors[i].sizes()) +
                       ", tensor 0 has " + to_string(tensors[0].sizes()) + "; stack needs equal shapes");
    }
    parts.push_back(unsqueeze(tensors[i], dim));
  }
  return cat(parts, dim);
}

// --- method forms --------------------------------------------------------------------------

Tensor Tensor::contiguous_copy() const {
  Tensor y = empty(sizes(), dtype(), "contiguous");
  dispatch_all(dtype(), [&]<class T>() {
    const T* base = static_cast<const T*>(impl().storage->data()) + storage_offset();
    kernels::gather_strided(base, sizes(), strides(), y.data_ptr<T>());
  });
  // d/dx contiguous(x) = the gradient, whose layout is the view's own (contiguous) one
  return record("contiguous", y, {*this}, [](const Tensor& g) { return TensorList{g}; }, detail::kElementwise);
}

Tensor Tensor::as_strided(const Shape& shape, const Strides& strides, int64_t offset) const {
  if (strides.dim() != shape.dim()) {
    throw ShapeError("as_strided: " + std::to_string(strides.dim()) + " strides for the " +
                     std::to_string(shape.dim()) + " dimensions of shape " + to_string(shape));
  }
  const int64_t n = checked_numel(shape, "as_strided");
  // The last element reached, which must lie inside the storage (the first is at offset).
  int64_t last = offset;
  for (int d = 0; d < shape.dim(); ++d) {
    if (strides[d] < 0) throw ShapeError("as_strided: negative stride " + std::to_string(strides[d]));
    last += (shape[d] - 1) * strides[d];
  }
  const int64_t elements = static_cast<int64_t>(impl().storage->nbytes() / element_size(dtype()));
  if (offset < 0 || (n > 0 && last >= elements)) {
    throw ShapeError("as_strided: sizes " + to_string(shape) + ", strides " + to_string(strides) + " and offset " +
                     std::to_string(offset) + " reach element " + std::to_string(n > 0 ? last : offset) +
                     " of a storage of " + std::to_string(elements));
  }
  if (GradMode::is_enabled() && requires_grad()) {
    throw AutogradError("as_strided: not differentiable in nabla; use it inside a NoGradGuard or on a detached tensor");
  }
  return view_with(*this, shape, strides, offset);
}

Tensor Tensor::reshape(const Shape& shape) const { return nabla::reshape(*this, shape); }
Tensor Tensor::view(const Shape& shape) const { return nabla::view(*this, shape); }
Tensor Tensor::expand(const Shape& shape) const { return nabla::expand(*this, shape); }
Tensor Tensor::expand_as(const Tensor& other) const { return nabla::expand(*this, other.sizes()); }
Tensor Tensor::diagonal(int64_t offset, int64_t dim1, int64_t dim2) const {
  return nabla::diagonal(*this, offset, dim1, dim2);
}
Tensor Tensor::unfold(int64_t dim, int64_t size, int64_t step) const { return nabla::unfold(*this, dim, size, step); }
Tensor Tensor::flatten(int64_t start_dim, int64_t end_dim) const { return nabla::flatten(*this, start_dim, end_dim); }
Tensor Tensor::unsqueeze(int64_t dim) const { return nabla::unsqueeze(*this, dim); }
Tensor Tensor::squeeze(int64_t dim) const { return nabla::squeeze(*this, dim); }
Tensor Tensor::t() const {
  if (dim() != 2) throw ShapeError("t: expects a 2-D tensor, got shape " + to_string(sizes()));
  return nabla::transpose(*this, 0, 1);
}
Tensor Tensor::transpose(int64_t dim0, int64_t dim1) const { return nabla::transpose(*this, dim0, dim1); }
Tensor Tensor::index_select(int64_t dim, const Tensor& index) const { return nabla::index_select(*this, dim, index); }

}  // namespace nabla
