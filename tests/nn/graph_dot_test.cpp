// nn::to_dot: the graph of a small model has the expected ops, parameter names and edges
// in well-formed DOT; shared inputs appear once; a 100,000-op chain does not overflow.
#include "nn/graph_dot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "nn/nn.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

// The parts of a DOT text the tests look at.
struct Dot {
  std::map<std::string, std::string> label_of;       // "n3" -> "mm\n[5, 3]" (DOT escapes kept)
  std::map<std::string, std::string> attributes_of;  // "n3" -> "shape=ellipse, ..."
  std::vector<std::pair<std::string, std::string>> edges;

  // The id of the only node with this label.
  std::string id(const std::string& label) const {
    std::string found;
    for (const auto& [id, l] : label_of) {
      if (l != label) continue;
      EXPECT_TRUE(found.empty()) << "two nodes labelled " << label;
      found = id;
    }
    EXPECT_FALSE(found.empty()) << "no node labelled " << label;
    return found;
  }
  size_t edge_count(const std::string& from, const std::string& to) const {
    return static_cast<size_t>(std::count(edges.begin(), edges.end(), std::make_pair(from, to)));
  }
};

// Checks that `text` is DOT as to_dot writes it, line by line, and reads it back. The
// grammar accepted is a strict subset of Graphviz's: one digraph, one statement per line.
Dot parse_dot(const std::string& text) {
  Dot dot;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "digraph nabla {");
  const std::regex node(R"re(  (n\d+) \[label="((?:\\.|[^"\\])*)", ((?:\w+=(?:"[^"]*"|[\w.]+)(?:, )?)+)\];)re");
  const std::regex edge(R"(  (n\d+) -> (n\d+);)");
  const std::regex defaults(R"(  node \[.*\];)");
  bool closed = false;
  std::smatch m;
  while (std::getline(in, line)) {
    EXPECT_FALSE(closed) << "text after the closing brace: " << line;
    if (line == "}") {
      closed = true;
    } else if (std::regex_match(line, m, node)) {
      EXPECT_EQ(dot.label_of.count(m[1]), 0u) << "node declared twice: " << line;
      dot.label_of[m[1]] = m[2];
      dot.attributes_of[m[1]] = m[3];
    } else if (std::regex_match(line, m, edge)) {
      dot.edges.emplace_back(m[1], m[2]);
    } else {
      EXPECT_TRUE(std::regex_match(line, defaults)) << "not a DOT statement: " << line;
    }
  }
  EXPECT_TRUE(closed) << "no closing brace";
  for (const auto& [from, to] : dot.edges) {
    EXPECT_EQ(dot.label_of.count(from), 1u) << "edge from an undeclared node " << from;
    EXPECT_EQ(dot.label_of.count(to), 1u) << "edge to an undeclared node " << to;
  }
  return dot;
}

bool has(const std::string& attributes, const std::string& fragment) {
  return attributes.find(fragment) != std::string::npos;
}
constexpr const char* kParameterColour = "#cfe2f3";
constexpr const char* kOutputColour = "#f9cb9c";

TEST(GraphDot, SmallModelShowsOpsParametersAndEdges) {
  manual_seed(1);
  nn::Sequential model = nn::mlp({4, 3, 2}, "tanh");
  const Tensor loss = model(randn({5, 4})).sum();
  const std::string text = nn::to_dot(loss, &model);
  const Dot dot = parse_dot(text);

  // Every parameter once, named and coloured as a parameter.
  for (const std::string label : {"0.weight [3, 4]", "0.bias [3]", "1.weight [2, 3]", "1.bias [2]"}) {
    const std::string id = dot.id(label);
    EXPECT_TRUE(has(dot.attributes_of.at(id), "shape=box")) << label;
    EXPECT_TRUE(has(dot.attributes_of.at(id), kParameterColour)) << label;
  }
  // The ops with their output shapes; the DOT text has "\n" (backslash, n) between them. A
  // Dense layer records x W^T + b as one op, "dense", followed here by its tanh.
  const std::string dense0 = dot.id("dense\\n[5, 3]");
  const std::string dense1 = dot.id("dense\\n[5, 2]");
  const std::string tanh0 = dot.id("tanh\\n[5, 3]");
  const std::string sum = dot.id("sum\\n[]");
  // Inputs flow into the ops that used them.
  EXPECT_EQ(dot.edge_count(dot.id("0.weight [3, 4]"), dense0), 1u);
  EXPECT_EQ(dot.edge_count(dot.id("1.weight [2, 3]"), dense1), 1u);
  EXPECT_EQ(dot.edge_count(tanh0, dense1), 1u);
  // The output is highlighted, and nothing else is.
  EXPECT_TRUE(has(dot.attributes_of.at(sum), kOutputColour));
  size_t highlighted = 0;
  for (const auto& [id, attributes] : dot.attributes_of) highlighted += has(attributes, kOutputColour);
  EXPECT_EQ(highlighted, 1u);
  // Nothing flows out of the output; everything else reaches it.
  for (const auto& [from, to] : dot.edges) EXPECT_NE(from, sum);
  for (const auto& [id, label] : dot.label_of) {
    if (id == sum) continue;
    const auto& node = id;  // clang 14 cannot capture a structured binding in a lambda
    const bool used = std::any_of(dot.edges.begin(), dot.edges.end(), [&](const auto& e) { return e.first == node; });
    EXPECT_TRUE(used) << label << " leads nowhere";
  }
  EXPECT_EQ(text.find("AccumulateGrad"), std::string::npos);  // leaves show what they are, not the node type
}

TEST(GraphDot, EachNodeOnceAndEveryUseAnEdge) {
  const Tensor x = tensor({1.0, 2.0, 3.0}, kFloat64).requires_grad_();
  const Tensor y = x * x + x;  // x used three times
  const Dot dot = parse_dot(nn::to_dot(y));
  EXPECT_EQ(dot.label_of.size(), 3u);  // x, mul, add
  const std::string input = dot.id("input [3]");
  EXPECT_EQ(dot.edge_count(input, dot.id("mul\\n[3]")), 2u);
  EXPECT_EQ(dot.edge_count(input, dot.id("add\\n[3]")), 1u);
  EXPECT_EQ(dot.edge_count(dot.id("mul\\n[3]"), dot.id("add\\n[3]")), 1u);
}

TEST(GraphDot, LeavesNamedByTheCallerCarryTheirNames) {
  const Tensor a = scalar_tensor(2.0, kFloat64).requires_grad_(), b = scalar_tensor(-3.0, kFloat64).requires_grad_();
  const Tensor c = scalar_tensor(1.0, kFloat64).requires_grad_();  // not named: an input
  const Tensor L = a * b + sin(a) + c;
  const Dot dot = parse_dot(nn::to_dot(L, {{"a", a}, {"b", b}}));
  const std::string na = dot.id("a []"), nb = dot.id("b []");
  EXPECT_EQ(dot.edge_count(na, dot.id("mul\\n[]")), 1u);
  EXPECT_EQ(dot.edge_count(na, dot.id("sin\\n[]")), 1u);
  EXPECT_EQ(dot.edge_count(nb, dot.id("mul\\n[]")), 1u);
  dot.id("input []");
  EXPECT_FALSE(has(dot.attributes_of.at(na), kParameterColour));  // named, but not a model's parameter
}

TEST(GraphDot, WithoutTheModelParametersAreInputs) {
  nn::Sequential model = nn::mlp({2, 1});
  const Dot dot = parse_dot(nn::to_dot(model(ones({3, 2}))));
  EXPECT_FALSE(has(dot.attributes_of.at(dot.id("input [1, 2]")), kParameterColour));
  dot.id("input [1]");
}

TEST(GraphDot, ALeafIsAGraphOfOneNode) {
  nn::Sequential model = nn::mlp({2, 1});
  const Dot dot = parse_dot(nn::to_dot(model.parameters()[0], &model));
  ASSERT_EQ(dot.label_of.size(), 1u);
  EXPECT_TRUE(has(dot.attributes_of.at(dot.id("0.weight [1, 2]")), kOutputColour));
  EXPECT_TRUE(dot.edges.empty());
  EXPECT_EQ(parse_dot(nn::to_dot(ones({2}))).label_of.size(), 1u);  // not even requiring grad
}

class Quoted : public nn::Module {
 public:
  Quoted() { register_parameter("say \"hi\" \\o/", ones({1})); }
  Tensor forward(const Tensor& x) override { return x; }
  std::string type_name() const override { return "Quoted"; }
};

TEST(GraphDot, LabelsAreEscaped) {
  Quoted model;
  const std::string text = nn::to_dot(model.parameters()[0] * 2.0, &model);
  EXPECT_NE(text.find(R"(label="say \"hi\" \\o/ [1]")"), std::string::npos) << text;
  parse_dot(text);
}

TEST(GraphDot, DeepChainDoesNotOverflow) {
  constexpr int kDepth = 100000;
  Tensor y = ones({1}, kFloat64).requires_grad_();
  for (int i = 0; i < kDepth; ++i) y = y * 1.0;
  const std::string text = nn::to_dot(y);
  size_t edges = 0, nodes = 0;
  for (size_t at = text.find(" -> "); at != std::string::npos; at = text.find(" -> ", at + 1)) ++edges;
  for (size_t at = text.find("[label="); at != std::string::npos; at = text.find("[label=", at + 1)) ++nodes;
  EXPECT_EQ(edges, static_cast<size_t>(kDepth));
  EXPECT_EQ(nodes, static_cast<size_t>(kDepth) + 1);
  EXPECT_EQ(text.rfind("}\n"), text.size() - 2);
}

TEST(GraphDot, GraphvizRendersIt) {
  NABLA_REQUIRE(std::system("which dot >/dev/null 2>&1") == 0, "Graphviz (dot; apt-get install graphviz)");
  const testing::TempDir dir;
  nn::Sequential model = nn::mlp({4, 3, 2});
  std::ofstream(dir.file("g.dot")) << nn::to_dot(model(ones({2, 4})).sum(), &model);
  const std::string command = "timeout 60 dot -Tsvg " + dir.file("g.dot") + " -o " + dir.file("g.svg");
  EXPECT_EQ(std::system(command.c_str()), 0);
  EXPECT_NE(testing::read_file(dir.file("g.svg")).find("<svg"), std::string::npos);
}

}  // namespace
}  // namespace nabla
