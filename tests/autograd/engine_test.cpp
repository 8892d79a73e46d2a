#include "autograd/engine.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "autograd/autograd.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;
using testing::leaf;
using testing::expect_values_near;

TEST(Engine, ATensorUsedSeveralTimesGetsEveryContribution) {
  Tensor x = leaf({3.0});
  (x * x + x).backward();  // d/dx (x^2 + x) = 2x + 1
  EXPECT_EQ(x.grad().item(), 7.0);
}

// Counts how often its backward runs, to see the engine visit each node once.
struct CountingIdentity : autograd::Function<CountingIdentity> {
  static constexpr const char* name = "CountingIdentity";
  static inline int backward_calls = 0;
  static Tensor forward(autograd::AutogradContext*, const Tensor& x) { return x.clone(); }
  static TensorList backward(autograd::AutogradContext*, const TensorList& g) {
    ++backward_calls;
    return {g[0]};
  }
};

TEST(Engine, ADiamondVisitsTheSharedNodeOnce) {
  Tensor x = leaf({2.0});
  CountingIdentity::backward_calls = 0;
  const Tensor shared = CountingIdentity::apply(x);
  const Tensor left = shared * 3.0, right = shared * 4.0;
  (left + right).backward();
  EXPECT_EQ(CountingIdentity::backward_calls, 1);
  EXPECT_EQ(x.grad().item(), 7.0);
}

TEST(Engine, AChainOfAHundredThousandOpsDoesNotOverflowTheStack) {
  Tensor x = leaf({1.0});
  Tensor y = x;
  for (int i = 0; i < 100000; ++i) y = y * 1.0 + 0.0;
  y.backward();
  EXPECT_EQ(x.grad().item(), 1.0);
}

TEST(Engine, GradientsAccumulateUntilZeroGrad) {
  Tensor x = leaf({1.0, 2.0});
  (x * 3.0).sum().backward();
  (x * 3.0).sum().backward();
  expect_values_near(x.grad(), {6, 6});
  x.zero_grad();
  EXPECT_FALSE(x.grad().defined());
  (x * x).sum().backward();
  expect_values_near(x.grad(), {2, 4});
}

TEST(Engine, TwoLeavesNeverShareAGradientBuffer) {
  Tensor a = leaf({1.0}), b = leaf({1.0});
  (a + b).backward();  // add's backward hands the same gradient to both
  {
    NoGradGuard g;
    a.grad().add_(5.0);
  }
  EXPECT_EQ(b.grad().item(), 1.0);
}

TEST(Engine, LeavesNeverShareAGradientBufferWithCreateGraph) {
  Tensor a = leaf({1.0, 1.0}), b = leaf({1.0, 1.0});
  (a + b).sum().backward({}, false, /*create_graph=*/true);
  EXPECT_FALSE(a.grad().impl_ptr() == b.grad().impl_ptr());
  (a * 1.0).sum().backward();
  testing::expect_values_near(b.grad(), {1, 1});
  Tensor x = leaf({1.0, 2.0});
  const Tensor g = tensor({5.0, 5.0}, kFloat64);
  x.backward(g, false, true);
  x.backward(g);
  testing::expect_values_near(g, {5, 5});  // the caller's gradient is never written into
}

TEST(Engine, GradComputesOnlyWhatTheInputsNeed) {
  Tensor x = leaf({1.0, 2.0, 3.0});
  Tensor h = x * 2.0;
  Tensor y = (h * h).sum();
  testing::expect_values_near(autograd::grad({y}, {h})[0], {4, 8, 12});
  h.sum().backward();  // the part of the graph below h was neither run nor freed
  testing::expect_values_near(x.grad(), {2, 2, 2});
}

// A backward that itself runs autograd::grad, as gradient-penalty and recompute tricks do.
struct Recompute : autograd::Function<Recompute> {
  static Tensor forward(autograd::AutogradContext* ctx, const Tensor& x) {
    ctx->save_for_backward({x});
    return x * x;
  }
  static TensorList backward(autograd::AutogradContext* ctx, const TensorList& g) {
    const Tensor x = ctx->get_saved_variables()[0];
    AutoGradMode on(true);
    return {autograd::grad({x * x}, {x}, {g[0]})[0]};
  }
};

TEST(Engine, ABackwardInsideABackwardLosesNothing) {
  Tensor w = leaf({3.0});
  Tensor x = w * 2.0;
  (Recompute::apply(x) + x).sum().backward();
  EXPECT_EQ(w.grad().item(), 26.0);  // d/dw (4w^2 + 2w) = 8w + 2
}

TEST(Engine, BackwardOnANonScalarNeedsAGradient) {
  Tensor x = leaf({1.0, 2.0});
  expect_error<AutogradError>([&] { (x * 2.0).backward(); }, "a gradient can be implied only for a one-element output");
  (x * 2.0).backward(tensor({1.0, 10.0}, kFloat64));
  expect_values_near(x.grad(), {2, 20});
}

TEST(Engine, AGradientOfTheWrongShapeIsNamed) {
  Tensor x = leaf({1.0, 2.0});
  expect_error<ShapeError>([&] { (x * 2.0).backward(ones({3}, kFloat64)); }, "gradient of shape [3]");
}

TEST(Engine, BackwardTwiceThroughAFreedGraphIsAnError) {
  Tensor x = leaf({1.0});
  Tensor y = (x * x).sum();
  y.backward();
  expect_error<AutogradError>([&] { y.backward(); }, "a second time");
}

TEST(Engine, RetainGraphAllowsASecondBackward) {
  Tensor x = leaf({1.0});
  Tensor y = (x * x).sum();
  y.backward({}, /*retain_graph=*/true);
  y.backward();
  EXPECT_EQ(x.grad().item(), 4.0);
}

TEST(Engine, BackwardOfSomethingThatDoesNotRequireGradIsAnError) {
  expect_error<AutogradError>([] { ones({1}).backward(); }, "does not require grad");
}

TEST(Engine, NoGradGuardStopsRecording) {
  Tensor x = leaf({1.0});
  Tensor y;
  {
    NoGradGuard g;
    y = x * 2.0;
  }
  EXPECT_FALSE(y.requires_grad());
  EXPECT_TRUE((x * 2.0).requires_grad());
}

TEST(Engine, DetachCutsTheGraph) {
  Tensor x = leaf({3.0});
  Tensor y = x * x.detach();  // only the first factor is differentiated
  y.backward();
  EXPECT_EQ(x.grad().item(), 3.0);
}

TEST(Engine, SecondDerivativeWithCreateGraph) {
  Tensor x = leaf({2.0});
  const Tensor y = x * x * x;
  const Tensor dy = autograd::grad({y}, {x}, {}, std::nullopt, /*create_graph=*/true)[0];
  EXPECT_EQ(dy.item(), 12.0);  // 3x^2
  const Tensor d2y = autograd::grad({dy}, {x})[0];
  EXPECT_EQ(d2y.item(), 12.0);  // 6x
}

TEST(Engine, BackwardWithCreateGraphLeavesADifferentiableGrad) {
  Tensor x = leaf({3.0});
  (x * x * x).backward({}, false, /*create_graph=*/true);
  const Tensor g = x.grad();
  EXPECT_TRUE(g.requires_grad());
  x.zero_grad();
  g.backward();
  EXPECT_EQ(x.grad().item(), 18.0);  // d/dx 3x^2 = 6x
}

TEST(Engine, GradDoesNotTouchLeafGradients) {
  Tensor x = leaf({1.0}), w = leaf({2.0});
  const TensorList g = autograd::grad({x * w}, {w});
  EXPECT_EQ(g[0].item(), 1.0);
  EXPECT_FALSE(x.grad().defined());
  EXPECT_FALSE(w.grad().defined());
}

TEST(Engine, GradOfAnUnusedInputIsAnErrorUnlessAllowed) {
  Tensor x = leaf({1.0}), unused = leaf({1.0});
  expect_error<AutogradError>([&] { autograd::grad({x * 2.0}, {unused}, {}, true); }, "was not used");
  const TensorList g = autograd::grad({x * 2.0}, {unused}, {}, true, false, /*allow_unused=*/true);
  EXPECT_FALSE(g[0].defined());
}

TEST(Engine, AnInputChangedInPlaceBeforeBackwardIsAnError) {
  Tensor w = leaf({2.0});
  Tensor x = tensor({3.0}, kFloat64);  // data, not requiring grad, saved by mul for w's gradient
  Tensor y = (x * w).sum();
  x.mul_(10.0);                        // would make dy/dw = 30 instead of 3
  expect_error<AutogradError>([&] { y.backward(); }, "backward through 'mul': a tensor it used");
}

TEST(Engine, ASavedOutputChangedInPlaceIsAnError) {
  Tensor x = leaf({1.0});
  Tensor y = exp(x);  // exp's backward reads its output
  {
    NoGradGuard g;
    y.detach().add_(1.0);  // detach shares the storage
  }
  expect_error<AutogradError>([&] { y.sum().backward(); }, "modified in place");
}

TEST(Engine, ChangesAfterTheBackwardAreFine) {
  Tensor w = leaf({2.0});
  Tensor x = tensor({3.0}, kFloat64);
  (x * w).sum().backward();
  x.mul_(10.0);
  EXPECT_EQ(w.grad().item(), 3.0);
}

TEST(Engine, TheGraphIsFreedWithTheLastTensorThatReferencesIt) {
  std::weak_ptr<Node> node;
  Tensor x = leaf({1.0});
  {
    Tensor y = exp(x * 2.0);  // exp saves its output: a cycle here would leak
    node = y.grad_fn();
    EXPECT_FALSE(node.expired());
  }
  EXPECT_TRUE(node.expired());
}

TEST(Engine, SecondOrderGraphIsFreedToo) {
  std::weak_ptr<Node> node;
  Tensor x = leaf({1.0});
  {
    Tensor y = exp(x).sum();
    y.backward({}, false, /*create_graph=*/true);
    node = y.grad_fn();
    x.zero_grad();  // the recorded gradient held the graph
  }
  EXPECT_TRUE(node.expired());
}

// --- several threads, one set of parameters ------------------------------------------
// The suite is named ConcurrentBackward so that CI's ThreadSanitizer job picks it up.

constexpr int kThreads = 4;
constexpr int kIterations = 200;

// The common pattern: threads computing losses on shared parameters, each calling
// backward. Every contribution must arrive: the gradients equal the sum of all of them,
// exactly (the values are small integers, so float64 sums are exact in any order).
TEST(ConcurrentBackward, ThreadsSharingLeavesAccumulateEveryGradient) {
  const Tensor w = tensor({1.0, 2.0, -3.0, 4.0}, kFloat64).requires_grad_();
  const Tensor b = tensor({1.0, -1.0, 2.0, 0.0}, kFloat64).requires_grad_();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const Tensor x = full({4}, t + 1.0, kFloat64);
      for (int i = 0; i < kIterations; ++i) ((x * w + b) * w).sum().backward();
    });
  }
  for (auto& th : threads) th.join();
  // loss = sum((x w + b) w):  d/dw = 2 x w + b,  d/db = w
  const std::vector<double> wv = w.to_vector(), bv = b.to_vector();
  std::vector<double> expected_w(4, 0.0), expected_b(4, 0.0);
  for (int t = 0; t < kThreads; ++t) {
    for (int k = 0; k < 4; ++k) {
      expected_w[k] += kIterations * (2.0 * (t + 1) * wv[k] + bv[k]);
      expected_b[k] += kIterations * wv[k];
    }
  }
  EXPECT_EQ(w.grad().to_vector(), expected_w);
  EXPECT_EQ(b.grad().to_vector(), expected_b);
}

// autograd::grad from several threads at once through graphs sharing an input: each call
// gets its own gradient, untouched by the walks running beside it.
TEST(ConcurrentBackward, GradThroughSharedInputsIsExactInEveryThread) {
  const Tensor w = tensor({1.0, 2.0, 3.0}, kFloat64).requires_grad_();
  std::vector<int> wrong(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const Tensor x = full({3}, t + 1.0, kFloat64);
      for (int i = 0; i < kIterations; ++i) {
        const Tensor g = autograd::grad({(x * w * w).sum()}, {w})[0];  // d/dw = 2 x w
        const std::vector<double> gv = g.to_vector();
        for (int k = 0; k < 3; ++k) wrong[t] += gv[k] != 2.0 * (t + 1) * (k + 1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong, std::vector<int>(kThreads, 0));
  EXPECT_FALSE(w.grad().defined());
}

// Second derivatives (create_graph) from several threads into one leaf: the recorded
// gradient is rebuilt under the leaf's lock, so no contribution is lost there either.
TEST(ConcurrentBackward, CreateGraphBackwardsIntoASharedLeafKeepEveryContribution) {
  const Tensor w = tensor({2.0}, kFloat64).requires_grad_();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIterations / 4; ++i) (w * w).sum().backward({}, false, /*create_graph=*/true);
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(w.grad().item(), kThreads * (kIterations / 4) * 4.0);  // d/dw w^2 = 2w = 4
  // create_graph makes a cycle w -> w.grad -> its graph -> w (as in PyTorch, which warns of
  // it): forgetting the gradient breaks it, or LeakSanitizer rightly reports it.
  w.zero_grad();
}

}  // namespace
}  // namespace nabla
