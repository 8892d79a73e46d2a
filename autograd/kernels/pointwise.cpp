#include "autograd/kernels/pointwise.h"

#include <algorithm>
#include <cmath>

#include "autograd/kernels/map.h"
#include "autograd/kernels/parallel.h"

namespace nabla::kernels {

template <class T>
void scalar(ScalarOp op, const T* x, T s, T* out, int64_t n) {
  switch (op) {
    case ScalarOp::Add: return map(x, out, n, [s](T v) { return v + s; });
    case ScalarOp::Mul: return map(x, out, n, [s](T v) { return v * s; });
    case ScalarOp::Pow:
      if (s == T(2)) return map(x, out, n, [](T v) { return v * v; });
      return map(x, out, n, [s](T v) { return std::pow(v, s); });
    case ScalarOp::RSub: return map(x, out, n, [s](T v) { return s - v; });
    case ScalarOp::RDiv: return map(x, out, n, [s](T v) { return s / v; });
    case ScalarOp::Maximum: return map(x, out, n, [s](T v) { return v > s || v != v ? v : s; });
    case ScalarOp::Minimum: return map(x, out, n, [s](T v) { return v < s || v != v ? v : s; });
    case ScalarOp::Eq: return map(x, out, n, [s](T v) { return T(v == s); });
    case ScalarOp::Ne: return map(x, out, n, [s](T v) { return T(v != s); });
    case ScalarOp::Lt: return map(x, out, n, [s](T v) { return T(v < s); });
    case ScalarOp::Le: return map(x, out, n, [s](T v) { return T(v <= s); });
    case ScalarOp::Gt: return map(x, out, n, [s](T v) { return T(v > s); });
    case ScalarOp::Ge: return map(x, out, n, [s](T v) { return T(v >= s); });
  }
}

template <class T>
void clamp(const T* x, T low, T high, T* out, int64_t n) {
  map(x, out, n, [=](T v) { return std::min(std::max(v, low), high); });
}

template <class T>
void where(const T* mask, const T* a, const T* b, T* out, int64_t n) {
  parallel_for(n, grain_for(1), [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) out[i] = mask[i] != T(0) ? a[i] : b[i];
  });
}

template <class T>
void axpy(T alpha, const T* x, T* out, int64_t n) {
  parallel_for(n, grain_for(1), [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) out[i] += alpha * x[i];
  });
}

template <class T>
void fill(T value, T* out, int64_t n) {
  std::fill(out, out + n, value);
}

template <class From, class To>
void cast(const From* x, To* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = static_cast<To>(x[i]);
}

// --- broadcasting ------------------------------------------------------------
namespace {

// How to walk two inputs while writing a contiguous output: per output dimension its size
// and each input's stride (0 where that input is broadcast). Neighbouring dimensions that
// both inputs walk contiguously are merged, so the common cases (same shape; a row vector
// added to every row) become one or two flat loops.
struct BroadcastPlan {
  int rank = 0;
  int64_t size[Shape::kMaxDims];
  int64_t stride_a[Shape::kMaxDims];
  int64_t stride_b[Shape::kMaxDims];
};

void input_strides(const Shape& in, const Shape& out, int64_t* strides) {
  const int offset = out.dim() - in.dim();
  int64_t running = 1;
  for (int d = out.dim() - 1; d >= 0; --d) {
    const int di = d - offset;
    if (di < 0 || in[di] == 1) {
      strides[d] = 0;
    } else {
      strides[d] = running;
      running *= in[di];
    }
  }
}

BroadcastPlan make_plan(const Shape& a, const Shape& b, const Shape& out) {
  int64_t sa[Shape::kMaxDims], sb[Shape::kMaxDims];
  input_strides(a, out, sa);
  input_strides(b, out, sb);
  BroadcastPlan p;
  for (int d = 0; d < out.dim(); ++d) {
    if (out[d] == 1) continue;
    if (p.rank > 0) {
      const int last = p.rank - 1;
      if (p.stride_a[last] == sa[d] * out[d] && p.stride_b[last] == sb[d] * out[d]) {
        p.size[last] *= out[d];
        p.stride_a[last] = sa[d];
        p.stride_b[last] = sb[d];
        continue;
      }
    }
    p.size[p.rank] = out[d];
    p.stride_a[p.rank] = sa[d];
    p.stride_b[p.rank] = sb[d];
    ++p.rank;
  }
  if (p.rank == 0) {  // a single element
    p.rank = 1;
    p.size[0] = 1;
    p.stride_a[0] = p.stride_b[0] = 1;
  }
  return p;
}

// Calls row(offset_a, offset_b, offset_out, inner_size) for every innermost row in [first, last).
template <class Row>
void for_each_row(const BroadcastPlan& p, int64_t first, int64_t last, Row row) {
  const int outer_rank = p.rank - 1;
  const int64_t inner = p.size[p.rank - 1];
  int64_t index[Shape::kMaxDims] = {};
  int64_t oa = 0, ob = 0;
  int64_t rest = first;
  for (int d = outer_rank - 1; d >= 0; --d) {
    index[d] = rest % p.size[d];
    rest /= p.size[d];
    oa += index[d] * p.stride_a[d];
    ob += index[d] * p.stride_b[d];
  }
  for (int64_t r = first; r < last; ++r) {
    row(oa, ob, r * inner, inner);
    for (int d = outer_rank - 1; d >= 0; --d) {
      oa += p.stride_a[d];
      ob += p.stride_b[d];
      if (++index[d] < p.size[d]) break;
      oa -= p.stride_a[d] * p.size[d];
      ob -= p.stride_b[d] * p.size[d];
      index[d] = 0;
    }
  }
}

template <class T, class F>
void broadcast_zip(const T* a, const Shape& as, const T* b, const Shape& bs, T* out, const Shape& os, F f) {
  const BroadcastPlan p = make_plan(as, bs, os);
  const int64_t inner = p.size[p.rank - 1];
  const int64_t rows = os.numel() / std::max<int64_t>(inner, 1);
  if (rows == 0 || inner == 0) return;
  const bool a_moves = p.stride_a[p.rank - 1] != 0, b_moves = p.stride_b[p.rank - 1] != 0;
  parallel_for(rows, grain_for(inner), [&](int64_t first, int64_t last) {  // a row: `inner` elements
    for_each_row(p, first, last, [&](int64_t oa, int64_t ob, int64_t oo, int64_t n) {
      const T* pa = a + oa;
      const T* pb = b + ob;
      T* po = out + oo;
      // Four loops, so that the compiler vectorises each without a stride in sight.
      if (a_moves && b_moves) {
        for (int64_t i = 0; i < n; ++i) po[i] = f(pa[i], pb[i]);
      } else if (a_moves) {
        const T vb = *pb;
        for (int64_t i = 0; i < n; ++i) po[i] = f(pa[i], vb);
      } else if (b_moves) {
        const T va = *pa;
        for (int64_t i = 0; i < n; ++i) po[i] = f(va, pb[i]);
      } else {
        const T v = f(*pa, *pb);
        for (int64_t i = 0; i < n; ++i) po[i] = v;
      }
    });
  });
}

}  // namespace

template <class T>
void binary(BinaryOp op, const T* a, const Shape& as, const T* b, const Shape& bs, T* out, const Shape& os) {
  auto zip = [&](auto f) { broadcast_zip(a, as, b, bs, out, os, f); };
  switch (op) {
    case BinaryOp::Add: return zip([](T x, T y) { return x + y; });
    case BinaryOp::Sub: return zip([](T x, T y) { return x - y; });
    case BinaryOp::Mul: return zip([](T x, T y) { return x * y; });
    case BinaryOp::Div: return zip([](T x, T y) { return x / y; });
    // NaN wins from either side, as in PyTorch (std::max would keep whichever came first).
    case BinaryOp::Maximum: return zip([](T x, T y) { return x > y || x != x ? x : y; });
    case BinaryOp::Minimum: return zip([](T x, T y) { return x < y || x != x ? x : y; });
    case BinaryOp::Eq: return zip([](T x, T y) { return T(x == y); });
    case BinaryOp::Ne: return zip([](T x, T y) { return T(x != y); });
    case BinaryOp::Lt: return zip([](T x, T y) { return T(x < y); });
    case BinaryOp::Le: return zip([](T x, T y) { return T(x <= y); });
    case BinaryOp::Gt: return zip([](T x, T y) { return T(x > y); });
    case BinaryOp::Ge: return zip([](T x, T y) { return T(x >= y); });
  }
}

#define NABLA_INSTANTIATE(T)                                                                       \
  template void scalar<T>(ScalarOp, const T*, T, T*, int64_t);                                     \
  template void clamp<T>(const T*, T, T, T*, int64_t);                                             \
  template void where<T>(const T*, const T*, const T*, T*, int64_t);                               \
  template void axpy<T>(T, const T*, T*, int64_t);                                                 \
  template void binary<T>(BinaryOp, const T*, const Shape&, const T*, const Shape&, T*, const Shape&);
NABLA_INSTANTIATE(float)
NABLA_INSTANTIATE(double)
// int64 too: the ops let through only what is exact on integers (no exp, no division).
NABLA_INSTANTIATE(int64_t)
#undef NABLA_INSTANTIATE

template void fill<float>(float, float*, int64_t);
template void fill<double>(double, double*, int64_t);
template void fill<int64_t>(int64_t, int64_t*, int64_t);
template void cast<float, float>(const float*, float*, int64_t);
template void cast<double, double>(const double*, double*, int64_t);
template void cast<int64_t, int64_t>(const int64_t*, int64_t*, int64_t);
template void cast<float, double>(const float*, double*, int64_t);
template void cast<double, float>(const double*, float*, int64_t);
template void cast<float, int64_t>(const float*, int64_t*, int64_t);
template void cast<double, int64_t>(const double*, int64_t*, int64_t);
template void cast<int64_t, float>(const int64_t*, float*, int64_t);
template void cast<int64_t, double>(const int64_t*, double*, int64_t);

}  // namespace nabla::kernels
