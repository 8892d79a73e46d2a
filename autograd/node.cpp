#include "autograd/node.h"

namespace nabla {
namespace {
// The nodes waiting to be destroyed while an outer ~Node() is running on this thread.
thread_local std::vector<std::shared_ptr<Node>>* pending_deletes = nullptr;
}  // namespace

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

}  // namespace nabla
