// The C++ names of the built-ins: each runs its functor (builtin.h) through apply_checked, so a
// parameter is checked exactly as the by-name path checks it (activation("celu", {{"alpha", 0}})).
#include "nn/activations/functions.h"

#include "nn/activations/builtin.h"
#include "nn/activations/describe.h"

namespace nabla {
namespace {

template <class F>
Tensor apply_checked(const F& fn, const Tensor& x) {
  if constexpr (requires { fn.check(); }) fn.check();
  return detail::apply_functor(fn, x);
}

}  // namespace

using namespace builtin;

Tensor leaky_relu(const Tensor& x) { return apply_checked(LeakyRelu{}, x); }
Tensor leaky_relu(const Tensor& x, double slope) { return apply_checked(LeakyRelu{slope}, x); }
Tensor elu(const Tensor& x) { return apply_checked(Elu{}, x); }
Tensor elu(const Tensor& x, double alpha) { return apply_checked(Elu{alpha}, x); }
Tensor selu(const Tensor& x) { return apply_checked(Selu{}, x); }
Tensor celu(const Tensor& x) { return apply_checked(Celu{}, x); }
Tensor celu(const Tensor& x, double alpha) { return apply_checked(Celu{alpha}, x); }
Tensor gelu(const Tensor& x) { return apply_checked(Gelu{}, x); }
Tensor gelu_tanh(const Tensor& x) { return apply_checked(GeluTanh{}, x); }
Tensor silu(const Tensor& x) { return apply_checked(Silu{}, x); }
Tensor mish(const Tensor& x) { return apply_checked(Mish{}, x); }
Tensor softplus(const Tensor& x) { return apply_checked(Softplus{}, x); }
Tensor softplus(const Tensor& x, double beta) { return apply_checked(Softplus{beta}, x); }
Tensor softsign(const Tensor& x) { return apply_checked(Softsign{}, x); }
Tensor hard_sigmoid(const Tensor& x) { return apply_checked(HardSigmoid{}, x); }
Tensor log_sigmoid(const Tensor& x) { return apply_checked(LogSigmoid{}, x); }
Tensor hardtanh(const Tensor& x) { return apply_checked(Hardtanh{}, x); }
Tensor hardtanh(const Tensor& x, double min_val, double max_val) { return apply_checked(Hardtanh{min_val, max_val}, x); }
Tensor relu6(const Tensor& x) { return apply_checked(Relu6{}, x); }
Tensor hardswish(const Tensor& x) { return apply_checked(Hardswish{}, x); }
Tensor signed_sqrt(const Tensor& x) { return apply_checked(SignedSqrt{}, x); }

}  // namespace nabla
