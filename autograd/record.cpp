#include "autograd/record.h"

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

}  // namespace nabla::detail
