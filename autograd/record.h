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
// Every op in autograd/ops/ and nn/ joins the graph here, and here the anomaly check
// (anomaly_mode.h) sees each op's output. A backward run after its graph was freed
// (a second backward without retain_graph) is an AutogradError naming the op.
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "autograd/anomaly_mode.h"
#include "autograd/error.h"
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
};

// Makes `node` the output's grad_fn and marks the output as requiring grad.
void set_history(const Tensor& output, std::shared_ptr<Node> node);

}  // namespace detail

// Records `output = name(inputs...)` with its backward. See the top of this file.
template <class Inputs, class F>
Tensor record_with(std::string_view name, Tensor output, const Inputs& inputs, F&& backward) {
  if (AnomalyMode::is_enabled()) [[unlikely]] {
    detail::check_forward_anomaly(name, output, std::data(inputs), std::size(inputs));
  }
  bool needed = false;
  for (const Tensor& t : inputs) needed = needed || (t.defined() && t.requires_grad());
  if (!needed || !GradMode::is_enabled()) return output;
  auto node = std::make_shared<detail::LambdaNode<std::decay_t<F>>>(std::string(name), std::forward<F>(backward));
  for (const Tensor& t : inputs) {
    node->add_next(t.defined() ? gradient_edge(t) : nullptr);
    if (t.defined()) node->remember_version(t);
  }
  if constexpr (detail::LambdaNode<std::decay_t<F>>::kUsesOutput) {
    node->save_output(output);
    node->remember_version(output);
  }
  detail::set_history(output, std::move(node));
  return output;
}

// record_with for a braced list of inputs: record("mul", y, {a, b}, backward).
template <class F>
Tensor record(std::string_view name, Tensor output, std::initializer_list<Tensor> inputs, F&& backward) {
  return record_with(name, std::move(output), inputs, std::forward<F>(backward));
}

}  // namespace nabla
