#pragma once
// Strided inputs for the differential tests. The layouts a view can have, each exercising one
// path of a strided loop (a transpose, a step, stride 0, a permutation with an offset,
// overlapping windows): layouts(n) gives each with about n elements, so every differential
// size crosses the same vector, unroll and threading thresholds as a contiguous input does.
// And the harness that runs an op on such a view and on the view's elements packed by a
// plain scalar walk, forward and backward (compare_strided_with_packed).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "autograd/shape.h"
#include "tests/differential.h"

namespace nabla::differential {

// A view over a source buffer: its sizes, strides and offset, in elements.
struct Layout {
  std::string name;
  Shape sizes;
  Strides strides;
  int64_t offset = 0;
  bool overlapping = false;  // some element of the buffer is seen at two indices
};

inline std::vector<Layout> layouts(int64_t n) {
  const int64_t cols = 7, rows = (n + cols - 1) / cols;  // 7 columns: a row length no vector width divides
  const int64_t m = 33, k = (n + m - 1) / m;
  const int64_t a = 3, b = 5, c = (n + a * b - 1) / (a * b);
  return {
      {"contiguous", {n}, {1}, 0},
      {"transposed [rows, 7]", {cols, rows}, {1, cols}, 0},
      {"every third element", {n}, {3}, 2},
      {"a row broadcast (stride 0)", {k, m}, {0, 1}, 0, true},
      {"a column broadcast (stride 0)", {k, m}, {1, 0}, 0, true},
      {"[3, 5, c] permuted to [c, 3, 5], offset 4", {c, a, b}, {1, b * c, c}, 4},
      {"a batch of 3 [c, 5] matrices transposed", {a, b, c}, {b * c, 1, b}, 0},
      {"overlapping windows of 5, 2 apart (unfold)", {(n + 4) / 5, 5}, {2, 1}, 1, true},
  };
}

// Where the view's element at row-major position i lies in the buffer, walked one index at a time.
inline int64_t position_of(const Layout& layout, int64_t i) {
  int64_t position = layout.offset;
  for (int d = layout.sizes.dim() - 1; d >= 0; --d) {
    position += (i % layout.sizes[d]) * layout.strides[d];
    i /= layout.sizes[d];
  }
  return position;
}

// The buffer elements a layout reaches: one past its last position.
inline int64_t extent_of(const Layout& layout) {
  int64_t last = layout.offset;
  for (int d = 0; d < layout.sizes.dim(); ++d) last += (layout.sizes[d] - 1) * layout.strides[d];
  return layout.sizes.numel() == 0 ? layout.offset : last + 1;
}

// An op under test: the outputs it makes of one (strided or packed) input x.
struct Case {
  std::string name;
  std::function<TensorList(const Tensor&)> f;
};

template <class T> ScalarType dtype_of() { return sizeof(T) == 4 ? kFloat32 : kFloat64; }

// Values for a second operand of x's shape (or any shape), the same on every call; `seed`
// picks where in one long random sequence they start.
inline Tensor values_like(const Shape& shape, ScalarType dtype, int64_t seed) {
  static const std::vector<double> pool = mixed_inputs<double>(kLargestSize + 1000, -3, 3, {0.0, 1.0, -1.0}, 7, 13);
  const auto first = pool.begin() + seed;
  return tensor(std::vector<double>(first, first + shape.numel()), shape, dtype);
}
inline Tensor other(const Tensor& x) { return values_like(x.sizes(), x.dtype(), 71); }
inline Tensor last_row(const Tensor& x) { return values_like({x.dim() ? x.size(-1) : 1}, x.dtype(), 72); }

// The view of `layout` over a buffer holding `source`, and the same elements packed.
struct StridedInput {
  Tensor view, packed;
};

template <class T> StridedInput strided_input(const Layout& layout, const std::vector<T>& source) {
  const int64_t extent = extent_of(layout);
  const Tensor buffer = tensor(std::vector<double>(source.begin(), source.begin() + extent), {extent}, dtype_of<T>());
  std::vector<double> walked(static_cast<size_t>(layout.sizes.numel()));
  for (size_t i = 0; i < walked.size(); ++i) walked[i] = source[static_cast<size_t>(position_of(layout, static_cast<int64_t>(i)))];
  return {buffer.as_strided(layout.sizes, layout.strides, layout.offset), tensor(walked, layout.sizes, dtype_of<T>())};
}

// The same gradient values in a non-contiguous layout (every other element of a buffer).
inline Tensor strided_copy(const Tensor& t) { return stack({t, zeros_like(t)}, -1).select(-1, 0); }

template <class T>
void expect_same(Check& check, int64_t n, const std::string& what, const TensorList& got, const TensorList& expected) {
  if (got.size() != expected.size()) return check.fail(what + ": " + std::to_string(got.size()) + " outputs, expected " +
                                                       std::to_string(expected.size()));
  for (size_t k = 0; k < got.size(); ++k) {
    if (!(got[k].sizes() == expected[k].sizes()) || got[k].dtype() != expected[k].dtype()) {
      return check.fail(what + ", output " + std::to_string(k) + ": shape " + to_string(got[k].sizes()) +
                        ", expected " + to_string(expected[k].sizes()));
    }
    const std::vector<double> g = got[k].to_vector(), e = expected[k].to_vector();
    for (size_t i = 0; i < g.size(); ++i) {
      check.compare<T>(n, static_cast<int64_t>(i), static_cast<T>(g[i]), e[i], {}, 0, 0, true);
    }
  }
}

// The gradient of the outputs that carry one, each given the same incoming gradient values:
// strided for the view's run, packed for the reference's. At order 2, the gradient of that
// gradient (times other strided values): the second-derivative kernels see strided inputs too.
inline TensorList gradient_of(const Case& c, const Tensor& input, bool strided_gradients, int order = 1) {
  Tensor leaf = input.detach();
  leaf.requires_grad_(true);
  TensorList outputs, incoming;
  int64_t seed = 80;
  for (const Tensor& y : c.f(leaf)) {
    if (!y.requires_grad()) continue;
    const Tensor g = values_like(y.sizes(), y.dtype(), seed++);
    outputs.push_back(y);
    incoming.push_back(strided_gradients ? strided_copy(g) : g);
  }
  if (outputs.empty()) return {};
  if (order == 1) return autograd::grad(outputs, {leaf}, incoming, /*retain_graph=*/false);
  const TensorList first = autograd::grad(outputs, {leaf}, incoming, /*retain_graph=*/true, /*create_graph=*/true);
  if (!first[0].requires_grad()) return {zeros_like(first[0])};  // f' constant: no graph to its derivative
  const Tensor h = values_like(leaf.sizes(), leaf.dtype(), 90);
  const TensorList second = autograd::grad(first, {leaf}, {strided_gradients ? strided_copy(h) : h},
                                           /*retain_graph=*/false, /*create_graph=*/false, /*allow_unused=*/true);
  return {second[0].defined() ? second[0] : zeros_like(leaf)};
}


// Runs every case on every layout at every differential size (on several threads), the view
// against its packed elements, forward and backward (and the second derivative, at order 2):
// the results must agree bit for bit.
inline Verdict compare_strided_with_packed(const std::vector<Case>& cases, bool float64, int order = 1) {
  Verdict verdict;
  with_dtype(float64, [&]<class T>() {
    const std::vector<T> source = mixed_inputs<T>(4 * kLargestSize + 64, -4, 4, elementwise_specials<T>(true), 91);
    for (const Case& c : cases) {
      Check forward(c.name, dtype_name<T>(), 0), backward(c.name + " backward", dtype_name<T>(), 0);
      Check second(c.name + " second derivative", dtype_name<T>(), 0);
      ThreadCount threads(kThreads);
      for (const Layout& shape_only : layouts(1)) {
        for (Check* check : {&forward, &backward, &second}) check->set_context(shape_only.name);
        for (int64_t n : sizes()) {
          Layout layout;
          for (const Layout& l : layouts(n)) {
            if (l.name == shape_only.name) layout = l;
          }
          const StridedInput in = strided_input(layout, source);
          expect_same<T>(forward, n, c.name, c.f(in.view), c.f(in.packed));
          expect_same<T>(backward, n, c.name, gradient_of(c, in.view, true), gradient_of(c, in.packed, false));
          if (order == 2) {
            expect_same<T>(second, n, c.name, gradient_of(c, in.view, true, 2), gradient_of(c, in.packed, false, 2));
          }
        }
      }
      verdict.add(forward);
      verdict.add(backward);
      if (order == 2) verdict.add(second);
    }
  });
  return verdict;
}

}  // namespace nabla::differential
