#pragma once
// Forward-mode AD: a tangent travels with each value. Inside a DualLevel, a tensor may carry
// a tangent (make_dual), and every op whose input carries one computes its output's tangent
// too, by the op's forward-mode rule, written in record() beside its backward (record.h):
// one pass gives f(x) and the Jacobian-vector product J v together, at the cost of about one
// more forward. This is torch.autograd.forward_ad's shape (make_dual, unpack_dual,
// dual_level); autograd/functional.h builds torch.func's jvp, jacfwd and hessian on it.
//
//   DualLevel level;
//   Tensor x = make_dual(primal, direction);
//   Tensor y = f(x);
//   Tensor jv = tangent_of(y);     // J v, the derivative of f at primal along direction
//
// The tangent computations are ordinary ops: when the primal requires grad they are
// recorded, so reverse mode differentiates through them (reverse over forward), and a
// backward run inside a DualLevel gives its gradients tangents (forward over reverse: the
// Hessian-vector product). Tangents of tangents (forward over forward) are not computed.
#include "autograd/tensor.h"

namespace nabla {

namespace detail {
// How many DualLevels are open on this thread: ops look for tangents only when some are.
inline thread_local int forward_ad_levels = 0;
inline bool forward_ad_active() { return forward_ad_levels > 0; }
// Whether tangent computations are recorded for reverse mode (reverse over forward); off
// under TangentsWithoutGraph (forward over reverse needs tangents without a graph).
inline thread_local bool tangents_without_graph = false;
inline bool tangents_recorded() { return !tangents_without_graph; }
// Sets the tangent of `output` (the result of op `name`), after checking it fits.
void set_tangent(const Tensor& output, const Tensor& tangent, std::string_view name);
}  // namespace detail

// RAII: ops compute tangents in this scope (torch.autograd.forward_ad.dual_level).
class DualLevel {
 public:
  DualLevel() { ++detail::forward_ad_levels; }
  ~DualLevel() { --detail::forward_ad_levels; }
  DualLevel(const DualLevel&) = delete;
  DualLevel& operator=(const DualLevel&) = delete;
};

// RAII: no tangents computed in this scope, whatever the levels outside (a forward-mode
// rule's own ops, a custom Function's forward).
class ForwardADOff {
 public:
  ForwardADOff() : saved_(detail::forward_ad_levels) { detail::forward_ad_levels = 0; }
  ~ForwardADOff() { detail::forward_ad_levels = saved_; }
  ForwardADOff(const ForwardADOff&) = delete;
  ForwardADOff& operator=(const ForwardADOff&) = delete;

 private:
  int saved_;
};

// RAII: tangents computed in this scope record no graph, while the values still do. For
// forward over reverse (hvp, hessian): a backward inside a DualLevel then finds the tangent of
// every output it saved, which a recorded tangent could only hold through a reference cycle.
class TangentsWithoutGraph {
 public:
  TangentsWithoutGraph() : saved_(detail::tangents_without_graph) { detail::tangents_without_graph = true; }
  ~TangentsWithoutGraph() { detail::tangents_without_graph = saved_; }
  TangentsWithoutGraph(const TangentsWithoutGraph&) = delete;
  TangentsWithoutGraph& operator=(const TangentsWithoutGraph&) = delete;

 private:
  bool saved_;
};

// A tensor with primal's values (sharing its storage and, if it requires grad, its place in
// the graph) that carries `tangent`. The tangent must have the primal's shape and dtype
// (ShapeError / DtypeError naming both); outside a DualLevel this is an AutogradError.
Tensor make_dual(const Tensor& primal, const Tensor& tangent);
// The tangent t carries, or an undefined Tensor if none (torch's unpack_dual(t).tangent).
Tensor tangent_of(const Tensor& t);
// t without its tangent (the same values and graph).
Tensor primal_of(const Tensor& t);

// a + b for tangents, where an undefined tangent stands for zeros: what a rule with several
// inputs returns (undefined if both are).
Tensor tangent_sum(const Tensor& a, const Tensor& b);
// A tangent of an input that the op broadcast, spread to the output's shape (undefined stays so).
Tensor broadcast_tangent(const Tensor& t, const Shape& shape);

}  // namespace nabla
