// Forward mode (autograd/forward_ad.h): dual tensors carry tangents through every op, custom
// Functions bring their own rule, and bad tangents are refused with what was wrong.
#include <gtest/gtest.h>

#include <string>

#include "autograd/autograd.h"
#include "tests/autograd/cube_function.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::Cube;
using testing::CubeWithJvp;
using testing::expect_error;
using testing::expect_tensors_near;
using testing::random_leaf;

TEST(ForwardAD, ATangentTravelsWithItsValueThroughEachOp) {
  const Tensor x = random_leaf({4}, 1).detach(), v = random_leaf({4}, 2).detach();
  DualLevel level;
  const Tensor d = make_dual(x, v);
  const Tensor y = (d.sin() * 3.0 + d.square()).sum();
  // d/dx sum(3 sin x + x^2) . v = sum((3 cos x + 2 x) v)
  expect_tensors_near(tangent_of(y), ((x.cos() * 3.0 + x * 2.0) * v).sum(), 1e-14);
  EXPECT_FALSE(tangent_of(primal_of(y)).defined());
  EXPECT_TRUE(d.is_view_of(x)) << "a dual shares its primal's values";
  EXPECT_FALSE(tangent_of(x).defined()) << "make_dual leaves the primal without a tangent";
}

TEST(ForwardAD, ACastCarriesItsTangentCastTheSameWay) {
  const Tensor x = random_leaf({5}, 3).detach(), v = random_leaf({5}, 4).detach();
  DualLevel level;
  const Tensor y = make_dual(x, v).to(kFloat32);
  ASSERT_TRUE(tangent_of(y).defined());
  EXPECT_EQ(tangent_of(y).dtype(), kFloat32);
  EXPECT_EQ(tangent_of(y).to_vector(), v.to(kFloat32).to_vector());
  EXPECT_EQ(tangent_of(make_dual(x, v).clone()).to_vector(), v.to_vector());
}

TEST(ForwardAD, AValueThatDoesNotDependOnADualHasNoTangent) {
  DualLevel level;
  const Tensor d = make_dual(ones({3}, kFloat64), ones({3}, kFloat64));
  EXPECT_FALSE(tangent_of(ones({3}, kFloat64) * 2.0).defined());
  EXPECT_TRUE(tangent_of(d * 2.0).defined());
}

TEST(ForwardAD, ATangentThatDoesNotFitItsPrimalIsRefusedNamingBoth) {
  const Tensor x = zeros({2, 3}, kFloat64);
  expect_error<AutogradError>([&] { make_dual(x, zeros({2, 3}, kFloat64)); }, "only inside a DualLevel");
  DualLevel level;
  expect_error<ShapeError>([&] { make_dual(x, zeros({3, 2}, kFloat64)); },
                           "make_dual: the tangent's shape [3, 2] is not its primal's [2, 3]");
  expect_error<DtypeError>([&] { make_dual(x, zeros({2, 3})); }, "the tangent is float32 but its primal is float64");
}

TEST(ForwardAD, ACustomFunctionUsesItsJvpAndOneWithoutIsAnErrorNamingIt) {
  const Tensor x = random_leaf({3}, 3).detach(), v = random_leaf({3}, 4).detach();
  const auto [y, t] = func::jvp([](const Tensor& in) { return CubeWithJvp::apply(in); }, x, v);
  expect_tensors_near(t, x * x * 3.0 * v, 1e-14);
  expect_error<AutogradError>([&] { func::jvp([](const Tensor& in) { return Cube::apply(in); }, x, v); },
                              "Cube: forward mode needs its rule");
  // Outside forward mode, no rule is needed.
  EXPECT_NO_THROW(Cube::apply(x));
}

// Forward mode adds no work to ordinary reverse mode: outside a DualLevel nothing carries a tangent.
TEST(ForwardAD, OutsideADualLevelNoTangentIsComputed) {
  const Tensor x = random_leaf({3}, 5);
  const Tensor y = (x * 2.0).exp().sum();
  EXPECT_FALSE(tangent_of(y).defined());
  y.backward();
  expect_tensors_near(x.grad(), (x.detach() * 2.0).exp() * 2.0, 1e-14);
}

}  // namespace
}  // namespace nabla
