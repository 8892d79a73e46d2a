#pragma once
// Custom differentiable ops, defined by a forward and a backward (torch::autograd::Function):
//
//   struct Cube : nabla::autograd::Function<Cube> {
//     static Tensor forward(AutogradContext* ctx, const Tensor& x) {
//       ctx->save_for_backward({x});
//       return x * x * x;
//     }
//     // d/dx x^3 = 3 x^2
//     static TensorList backward(AutogradContext* ctx, const TensorList& grad_outputs) {
//       const Tensor x = ctx->get_saved_variables()[0];
//       return {grad_outputs[0] * 3.0 * x * x};
//     }
//   };
//   Tensor y = Cube::apply(x);
//
// forward runs with recording off. backward gets one gradient (the output's) and returns
// one gradient per Tensor argument of forward (undefined for those without one). Written
// with differentiable ops, it supports second derivatives too. Check it with gradcheck().
// A backward that returns the wrong number of gradients, or one whose shape or dtype is not
// its input's, is an AutogradError naming the op (`static constexpr const char* name` in
// the struct names it; "CustomFunction" otherwise). A forward that returns undefined is one too.
//
// Forward mode (forward_ad.h) calls an optional
//     static Tensor jvp(AutogradContext* ctx, const TensorList& tangents)
// giving the output's tangent from the inputs' (zeros for an input without one), e.g. for the
// cube, 3 x^2 t. Without it, forward mode through the op is an AutogradError naming it.
//
// This is the user's way to add an op; nabla's own ops call record() (record.h) directly.
#include <map>
#include <string>
#include <type_traits>

#include "autograd/record.h"

namespace nabla::autograd {

// What forward leaves for backward: tensors, plain numbers, and which inputs need a gradient.
class AutogradContext {
 public:
  // Keeps these tensors for backward (replacing any saved before).
  void save_for_backward(TensorList tensors) { saved_ = std::move(tensors); }
  // The tensors saved by forward (the output, if saved, comes back attached to the graph).
  TensorList get_saved_variables() const;
  // Whether input i of forward needs a gradient.
  bool needs_input_grad(size_t i) const { return i < needs_grad_.size() && needs_grad_[i]; }
  // Non-tensor values forward wants to pass to backward.
  std::map<std::string, double> saved_data;

 private:
  template <class> friend struct Function;
  void forget_output(const Tensor& output);
  TensorList saved_;
  Shape bound_output_shape_;
  std::vector<bool> needs_grad_;
  std::vector<bool> is_output_;
  Tensor bound_output_;
};

// Internal to Function::apply.
namespace detail {
// AutogradError unless backward gave one gradient per input, each of its input's shape and dtype.
void check_custom_gradients(const std::string& name, const TensorList& grads, const TensorList& inputs);
// The output, detached if forward returned one of its inputs (so no input gains a history);
// AutogradError if it is undefined.
Tensor distinct_from_inputs(const Tensor& output, const TensorList& inputs);

// The tangents with zeros of the input's shape and dtype where one is undefined.
TensorList zeros_where_undefined(const TensorList& tangents, const TensorList& inputs);
// AutogradError unless jvp's tangent is defined and of the output's shape.
void check_custom_tangent(const std::string& name, const Tensor& tangent, const Shape& output_shape);
// The AutogradError for forward mode through a Function without a jvp.
[[noreturn]] void throw_no_jvp(const std::string& name);

inline void collect(TensorList&) {}
template <class First, class... Rest>
void collect(TensorList& out, const First& first, const Rest&... rest) {
  if constexpr (std::is_same_v<std::decay_t<First>, Tensor>) out.push_back(first);
  collect(out, rest...);
}
}  // namespace detail

// CRTP base: derive as struct MyOp : Function<MyOp> and give static forward and backward.
template <class Derived>
struct Function {
  // Runs Derived::forward(ctx, args...) with recording off and records Derived::backward as
  // the output's gradient function. The Tensor arguments are the inputs, in order.
  template <class... Args>
  static Tensor apply(Args&&... args) {
    TensorList inputs;
    detail::collect(inputs, args...);
    auto ctx = std::make_shared<AutogradContext>();
    for (const Tensor& t : inputs) ctx->needs_grad_.push_back(t.defined() && t.requires_grad());
    Tensor output;
    {
      NoGradGuard forward_is_not_recorded;
      ForwardADOff forward_carries_no_tangents;  // the output's tangent is jvp's
      output = Derived::forward(ctx.get(), std::forward<Args>(args)...);
    }
    output = detail::distinct_from_inputs(output, inputs);
    ctx->forget_output(output);
    const std::string name = op_name();
    // The gradients of the inputs: whatever the user's backward says, checked for shape.
    auto backward = [ctx, inputs, name](const Tensor& grad, const Tensor& output) {
      ctx->bound_output_ = output;
      TensorList grads = Derived::backward(ctx.get(), TensorList{grad});
      ctx->bound_output_ = Tensor();
      detail::check_custom_gradients(name, grads, inputs);
      return grads;
    };
    // Forward mode: the user's jvp, given zeros for inputs without a tangent; none is an error
    // naming the op (its backward need not be differentiable, so no rule is derived from it).
    auto jvp = [&](const TensorList& tangents) {
      if constexpr (requires { Derived::jvp(ctx.get(), tangents); }) {
        Tensor tangent = Derived::jvp(ctx.get(), detail::zeros_where_undefined(tangents, inputs));
        detail::check_custom_tangent(name, tangent, ctx->bound_output_shape_);
        return tangent;
      } else {
        detail::throw_no_jvp(name);
        return Tensor();
      }
    };
    ctx->bound_output_shape_ = output.sizes();
    return record_with(name, output, inputs, backward, jvp);
  }

 private:
  static std::string op_name() {
    if constexpr (requires { Derived::name; }) {
      return std::string(Derived::name);
    } else {
      return "CustomFunction";
    }
  }
};

}  // namespace nabla::autograd
