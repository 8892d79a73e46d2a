// The fused linear op (autograd/ops/linear.h): the same bits as mm, + and relu, forward and
// backward, on one thread and on several; its second derivatives; its errors.
#include "autograd/ops/linear.h"

#include <gtest/gtest.h>

#include "autograd/autograd.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;

// At a training shape (more than one 64-column block of the bias-gradient pass), in float32,
// on one thread, two (the GEMMs of the backward side by side) and three.
TEST(Linear, FusedReluAndIdentityEqualTheUnfusedOpsExactly) {
  const int threads_before = get_num_threads();
  for (int threads : {1, 2, 3}) {
    set_num_threads(threads);
    for (const LinearActivation f : {LinearActivation::Relu, LinearActivation::None}) {
      Generator gen(3);
      const Tensor x = randn({64, 100}, kFloat32, &gen).requires_grad_();
      const Tensor w = randn({130, 100}, kFloat32, &gen).requires_grad_();
      const Tensor b = randn({130}, kFloat32, &gen).requires_grad_();
      const Tensor g = randn({64, 130}, kFloat32, &gen);
      const Tensor fused = linear(x, w, b, f);
      const TensorList fused_grads = autograd::grad({fused}, {x, w, b}, {g});
      const Tensor z = mm(x, w, false, true) + b;
      // relu(z) = z [z > 0], its derivative the same constant mask
      const Tensor unfused = f == LinearActivation::Relu ? z * (z.detach() > 0.0) : z;
      const TensorList unfused_grads = autograd::grad({unfused}, {x, w, b}, {g});
      const char* name = f == LinearActivation::Relu ? "relu" : "identity";
      EXPECT_EQ(fused.to_vector(), unfused.to_vector()) << name << ", " << threads << " threads";
      for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(fused_grads[i].to_vector(), unfused_grads[i].to_vector())
            << name << ", gradient " << i << ", " << threads << " threads";
      }
    }
  }
  set_num_threads(threads_before);
}

TEST(Linear, RecordsOneOpNamedAfterItsActivation) {
  const Tensor x = ones({2, 3}).requires_grad_(), w = ones({4, 3});
  EXPECT_EQ(linear(x, w, Tensor()).grad_fn()->name(), "dense");
  EXPECT_EQ(linear(x, w, Tensor(), LinearActivation::Relu).grad_fn()->name(), "dense_relu");
}

// Squared, so that the second derivative is not zero for relu and identity as well.
TEST(Linear, SecondDerivatives) {
  for (const LinearActivation f : {LinearActivation::Relu, LinearActivation::None}) {
    // z = x W^T + b away from relu's kink at 0 (finite differences across it disagree).
    const Tensor x = testing::random_leaf({5, 4}, 11), w = testing::random_leaf({3, 4}, 12);
    const Tensor b = testing::random_leaf({3}, 13);
    const GradcheckResult with_bias =
        gradgradcheck([&](const TensorList& t) { return linear(t[0], t[1], t[2], f).square(); }, {x, w, b});
    EXPECT_TRUE(with_bias.passed) << with_bias;
    const GradcheckResult without_bias =
        gradgradcheck([&](const TensorList& t) { return linear(t[0], t[1], Tensor(), f).square(); }, {x, w});
    EXPECT_TRUE(without_bias.passed) << without_bias;
  }
}

TEST(Linear, RefusesMismatchedShapesAndDtypes) {
  expect_error<ShapeError>([] { linear(zeros({2, 3}), zeros({4, 5}), Tensor(), LinearActivation::Relu); },
                           "dense: expects input [batch, in], weight [out, in] and bias [out], got [2, 3], [4, 5]");
  expect_error<ShapeError>([] { linear(zeros({2, 3}), zeros({4, 3}), zeros({5})); }, "and [5]");
  expect_error<DtypeError>([] { linear(zeros({2, 3}), zeros({4, 3}), zeros({4}, kFloat64)); },
                           "dense: bias is float64 but weight is float32");
}

}  // namespace
}  // namespace nabla
