// Tour step 2, examples/02_chain_rule.cpp: autograd's gradients are the chain rule's, and the
// DOT picture shows the graph that was recorded, with the leaf used twice.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/examples/expect_rejected.h"

namespace {

using namespace testing_examples;

// The number after `label` in the part of `text` after `section`.
double number_after(const std::string& text, const std::string& section, const std::string& label) {
  const size_t s = text.find(section);
  if (s == std::string::npos) return NAN;
  const size_t at = text.find(label, s);
  return at == std::string::npos ? NAN : std::stod(text.substr(at + label.size()));
}

TEST(ChainRuleExample, AutogradGivesTheChainRulesGradients) {
  const std::string out = make_temporary_directory("nabla_chain_rule_");
  const double a = 0.5, b = 1.5;
  const ProgramResult r = run_program(CHAIN_RULE_PROGRAM, {"--a", "0.5", "--b", "1.5", "--out", out});
  ASSERT_TRUE(r.exited()) << r.err;
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // L = (a b + sin a)^2: dL/da = 2e (b + cos a), both paths through a; dL/db = 2e a.
  const double e = a * b + std::sin(a);
  EXPECT_NEAR(number_after(r.out, "by autograd", "dL/da = "), 2 * e * (b + std::cos(a)), 1e-12);
  EXPECT_NEAR(number_after(r.out, "by autograd", "dL/db = "), 2 * e * a, 1e-12);
}

TEST(ChainRuleExample, TheGraphHasFourOpsAndTheLeafUsedTwiceHasTwoEdges) {
  const std::string out = make_temporary_directory("nabla_chain_rule_");
  const ProgramResult r = run_program(CHAIN_RULE_PROGRAM, {"--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream file(out + "/graph.dot");
  ASSERT_TRUE(file) << "no graph.dot";
  std::map<std::string, std::string> labels;  // node -> label
  std::map<std::string, int> edges_from;
  std::string sin_node;
  for (std::string line; std::getline(file, line);) {
    std::istringstream in(line);
    std::string node, arrow, label;
    in >> node >> arrow;
    if (arrow == "->") ++edges_from[node];
    if (const size_t at = line.find("label=\""); at != std::string::npos) labels[node] = line.substr(at + 7, 3);
  }
  int ops = 0;
  std::string a, b;  // the leaves, labelled by their names
  for (const auto& [node, label] : labels) {
    ops += label == "mul" || label == "add" || label == "sin";
    if (label == "a [") a = node;
    if (label == "b [") b = node;
  }
  EXPECT_EQ(ops, 4);
  ASSERT_FALSE(a.empty() || b.empty()) << "the leaves are labelled a and b";
  EXPECT_EQ(edges_from[a], 2) << "a feeds both a * b and sin(a)";
  EXPECT_EQ(edges_from[b], 1);
}

TEST(ChainRuleExample, HelpOnlyPrintsTheUsage) { expect_help_only_prints(CHAIN_RULE_PROGRAM, "chain_rule"); }

TEST(ChainRuleExample, BadArgumentsAreRefused) {
  expect_rejected(CHAIN_RULE_PROGRAM, "chain_rule",
                  {
                      {{"--a", "1e9"}, "--a must be >= -100 and <= 100, got 1e9"},
                      {{"--b", "nan"}, "--b"},
                      {{"--a", "2x"}, "--a expects a number, got '2x'"},
                      {{"--out", "/proc/nabla/x"}, "--out '/proc/nabla/x': cannot create the directory"},
                      {{"-a", "1"}, "unknown option '-a'"},
                  });
}

}  // namespace
