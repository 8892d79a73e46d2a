#pragma once
// Reverse mode: from the outputs back to the leaves, each node visited once, after every
// node that feeds it a gradient (reverse topological order). The walk is iterative, so the
// depth of the graph is limited by memory, not by the call stack.
#include <optional>

#include "autograd/node.h"

namespace nabla {

class Engine {
 public:
  // Runs the backward from `roots` (gradient flowing into each root node). With `capture`
  // non-empty, returns the gradient reaching each captured node instead of accumulating
  // into leaves (that is autograd::grad); otherwise accumulates into leaf.grad().
  static TensorList execute(const std::vector<std::shared_ptr<Node>>& roots, const TensorList& root_grads,
                            bool keep_graph, bool create_graph,
                            const std::vector<std::shared_ptr<Node>>& capture = {});
};

namespace autograd {

// Gradients of `outputs` w.r.t. `inputs`, returned rather than accumulated into .grad()
// (torch::autograd::grad). grad_outputs defaults to ones for one-element outputs.
// create_graph=true records the backward itself, for higher-order derivatives.
TensorList grad(const TensorList& outputs, const TensorList& inputs, const TensorList& grad_outputs = {},
                std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
                bool allow_unused = false);

// Checks one output of a backward and its gradient (ones if omitted, for a one-element
// output), and adds them to the roots of the walk.
void collect_root(const Tensor& output, const Tensor& grad, const char* what,
                  std::vector<std::shared_ptr<Node>>& roots, TensorList& root_grads);

// Accumulates gradients of `tensors` into the leaves' .grad() (torch::autograd::backward).
void backward(const TensorList& tensors, const TensorList& grad_tensors = {},
              std::optional<bool> retain_graph = std::nullopt, bool create_graph = false);

}  // namespace autograd
}  // namespace nabla
