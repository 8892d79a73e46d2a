#pragma once
// Activation functions on tensors, the C++ names of the table's built-ins. Each runs the
// functor of its row (builtin.h), where its formula, derivatives and parameter defaults are
// written; a form without a parameter uses that default (activation("elu").parameters shows
// it). At kinks the derivative follows PyTorch's convention (relu'(0) = 0, hardtanh'(+-1) = 0).
// Every function takes x of any shape, float32 or float64 (else DtypeError), and returns y of
// x's shape and dtype; bad parameter values are std::invalid_argument.
#include "autograd/ops/activation_functions.h"
#include "autograd/ops/prelu.h"
#include "autograd/ops/softmax.h"
#include "autograd/tensor.h"

namespace nabla {

// identity, relu, sigmoid and tanh are autograd's ops: autograd/ops/activation_functions.h.
Tensor leaky_relu(const Tensor& x);
Tensor leaky_relu(const Tensor& x, double slope);
// prelu(x, a), leaky relu whose slope a is learned, is an op: autograd/ops/prelu.h.
Tensor elu(const Tensor& x);
Tensor elu(const Tensor& x, double alpha);
Tensor selu(const Tensor& x);
Tensor celu(const Tensor& x);
Tensor celu(const Tensor& x, double alpha);  // alpha != 0
Tensor gelu(const Tensor& x);       // exact: x * Phi(x)
Tensor gelu_tanh(const Tensor& x);  // the tanh approximation
Tensor silu(const Tensor& x);       // also called swish: x * sigmoid(x)
Tensor mish(const Tensor& x);
Tensor softplus(const Tensor& x);
Tensor softplus(const Tensor& x, double beta);  // beta > 0
Tensor softsign(const Tensor& x);
Tensor hard_sigmoid(const Tensor& x);
Tensor log_sigmoid(const Tensor& x);
Tensor hardtanh(const Tensor& x);
Tensor hardtanh(const Tensor& x, double min_val, double max_val);  // min_val < max_val
Tensor relu6(const Tensor& x);
Tensor hardswish(const Tensor& x);

// The poor choices, kept to be studied: outside their domain they give NaN, as the math says.
Tensor signed_sqrt(const Tensor& x);  // sign(x) * sqrt(|x|): the exercise

// softmax and log_softmax, which are not elementwise, are ops: autograd/ops/softmax.h.

}  // namespace nabla
