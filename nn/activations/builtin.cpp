// The table of the built-in activations: one row per functor of builtin.h, in this order.
#include "nn/activations/builtin.h"

#include <vector>

#include "nn/activations/describe.h"

namespace nabla::detail {

std::vector<Activation> builtin_activations() {
  using namespace builtin;
  return describe_all<Identity, Relu, LeakyRelu, Prelu, Elu, Selu, Celu, Gelu, GeluTanh, Silu, Swish, Mish, Softplus,
                      Softsign, Sigmoid, HardSigmoid, LogSigmoid, Tanh, Hardtanh, Relu6, Hardswish, Square, Sqrt, Log,
                      SignedSqrt>();
}

}  // namespace nabla::detail
