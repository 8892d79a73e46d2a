#include "autograd/engine.h"

#include <algorithm>
#include <atomic>
#include <string>

#include "autograd/grad_mode.h"
#include "autograd/ops/elementwise.h"
#include "autograd/ops/creation.h"

namespace nabla {
namespace {

std::atomic<uint64_t> next_walk_id{1};

// What one walk knows about one node.
struct NodeState {
  int pending = 0;                     // gradients still to arrive from nodes that run before it
  std::shared_ptr<TensorImpl> grad;    // the sum of those that arrived
  int capture = -1;                    // autograd::grad(): which input's gradient this is
  bool expanded = false;               // its inputs have been discovered
  bool needed = true;                  // lies on a path to a captured node (always, for backward)
};

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

namespace detail {

// A walk's bookkeeping. Node state lives here, indexed by Node::walk_slot_, so that a walk
// started inside another (a custom op's backward calling autograd::grad) cannot disturb
// the outer one: it saves each node's walk id and slot when it first meets the node and
// puts them back when it ends.
struct WalkSaved {
  Node* node;
  uint64_t walk_id;
  int walk_slot;
};

// The lists a walk works in. The outermost walk on a thread reuses one set, emptied but not
// freed between walks, so a small backward allocates nothing for its bookkeeping.
struct WalkBuffers {
  std::vector<NodeState> states;
  std::vector<std::shared_ptr<Node>> nodes;
  std::vector<WalkSaved> saved;
  std::vector<std::pair<Node*, size_t>> stack;
  std::vector<Node*> ready;
};
thread_local WalkBuffers reused_buffers;
thread_local int walks_in_progress = 0;

class Walk {
 public:
  Walk()
      : id_(next_walk_id.fetch_add(1)),
        nested_(walks_in_progress > 0),
        b_(nested_ ? own_ : reused_buffers) {
    ++walks_in_progress;
  }
  ~Walk() {
    for (auto it = b_.saved.rbegin(); it != b_.saved.rend(); ++it) {
      it->node->walk_id_ = it->walk_id;
      it->node->walk_slot_ = it->walk_slot;
    }
    b_.states.clear();
    b_.nodes.clear();
    b_.saved.clear();
    b_.stack.clear();
    b_.ready.clear();
    --walks_in_progress;
  }
  Walk(const Walk&) = delete;
  Walk& operator=(const Walk&) = delete;

  NodeState& operator[](Node* n) {
    if (n->walk_id_ != id_) {
      if (nested_) b_.saved.push_back({n, n->walk_id_, n->walk_slot_});  // the outer walk still needs them
      n->walk_id_ = id_;
      n->walk_slot_ = static_cast<int>(b_.states.size());
      b_.states.emplace_back();
      b_.nodes.push_back(n->shared_from_this());  // alive until the walk ends, whatever a backward drops
    }
    return b_.states[n->walk_slot_];
  }
  const std::vector<std::shared_ptr<Node>>& nodes() const { return b_.nodes; }
  std::vector<std::pair<Node*, size_t>>& stack() { return b_.stack; }
  std::vector<Node*>& ready() { return b_.ready; }

 private:
  uint64_t id_;
  bool nested_;
  WalkBuffers own_;
  WalkBuffers& b_;
};

}  // namespace detail

using detail::Walk;

TensorList Engine::execute(const std::vector<std::shared_ptr<Node>>& roots, const TensorList& root_grads,
                           bool keep_graph, bool create_graph, const std::vector<std::shared_ptr<Node>>& capture) {
  const bool capturing = !capture.empty();
  Walk walk;
  for (size_t i = 0; i < capture.size(); ++i) walk[capture[i].get()].capture = static_cast<int>(i);

  // 1. Discover the graph depth first, without recursion. A captured node is not looked
  //    past: autograd::grad() wants the gradient reaching it, not what lies beyond. In
  //    post-order every node's inputs are settled before it, so each node learns there
  //    whether it leads to a captured node; backward() needs every node.
  auto& stack = walk.stack();  // node, index of the next input to visit
  for (const auto& root : roots) {
    if (walk[root.get()].expanded || walk[root.get()].capture >= 0) continue;
    walk[root.get()].expanded = true;
    stack.emplace_back(root.get(), 0);
    while (!stack.empty()) {
      auto& [n, next] = stack.back();
      if (next < n->next_.size()) {
        Node* child = n->next_[next++].get();
        if (!child) continue;
        NodeState& c = walk[child];
        if (!c.expanded && c.capture < 0) {
          c.expanded = true;
          stack.emplace_back(child, 0);
        }
        continue;
      }
      if (capturing) {
        bool needed = false;
        for (const auto& child : n->next_) needed = needed || (child && walk[child.get()].needed);
        walk[n].needed = needed;
      }
      stack.pop_back();
    }
  }
  // 2. Each needed node runs once all the needed nodes that feed it a gradient have run.
  for (size_t k = 0; k < walk.nodes().size(); ++k) {
    Node* n = walk.nodes()[k].get();
    if (!walk[n].expanded || !walk[n].needed) continue;
    for (const auto& child : n->next_) {
      if (child && walk[child.get()].needed) walk[child.get()].pending += 1;
    }
  }

  AutoGradMode mode(create_graph);
  auto deliver = [&](Node* n, const Tensor& grad) {
    NodeState& s = walk[n];
    s.grad = s.grad ? (Tensor(s.grad) + grad).impl_ptr() : grad.impl_ptr();
  };
  auto& ready = walk.ready();
  for (size_t i = 0; i < roots.size(); ++i) {
    Node* r = roots[i].get();
    if (!walk[r].needed) continue;  // this output does not lead to any input asked for
    deliver(r, root_grads[i]);
    if (walk[r].pending == 0 && std::find(ready.begin(), ready.end(), r) == ready.end()) ready.push_back(r);
  }

  // 3. Kahn's algorithm: run a node when its last gradient has arrived.
  TensorList captured(capture.size());
  while (!ready.empty()) {
    Node* n = ready.back();
    ready.pop_back();
    NodeState& s = walk[n];
    Tensor grad(std::move(s.grad));
    if (s.capture >= 0) {
      captured[s.capture] = grad;
      continue;
    }
    n->check_versions();
    TensorList input_grads = n->apply(grad);
    if (!keep_graph) n->release();
    for (size_t i = 0; i < n->next_.size(); ++i) {
      Node* next = n->next_[i].get();
      if (!next || !walk[next].needed) continue;
      if (i < input_grads.size() && input_grads[i].defined()) deliver(next, input_grads[i]);
      if (--walk[next].pending == 0) ready.push_back(next);  // (deliver may add to the walk: look up again)
    }
  }
  return captured;
}

TensorList AccumulateGrad::apply(const Tensor& grad) {
  auto leaf = leaf_.lock();
  if (!leaf || !grad.defined()) return {};
  if (!leaf->grad) {
    // Take the gradient as it is when nothing else holds it; otherwise copy, so that two
    // leaves never share one gradient buffer (the next in-place accumulation would hit both).
    const bool sole_owner = grad.impl_ptr().use_count() == 1 && grad.impl().storage.use_count() == 1;
    leaf->grad = sole_owner ? grad.impl_ptr() : grad.clone().impl_ptr();  // clone is recorded under create_graph
  } else if (GradMode::is_enabled()) {
    leaf->grad = (Tensor(leaf->grad) + grad).impl_ptr();  // recorded: create_graph=true
  } else {
    Tensor(leaf->grad).add_(grad);
  }
  return {};
}

namespace autograd {
namespace {

}  // namespace

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
  TensorList result = Engine::execute(roots, root_grads, retain_graph.value_or(create_graph), create_graph, capture);
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
  Engine::execute(roots, root_grads, retain_graph.value_or(create_graph), create_graph);
}

}  // namespace autograd

void Tensor::backward(const Tensor& gradient, bool retain_graph, bool create_graph) const {
  std::vector<std::shared_ptr<Node>> roots;
  TensorList root_grads;
  roots.reserve(1);
  root_grads.reserve(1);
  autograd::collect_root(*this, gradient, "backward", roots, root_grads);
  Engine::execute(roots, root_grads, retain_graph || create_graph, create_graph);
}

}  // namespace nabla
