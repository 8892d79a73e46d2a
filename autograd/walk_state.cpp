#include "autograd/walk_state.h"

namespace nabla::detail {
namespace {

thread_local WalkBuffers reused_buffers;
thread_local int walks_in_progress = 0;

// A walk through more nodes than this gives its lists back when it ends, rather than keep
// tens of megabytes for the rest of the thread's life; its own size amortises the allocation.
constexpr size_t kKeepStates = size_t{1} << 16;

}  // namespace

WalkState::WalkState()
    : nested_(walks_in_progress > 0),
      own_(nested_ ? std::make_unique<WalkBuffers>() : nullptr),
      b_(nested_ ? *own_ : reused_buffers) {
  ++walks_in_progress;
}

WalkState::~WalkState() {
  --walks_in_progress;
  if (nested_) return;
  if (b_.states.size() > kKeepStates) {
    b_ = WalkBuffers();
    return;
  }
  for (const NodeState& s : b_.states) {  // empty exactly the slots this walk filled
    const size_t mask = b_.slots.size() - 1;
    size_t i = b_.slot_of(s.node.get());
    while (b_.slots[i].node != s.node.get()) i = (i + 1) & mask;
    b_.slots[i] = {};
  }
  b_.states.clear();
  b_.inputs.clear();
  b_.stack.clear();
  b_.ready.clear();
}

int WalkState::add(Node* node, WalkBuffers::Slot& slot) {
  const int state = static_cast<int>(b_.states.size());
  slot = {node, state};
  b_.states.push_back(NodeState{.node = node->shared_from_this()});
  if (b_.states.size() * 2 > b_.slots.size()) {  // keep the map at most half full
    std::vector<WalkBuffers::Slot> old(b_.slots.size() * 2);
    old.swap(b_.slots);
    b_.shift -= 1;
    const size_t mask = b_.slots.size() - 1;
    for (const WalkBuffers::Slot& s : old) {
      if (!s.node) continue;
      size_t i = b_.slot_of(s.node);
      while (b_.slots[i].node) i = (i + 1) & mask;
      b_.slots[i] = s;
    }
  }
  return state;
}

void WalkState::expand(int i) {
  const std::vector<std::shared_ptr<Node>>& next = b_.states[i].node->next();
  const auto first = static_cast<uint32_t>(b_.inputs.size());
  for (const auto& child : next) {
    const int c = child ? index_of(child.get()) : -1;  // may move b_.states
    b_.inputs.push_back(c);
  }
  b_.states[i].first_input = first;
  b_.states[i].expanded = true;
}

}  // namespace nabla::detail
