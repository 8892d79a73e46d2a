#pragma once
// An elementwise op from a functor: activation_op(fn, name, x) is y = f(x), differentiable
// to second order, for any f described by a small struct with three member functions, f(x),
// df(x, y) and d2f(x, y), each written once as a template so the same formula serves
// float32 and float64. ops::Sigmoid and ops::Tanh in activation_functions.h are the worked
// examples; nn's activation table (the README's "Adding an activation") adds a description
// around the same three functions.
//
// (y is f(x), handed in because many derivatives are cheapest in terms of the output.)
// The op runs the functor through the fused loops of autograd/kernels/activation_kernels.h:
// one pass forward, one pass backward (grad * f'(x)), and a recorded backward so second
// derivatives work too (they use f''). Third derivatives are refused with a clear error
// rather than silently wrong.
//
// This is the machinery only; which activations exist, their formulas and their
// descriptions are nn's (nn/activations/builtin.h, custom.h), apart from the few autograd
// offers itself (activation_functions.h). It is a template, so it brings the kernel
// templates with it: the functor's loops are compiled where the op is called with it.
#include <limits>
#include <utility>
#include <string>
#include <string_view>
#include <type_traits>

#include "autograd/anomaly_mode.h"
#include "autograd/dtype.h"
#include "autograd/forward_ad.h"
#include "autograd/grad_mode.h"
#include "autograd/kernels/activation_kernels.h"
#include "autograd/ops/creation.h"
#include "autograd/record.h"
#include "autograd/tensor.h"

namespace nabla {

namespace detail {

// The op's errors, out of line (activation_op.cpp): a DtypeError unless x is floating point;
// the AutogradError for a third derivative; the one for a second derivative of an op whose
// functor has no f''.
void check_activation_input(const Tensor& x, std::string_view name);
[[noreturn]] void throw_third_derivative(const std::string& name);
[[noreturn]] void throw_no_second_derivative(const std::string& name);

// Functors built from a user's f and f' alone say so; the built-ins all know f''.
template <class F>
constexpr bool knows_second_derivative() {
  if constexpr (requires { F::has_second_derivative; }) {
    return F::has_second_derivative;
  } else {
    return true;
  }
}

// (gg f'(x), gg g f''(x)): the derivatives of g f'(x) along gg, in g and in x (unrecorded).
template <class F>
std::pair<Tensor, Tensor> second_order_terms(const F& fn, const std::string& name, const Tensor& given_gg,
                                             const Tensor& g, const Tensor& x, const Tensor& y) {
  const Tensor gg = given_gg.contiguous();
  if constexpr (!knows_second_derivative<F>()) throw_no_second_derivative(name);
  Tensor grad_g = empty(x.sizes(), x.dtype()), grad_x = empty(x.sizes(), x.dtype());
  dispatch_floating(x.dtype(), name, [&]<class T>() {
    kernels::activation_double_backward(fn, gg.data_ptr<T>(), g.data_ptr<T>(), x.data_ptr<T>(), y.data_ptr<T>(),
                                        grad_g.data_ptr<T>(), grad_x.data_ptr<T>(), x.numel());
  });
  return {grad_g, grad_x};
}

// gx = g * f'(x), itself recorded when the backward is (create_graph=true).
template <class F>
Tensor activation_grad(const F& fn, const std::string& name, const Tensor& given_g, const Tensor& x, const Tensor& y) {
  const Tensor g = given_g.contiguous();  // the kernels walk one run of memory (x and y are)
  Tensor gx = empty(x.sizes(), x.dtype());
  dispatch_floating(x.dtype(), name, [&]<class T>() {
    kernels::activation_backward(fn, g.data_ptr<T>(), x.data_ptr<T>(), y.data_ptr<T>(), gx.data_ptr<T>(), x.numel());
  });
  if (!GradMode::is_enabled() && !forward_ad_active()) return gx;  // the usual case: no graph of the backward
  return record(
      name + "_backward", gx, {g, x},
      [fn, name, g, x, y](const Tensor& gg) {
        const auto [grad_g, grad_x] = second_order_terms(fn, name, gg, g, x, y);
        // Differentiating these again would need f''': recorded so that only that attempt fails.
        auto refuse = [name](const Tensor&) -> TensorList { throw_third_derivative(name); };
        return TensorList{record(name + "_double_backward", grad_g, {gg, x}, refuse, kNoTangent),
                          record(name + "_double_backward", grad_x, {gg, g, x}, refuse, kNoTangent)};
      },
      // d(g f'(x)) = dg f'(x) + g f''(x) dx  (forward mode through a backward: forward over reverse)
      [&fn, &name, &g, &x, &y](const TensorList& t) {
        const Tensor from_g = t[0].defined() ? activation_grad(fn, name, t[0], x, y) : Tensor();
        const Tensor from_x = t[1].defined() ? second_order_terms(fn, name, t[1], g, x, y).second : Tensor();
        return tangent_sum(from_g, from_x);
      });
}

}  // namespace detail

// y = f(x) elementwise, recorded with the fused backward described at the top of this file.
// x: any shape, float32 or float64 (else DtypeError naming `name`); y has x's shape and dtype.
template <class F>
Tensor activation_op(const F& fn, std::string_view name, const Tensor& x) {
  detail::check_activation_input(x, name);
  if (!x.is_contiguous()) return activation_op(fn, name, x.contiguous());  // the kernel walks one run of memory
  Tensor y = empty(x.sizes(), x.dtype());
  dispatch_floating(x.dtype(), name, [&]<class T>() {
    kernels::activation_forward(fn, x.data_ptr<T>(), y.data_ptr<T>(), x.numel());
  });
  if ((!GradMode::is_enabled() || !x.requires_grad()) && !detail::forward_ad_active()) {  // nothing to record, but still checked
    if (AnomalyMode::is_enabled()) [[unlikely]] detail::check_forward_anomaly(name, y, &x, 1);
    return y;
  }
  // f is elementwise: the tangent is f'(x) t, the backward's own product
  return record(
      name, y, {x},
      [fn, name = std::string(name), x](const Tensor& g, const Tensor& y) {
        return TensorList{detail::activation_grad(fn, name, g, x, y.detach())};
      },
      detail::kElementwise);
}

}  // namespace nabla
