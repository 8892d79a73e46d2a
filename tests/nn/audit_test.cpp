#include "nn/activations/audit.h"

#include <gtest/gtest.h>

#include <sstream>

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

}  // namespace
}  // namespace nabla
