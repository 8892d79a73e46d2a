#pragma once
// Function transforms, as torch.func offers them: derivatives of a function of tensors, as
// functions of that function. Reverse mode (vjp, jacrev) costs one backward per output
// element; forward mode (jvp, jacfwd) one forward per input element; so jacrev suits many
// inputs and few outputs (a loss: why networks train by reverse mode), jacfwd the opposite.
//
//   auto [y, jv] = func::jvp(f, x, v);   // f(x) and J v, in one forward pass (forward_ad.h)
//   auto [y, uj] = func::vjp(f, x, u);   // f(x) and u^T J, in one backward
//   Tensor J = func::jacrev(f, x);       // shape f(x).sizes() + x.sizes()
//   Tensor H = func::hessian(f, x);      // f scalar: forward over reverse, x.sizes() twice
//   auto [y, hv] = func::hvp(f, x, v);   // H v without H
//
// f maps a tensor to a tensor (or, for the TensorList overloads, several tensors to one). A
// direction whose shape or dtype differs from its input's is a ShapeError or DtypeError
// naming both. The results carry a graph when the inputs require grad and recording is on,
// so transforms compose (jacrev of jvp is reverse over forward).
#include <functional>
#include <utility>

#include "autograd/node.h"
#include "autograd/tensor.h"

namespace nabla::func {

using Function = std::function<Tensor(const Tensor&)>;
using MultiFunction = std::function<Tensor(const TensorList&)>;

// (f(x), J v): the derivative of f at x along v, by forward mode.
std::pair<Tensor, Tensor> jvp(const Function& f, const Tensor& x, const Tensor& v);
// (f(xs), sum_i J_i v_i) for several inputs, one direction each.
std::pair<Tensor, Tensor> jvp(const MultiFunction& f, const TensorList& xs, const TensorList& vs);

// (f(x), u^T J): the gradient of <f(x), u>, by reverse mode. u has f(x)'s shape.
std::pair<Tensor, Tensor> vjp(const Function& f, const Tensor& x, const Tensor& u);
// (f(xs), [u^T J_i for each input]).
std::pair<Tensor, TensorList> vjp(const MultiFunction& f, const TensorList& xs, const Tensor& u);

// The Jacobian of f at x, of shape f(x).sizes() + x.sizes(): one backward per output element
// (jacrev) or one forward-mode pass per input element (jacfwd). The same matrix either way.
Tensor jacrev(const Function& f, const Tensor& x);
Tensor jacfwd(const Function& f, const Tensor& x);
// One Jacobian per input.
TensorList jacrev(const MultiFunction& f, const TensorList& xs);
TensorList jacfwd(const MultiFunction& f, const TensorList& xs);

// The Hessian of a scalar-valued f (one element) at x, of shape x.sizes() + x.sizes():
// forward over reverse (one jvp of the gradient per input element).
Tensor hessian(const Function& f, const Tensor& x);
// The same by reverse over reverse (one backward of the gradient per input element), to
// compare against: both must agree.
Tensor hessian_reverse_over_reverse(const Function& f, const Tensor& x);
// (f(x), H v) for a scalar f: one forward-mode pass through the gradient's computation.
std::pair<Tensor, Tensor> hvp(const Function& f, const Tensor& x, const Tensor& v);

}  // namespace nabla::func
