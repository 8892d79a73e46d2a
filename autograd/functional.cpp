#include "autograd/functional.h"

#include <string>

#include "autograd/engine.h"
#include "autograd/error.h"
#include "autograd/forward_ad.h"
#include "autograd/grad_mode.h"
#include "autograd/ops/creation.h"
#include "autograd/ops/shape_ops.h"

namespace nabla::func {
namespace {

void check_direction(const Tensor& x, const Tensor& v, const std::string& what) {
  if (!x.defined() || !v.defined()) throw AutogradError(what + ": an input or its direction is undefined");
  if (!(x.sizes() == v.sizes())) {
    throw ShapeError(what + ": the direction's shape " + to_string(v.sizes()) + " is not its input's " +
                     to_string(x.sizes()));
  }
  if (x.dtype() != v.dtype()) {
    throw DtypeError(what + ": the direction is " + std::string(to_string(v.dtype())) + " but its input is " +
                     std::string(to_string(x.dtype())));
  }
}

// x itself if it requires grad (its graph is kept, so transforms compose), else a leaf of
// its values that does.
Tensor differentiable(const Tensor& x) {
  if (x.requires_grad()) return x;
  Tensor leaf = x.detach();
  leaf.requires_grad_(true);
  return leaf;
}

bool any_requires_grad(const TensorList& xs) {
  for (const Tensor& x : xs) {
    if (x.requires_grad()) return true;
  }
  return false;
}

// f recorded on `leaves`, differentiable stand-ins for xs (whatever the recording mode
// outside); keep_graph says whether the derivatives taken of it should keep a graph too.
struct Recorded {
  TensorList leaves;
  Tensor y;
  bool keep_graph;
};
Recorded record_on_leaves(const MultiFunction& f, const TensorList& xs) {
  Recorded r{{}, Tensor(), GradMode::is_enabled() && any_requires_grad(xs)};
  for (const Tensor& x : xs) r.leaves.push_back(differentiable(x));
  AutoGradMode recording(true);
  r.y = f(r.leaves);
  return r;
}

// The one-hot tensor of `shape` with a 1 at flat position k.
Tensor one_hot(const Shape& shape, ScalarType dtype, int64_t k) {
  Tensor e = zeros({shape.numel()}, dtype);
  {
    NoGradGuard constant;
    e.narrow(0, k, 1).fill_(1);
  }
  return e.reshape(shape);
}

// The columns (each of shape `rows`) side by side in a last dimension, reshaped to rows + cols.
Tensor stacked(const TensorList& columns, const Shape& rows, const Shape& cols, ScalarType dtype) {
  Shape shape = rows;
  for (int64_t s : cols) shape.push_back(s);
  if (columns.empty()) return zeros(shape, dtype);
  return stack(columns, -1).reshape(shape);
}

Tensor or_zeros(const Tensor& t, const Tensor& like) { return t.defined() ? t : zeros(like.sizes(), like.dtype()); }

}  // namespace

std::pair<Tensor, Tensor> jvp(const MultiFunction& f, const TensorList& xs, const TensorList& vs) {
  if (xs.size() != vs.size()) {
    throw ShapeError("jvp: " + std::to_string(vs.size()) + " directions for " + std::to_string(xs.size()) + " inputs");
  }
  for (size_t i = 0; i < xs.size(); ++i) check_direction(xs[i], vs[i], "jvp: input " + std::to_string(i));
  DualLevel level;
  TensorList duals;
  for (size_t i = 0; i < xs.size(); ++i) duals.push_back(make_dual(xs[i], vs[i]));
  const Tensor y = f(duals);
  return {primal_of(y), or_zeros(tangent_of(y), y)};
}

std::pair<Tensor, Tensor> jvp(const Function& f, const Tensor& x, const Tensor& v) {
  return jvp([&f](const TensorList& xs) { return f(xs[0]); }, TensorList{x}, TensorList{v});
}

std::pair<Tensor, TensorList> vjp(const MultiFunction& f, const TensorList& xs, const Tensor& u) {
  const auto [leaves, y, keep_graph] = record_on_leaves(f, xs);
  check_direction(y, u, "vjp: the output");
  if (!y.requires_grad()) {  // f does not depend on its inputs
    TensorList zero;
    for (const Tensor& x : xs) zero.push_back(zeros(x.sizes(), x.dtype()));
    return {y, zero};
  }
  TensorList grads = autograd::grad({y}, leaves, {u}, keep_graph, keep_graph, /*allow_unused=*/true);
  for (size_t i = 0; i < grads.size(); ++i) grads[i] = or_zeros(grads[i], xs[i]);
  return {keep_graph ? y : y.detach(), grads};
}

std::pair<Tensor, Tensor> vjp(const Function& f, const Tensor& x, const Tensor& u) {
  auto [y, grads] = vjp([&f](const TensorList& xs) { return f(xs[0]); }, TensorList{x}, u);
  return {y, grads[0]};
}

TensorList jacrev(const MultiFunction& f, const TensorList& xs) {
  const auto [leaves, y, keep_graph] = record_on_leaves(f, xs);
  std::vector<TensorList> rows(xs.size());  // rows[i][k] = d y_k / d x_i, of x_i's shape
  for (int64_t k = 0; k < y.numel(); ++k) {
    TensorList grads;
    if (y.requires_grad()) {
      grads = autograd::grad({y}, leaves, {one_hot(y.sizes(), y.dtype(), k)}, /*retain_graph=*/true, keep_graph,
                             /*allow_unused=*/true);
    }
    for (size_t i = 0; i < xs.size(); ++i) rows[i].push_back(i < grads.size() ? or_zeros(grads[i], xs[i]) : zeros(xs[i].sizes(), xs[i].dtype()));
  }
  TensorList jacobians;
  for (size_t i = 0; i < xs.size(); ++i) {
    Shape shape = y.sizes();
    for (int64_t s : xs[i].sizes()) shape.push_back(s);
    jacobians.push_back(rows[i].empty() ? zeros(shape, y.dtype()) : stack(rows[i], 0).reshape(shape));
  }
  return jacobians;
}

Tensor jacrev(const Function& f, const Tensor& x) {
  return jacrev([&f](const TensorList& xs) { return f(xs[0]); }, TensorList{x})[0];
}

TensorList jacfwd(const MultiFunction& f, const TensorList& xs) {
  TensorList jacobians;
  for (size_t i = 0; i < xs.size(); ++i) {
    TensorList columns;
    Shape rows;
    for (int64_t j = 0; j < xs[i].numel(); ++j) {
      DualLevel level;
      TensorList inputs = xs;
      inputs[i] = make_dual(xs[i], one_hot(xs[i].sizes(), xs[i].dtype(), j));
      const Tensor y = f(inputs);
      rows = y.sizes();
      columns.push_back(or_zeros(tangent_of(y), y));
    }
    if (columns.empty()) rows = f(xs).sizes();
    jacobians.push_back(stacked(columns, rows, xs[i].sizes(), xs[i].dtype()));
  }
  return jacobians;
}

Tensor jacfwd(const Function& f, const Tensor& x) {
  return jacfwd([&f](const TensorList& xs) { return f(xs[0]); }, TensorList{x})[0];
}

std::pair<Tensor, Tensor> hvp(const Function& f, const Tensor& x, const Tensor& v) {
  check_direction(x, v, "hvp");
  DualLevel level;
  TangentsWithoutGraph tangents_plain;  // so the backward below finds every saved output's tangent
  Tensor leaf = x.detach();
  leaf.requires_grad_(true);
  const Tensor dual = make_dual(leaf, v);
  Tensor y;
  {
    AutoGradMode recording(true);
    y = f(dual);
  }
  if (y.numel() != 1) throw ShapeError("hvp: f must give one element (a scalar), got shape " + to_string(y.sizes()));
  if (!y.requires_grad()) return {y, zeros(x.sizes(), x.dtype())};
  const Tensor g = autograd::grad({y}, {dual}, {}, /*retain_graph=*/false, /*create_graph=*/false,
                                  /*allow_unused=*/true)[0];
  return {primal_of(y).detach(), g.defined() ? or_zeros(tangent_of(g), x) : zeros(x.sizes(), x.dtype())};
}

Tensor hessian(const Function& f, const Tensor& x) {
  TensorList columns;
  for (int64_t j = 0; j < x.numel(); ++j) columns.push_back(hvp(f, x, one_hot(x.sizes(), x.dtype(), j)).second);
  return stacked(columns, x.sizes(), x.sizes(), x.dtype());
}

Tensor hessian_reverse_over_reverse(const Function& f, const Tensor& x) {
  Tensor leaf = x.detach();
  leaf.requires_grad_(true);
  AutoGradMode recording(true);
  const Tensor y = f(leaf);
  if (y.numel() != 1) throw ShapeError("hessian: f must give one element (a scalar), got shape " + to_string(y.sizes()));
  Shape shape = x.sizes();
  for (int64_t s : x.sizes()) shape.push_back(s);
  if (!y.requires_grad()) return zeros(shape, x.dtype());
  const Tensor g = autograd::grad({y}, {leaf}, {}, /*retain_graph=*/true, /*create_graph=*/true)[0];
  TensorList rows;
  for (int64_t j = 0; j < x.numel(); ++j) {
    const TensorList second = g.requires_grad() ? autograd::grad({g}, {leaf}, {one_hot(x.sizes(), x.dtype(), j)},
                                                                 /*retain_graph=*/true, false, /*allow_unused=*/true)
                                                : TensorList{Tensor()};
    rows.push_back(or_zeros(second[0], x).detach());
  }
  return rows.empty() ? zeros(shape, x.dtype()) : stack(rows, 0).reshape(shape);
}

}  // namespace nabla::func
