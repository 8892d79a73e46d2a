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

// The walk's working lists, kept between walks on the same thread so that a small backward
// allocates nothing for them. A backward started inside a backward (a custom op's backward
// calling autograd::grad) gets fresh lists instead.
struct WalkLists {
  std::vector<Node*> stack, visited, ready;
  std::vector<std::shared_ptr<Node>> alive;
};
thread_local WalkLists cached_lists;
thread_local int walk_depth = 0;

class ListsForThisWalk {
 public:
  ListsForThisWalk() : lists_(walk_depth == 0 ? cached_lists : own_) { ++walk_depth; }
  ~ListsForThisWalk() {
    --walk_depth;
    lists_.stack.clear();
    lists_.visited.clear();
    lists_.ready.clear();
    lists_.alive.clear();
  }
  WalkLists& operator*() { return lists_; }

 private:
  WalkLists own_;
  WalkLists& lists_;
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
  return ones_like(output);
}

}  // namespace

TensorList Engine::execute(const std::vector<std::shared_ptr<Node>>& roots, const TensorList& root_grads,
                           bool keep_graph, bool create_graph, const std::vector<std::shared_ptr<Node>>& capture) {
  const uint64_t walk = next_walk_id.fetch_add(1);
  // 1. Discover every node reachable from the roots and count, for each, how many edges
  //    bring it a gradient. A node runs only once all of them have arrived.
  ListsForThisWalk lists;
  std::vector<Node*>& stack = (*lists).stack;
  std::vector<Node*>& visited = (*lists).visited;
  auto visit = [&](Node* n) {
    if (n->walk_id_ != walk) {
      n->walk_id_ = walk;
      n->pending_inputs_ = 0;
      n->pending_grad_.reset();
      stack.push_back(n);
      visited.push_back(n);
    }
  };
  for (const auto& r : roots) visit(r.get());
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    for (const auto& next : n->next_) {
      if (!next) continue;
      visit(next.get());
      next->pending_inputs_ += 1;
    }
  }

  AutoGradMode mode(create_graph);
  auto deliver = [&](Node* n, Tensor grad) {
    if (!n->pending_grad_) {
      n->pending_grad_ = grad.impl_ptr();
    } else {
      n->pending_grad_ = (Tensor(n->pending_grad_) + grad).impl_ptr();
    }
  };
  for (size_t i = 0; i < roots.size(); ++i) deliver(roots[i].get(), root_grads[i]);

  TensorList captured(capture.size());
  auto captured_index = [&](Node* n) -> int {
    for (size_t i = 0; i < capture.size(); ++i) {
      if (capture[i].get() == n) return static_cast<int>(i);
    }
    return -1;
  };

  // 2. Kahn's algorithm: run a node when its last gradient has arrived.
  std::vector<Node*>& ready = (*lists).ready;
  for (const auto& r : roots) {
    if (r->pending_inputs_ == 0 && (ready.empty() || std::find(ready.begin(), ready.end(), r.get()) == ready.end())) {
      ready.push_back(r.get());
    }
  }
  // Keep every node alive while the walk runs, even if a backward drops the last reference.
  std::vector<std::shared_ptr<Node>>& alive = (*lists).alive;
  for (Node* n : visited) alive.push_back(n->shared_from_this());

  try {
    while (!ready.empty()) {
      Node* n = ready.back();
      ready.pop_back();
      Tensor grad(std::move(n->pending_grad_));
      if (!capture.empty()) {
        const int index = captured_index(n);
        if (index >= 0) captured[index] = grad;
        if (n->is_accumulator()) continue;  // autograd::grad() leaves .grad() alone
      }
      n->check_versions();
      TensorList input_grads = n->apply(grad);
      if (!keep_graph) n->release();
      for (size_t i = 0; i < n->next_.size(); ++i) {
        Node* next = n->next_[i].get();
        if (!next) continue;
        if (i < input_grads.size() && input_grads[i].defined()) deliver(next, std::move(input_grads[i]));
        if (--next->pending_inputs_ == 0) ready.push_back(next);
      }
    }
  } catch (...) {
    for (Node* n : visited) n->pending_grad_.reset();
    throw;
  }
  for (Node* n : visited) n->pending_grad_.reset();
  return captured;
}

TensorList AccumulateGrad::apply(const Tensor& grad) {
  auto leaf = leaf_.lock();
  if (!leaf || !grad.defined()) return {};
  if (!leaf->grad) {
    // Take the gradient as it is when nothing else holds it; otherwise copy, so that two
    // leaves never share one gradient buffer (the next in-place accumulation would hit both).
    const bool sole_owner = grad.impl_ptr().use_count() == 1 && grad.impl().storage.use_count() == 1;
    leaf->grad = (GradMode::is_enabled() || sole_owner) ? grad.impl_ptr() : grad.clone().impl_ptr();
  } else if (GradMode::is_enabled()) {
    leaf->grad = (Tensor(leaf->grad) + grad).impl_ptr();  // recorded: create_graph=true
  } else {
    Tensor(leaf->grad).add_(grad);
  }
  return {};
}

namespace autograd {
namespace {

void collect_roots(const TensorList& outputs, const TensorList& grad_outputs, const char* what,
                   std::vector<std::shared_ptr<Node>>& roots, TensorList& root_grads) {
  if (!grad_outputs.empty() && grad_outputs.size() != outputs.size()) {
    throw AutogradError(std::string(what) + ": got " + std::to_string(grad_outputs.size()) + " gradients for " +
                        std::to_string(outputs.size()) + " outputs");
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& out = outputs[i];
    if (!out.requires_grad()) {
      throw AutogradError(std::string(what) + ": output " + std::to_string(i) +
                          " does not require grad and has no grad_fn (was it computed under NoGradGuard, or "
                          "from tensors that do not require grad?)");
    }
    Tensor g = grad_outputs.empty() || !grad_outputs[i].defined() ? default_gradient(out, what) : grad_outputs[i];
    check_gradient_fits(g, out, what);
    roots.push_back(gradient_edge(out));
    root_grads.push_back(g);
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
  autograd::backward({*this}, {gradient}, retain_graph || create_graph, create_graph);
}

}  // namespace nabla
