// The method forms of the activations (x.relu(), x.softmax(1), ...), declared with the rest
// of libtorch's method forms in autograd/tensor.h. They are defined here, in nn, because
// the activations themselves live in nn's activation table: autograd stays below nn.
#include "autograd/tensor.h"
#include "nn/activations/functions.h"

namespace nabla {

Tensor Tensor::relu() const { return nabla::relu(*this); }
Tensor Tensor::sigmoid() const { return nabla::sigmoid(*this); }
Tensor Tensor::tanh() const { return nabla::tanh(*this); }
Tensor Tensor::softmax(int64_t dim) const { return nabla::softmax(*this, dim); }
Tensor Tensor::log_softmax(int64_t dim) const { return nabla::log_softmax(*this, dim); }

}  // namespace nabla
