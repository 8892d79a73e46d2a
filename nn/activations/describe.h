#pragma once
// How a built-in activation's functor becomes its row of the table. The functor (builtin.h)
// is the activation's one description: besides f, f' and f'' it states its name, formula,
// derivative, init family and parameters as static members, and, when they apply, `domain`,
// `piecewise_linear`, `kinks()`, `check()` and `apply(x)`. The worked example is LeakyRelu,
// in builtin.h and in the README's "Adding an activation" (a test compiles that block).
// describe(functor) reads all of them; nothing else restates them.
#include <array>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "autograd/ops/activation_op.h"
#include "nn/activations/activation.h"

namespace nabla::detail {

// A parameter of functor F: its name and the member holding its value.
template <class F>
struct Parameter {
  const char* name;
  double F::*member;
};

// A value as the formulas show it: 0.01, 1, -2, 1.5 (up to 6 significant digits).
inline std::string format_parameter(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

// `text` with each {p} replaced by the value of fn's parameter p.
template <class F>
std::string fill_parameters(std::string text, const F& fn) {
  if constexpr (requires { F::parameters(); }) {
    for (const Parameter<F>& p : F::parameters()) {
      const std::string key = std::string("{") + p.name + "}", value = format_parameter(fn.*p.member);
      for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size())) {
        text.replace(at, key.size(), value);
      }
    }
  }
  return text;
}

// fn applied to x: its own op when it has one (apply(x), as prelu's), else the fused
// activation op run with its f, f' and f''. Both the table's rows and the free functions
// (functions.cpp) apply a functor through here.
template <class F>
Tensor apply_functor(const F& fn, const Tensor& x) {
  if constexpr (requires { fn.apply(x); }) {
    return fn.apply(x);
  } else {
    return activation_op(fn, F::name, x);
  }
}

// The table row of the activation `fn` (with fn's parameter values).
template <class F>
Activation describe(const F& fn) {
  Activation a;
  a.name = F::name;
  a.formula = fill_parameters(F::formula, fn);
  a.derivative = fill_parameters(F::derivative, fn);
  if constexpr (requires { F::domain; }) a.domain = F::domain;
  if constexpr (requires { fn.kinks(); }) a.kinks = fn.kinks();
  if constexpr (requires { F::piecewise_linear; }) a.piecewise_linear = F::piecewise_linear;
  a.init = F::init;
  a.builtin = true;
  a.apply = [fn](const Tensor& x) { return apply_functor(fn, x); };
  if constexpr (requires { F::parameters(); }) {
    for (const Parameter<F>& p : F::parameters()) a.parameters.push_back({p.name, fn.*p.member});
    a.with_parameters = [](const std::vector<double>& values) {
      F other;
      size_t i = 0;
      for (const Parameter<F>& p : F::parameters()) other.*p.member = values.at(i++);
      if constexpr (requires { other.check(); }) other.check();
      return describe(other);
    };
  }
  return a;
}

// The rows of the functors Fs, each with its default parameters, in the order given.
template <class... Fs>
std::vector<Activation> describe_all() {
  return {describe(Fs{})...};
}

}  // namespace nabla::detail
