#include "autograd/ops/activation_functions.h"

#include "autograd/grad_mode.h"
#include "autograd/ops/activation_op.h"
#include "autograd/record.h"

namespace nabla {

// The copy runs through the fused loop; since d/dx x = 1 the recorded backward returns the
// incoming gradient itself, as add(x, s) does: no pass over memory. (PyTorch's nn.Identity
// records nothing and returns x itself.) The second derivative is 0: the returned g does not
// depend on x.
Tensor identity(const Tensor& x) {
  Tensor y;
  {
    NoGradGuard no_grad;  // the pass-through node is recorded below instead
    y = activation_op(ops::Identity{}, ops::Identity::name, x);
  }
  if (!GradMode::is_enabled() || !x.requires_grad()) return y;
  return record(ops::Identity::name, y, {x}, [](const Tensor& g) { return TensorList{g}; }, detail::kElementwise);
}

Tensor relu(const Tensor& x) { return activation_op(ops::Relu{}, ops::Relu::name, x); }
Tensor sigmoid(const Tensor& x) { return activation_op(ops::Sigmoid{}, ops::Sigmoid::name, x); }
Tensor tanh(const Tensor& x) { return activation_op(ops::Tanh{}, ops::Tanh::name, x); }

Tensor Tensor::relu() const { return nabla::relu(*this); }
Tensor Tensor::sigmoid() const { return nabla::sigmoid(*this); }
Tensor Tensor::tanh() const { return nabla::tanh(*this); }

}  // namespace nabla
