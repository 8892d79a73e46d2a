#include "autograd/node.h"

#include <string>
#include <unordered_set>

#include "autograd/error.h"

namespace nabla {
namespace {
// The nodes waiting to be destroyed while an outer ~Node() is running on this thread.
thread_local std::vector<std::shared_ptr<Node>>* pending_deletes = nullptr;
}  // namespace

void Node::remember_version(const Tensor& t) {
  const auto& storage = t.impl().storage;
  VersionSnapshot snapshot{storage, storage->version()};
  if (version_count_ < static_cast<int>(versions_.size())) {
    versions_[version_count_] = std::move(snapshot);
  } else {
    more_versions_.push_back(std::move(snapshot));
  }
  ++version_count_;
}

void Node::check_versions() const {
  for (int i = 0; i < version_count_; ++i) {
    const int inline_count = static_cast<int>(versions_.size());
    const VersionSnapshot& s = i < inline_count ? versions_[i] : more_versions_[i - inline_count];
    const auto storage = s.storage.lock();
    if (storage && storage->version() != s.version) {
      throw AutogradError("backward through '" + name_ + "': a tensor it used (its input or output " +
                          std::to_string(i) + ") was modified in place after the op ran, so its gradient "
                          "would be computed from the new values. Modify a clone instead, or run the "
                          "forward again after the change");
    }
  }
}

Node::~Node() {
  if (pending_deletes) {  // inside an outer destruction: hand the children to its loop
    for (auto& n : next_) {
      if (n) pending_deletes->push_back(std::move(n));
    }
    return;
  }
  std::vector<std::shared_ptr<Node>> stack;
  for (auto& n : next_) {
    if (n) stack.push_back(std::move(n));
  }
  pending_deletes = &stack;
  while (!stack.empty()) {
    std::shared_ptr<Node> n = std::move(stack.back());
    stack.pop_back();
    n.reset();  // if this was the last owner, its ~Node() pushes its children onto `stack`
  }
  pending_deletes = nullptr;
}

// --- the leaf's side of the graph ------------------------------------------------------
// A Tensor method, defined here rather than in tensor.cpp: making a leaf require grad gives
// it its AccumulateGrad node, and the Tensor layer knows nothing of nodes.

Tensor& Tensor::requires_grad_(bool on) {
  if (on && !is_floating_point(dtype())) {
    throw DtypeError("requires_grad_: only floating-point tensors can require grad, this one is " +
                     std::string(to_string(dtype())));
  }
  if (!on && !is_leaf()) {
    throw AutogradError("requires_grad_(false): this tensor is the output of '" + grad_fn()->name() +
                        "'; use detach() to cut it from the graph");
  }
  impl().requires_grad = on;
  if (on && is_leaf() && !impl().grad_accumulator) {
    impl().grad_accumulator = std::make_shared<AccumulateGrad>(impl_);
    impl().grad_accumulator->set_output_meta(sizes(), dtype());
  }
  return *this;
}

std::shared_ptr<Node> gradient_edge(const Tensor& t) {
  TensorImpl& impl = t.impl();
  if (impl.grad_fn) return impl.grad_fn;
  if (!impl.requires_grad) return nullptr;
  if (!impl.grad_accumulator) Tensor(t).requires_grad_(true);  // a TensorImpl set up by hand
  return impl.grad_accumulator;
}

bool graph_has_op(const std::shared_ptr<Node>& root, std::string_view name) {
  std::vector<const Node*> stack{root.get()};
  std::unordered_set<const Node*> seen;
  while (!stack.empty()) {
    const Node* node = stack.back();
    stack.pop_back();
    if (node == nullptr || !seen.insert(node).second) continue;
    if (node->name() == name) return true;
    for (const auto& next : node->next()) stack.push_back(next.get());
  }
  return false;
}

}  // namespace nabla
