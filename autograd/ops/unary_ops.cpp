// The ops of unary_ops.def, generated row by row: the forward runs the row's expression over
// every element (kernels::map), the backward is the row's formula, recorded beside it.
#include "autograd/ops/unary_ops.h"

#include <cmath>

#include "autograd/kernels/element_math.h"
#include "autograd/kernels/map.h"
#include "autograd/ops/creation.h"
#include "autograd/ops/dense_layout.h"
#include "autograd/ops/math_ops.h"
#include "autograd/record.h"

namespace nabla {
namespace {

namespace element = kernels::element;

// The dtypes column of the table.
constexpr bool kAnyDtype = true;
constexpr bool kFloating = false;

// y[i] = f(x[i]) into a new tensor of x's shape and dtype. int64 runs only the functions
// that are exact on integers; the others refuse it and ask for a cast.
template <bool kOnIntegers, class F>
Tensor map_forward(const Tensor& x, const char* name, F f) {
  // The kernel walks one run of memory: a dense view's own (y takes its layout), else a packed copy.
  if (!detail::is_dense(x)) return map_forward<kOnIntegers>(x.contiguous(), name, f);
  Tensor y = detail::empty_with_layout(x, x.dtype());
  auto run = [&]<class T>() { kernels::map(detail::run_begin<T>(x), detail::run_begin<T>(y), x.numel(), f); };
  if (x.dtype() == kInt64) {
    if constexpr (kOnIntegers) {
      run.template operator()<int64_t>();
    } else {
      detail::refuse_on_integers(x, name);
    }
  } else {
    dispatch_floating(x.dtype(), name, run);
  }
  return y;
}

}  // namespace

// The backward's lambda, by the saves column: it captures the input, asks record() for the
// output, or needs neither.
#define NABLA_BACKWARD_SAVING_none [](const Tensor& g)
#define NABLA_BACKWARD_SAVING_x [x](const Tensor& g)
#define NABLA_BACKWARD_SAVING_y [](const Tensor& g, const Tensor& y)

#define NABLA_UNARY(name, dtypes, forward, saves, backward)                                         \
  Tensor name(const Tensor& x) {                                                                    \
    Tensor y = map_forward<dtypes>(x, #name, []<class T>(T v) -> T { return forward; });             \
    /* elementwise: the tangent is the backward applied to it (f'(x) t) */                         \
    return record(#name, y, {x}, NABLA_BACKWARD_SAVING_##saves { return TensorList{backward}; },     \
                  detail::kElementwise);                                                             \
  }                                                                                                  \
  Tensor Tensor::name() const { return nabla::name(*this); }
#include "autograd/ops/unary_ops.def"
#undef NABLA_UNARY
#undef NABLA_BACKWARD_SAVING_none
#undef NABLA_BACKWARD_SAVING_x
#undef NABLA_BACKWARD_SAVING_y

}  // namespace nabla
