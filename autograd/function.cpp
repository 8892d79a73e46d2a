#include "autograd/function.h"

#include "autograd/ops/creation.h"

namespace nabla::autograd {

void AutogradContext::forget_output(const Tensor& output) {
  // Holding the output here would be a cycle (output -> grad_fn -> ctx -> output):
  // remember its place and hand the graph's copy back in get_saved_variables().
  is_output_.assign(saved_.size(), false);
  for (size_t i = 0; i < saved_.size(); ++i) {
    if (saved_[i].defined() && saved_[i].is_same(output)) {
      is_output_[i] = true;
      saved_[i] = Tensor();
    }
  }
}

TensorList AutogradContext::get_saved_variables() const {
  TensorList out = saved_;
  for (size_t i = 0; i < out.size(); ++i) {
    if (i < is_output_.size() && is_output_[i]) out[i] = bound_output_;
  }
  return out;
}

namespace detail {

void check_custom_gradients(const std::string& name, const TensorList& grads, const TensorList& inputs) {
  if (grads.size() != inputs.size()) {
    throw AutogradError(name + ": backward returned " + std::to_string(grads.size()) + " gradients for " +
                        std::to_string(inputs.size()) + " tensor inputs");
  }
  for (size_t i = 0; i < grads.size(); ++i) {
    if (!grads[i].defined() || !inputs[i].defined()) continue;
    if (!(grads[i].sizes() == inputs[i].sizes()) || grads[i].dtype() != inputs[i].dtype()) {
      throw AutogradError(name + ": backward returned a gradient of " + std::string(to_string(grads[i].dtype())) +
                          " " + to_string(grads[i].sizes()) + " for input " + std::to_string(i) + " of " +
                          std::string(to_string(inputs[i].dtype())) + " " + to_string(inputs[i].sizes()));
    }
  }
}

Tensor distinct_from_inputs(const Tensor& output, const TensorList& inputs) {
  if (!output.defined()) throw AutogradError("custom Function: forward returned an undefined tensor");
  for (const Tensor& t : inputs) {
    if (t.defined() && t.is_same(output)) return output.detach();  // never graft history onto an input
  }
  return output;
}

TensorList zeros_where_undefined(const TensorList& tangents, const TensorList& inputs) {
  TensorList out = tangents;
  for (size_t i = 0; i < out.size() && i < inputs.size(); ++i) {
    if (!out[i].defined() && inputs[i].defined()) out[i] = zeros(inputs[i].sizes(), inputs[i].dtype());
  }
  return out;
}

void check_custom_tangent(const std::string& name, const Tensor& tangent, const Shape& output_shape) {
  if (!tangent.defined() || !(tangent.sizes() == output_shape)) {
    throw AutogradError(name + ": jvp gave " + (tangent.defined() ? "a tangent of shape " + to_string(tangent.sizes())
                                                                  : std::string("an undefined tangent")) +
                        " for an output of shape " + to_string(output_shape));
  }
}

void throw_no_jvp(const std::string& name) {
  throw AutogradError(name + ": forward mode needs its rule; give the Function a "
                      "static Tensor jvp(AutogradContext* ctx, const TensorList& tangents) (the output's tangent "
                      "from the inputs' tangents)");
}

}  // namespace detail
}  // namespace nabla::autograd
