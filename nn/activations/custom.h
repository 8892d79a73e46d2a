#pragma once
// Writing your own activation, two ways. Both give a row of the activation table, which
// register_activation() adds so that Dense(..., "name"), audit() and the plots accept it.
//
// 1. Composite: a function of tensors built from differentiable ops; autograd derives it.
//
//      register_activation({.name = "my_softsign", .formula = "x / (1 + |x|)",
//                           .apply = [](const Tensor& x) { return x / (abs(x) + 1.0); }});
//
// 2. Elementwise pair: you give f(x) and f'(x) as scalar functions, nabla runs them as a
//    fused kernel. The derivative is yours, so check it with gradcheck() before trusting it.
//
//      register_activation(elementwise_activation(
//          {.name = "signed_sqrt2", .formula = "sign(x) sqrt(|x|)", .kinks = {0}},
//          [](double x) { return std::copysign(std::sqrt(std::abs(x)), x); },
//          [](double x) { return 0.5 / std::sqrt(std::abs(x)); }));
//
//    Give f'' as a third function to make it twice differentiable (gradgradcheck, plots).
//
// Either way the row is the same description a built-in has (activation.h): give what you
// know (.derivative, .domain, .kinks, .piecewise_linear, .init = InitFamily::He, ...). An
// activation registered without .init gets derive_init_family(): He when f is relu-like,
// else Glorot, so Dense(..., "my_act") and nn::Init::Auto treat it as they treat built-ins.
#include <utility>

#include "autograd/ops/activation_op.h"
#include "nn/activations/activation.h"

namespace nabla {

namespace detail {

// Adapts scalar double -> double functions to the f / df / d2f shape of activation_op.h.
template <class F, class DF, class D2F>
struct ScalarActivation {
  F value;
  DF derivative;
  D2F second_derivative;
  template <class T> T f(T x) const { return static_cast<T>(value(static_cast<double>(x))); }
  template <class T> T df(T x, T) const { return static_cast<T>(derivative(static_cast<double>(x))); }
  template <class T> T d2f(T x, T) const {
    if constexpr (std::is_invocable_v<const D2F&, double>) {
      return static_cast<T>(second_derivative(static_cast<double>(x)));
    } else {
      return std::numeric_limits<T>::quiet_NaN();  // never reached: see has_second_derivative
    }
  }
  static constexpr bool has_second_derivative = std::is_invocable_v<const D2F&, double>;
};

struct NoSecondDerivative {};

}  // namespace detail

// A table row whose apply() runs f and f' (and f'' if given) as fused kernels: `description`
// with apply set and twice_differentiable = whether d2f was given. F, DF, D2F: double -> double.
template <class F, class DF, class D2F = detail::NoSecondDerivative>
Activation elementwise_activation(Activation description, F f, DF df, D2F d2f = {}) {
  using Kernel = detail::ScalarActivation<F, DF, D2F>;
  const Kernel kernel{std::move(f), std::move(df), std::move(d2f)};
  description.twice_differentiable = Kernel::has_second_derivative;
  description.apply = [kernel, name = description.name](const Tensor& x) { return activation_op(kernel, name, x); };
  return description;
}

}  // namespace nabla
