#pragma once
// A node of the graph: one recorded operation. It knows the nodes that produced its
// inputs (`next`) and how to turn the gradient of its output into gradients of its inputs.
//
//   y = f(a, b)        records  Node{ next = {a.grad_fn, b.grad_fn}, backward: dy -> {da, db} }
//
// Leaves that require grad get an AccumulateGrad node, which adds what reaches it into
// leaf.grad(). The engine (engine.h) walks the nodes in reverse topological order.
// Ops do not subclass Node themselves: record() (record.h) wraps their backward lambda in
// one, and autograd::Function (function.h) does the same for custom ops.
#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "autograd/tensor.h"

namespace nabla {

using TensorList = std::vector<Tensor>;

class Node : public std::enable_shared_from_this<Node> {
 public:
  explicit Node(std::string name) : name_(std::move(name)) {}
  // Frees the graph below iteratively: destroying a chain of 100,000 nodes one inside the
  // other would overflow the stack.
  virtual ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // The op's name, as errors and graph pictures show it ("mm", "relu", "AccumulateGrad").
  const std::string& name() const { return name_; }
  // One entry per input of the op: the node its gradient flows to, or null when that input
  // does not require grad.
  const std::vector<std::shared_ptr<Node>>& next() const { return next_; }
  void add_next(std::shared_ptr<Node> node) { next_.push_back(std::move(node)); }  // null allowed

  // Remembers the version of a tensor the op used; check_versions() throws if any of them
  // was written in place since (the backward would read the new values): an AutogradError
  // naming the op and which of its tensors changed.
  void remember_version(const Tensor& t);
  void check_versions() const;

  // Gradient of the output in, gradients of the inputs out (one per `next` entry; an
  // undefined Tensor where there is none).
  virtual TensorList apply(const Tensor& grad_output) = 0;
  // Drops what the backward saved, after a backward that did not retain the graph.
  virtual void release() {}
  virtual bool is_accumulator() const { return false; }  // true for AccumulateGrad only

  // The shape and type of the tensor this node produced (for graph pictures and errors).
  const Shape& output_shape() const { return output_shape_; }
  ScalarType output_dtype() const { return output_dtype_; }
  void set_output_meta(const Shape& shape, ScalarType dtype) {
    output_shape_ = shape;
    output_dtype_ = dtype;
  }

 private:
  std::string name_;
  std::vector<std::shared_ptr<Node>> next_;
  // Weak: an input nobody holds any more cannot have been changed, nor be read. Most ops
  // remember two or three tensors, kept inline so that recording allocates less.
  struct VersionSnapshot {
    std::weak_ptr<Storage> storage;
    uint64_t version = 0;
  };
  std::array<VersionSnapshot, 3> versions_;
  std::vector<VersionSnapshot> more_versions_;
  int version_count_ = 0;
  Shape output_shape_;
  ScalarType output_dtype_ = kFloat32;
  // Nothing here belongs to a walk: the engine keeps its per-walk state in a side table
  // (walk_state.h), so that walks on several threads can share nodes.
};

// Adds the gradient that reaches a leaf into leaf.grad(). Holds the leaf weakly: a leaf
// nobody holds any more has no gradient anyone could read. One per leaf (the leaf owns
// it), so that backwards on several threads through graphs that share the leaf add into
// its gradient one at a time, under this node's lock.
class AccumulateGrad final : public Node {
 public:
  explicit AccumulateGrad(const std::shared_ptr<TensorImpl>& leaf) : Node("AccumulateGrad"), leaf_(leaf) {}
  // Adds grad into the leaf's .grad() (sets it, the first time); returns no gradients.
  TensorList apply(const Tensor& grad) override;
  bool is_accumulator() const override { return true; }
  std::shared_ptr<TensorImpl> leaf() const { return leaf_.lock(); }  // null once the leaf is gone

 private:
  std::weak_ptr<TensorImpl> leaf_;
  std::mutex mutex_;
};

// The node that gradients for `t` flow into: its grad_fn, or its leaf accumulator, or null
// when `t` does not require grad.
std::shared_ptr<Node> gradient_edge(const Tensor& t);

// Whether the graph below `root` (null: none) records an op named `name` ("where"): how a
// check explains a NaN gradient.
bool graph_has_op(const std::shared_ptr<Node>& root, std::string_view name);

}  // namespace nabla
