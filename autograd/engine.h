#pragma once
// Reverse mode: from the outputs back to the leaves, each node visited once, after every
// node that feeds it a gradient (reverse topological order). The walk is iterative, so the
// depth of the graph is limited by memory, not by the call stack.
//
// Threads. Backwards may run on several threads at once through graphs that share leaves
// (the usual case: threads computing losses on the same parameters, each calling
// backward). Each walk keeps its state to itself, and a leaf's gradient is summed under
// that leaf's lock, so every contribution arrives, in some order: the sum is exact up to
// floating-point rounding, which depends on that order. Also safe: recording ops on several
// threads from shared inputs, and autograd::grad anywhere.
// Not safe, as with any C++ object: two threads backward through the same recorded node
// (the same loss, or one intermediate tensor both graphs use: give each thread its own
// forward), writing a tensor in place (optimizer step, zero_grad, copy_) while another
// thread reads it or runs a backward into it, and reading leaf.grad() while a backward may
// still add to it. Join the threads, then step the optimizer.
#include <optional>

#include "autograd/node.h"

namespace nabla {

// Runs the backward from `roots` (gradient flowing into each root node). With `capture`
// non-empty, returns the gradient reaching each captured node instead of accumulating
// into leaves (that is autograd::grad); otherwise accumulates into leaf.grad().
// retain_graph=false frees what each node saved once its backward has run. The engine's
// entry point, used by Tensor::backward and autograd::grad: call those instead.
TensorList run_backward(const std::vector<std::shared_ptr<Node>>& roots, const TensorList& root_grads,
                        bool retain_graph, bool create_graph, const std::vector<std::shared_ptr<Node>>& capture = {});

namespace autograd {

// Gradients of `outputs` w.r.t. `inputs`, returned rather than accumulated into .grad()
// (torch::autograd::grad). grad_outputs defaults to ones for one-element outputs.
// create_graph=true records the backward itself, for higher-order derivatives; retain_graph
// defaults to create_graph. AutogradError if an output needs a gradient given (not one
// element) or has no graph, if an input does not require grad, or if an input is not
// reached from the outputs (unless allow_unused: then its gradient is an undefined Tensor).
// A grad_output of the wrong shape or dtype is a ShapeError or DtypeError.
TensorList grad(const TensorList& outputs, const TensorList& inputs, const TensorList& grad_outputs = {},
                std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
                bool allow_unused = false);

// Checks one output of a backward and its gradient (ones if omitted, for a one-element
// output), and adds them to the roots of the walk. Throws as grad() does, naming `what`.
void collect_root(const Tensor& output, const Tensor& grad, const char* what,
                  std::vector<std::shared_ptr<Node>>& roots, TensorList& root_grads);

// Accumulates gradients of `tensors` into the leaves' .grad() (torch::autograd::backward);
// the same checks and errors as grad().
void backward(const TensorList& tensors, const TensorList& grad_tensors = {},
              std::optional<bool> retain_graph = std::nullopt, bool create_graph = false);

}  // namespace autograd
}  // namespace nabla
