#include "autograd/function.h"

#include <gtest/gtest.h>

#include "autograd/autograd.h"
#include "tests/autograd/cube_function.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using autograd::AutogradContext;
using testing::Cube;
using testing::expect_error;
using testing::random_leaf;

// Saves its own output, as sigmoid-like ops do: d/dx e^x = e^x.
struct SavedOutputExp : autograd::Function<SavedOutputExp> {
  static Tensor forward(AutogradContext* ctx, const Tensor& x) {
    Tensor y = exp(x);
    ctx->save_for_backward({y});
    return y;
  }
  static TensorList backward(AutogradContext* ctx, const TensorList& grad) {
    return {grad[0] * ctx->get_saved_variables()[0]};
  }
};

// A scaled product with a non-tensor argument: d/da = s b, d/db = s a.
struct ScaledProduct : autograd::Function<ScaledProduct> {
  static Tensor forward(AutogradContext* ctx, const Tensor& a, const Tensor& b, double s) {
    ctx->save_for_backward({a, b});
    ctx->saved_data["s"] = s;
    return a * b * s;
  }
  static TensorList backward(AutogradContext* ctx, const TensorList& grad) {
    const TensorList saved = ctx->get_saved_variables();
    const double s = ctx->saved_data.at("s");
    return {ctx->needs_input_grad(0) ? grad[0] * saved[1] * s : Tensor(), grad[0] * saved[0] * s};
  }
};

struct WrongShape : autograd::Function<WrongShape> {
  static constexpr const char* name = "WrongShape";
  static Tensor forward(AutogradContext*, const Tensor& x) { return x * 2.0; }
  static TensorList backward(AutogradContext*, const TensorList&) { return {ones({5}, kFloat64)}; }
};

TEST(Function, CustomOpGradientsAreCorrect) {
  EXPECT_TRUE(gradcheck([](const Tensor& x) { return Cube::apply(x); }, random_leaf({4}, 1)).passed);
  EXPECT_TRUE(gradcheck([](const Tensor& x) { return SavedOutputExp::apply(x); }, random_leaf({4}, 2)).passed);
  EXPECT_TRUE(gradcheck([](const TensorList& in) { return ScaledProduct::apply(in[0], in[1], 2.5); },
                        {random_leaf({3}, 3), random_leaf({3}, 4)})
                  .passed);
}

TEST(Function, CustomOpsAreTwiceDifferentiable) {
  EXPECT_TRUE(gradgradcheck([](const Tensor& x) { return Cube::apply(x); }, random_leaf({4}, 5)).passed);
  EXPECT_TRUE(gradgradcheck([](const Tensor& x) { return SavedOutputExp::apply(x); }, random_leaf({4}, 6)).passed);
}

TEST(Function, TheOpIsNamedInTheGraph) {
  EXPECT_EQ(Cube::apply(random_leaf({2}, 7)).grad_fn()->name(), "Cube");
}

TEST(Function, SavingTheOutputDoesNotLeakTheGraph) {
  std::weak_ptr<Node> node;
  {
    Tensor y = SavedOutputExp::apply(random_leaf({2}, 8));
    node = y.grad_fn();
  }
  EXPECT_TRUE(node.expired());
}

TEST(Function, AGradientOfTheWrongShapeIsNamed) {
  Tensor x = random_leaf({3}, 9);
  expect_error<AutogradError>([&] { WrongShape::apply(x).sum().backward(); },
                              "WrongShape: backward returned a gradient of float64 [5] for input 0 of float64 [3]");
}

TEST(Function, ForwardIsNotRecorded) {
  Tensor x = random_leaf({2}, 10);
  const Tensor y = Cube::apply(x);
  EXPECT_EQ(y.grad_fn()->next().size(), 1u);  // one edge, to x: not the two muls inside forward
}

}  // namespace
}  // namespace nabla
