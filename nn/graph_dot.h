#pragma once
// A picture of the computation graph behind a tensor, in Graphviz's DOT language:
//
//   Tensor loss = nn::cross_entropy(model(x), y);
//   std::ofstream("graph.dot") << nn::to_dot(loss, &model);
//   $ dot -Tsvg graph.dot -o graph.svg
//
// What it shows:
//   - every recorded op once, as an ellipse labelled with its name and output shape
//     ("mm\n[64, 256]");
//   - every leaf that requires grad, as a box: a parameter of `model` is labelled with its
//     dotted name ("0.weight [256, 784]") and filled blue, a leaf named in the call's list
//     with that name ("a []"), and any other leaf "input [64, 784]";
//   - an edge from each input to the op that used it (twice if it was used twice);
//   - the output, filled orange.
// Inputs that do not require grad (a batch of data, a constant) are not part of the graph
// the engine records, so they do not appear, as in PyTorch's torchviz.
//
// The graph is walked with an explicit stack, never by recursion: a graph 100,000 ops deep
// (an unrolled loop) must not overflow the call stack.
#include <string>
#include <utility>
#include <vector>

#include "autograd/tensor.h"
#include "nn/module.h"

namespace nabla::nn {

// The DOT text of the graph that produced `output`; with `model`, its parameters are
// labelled by name. std::invalid_argument for an undefined tensor. Read-only: the graph
// and its saved tensors are left as they were, so backward still works after it.
std::string to_dot(const Tensor& output, const Module* model = nullptr);
// The same with leaves named by the caller, as torchviz's make_dot(params=...) takes them:
// to_dot(L, {{"a", a}, {"b", b}}) labels the leaf a "a []" and b "b []".
std::string to_dot(const Tensor& output, const std::vector<std::pair<std::string, Tensor>>& leaf_names);

}  // namespace nabla::nn
