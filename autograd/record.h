#pragma once
// record(): how every differentiable op joins the graph. An op computes its output with a
// kernel, then hands record() its inputs and a backward lambda, written right there:
//
//   Tensor rdiv(double s, const Tensor& b) {
//     Tensor y = scalar_forward(b, kernels::ScalarOp::RDiv, s, "rdiv");
//     // d/db (s / b) = -s / b^2 = -y / b
//     return record("rdiv", y, {b}, [b](const Tensor& grad, const Tensor& y) { return TensorList{-(grad * y) / b}; });
//   }
//
// The lambda gets the output's gradient (and, if it asks for a second parameter, the output
// itself) and returns one gradient per input. Backwards are written with differentiable ops,
// so a backward run with create_graph=true records itself and gives second derivatives.
// When no input requires grad, or recording is off, record() just returns the output.
//
// Forward mode (forward_ad.h): an optional last argument gives the op's forward-mode rule,
// the output's tangent from the inputs' tangents (undefined where an input has none):
//
//   return record("mul", y, {a, b}, [a, b](const Tensor& g) { return TensorList{g * b, g * a}; },
//                 // d(a b) = da b + a db  (an undefined tangent is a zero one)
//                 [&a, &b](const TensorList& t) {
//                   return tangent_sum(t[0].defined() ? t[0] * b : Tensor(), t[1].defined() ? a * t[1] : Tensor());
//                 });
//
// (A rule runs inside record(), never later, so it captures by reference: it then costs
// nothing to build when no tangent needs it.) Or detail::kElementwise for an op that maps
// each element on its own (its Jacobian is diagonal, so the backward applied to the tangent
// is the rule; detail::kSymmetricJacobian says the same of any symmetric Jacobian, as
// softmax's), or detail::kNoTangent for an output without one. An op that gives none has its rule derived from its backward,
// which is linear in the gradient: J t = d/du <backward(u), t> (one more backward's work).
// Every op in autograd/ops/ and nn/ joins the graph here, and here the anomaly check
// (anomaly_mode.h) sees each op's output. A backward run after its graph was freed
// (a second backward without retain_graph) is an AutogradError naming the op.
#include <functional>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "autograd/anomaly_mode.h"
#include "autograd/error.h"
#include "autograd/forward_ad.h"
#include "autograd/grad_mode.h"
#include "autograd/node.h"

namespace nabla {

namespace detail {

// The AutogradError for a backward whose saved values were freed (retain_graph was false).
[[noreturn]] void throw_released(const std::string& op);

// A recorded op whose backward is the lambda F.
template <class F>
class LambdaNode final : public Node {
 public:
  static constexpr bool kUsesOutput = std::is_invocable_v<F&, const Tensor&, const Tensor&>;

  LambdaNode(std::string name, F backward) : Node(std::move(name)), backward_(std::move(backward)) {}

  void save_output(const Tensor& output) {
    output_storage_ = output.impl().storage;
    output_shape_ = output.sizes();
    output_strides_ = output.strides();
    output_offset_ = output.storage_offset();
    output_dtype_ = output.dtype();
  }

  TensorList apply(const Tensor& grad) override {
    if (!backward_) throw_released(name());
    if constexpr (kUsesOutput) {
      return (*backward_)(grad, saved_output());
    } else {
      return (*backward_)(grad);
    }
  }

  void release() override {
    backward_.reset();
    output_storage_.reset();
    output_tangent_.reset();
  }

  // The output as a rule of forward mode reads it: rebuilt, as the backward gets it, so that a
  // recorded tangent's graph reaches the output's history without holding the output itself
  // (output -> tangent -> its node -> output would be a reference cycle).
  Tensor output_for_rule() { return saved_output(); }

  // The output's tangent, for a backward run inside a DualLevel (forward over reverse). Kept
  // only when it has no graph of its own: one through this node would be a reference cycle.
  void save_output_tangent(const std::shared_ptr<TensorImpl>& tangent) {
    if (tangent && !tangent->grad_fn) output_tangent_ = tangent;
  }

 private:
  // The output, rebuilt on demand rather than held: holding it would be a reference cycle
  // (output -> grad_fn -> output). When the backward is itself recorded, the rebuilt output
  // hangs off this node again, so second derivatives flow through it.
  Tensor saved_output() {
    auto impl = std::make_shared<TensorImpl>();
    impl->storage = output_storage_;
    impl->shape = output_shape_;
    impl->strides = output_strides_;
    impl->contiguous = is_row_major(output_shape_, output_strides_);
    impl->offset = output_offset_;
    impl->dtype = output_dtype_;
    impl->tangent = output_tangent_;
    if (GradMode::is_enabled()) {
      impl->requires_grad = true;
      impl->grad_fn = shared_from_this();
    }
    return Tensor(std::move(impl));
  }

  std::optional<F> backward_;
  std::shared_ptr<Storage> output_storage_;
  Shape output_shape_;
  Strides output_strides_;
  int64_t output_offset_ = 0;
  ScalarType output_dtype_ = kFloat32;
  std::shared_ptr<TensorImpl> output_tangent_;
};

// Makes `node` the output's grad_fn and marks the output as requiring grad.
void set_history(const Tensor& output, std::shared_ptr<Node> node);

// The forward-mode rules record() knows by name (see the top of this file).
struct DerivedFromBackward {};  // none given: J t = d/du <backward(u), t>
struct Elementwise {};          // J is diagonal: J t = backward(t)
struct NoTangent {};            // the output carries no tangent
inline constexpr DerivedFromBackward kDerivedFromBackward{};
inline constexpr Elementwise kElementwise{};
// Any symmetric J (softmax's) likewise has J t = J^T t = backward(t); a diagonal one is a case.
inline constexpr Elementwise kSymmetricJacobian{};
inline constexpr NoTangent kNoTangent{};

// J t for an op whose backward (linear in its gradient u) is `vjp`: d/du <vjp(u), t>.
Tensor tangent_by_transposing(std::string_view name, const Tensor& output, const TensorList& tangents,
                              const std::function<TensorList(const Tensor&)>& vjp);

// Stands for the backward where the rule does not read it.
struct NoBackward {
  TensorList operator()(const Tensor&) const { return {}; }
};

// The inputs' tangents, undefined where an input has none; empty if none has one.
template <class Inputs>
TensorList input_tangents(const Inputs& inputs) {
  TensorList tangents;
  bool any = false;
  for (const Tensor& t : inputs) {
    tangents.push_back(t.defined() ? tangent_of(t) : Tensor());
    any = any || tangents.back().defined();
  }
  return any ? tangents : TensorList{};
}

// A handle on t's values alone (no history, no tangent): what a rule reads of an output that
// was not recorded, for the same reason as output_for_rule.
Tensor values_of(const Tensor& t);

// Gives the output of op `name` its tangent by the op's rule (see the top of this file);
// `read_output` is the output as the rule reads it.
template <class F, class J>
void propagate_tangent(std::string_view name, const Tensor& output, const Tensor& read_output, const TensorList& tangents,
                       F& backward, const J& rule) {
  auto vjp = [&](const Tensor& u) -> TensorList {
    if constexpr (LambdaNode<F>::kUsesOutput) {
      return backward(u, read_output);
    } else {
      return backward(u);
    }
  };
  ForwardADOff the_rule_itself_carries_no_tangents;
  AutoGradMode recorded_if_tangents_are(GradMode::is_enabled() && tangents_recorded());
  Tensor tangent;
  if constexpr (std::is_same_v<J, NoTangent>) {
    return;
  } else if constexpr (std::is_same_v<J, Elementwise>) {
    tangent = vjp(tangents[0])[0];
  } else if constexpr (std::is_same_v<J, DerivedFromBackward>) {
    tangent = tangent_by_transposing(name, output, tangents, vjp);
  } else {
    tangent = rule(tangents);
  }
  set_tangent(output, tangent, name);
}

}  // namespace detail

namespace detail {

// Makes the node of op `name`, with its inputs' edges, and the output's history. Returns the
// node (null when nothing needs a gradient or recording is off).
template <class Inputs, class F>
LambdaNode<std::decay_t<F>>* record_history(std::string_view name, const Tensor& output, const Inputs& inputs,
                                            F&& backward) {
  bool needed = false;
  for (const Tensor& t : inputs) needed = needed || (t.defined() && t.requires_grad());
  if (!needed || !GradMode::is_enabled()) return nullptr;
  auto node = std::make_shared<LambdaNode<std::decay_t<F>>>(std::string(name), std::forward<F>(backward));
  for (const Tensor& t : inputs) {
    node->add_next(t.defined() ? gradient_edge(t) : nullptr);
    if (t.defined()) node->remember_version(t);
  }
  if constexpr (LambdaNode<std::decay_t<F>>::kUsesOutput) {
    node->save_output(output);
    node->remember_version(output);
  }
  LambdaNode<std::decay_t<F>>* recorded = node.get();
  set_history(output, std::move(node));
  return recorded;
}

// record_with inside a DualLevel: the history, then the output's tangent by the op's rule.
template <class Inputs, class F, class J>
Tensor record_with_tangent(std::string_view name, Tensor output, const Inputs& inputs, F&& backward, const J& rule) {
  using Backward = std::decay_t<F>;
  constexpr bool kRuleReadsBackward = std::is_same_v<J, DerivedFromBackward> || std::is_same_v<J, Elementwise>;
  const TensorList tangents = input_tangents(inputs);
  std::optional<Backward> kept;  // the backward, kept for a rule that reads it (the node takes the original)
  if constexpr (kRuleReadsBackward) {
    if (!tangents.empty()) kept.emplace(backward);
  }
  auto* recorded = record_history(name, output, inputs, std::forward<F>(backward));
  if (tangents.empty()) return output;
  // After the history, so that a rule read from the backward sees the output in the graph.
  if constexpr (kRuleReadsBackward) {
    Tensor read_output;
    if constexpr (LambdaNode<Backward>::kUsesOutput) read_output = recorded ? recorded->output_for_rule() : values_of(output);
    propagate_tangent(name, output, read_output, tangents, *kept, rule);
  } else {
    NoBackward unused;
    propagate_tangent(name, output, Tensor(), tangents, unused, rule);
  }
  if constexpr (LambdaNode<Backward>::kUsesOutput) {
    if (recorded) recorded->save_output_tangent(output.impl().tangent);
  }
  return output;
}

}  // namespace detail

// Records `output = name(inputs...)` with its backward and its forward-mode rule. See the top
// of this file.
template <class Inputs, class F, class J = detail::DerivedFromBackward>
Tensor record_with(std::string_view name, Tensor output, const Inputs& inputs, F&& backward, const J& rule = {}) {
  if (AnomalyMode::is_enabled()) [[unlikely]] {
    detail::check_forward_anomaly(name, output, std::data(inputs), std::size(inputs));
  }
  if (detail::forward_ad_active()) [[unlikely]] {
    return detail::record_with_tangent(name, std::move(output), inputs, std::forward<F>(backward), rule);
  }
  detail::record_history(name, output, inputs, std::forward<F>(backward));
  return output;
}

// record_with for a braced list of inputs: record("mul", y, {a, b}, backward[, rule]).
template <class F, class J = detail::DerivedFromBackward>
Tensor record(std::string_view name, Tensor output, std::initializer_list<Tensor> inputs, F&& backward,
              const J& rule = {}) {
  return record_with(name, std::move(output), inputs, std::forward<F>(backward), rule);
}

}  // namespace nabla
