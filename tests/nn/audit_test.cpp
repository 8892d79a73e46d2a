#include "nn/activations/audit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <utility>

#include "nn/nn.h"

namespace nabla {
namespace {

const AuditOptions kNoTiming{.measure_cost = false};

TEST(Audit, GoodActivationsPassTheFourChecks) {
  for (const char* name : {"relu", "leaky_relu", "tanh", "sigmoid", "gelu", "silu"}) {
    const AuditResult r = audit(name, kNoTiming);
    EXPECT_TRUE(r.defined_everywhere) << name;
    EXPECT_TRUE(r.differentiable) << name;
    EXPECT_TRUE(r.nonlinear) << name;
    EXPECT_TRUE(r.meaningful_signal) << name;
    EXPECT_TRUE(r.good()) << name;
  }
}

TEST(Audit, IdentityIsLinear) {
  const AuditResult r = audit("identity", kNoTiming);
  EXPECT_FALSE(r.nonlinear);
  EXPECT_TRUE(r.defined_everywhere);
  EXPECT_FALSE(r.good());
}

TEST(Audit, SquareLosesTheSign) {
  const AuditResult r = audit("square", kNoTiming);
  EXPECT_FALSE(r.meaningful_signal);
  EXPECT_TRUE(r.nonlinear);
  EXPECT_TRUE(r.defined_everywhere);
}

TEST(Audit, SqrtAndLogAreNotDefinedOnAllReals) {
  for (const char* name : {"sqrt", "log"}) {
    const AuditResult r = audit(name, kNoTiming);
    EXPECT_FALSE(r.defined_everywhere) << name;
    ASSERT_FALSE(r.notes.empty());
    EXPECT_NE(r.notes[0].find("undefined"), std::string::npos) << r.notes[0];
  }
}

TEST(Audit, SignedSqrtIsNotDifferentiableAtZero) {
  const AuditResult r = audit("signed_sqrt", kNoTiming);
  EXPECT_TRUE(r.defined_everywhere);
  EXPECT_FALSE(r.differentiable);
  EXPECT_TRUE(r.meaningful_signal);
  bool mentions_zero = false;
  for (const std::string& note : r.notes) mentions_zero = mentions_zero || note.find("x = 0") != std::string::npos;
  EXPECT_TRUE(mentions_zero);
}

TEST(Audit, RangesAndCentring) {
  const AuditResult sig = audit("sigmoid", kNoTiming), th = audit("tanh", kNoTiming), re = audit("relu", kNoTiming);
  EXPECT_TRUE(sig.bounded_below && sig.bounded_above);
  EXPECT_FALSE(sig.zero_centred);
  EXPECT_NEAR(sig.max_output, 1.0, 1e-4);
  EXPECT_TRUE(th.bounded_below && th.bounded_above && th.zero_centred);
  EXPECT_TRUE(re.bounded_below);
  EXPECT_FALSE(re.bounded_above);
  EXPECT_TRUE(re.monotonic);
  EXPECT_FALSE(audit("gelu", kNoTiming).monotonic);
}

TEST(Audit, DeadAndVanishingGradients) {
  const AuditResult re = audit("relu", kNoTiming), sig = audit("sigmoid", kNoTiming), lr = audit("leaky_relu", kNoTiming);
  EXPECT_NEAR(re.dead_fraction, 0.5, 0.001);  // every x < 0 (and the 0 itself)
  EXPECT_EQ(lr.dead_fraction, 0.0);
  EXPECT_EQ(sig.dead_fraction, 0.0);
  EXPECT_GT(sig.vanishing_fraction, 0.25);  // |x| > 6.9: sigmoid' < 1e-3
  EXPECT_LT(sig.vanishing_fraction, 0.4);
}

TEST(Audit, MeasuresCost) {
  const AuditResult r = audit("tanh", {.points = 101, .cost_elements = 4096});
  EXPECT_GT(r.forward_ns, 0.0);
  EXPECT_GT(r.backward_ns, 0.0);
}

TEST(Audit, CustomActivationsAreAudited) {
  register_activation({.name = "audit_test_cube", .apply = [](const Tensor& x) { return x * x * x; }});
  const AuditResult r = audit("audit_test_cube", kNoTiming);
  EXPECT_TRUE(r.good());
  EXPECT_TRUE(r.monotonic);
  EXPECT_FALSE(r.bounded_above);
}

TEST(Audit, TablePrintsOneRowPerActivationAndTheReasons) {
  std::ostringstream s;
  print_audit_table(s, {audit("relu", kNoTiming), audit("square", kNoTiming)});
  const std::string text = s.str();
  EXPECT_NE(text.find("relu"), std::string::npos);
  EXPECT_NE(text.find("square: even"), std::string::npos);
}

// The range comes from the math, not from the grid's extremes: log runs off to -inf at 0+,
// which a grid starting at 0.001 would show as -6.9.
TEST(Audit, LogsRangeIsUnboundedNotTheGridsSmallestSample) {
  const AuditResult lg = audit("log", kNoTiming), sq = audit("sqrt", kNoTiming);
  EXPECT_FALSE(lg.bounded_below);
  EXPECT_EQ(lg.min_output, -INFINITY);
  EXPECT_EQ(lg.max_output, INFINITY);
  EXPECT_TRUE(sq.bounded_below);  // sqrt stops at 0, a bound
  EXPECT_EQ(sq.min_output, 0.0);
  std::ostringstream s;
  print_audit_table(s, {lg});
  EXPECT_NE(s.str().find("[-inf, inf]"), std::string::npos) << s.str();
}

// log's and sqrt's 0 is where the domain ends: the plots and the audit call it that, not a kink.
TEST(Audit, TheEdgeOfTheDomainIsNotAKink) {
  for (const char* name : {"sqrt", "log"}) {
    const Activation& a = activation(name);
    EXPECT_TRUE(a.kinks.empty()) << name;
    const std::vector<PlotMark> marks = plot_marks(a);
    ASSERT_EQ(marks.size(), 1u) << name;
    EXPECT_EQ(marks[0].x, 0.0);
    EXPECT_EQ(marks[0].label, "domain edge");
    const AuditResult r = audit(name, kNoTiming);
    bool said = false;
    for (const std::string& note : r.notes) said = said || note.find("edge of its domain") != std::string::npos;
    EXPECT_TRUE(said) << name;
  }
  EXPECT_EQ(plot_marks(activation("relu"))[0].label, "kink");
}

TEST(Audit, PlotRangeShowsEveryKink) {
  EXPECT_EQ(plot_x_range(activation("tanh")), (std::pair<double, double>{-5, 5}));
  const auto [low, high] = plot_x_range(activation("relu6"));
  EXPECT_EQ(low, -5);
  EXPECT_GE(high, 7);  // the upper kink at 6, with room on both sides of it
  EXPECT_GE(plot_x_range(activation("hardtanh(-8, 8)")).second, 9);
}

// The table says what its columns mean: f' finite (relu's kink has a one-sided value, so it is
// not "differentiable" there), zero-c, dead and vanish. Dead is a flat piece: gelu_tanh's
// tail, merely tiny, is not dead (as gelu's is not), only saturated.
TEST(Audit, DeadAndSaturatedAreDefinedInTheOutput) {
  EXPECT_EQ(audit("gelu_tanh", kNoTiming).dead_fraction, 0.0);
  EXPECT_EQ(audit("gelu", kNoTiming).dead_fraction, 0.0);
  EXPECT_GT(audit("gelu_tanh", kNoTiming).vanishing_fraction, 0.25);
  std::ostringstream s;
  print_audit_table(s, {audit("relu", kNoTiming)});
  EXPECT_NE(s.str().find("dead%: where f' = 0 exactly"), std::string::npos) << s.str();
  EXPECT_NE(s.str().find("vanish%: share of the grid where |f'| < 0.001"), std::string::npos) << s.str();
  EXPECT_NE(s.str().find("f' finite: f' is a number at every grid point, kinks included"), std::string::npos);
  EXPECT_NE(s.str().find("zero-c: zero-centred, f(0) = 0 with outputs on both sides of 0"), std::string::npos);
  EXPECT_EQ(s.str().find("diff'ble"), std::string::npos) << s.str();
}

}  // namespace
}  // namespace nabla
