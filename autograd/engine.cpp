// The reverse walk, top-down: discover the graph, count each node's dependencies, run the
// nodes in order (Kahn's algorithm). What the walk knows about each node is kept in a side
// table, walk_state.h; gradient accumulation into leaves and the public backward()/grad()
// entry points follow.
#include "autograd/engine.h"

#include <algorithm>
#include <string>

#include "autograd/anomaly_mode.h"
#include "autograd/grad_mode.h"
#include "autograd/ops/math_ops.h"
#include "autograd/ops/creation.h"
#include "autograd/walk_state.h"

namespace nabla {

namespace {

// 1. Discover: every node reachable from the roots, depth first and without recursion (deep
//    graphs would overflow the stack). A captured node is not looked past: autograd::grad()
//    wants the gradient reaching it, not what lies beyond. In post-order every node's inputs
//    are settled before it, so each node learns there whether it leads to a captured node;
//    backward() needs every node.
void discover(detail::WalkState& walk, const std::vector<std::shared_ptr<Node>>& roots, bool capturing) {
  auto& stack = walk.stack();  // state, index of the next input to visit
  for (const auto& root : roots) {
    const int r = walk.index_of(root.get());
    if (walk[r].expanded || walk[r].capture >= 0) continue;
    walk.expand(r);
    stack.emplace_back(r, 0);
    while (!stack.empty()) {
      const auto [i, next] = stack.back();
      if (next < walk[i].node->next().size()) {
        stack.back().second += 1;
        const int child = walk.input(walk[i], next);
        if (child >= 0 && !walk[child].expanded && walk[child].capture < 0) {
          walk.expand(child);
          stack.emplace_back(child, 0);
        }
        continue;
      }
      if (capturing) {
        bool needed = false;
        for (size_t k = 0; k < walk[i].node->next().size(); ++k) {
          const int child = walk.input(walk[i], k);
          needed = needed || (child >= 0 && walk[child].needed);
        }
        walk[i].needed = needed;
      }
      stack.pop_back();
    }
  }
}

// 2. Count dependencies: a needed node may run once every needed node that feeds it a
//    gradient has run, so it waits for as many gradients as it has such consumers.
void count_dependencies(detail::WalkState& walk) {
  for (int i = 0; i < walk.size(); ++i) {
    if (!walk[i].expanded || !walk[i].needed) continue;
    for (size_t k = 0; k < walk[i].node->next().size(); ++k) {
      const int child = walk.input(walk[i], k);
      if (child >= 0 && walk[child].needed) walk[child].pending += 1;
    }
  }
}

// Adds a gradient to what has reached node i so far (a node used twice gets both).
void deliver(detail::WalkState& walk, int i, const Tensor& grad) {
  detail::NodeState& s = walk[i];
  s.grad = s.grad ? (Tensor(s.grad) + grad).impl_ptr() : grad.impl_ptr();
}

// 3. Run (Kahn's algorithm): the roots get their gradients; a node runs when its last
//    gradient has arrived, and hands each input its share. Returns the gradients that
//    reached the captured nodes.
TensorList run(detail::WalkState& walk, const std::vector<std::shared_ptr<Node>>& roots, const TensorList& root_grads,
               bool retain_graph, size_t captures) {
  auto& ready = walk.ready();
  for (size_t k = 0; k < roots.size(); ++k) {
    const int r = walk.index_of(roots[k].get());
    if (!walk[r].needed) continue;  // this output does not lead to any input asked for
    deliver(walk, r, root_grads[k]);
    if (walk[r].pending == 0 && std::find(ready.begin(), ready.end(), r) == ready.end()) ready.push_back(r);
  }
  TensorList captured(captures);
  while (!ready.empty()) {
    const int i = ready.back();
    ready.pop_back();
    Tensor grad(std::move(walk[i].grad));
    if (walk[i].capture >= 0) {
      captured[walk[i].capture] = grad;
      continue;
    }
    Node& n = *walk[i].node;
    n.check_versions();
    TensorList input_grads = AnomalyMode::is_enabled() ? detail::apply_checking_anomalies(n, grad) : n.apply(grad);
    if (!retain_graph) n.release();
    for (size_t k = 0; k < n.next().size(); ++k) {
      const int next = walk.input(walk[i], k);
      if (next < 0 || !walk[next].needed) continue;
      if (k < input_grads.size() && input_grads[k].defined()) deliver(walk, next, input_grads[k]);
      if (--walk[next].pending == 0) ready.push_back(next);
    }
  }
  return captured;
}

}  // namespace

TensorList run_backward(const std::vector<std::shared_ptr<Node>>& roots, const TensorList& root_grads,
                        bool retain_graph, bool create_graph, const std::vector<std::shared_ptr<Node>>& capture) {
  detail::WalkState walk;  // a map from Node* to its state in this walk
  for (size_t i = 0; i < capture.size(); ++i) walk[walk.index_of(capture[i].get())].capture = static_cast<int>(i);
  discover(walk, roots, /*capturing=*/!capture.empty());
  count_dependencies(walk);
  AutoGradMode mode(create_graph);  // a backward under create_graph records itself
  return run(walk, roots, root_grads, retain_graph, capture.size());
}

TensorList AccumulateGrad::apply(const Tensor& grad) {
  auto leaf = leaf_.lock();
  if (!leaf || !grad.defined()) return {};
  // Backwards on other threads may reach this leaf at the same time: one sum at a time.
  std::lock_guard lock(mutex_);
  if (!leaf->grad) {
    // Take the gradient as it is when nothing else holds it; otherwise copy, so that two
    // leaves never share one gradient buffer (the next in-place accumulation would hit both).
    // A view (the gradient of a transpose, say) is copied too: a leaf's gradient is one
    // contiguous run, as the optimizers read it.
    const bool sole_owner = grad.impl_ptr().use_count() == 1 && grad.impl().storage.use_count() == 1;
    const bool take = sole_owner && grad.is_contiguous();
    leaf->grad = take ? grad.impl_ptr() : grad.clone().impl_ptr();  // clone is recorded under create_graph
  } else if (GradMode::is_enabled()) {
    leaf->grad = (Tensor(leaf->grad) + grad).impl_ptr();  // recorded: create_graph=true
  } else {
    Tensor(leaf->grad).add_(grad);
  }
  return {};
}

namespace {

void check_gradient_fits(const Tensor& grad, const Tensor& output, const char* what) {
  if (!(grad.sizes() == output.sizes())) {
    throw ShapeError(std::string(what) + ": gradient of shape " + to_string(grad.sizes()) +
                     " does not match the output's shape " + to_string(output.sizes()));
  }
  if (grad.dtype() != output.dtype()) {
    throw DtypeError(std::string(what) + ": gradient is " + std::string(to_string(grad.dtype())) +
                     " but the output is " + std::string(to_string(output.dtype())));
  }
}

// d output / d output: ones for a one-element output; anything larger needs an explicit gradient.
Tensor default_gradient(const Tensor& output, const char* what) {
  if (output.numel() != 1) {
    throw AutogradError(std::string(what) + ": the output has shape " + to_string(output.sizes()) +
                        "; a gradient can be implied only for a one-element output. Pass the gradient of "
                        "the output explicitly, or reduce it first (e.g. .sum())");
  }
  if (output.dim() == 0) {
    // The usual case, loss.backward() on a scalar: one shared 1 per type rather than a new
    // tensor every step. Nothing writes into it; a leaf that would keep it copies it first.
    thread_local const Tensor one_float = ones({}, kFloat32), one_double = ones({}, kFloat64);
    return output.dtype() == kFloat32 ? one_float : one_double;
  }
  return ones_like(output);
}

}  // namespace

namespace autograd {

void collect_root(const Tensor& out, const Tensor& grad, const char* what, std::vector<std::shared_ptr<Node>>& roots,
                  TensorList& root_grads) {
  if (!out.requires_grad()) {
    throw AutogradError(std::string(what) + ": the output does not require grad and has no grad_fn (was it "
                        "computed under NoGradGuard, or from tensors that do not require grad?)");
  }
  Tensor g = grad.defined() ? grad : default_gradient(out, what);
  check_gradient_fits(g, out, what);
  roots.push_back(gradient_edge(out));
  root_grads.push_back(std::move(g));
}

namespace {

void collect_roots(const TensorList& outputs, const TensorList& grad_outputs, const char* what,
                   std::vector<std::shared_ptr<Node>>& roots, TensorList& root_grads) {
  if (!grad_outputs.empty() && grad_outputs.size() != outputs.size()) {
    throw AutogradError(std::string(what) + ": got " + std::to_string(grad_outputs.size()) + " gradients for " +
                        std::to_string(outputs.size()) + " outputs");
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    collect_root(outputs[i], grad_outputs.empty() ? Tensor() : grad_outputs[i], what, roots, root_grads);
  }
}

}  // namespace

TensorList grad(const TensorList& outputs, const TensorList& inputs, const TensorList& grad_outputs,
                std::optional<bool> retain_graph, bool create_graph, bool allow_unused) {
  std::vector<std::shared_ptr<Node>> roots;
  TensorList root_grads;
  collect_roots(outputs, grad_outputs, "autograd::grad", roots, root_grads);
  std::vector<std::shared_ptr<Node>> capture;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].requires_grad()) {
      throw AutogradError("autograd::grad: input " + std::to_string(i) + " does not require grad");
    }
    capture.push_back(gradient_edge(inputs[i]));
  }
  TensorList result = run_backward(roots, root_grads, retain_graph.value_or(create_graph), create_graph, capture);
  for (size_t i = 0; i < result.size(); ++i) {
    if (!result[i].defined() && !allow_unused) {
      throw AutogradError("autograd::grad: input " + std::to_string(i) +
                          " was not used to compute the outputs; pass allow_unused=true to get an undefined "
                          "gradient for it");
    }
  }
  return result;
}

void backward(const TensorList& tensors, const TensorList& grad_tensors, std::optional<bool> retain_graph,
              bool create_graph) {
  std::vector<std::shared_ptr<Node>> roots;
  TensorList root_grads;
  collect_roots(tensors, grad_tensors, "backward", roots, root_grads);
  run_backward(roots, root_grads, retain_graph.value_or(create_graph), create_graph);
}

}  // namespace autograd

void Tensor::backward(const Tensor& gradient, bool retain_graph, bool create_graph) const {
  std::vector<std::shared_ptr<Node>> roots;
  TensorList root_grads;
  roots.reserve(1);
  root_grads.reserve(1);
  autograd::collect_root(*this, gradient, "backward", roots, root_grads);
  run_backward(roots, root_grads, retain_graph || create_graph, create_graph);
}

}  // namespace nabla
