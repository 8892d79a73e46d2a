#include "nn/graph_dot.h"

#include <memory>
#include <unordered_map>
#include <vector>

#include "autograd/node.h"

namespace nabla::nn {
namespace {

// Text inside a DOT string literal: quotes and backslashes are escaped, and a line break
// becomes DOT's "\n" (a centred line).
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

struct Style {
  std::string label;
  std::string attributes;  // shape and colours, after the label
};

constexpr const char* kParameterFill = "style=filled, fillcolor=\"#cfe2f3\"";
constexpr const char* kOutputFill = "style=filled, fillcolor=\"#f9cb9c\", penwidth=2";

class DotWriter {
 public:
  // `names`: leaves to label by name (a model's parameters, or the caller's leaves), filled
  // blue when they are a model's parameters.
  DotWriter(const std::vector<std::pair<std::string, Tensor>>& names, bool parameters) : parameters_(parameters) {
    for (const auto& [name, t] : names) {
      if (t.defined()) leaf_names_.emplace(t.impl_ptr().get(), name);
    }
  }

  // A leaf: a box named after the parameter or named leaf it is, or "input".
  Style leaf(const TensorImpl* impl, const Shape& shape, bool is_output) const {
    const auto found = impl == nullptr ? leaf_names_.end() : leaf_names_.find(impl);
    const bool is_parameter = found != leaf_names_.end();
    Style s;
    s.label = (is_parameter ? found->second : std::string(impl == nullptr ? "freed leaf" : "input")) + " " +
              to_string(shape);
    s.attributes = "shape=box";
    if (is_output) {
      s.attributes += std::string(", ") + kOutputFill;
    } else if (is_parameter && parameters_) {
      s.attributes += std::string(", ") + kParameterFill;
    }
    return s;
  }

  // A recorded op: an ellipse with the op's name over its output shape.
  Style op(const Node& node, bool is_output) const {
    if (node.is_accumulator()) {
      const auto& acc = static_cast<const AccumulateGrad&>(node);
      return leaf(acc.leaf().get(), node.output_shape(), is_output);
    }
    Style s{node.name() + "\n" + to_string(node.output_shape()), "shape=ellipse"};
    if (is_output) s.attributes += std::string(", ") + kOutputFill;
    return s;
  }

  void declare(size_t id, const Style& style) {
    nodes_ += "  n" + std::to_string(id) + " [label=" + quoted(style.label) + ", " + style.attributes + "];\n";
  }
  void edge(size_t from, size_t to) { edges_ += "  n" + std::to_string(from) + " -> n" + std::to_string(to) + ";\n"; }

  std::string finish() const {
    return "digraph nabla {\n  node [fontname=\"Helvetica\", fontsize=10];\n" + nodes_ + edges_ + "}\n";
  }

 private:
  std::unordered_map<const TensorImpl*, std::string> leaf_names_;
  bool parameters_;
  std::string nodes_, edges_;
};

std::string write_dot(const Tensor& output, DotWriter& dot) {
  if (!output.defined()) throw std::invalid_argument("to_dot: the tensor is undefined");
  const std::shared_ptr<Node>& root = output.grad_fn();
  if (!root) {
    // Nothing was recorded: the whole graph is this one tensor.
    dot.declare(0, dot.leaf(output.impl_ptr().get(), output.sizes(), /*is_output=*/true));
    return dot.finish();
  }
  // Depth first with an explicit stack. A node gets its id the first time an edge reaches
  // it and is pushed only then, so each node is declared once however many ops use it.
  std::unordered_map<const Node*, size_t> ids{{root.get(), 0}};
  std::vector<const Node*> stack{root.get()};
  while (!stack.empty()) {
    const Node* node = stack.back();
    stack.pop_back();
    const size_t id = ids.at(node);
    dot.declare(id, dot.op(*node, node == root.get()));
    for (const std::shared_ptr<Node>& input : node->next()) {
      if (!input) continue;  // an input that does not require grad: not in the graph
      const auto [it, first_visit] = ids.try_emplace(input.get(), ids.size());
      if (first_visit) stack.push_back(input.get());
      dot.edge(it->second, id);
    }
  }
  return dot.finish();
}

}  // namespace

std::string to_dot(const Tensor& output, const Module* model) {
  DotWriter dot(model == nullptr ? std::vector<std::pair<std::string, Tensor>>{} : model->named_parameters(),
                /*parameters=*/true);
  return write_dot(output, dot);
}

std::string to_dot(const Tensor& output, const std::vector<std::pair<std::string, Tensor>>& leaf_names) {
  DotWriter dot(leaf_names, /*parameters=*/false);
  return write_dot(output, dot);
}

}  // namespace nabla::nn
