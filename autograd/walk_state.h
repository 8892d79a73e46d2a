#pragma once
// The engine's bookkeeping for one backward: a map from Node* to its state in this walk.
//
// The state lives here, not on the nodes, because nodes are shared: two threads running
// backward through graphs that use the same leaf both reach that leaf's AccumulateGrad node,
// and a custom backward may start a second walk (autograd::grad) through nodes the first
// walk is still using. Each walk keeps its own map, so neither can disturb the other.
//
// Besides the map, a walk needs a few lists (a stack for the discovery, the nodes ready to
// run). The outermost walk on a thread reuses one set of them, emptied but not freed, so a
// small backward allocates nothing for its bookkeeping.
//
// Internal to the engine (engine.cpp); nothing outside autograd/ needs it.
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "autograd/node.h"

namespace nabla::detail {

// What one walk knows about one node.
struct NodeState {
  std::shared_ptr<Node> node;         // held until the walk ends, whatever a backward drops
  std::shared_ptr<TensorImpl> grad;   // the sum of the gradients that have arrived
  int pending = 0;                    // gradients still to arrive from nodes that run before it
  int capture = -1;                   // autograd::grad(): which input's gradient this is
  bool expanded = false;              // its inputs have been discovered
  bool needed = true;                 // lies on a path to a captured node (always, for backward)
  uint32_t first_input = 0;           // its inputs' states: WalkState::input(*this, k)
};

// The map and the lists. The map is open addressing on the node's address: a walk meets
// each node a few times, and a lookup is a multiply and, mostly, one probe.
struct WalkBuffers {
  struct Slot {
    Node* node = nullptr;
    int state = -1;
  };
  std::vector<Slot> slots = std::vector<Slot>(64);  // a power of two, at most half full
  int shift = 64 - 6;                              // 64 - log2(slots.size())
  std::vector<NodeState> states;
  std::vector<int> inputs;  // every expanded state's input states, one run per state
  std::vector<std::pair<int, size_t>> stack;
  std::vector<int> ready;

  size_t slot_of(Node* node) const {
    return static_cast<size_t>((reinterpret_cast<uintptr_t>(node) * 0x9E3779B97F4A7C15ull) >> shift);
  }
};

// One walk's view of the graph. Constructed at the start of run_backward, on its thread.
class WalkState {
 public:
  // Borrows this thread's buffers if no other walk on the thread has them, else makes its own.
  WalkState();
  ~WalkState();
  WalkState(const WalkState&) = delete;
  WalkState& operator=(const WalkState&) = delete;

  // The state of `node` in this walk, made on first sight. States are named by index:
  // adding one may move the others, so a NodeState& does not outlive the next index_of().
  int index_of(Node* node) {
    const size_t mask = b_.slots.size() - 1;
    for (size_t i = b_.slot_of(node);; i = (i + 1) & mask) {
      WalkBuffers::Slot& slot = b_.slots[i];
      if (slot.node == node) return slot.state;
      if (slot.node == nullptr) return add(node, slot);
    }
  }
  NodeState& operator[](int i) { return b_.states[i]; }           // i from index_of, unchecked
  int size() const { return static_cast<int>(b_.states.size()); }  // nodes seen so far

  // Resolves the inputs of state i (its node's next() edges) to states, once.
  void expand(int i);
  // The state of input k of an expanded state, or -1 where that input needs no gradient.
  int input(const NodeState& s, size_t k) const { return b_.inputs[s.first_input + k]; }

  std::vector<std::pair<int, size_t>>& stack() { return b_.stack; }  // discovery: state, next input
  std::vector<int>& ready() { return b_.ready; }                     // states whose gradients all arrived

 private:
  int add(Node* node, WalkBuffers::Slot& slot);

  bool nested_;
  std::unique_ptr<WalkBuffers> own_;  // a walk inside a walk brings its own lists
  WalkBuffers& b_;
};

}  // namespace nabla::detail
