#include "autograd/forward_ad.h"

#include <string>

#include "autograd/error.h"
#include "autograd/ops/math_ops.h"
#include "autograd/ops/shape_ops.h"
#include "autograd/record.h"

namespace nabla {
namespace {

// A handle on t's values and graph of its own, so that a tangent set on it leaves t alone.
// Recorded (d/dt alias(t) = 1) when t requires grad, so gradients still reach t.
Tensor alias(const Tensor& t) {
  ForwardADOff no_tangent_for_the_alias;
  return record("alias", detail::values_of(t), {t}, [](const Tensor& g) { return TensorList{g}; }, detail::kNoTangent);
}

void check_tangent_fits(const Tensor& primal, const Tensor& tangent, const std::string& what) {
  if (!tangent.defined() || !primal.defined()) throw AutogradError(what + ": the primal and its tangent must be defined");
  if (!(tangent.sizes() == primal.sizes())) {
    throw ShapeError(what + ": the tangent's shape " + to_string(tangent.sizes()) + " is not its primal's " +
                     to_string(primal.sizes()));
  }
  if (tangent.dtype() != primal.dtype()) {
    throw DtypeError(what + ": the tangent is " + std::string(to_string(tangent.dtype())) + " but its primal is " +
                     std::string(to_string(primal.dtype())));
  }
}

}  // namespace

namespace detail {

void set_tangent(const Tensor& output, const Tensor& tangent, std::string_view name) {
  if (!tangent.defined()) return;
  if (!(tangent.sizes() == output.sizes()) || tangent.dtype() != output.dtype()) {
    throw AutogradError("forward mode: the rule of " + std::string(name) + " gave a tangent of " +
                        std::string(to_string(tangent.dtype())) + " " + to_string(tangent.sizes()) +
                        " for an output of " + std::string(to_string(output.dtype())) + " " +
                        to_string(output.sizes()) + " (a defect in that rule)");
  }
  output.impl().tangent = tangent.impl_ptr();
}

}  // namespace detail

Tensor make_dual(const Tensor& primal, const Tensor& tangent) {
  if (!detail::forward_ad_active()) {
    throw AutogradError("make_dual: only inside a DualLevel (outside one, no op would carry the tangent on)");
  }
  check_tangent_fits(primal, tangent, "make_dual");
  Tensor dual = alias(primal);
  dual.impl().tangent = tangent.impl_ptr();
  return dual;
}

Tensor tangent_sum(const Tensor& a, const Tensor& b) {
  if (!a.defined()) return b;
  if (!b.defined()) return a;
  return a + b;
}

Tensor broadcast_tangent(const Tensor& t, const Shape& shape) {
  if (!t.defined() || t.sizes() == shape) return t;
  return broadcast_to(t, shape);
}

Tensor tangent_of(const Tensor& t) { return t.defined() ? Tensor(t.impl().tangent) : Tensor(); }

Tensor primal_of(const Tensor& t) {
  if (!t.defined() || !t.impl().tangent) return t;
  return alias(t);
}

}  // namespace nabla
