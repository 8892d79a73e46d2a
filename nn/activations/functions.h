#pragma once
// Activation functions on tensors. Each is the fused kernel of its row in the activation
// table (builtin.cpp), where its formula and derivatives are written. At kinks the
// derivative follows PyTorch's convention (relu'(0) = 0, hardtanh'(+-1) = 0, ...).
#include "autograd/tensor.h"

namespace nabla {

Tensor identity(const Tensor& x);
Tensor relu(const Tensor& x);
Tensor leaky_relu(const Tensor& x, double negative_slope = 0.01);
// Leaky relu whose slope is learned: x if x > 0 else weight * x (weight: one element).
Tensor prelu(const Tensor& x, const Tensor& weight);
Tensor elu(const Tensor& x, double alpha = 1.0);
Tensor selu(const Tensor& x);
Tensor celu(const Tensor& x, double alpha = 1.0);
Tensor gelu(const Tensor& x);       // exact: x * Phi(x)
Tensor gelu_tanh(const Tensor& x);  // the tanh approximation
Tensor silu(const Tensor& x);       // also called swish: x * sigmoid(x)
Tensor mish(const Tensor& x);
Tensor softplus(const Tensor& x, double beta = 1.0);
Tensor softsign(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor hard_sigmoid(const Tensor& x);
Tensor log_sigmoid(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor hardtanh(const Tensor& x, double min_val = -1.0, double max_val = 1.0);
Tensor relu6(const Tensor& x);
Tensor hardswish(const Tensor& x);

// The poor choices, kept to be studied: outside their domain they give NaN, as the math says.
Tensor signed_sqrt(const Tensor& x);  // sign(x) * sqrt(|x|): the exercise

// Probabilities along `dim`: exp(x) / sum(exp(x)), computed as exp(x - max) / ... so that
// large inputs do not overflow. The backward is the Jacobian-vector product.
Tensor softmax(const Tensor& x, int64_t dim = -1);
Tensor log_softmax(const Tensor& x, int64_t dim = -1);

}  // namespace nabla
