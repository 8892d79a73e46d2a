#include "autograd/ops/math_ops.h"

#include <cmath>

#include "autograd/kernels/pointwise.h"
#include "autograd/ops/creation.h"
#include "autograd/ops/dense_layout.h"
#include "autograd/ops/reduction.h"
#include "autograd/ops/shape_ops.h"
#include "autograd/record.h"

namespace nabla {

namespace detail {

void check_same_dtype(const Tensor& a, const Tensor& b, const char* op) {
  if (a.dtype() != b.dtype()) {
    throw DtypeError(std::string(op) + ": mixed dtypes " + std::string(to_string(a.dtype())) + " and " +
                     std::string(to_string(b.dtype())) + "; cast one explicitly with .to(dtype)");
  }
}

[[noreturn]] void refuse_on_integers(const Tensor& x, const char* op) {
  throw DtypeError(std::string(op) + ": not defined on " + std::string(to_string(x.dtype())) +
                   " tensors (the result would not be an integer); cast first, e.g. x.to(kFloat)");
}

}  // namespace detail

namespace {

using kernels::BinaryOp;
using kernels::ScalarOp;

// int64 tensors (labels, indices, counts) take the ops that are exact on integers:
// arithmetic without division, and comparisons (unary_ops.def marks its own). The rest asks
// for a cast.
bool exact_on_integers(ScalarOp op) { return op != ScalarOp::Pow && op != ScalarOp::RDiv; }
bool exact_on_integers(BinaryOp op) { return op != BinaryOp::Div; }

// Calls fn<T>() for a floating dtype, and for int64 when the op is exact on integers.
template <class Op, class Fn>
void dispatch_op(const Tensor& x, Op op, const char* name, Fn&& fn) {
  if (x.dtype() == kInt64) {
    if (!exact_on_integers(op)) detail::refuse_on_integers(x, name);
    fn.template operator()<int64_t>();
    return;
  }
  dispatch_floating(x.dtype(), name, fn);
}

Tensor scalar_forward(const Tensor& x, ScalarOp op, double s, const char* name) {
  // The kernel walks one run of memory: a dense view's own (the output takes its layout), else a packed copy.
  if (!detail::is_dense(x)) return scalar_forward(x.contiguous(), op, s, name);
  // (written so that NaN and values beyond int64's range are refused too)
  if (x.dtype() == kInt64 && !(std::trunc(s) == s && std::abs(s) < 9.2e18)) {
    throw DtypeError(std::string(name) + ": the scalar " + std::to_string(s) +
                     " is not an integer and the tensor is int64; cast the tensor first, e.g. x.to(kFloat)");
  }
  Tensor out = detail::empty_with_layout(x, x.dtype());
  dispatch_op(x, op, name, [&]<class T>() {
    kernels::scalar(op, detail::run_begin<T>(x), static_cast<T>(s), detail::run_begin<T>(out), x.numel());
  });
  return out;
}

Tensor binary_forward(const Tensor& a, const Tensor& b, BinaryOp op, const char* name) {
  detail::check_same_dtype(a, b, name);
  // Two dense views of one layout are walked as one run each, and the output takes that
  // layout; any other view is packed first (no copy of a handle otherwise).
  if (!a.is_contiguous() || !b.is_contiguous()) {
    const bool same_layout = a.sizes() == b.sizes() && a.strides() == b.strides() && detail::is_dense(a);
    if (same_layout) {
      Tensor out = detail::empty_with_layout(a, a.dtype());
      const Shape run{a.numel()};
      dispatch_op(a, op, name, [&]<class T>() {
        kernels::binary(op, detail::run_begin<T>(a), run, detail::run_begin<T>(b), run, detail::run_begin<T>(out), run);
      });
      return out;
    }
    // Broadcast views (stride 0) of runs of memory: the kernel broadcasts the runs itself.
    const auto a_source = detail::broadcast_source_shape(a), b_source = detail::broadcast_source_shape(b);
    if (!a_source || !b_source) return binary_forward(a.contiguous(), b.contiguous(), op, name);
    const Shape shape = broadcast_shapes(a.sizes(), b.sizes(), name);
    Tensor out = empty(shape, a.dtype());
    dispatch_op(a, op, name, [&]<class T>() {
      kernels::binary(op, detail::run_begin<T>(a), *a_source, detail::run_begin<T>(b), *b_source, out.data_ptr<T>(), shape);
    });
    return out;
  }
  const Shape shape = broadcast_shapes(a.sizes(), b.sizes(), name);
  Tensor out = empty(shape, a.dtype());
  dispatch_op(a, op, name, [&]<class T>() {
    kernels::binary(op, a.data_ptr<T>(), a.sizes(), b.data_ptr<T>(), b.sizes(), out.data_ptr<T>(), shape);
  });
  return out;
}

// Masks in a backward are constants, not part of the graph of the gradient.
template <class F>
Tensor constant(F compute) {
  NoGradGuard no_grad;
  return compute();
}

}  // namespace

// --- arithmetic ------------------------------------------------------------------------

Tensor add(const Tensor& a, const Tensor& b) {
  Tensor y = binary_forward(a, b, BinaryOp::Add, "add");
  // d/da (a + b) = 1, d/db (a + b) = 1; broadcast dimensions are summed back
  return record(
      "add", y, {a, b}, [as = a.sizes(), bs = b.sizes()](const Tensor& g) { return TensorList{sum_to(g, as), sum_to(g, bs)}; },
      // d(a + b) = da + db, each broadcast to the output's shape
      [&y](const TensorList& t) { return broadcast_tangent(tangent_sum(t[0], t[1]), y.sizes()); });
}

Tensor sub(const Tensor& a, const Tensor& b) {
  Tensor y = binary_forward(a, b, BinaryOp::Sub, "sub");
  // d/da (a - b) = 1, d/db (a - b) = -1
  return record(
      "sub", y, {a, b}, [as = a.sizes(), bs = b.sizes()](const Tensor& g) { return TensorList{sum_to(g, as), sum_to(-g, bs)}; },
      // d(a - b) = da - db
      [&y](const TensorList& t) {
        return broadcast_tangent(tangent_sum(t[0], t[1].defined() ? -t[1] : Tensor()), y.sizes());
      });
}

Tensor mul(const Tensor& a, const Tensor& b) {
  Tensor y = binary_forward(a, b, BinaryOp::Mul, "mul");
  // d/da (a * b) = b, d/db (a * b) = a
  return record(
      "mul", y, {a, b},
      [a, b](const Tensor& g) {
        return TensorList{a.requires_grad() ? sum_to(g * b, a.sizes()) : Tensor(),
                          b.requires_grad() ? sum_to(g * a, b.sizes()) : Tensor()};
      },
      // d(a b) = da b + a db
      [&a, &b, &y](const TensorList& t) {
        return broadcast_tangent(tangent_sum(t[0].defined() ? t[0] * b : Tensor(), t[1].defined() ? a * t[1] : Tensor()),
                                 y.sizes());
      });
}

Tensor div(const Tensor& a, const Tensor& b) {
  Tensor y = binary_forward(a, b, BinaryOp::Div, "div");
  // d/da (a / b) = 1 / b, d/db (a / b) = -a / b^2
  return record(
      "div", y, {a, b},
      [a, b](const Tensor& g) {
        return TensorList{a.requires_grad() ? sum_to(g / b, a.sizes()) : Tensor(),
                          b.requires_grad() ? sum_to(-(g * a) / (b * b), b.sizes()) : Tensor()};
      },
      // d(a / b) = da / b - a db / b^2 = (da - (a / b) db) / b  (a / b anew: the output
      // itself would hold its own tangent's graph, a reference cycle)
      [&a, &b, &y](const TensorList& t) {
        const Tensor numerator = tangent_sum(t[0], t[1].defined() ? -((a / b) * t[1]) : Tensor());
        return broadcast_tangent(numerator / b, y.sizes());
      });
}

Tensor maximum(const Tensor& a, const Tensor& b) {
  Tensor y = binary_forward(a, b, BinaryOp::Maximum, "maximum");
  // d/da max(a, b) = 1 where a > b, 1/2 where a == b, 0 elsewhere (and the reverse for b)
  return record("maximum", y, {a, b}, [a, b](const Tensor& g) {
    const Tensor share_a = constant([&] { return gt(a, b) + eq(a, b) * 0.5; });
    const Tensor share_b = constant([&] { return 1.0 - share_a; });
    return TensorList{sum_to(g * share_a, a.sizes()), sum_to(g * share_b, b.sizes())};
  });
}

Tensor minimum(const Tensor& a, const Tensor& b) {
  Tensor y = binary_forward(a, b, BinaryOp::Minimum, "minimum");
  // d/da min(a, b) = 1 where a < b, 1/2 where a == b, 0 elsewhere (and the reverse for b)
  return record("minimum", y, {a, b}, [a, b](const Tensor& g) {
    const Tensor share_a = constant([&] { return lt(a, b) + eq(a, b) * 0.5; });
    const Tensor share_b = constant([&] { return 1.0 - share_a; });
    return TensorList{sum_to(g * share_a, a.sizes()), sum_to(g * share_b, b.sizes())};
  });
}

Tensor add(const Tensor& a, double b) {
  Tensor y = scalar_forward(a, ScalarOp::Add, b, "add");
  // d/da (a + s) = 1
  return record("add", y, {a}, [](const Tensor& g) { return TensorList{g}; }, detail::kElementwise);
}

Tensor mul(const Tensor& a, double b) {
  Tensor y = scalar_forward(a, ScalarOp::Mul, b, "mul");
  // d/da (a * s) = s
  return record("mul", y, {a}, [b](const Tensor& g) { return TensorList{g * b}; }, detail::kElementwise);
}

Tensor sub(const Tensor& a, double b) { return add(a, -b); }

Tensor div(const Tensor& a, double b) {
  if (a.dtype() == kInt64) detail::refuse_on_integers(a, "div");
  return mul(a, 1.0 / b);
}

Tensor rsub(double a, const Tensor& b) {
  Tensor y = scalar_forward(b, ScalarOp::RSub, a, "rsub");
  // d/db (s - b) = -1
  return record("rsub", y, {b}, [](const Tensor& g) { return TensorList{-g}; }, detail::kElementwise);
}

Tensor rdiv(double a, const Tensor& b) {
  Tensor y = scalar_forward(b, ScalarOp::RDiv, a, "rdiv");
  // d/db (s / b) = -s / b^2 = -y / b
  return record("rdiv", y, {b}, [b](const Tensor& g, const Tensor& y) { return TensorList{-(g * y) / b}; },
                detail::kElementwise);
}

Tensor pow(const Tensor& x, double p) {
  Tensor y = scalar_forward(x, ScalarOp::Pow, p, "pow");
  // d/dx x^p = p * x^(p-1)
  return record(
      "pow", y, {x},
      [x, p](const Tensor& g) {
        if (p == 0.0) return TensorList{zeros_like(g)};
        return TensorList{g * (pow(x, p - 1.0) * p)};
      },
      detail::kElementwise);
}

Tensor clamp(const Tensor& x, double low, double high) {
  if (low > high) {
    throw std::invalid_argument("clamp: low (" + std::to_string(low) + ") is greater than high (" +
                                std::to_string(high) + ")");
  }
  Tensor y = empty(x.sizes(), x.dtype());
  const Tensor dense = x.contiguous();
  dispatch_floating(x.dtype(), "clamp", [&]<class T>() {
    kernels::clamp(dense.data_ptr<T>(), static_cast<T>(low), static_cast<T>(high), y.data_ptr<T>(), x.numel());
  });
  // d/dx clamp(x, lo, hi) = 1 where lo <= x <= hi, else 0
  return record(
      "clamp", y, {x},
      [x, low, high](const Tensor& g) {
        const Tensor inside = constant([&] { return ge(x, low) * le(x, high); });
        return TensorList{g * inside};
      },
      detail::kElementwise);
}

Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b) {
  detail::check_same_dtype(a, b, "where");
  const Shape shape = broadcast_shapes(broadcast_shapes(condition.sizes(), a.sizes(), "where"), b.sizes(), "where");
  Tensor mask = condition.dtype() == a.dtype() ? condition.detach() : condition.detach().to(a.dtype());
  mask = broadcast_to(mask, shape).contiguous();  // the kernel walks one run of memory
  const Tensor ab = broadcast_to(a, shape).contiguous(), bb = broadcast_to(b, shape).contiguous();
  Tensor y = empty(shape, a.dtype());
  dispatch_all(a.dtype(), [&]<class T>() {
    kernels::where(mask.data_ptr<T>(), ab.data_ptr<T>(), bb.data_ptr<T>(), y.data_ptr<T>(), y.numel());
  });
  // d/da where(c, a, b) = c, d/db = 1 - c  (broadcast_to sums back to the input shapes)
  return record(
      "where", y, {ab, bb},
      [mask](const Tensor& g) {
        const Tensor none = zeros_like(g);
        return TensorList{where(mask, g, none), where(mask, none, g)};
      },
      [&](const TensorList& t) {  // J (ta, tb) = where(c, ta, tb)
        return where(mask, t[0].defined() ? t[0] : zeros_like(y), t[1].defined() ? t[1] : zeros_like(y));
      });
}

// --- comparisons ------------------------------------------------------------------------

#define NABLA_COMPARISON(name, Op)                                                                      \
  Tensor name(const Tensor& a, const Tensor& b) { return binary_forward(a, b, BinaryOp::Op, #name); }   \
  Tensor name(const Tensor& a, double b) { return scalar_forward(a, ScalarOp::Op, b, #name); }
NABLA_COMPARISON(eq, Eq)
NABLA_COMPARISON(ne, Ne)
NABLA_COMPARISON(lt, Lt)
NABLA_COMPARISON(le, Le)
NABLA_COMPARISON(gt, Gt)
NABLA_COMPARISON(ge, Ge)
#undef NABLA_COMPARISON

// --- method forms -------------------------------------------------------------------------

Tensor Tensor::pow(double exponent) const { return nabla::pow(*this, exponent); }
Tensor Tensor::clamp(double min, double max) const { return nabla::clamp(*this, min, max); }

}  // namespace nabla
