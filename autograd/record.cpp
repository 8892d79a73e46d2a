#include "autograd/record.h"

#include "autograd/engine.h"
#include "autograd/ops/creation.h"
#include "autograd/ops/math_ops.h"
#include "autograd/ops/reduction.h"

namespace nabla::detail {

void throw_released(const std::string& op) {
  throw AutogradError("backward through '" + op +
                      "' a second time: its saved tensors were freed by the first backward. Pass "
                      "retain_graph=true to the first backward() if you need to run it twice");
}

void set_history(const Tensor& output, std::shared_ptr<Node> node) {
  TensorImpl& impl = output.impl();
  impl.requires_grad = true;
  node->set_output_meta(impl.shape, impl.dtype);
  impl.grad_fn = std::move(node);
}

Tensor values_of(const Tensor& t) {
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = t.impl().storage;
  impl->shape = t.sizes();
  impl->strides = t.strides();
  impl->offset = t.storage_offset();
  impl->contiguous = t.is_contiguous();
  impl->dtype = t.dtype();
  return Tensor(std::move(impl));
}

// <vjp(u), t> is linear in u, and its gradient with respect to u is J t. The backward runs
// recorded (whatever the mode outside) so that it can be differentiated; the result keeps a
// graph only where the caller records (reverse over forward).
Tensor tangent_by_transposing(std::string_view name, const Tensor& output, const TensorList& tangents,
                              const std::function<TensorList(const Tensor&)>& vjp) {
  const bool keep_graph = GradMode::is_enabled();
  AutoGradMode recording(true);
  Tensor u = zeros(output.sizes(), output.dtype());
  u.requires_grad_(true);
  TensorList vjps;
  try {
    vjps = vjp(u);
  } catch (const std::exception& e) {
    throw AutogradError("forward mode: " + std::string(name) + " has no forward-mode rule, and its backward could not "
                        "be differentiated to derive one: " + e.what());
  }
  Tensor inner;  // <vjp(u), t>
  for (size_t k = 0; k < tangents.size() && k < vjps.size(); ++k) {
    if (!tangents[k].defined() || !vjps[k].defined()) continue;
    const Tensor term = (vjps[k] * tangents[k]).sum();
    inner = inner.defined() ? inner + term : term;
  }
  if (!inner.defined() || !inner.requires_grad()) return zeros(output.sizes(), output.dtype());
  const Tensor jt = autograd::grad({inner}, {u}, {}, keep_graph, keep_graph, /*allow_unused=*/true)[0];
  return jt.defined() ? jt : zeros(output.sizes(), output.dtype());
}

}  // namespace nabla::detail
