// libtorch's method forms: x.add(y) is add(x, y), and so on. Each must give exactly what
// the free function gives, and carry its gradient.
#include <gtest/gtest.h>

#include "autograd/autograd.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;
using testing::expect_tensors_near;
using testing::expect_values_near;
using testing::random_leaf;

TEST(TensorMethods, ArithmeticMethodsMatchTheFreeFunctions) {
  const Tensor a = random_leaf({2, 3}, 1), b = random_leaf({2, 3}, 2).abs() + 0.5;
  expect_tensors_near(a.add(b), add(a, b));
  expect_tensors_near(a.sub(b), sub(a, b));
  expect_tensors_near(a.mul(b), mul(a, b));
  expect_tensors_near(a.div(b), div(a, b));
  expect_tensors_near(a.add(2.0), a + 2.0);
  expect_tensors_near(a.sub(2.0), a - 2.0);
  expect_tensors_near(a.mul(3.0), a * 3.0);
  expect_tensors_near(a.div(4.0), a / 4.0);
  expect_tensors_near(a.mm(b.t()), mm(a, b.t()));
  expect_tensors_near(a.sin(), sin(a));
  expect_tensors_near(a.cos(), cos(a));
}

TEST(TensorMethods, ComparisonMethods) {
  const Tensor a = tensor({1.0, 2.0, 3.0}), b = tensor({3.0, 2.0, 1.0});
  expect_values_near(a.eq(b), {0, 1, 0});
  expect_values_near(a.ne(b), {1, 0, 1});
  expect_values_near(a.lt(b), {1, 0, 0});
  expect_values_near(a.le(b), {1, 1, 0});
  expect_values_near(a.gt(b), {0, 0, 1});
  expect_values_near(a.ge(b), {0, 1, 1});
  expect_values_near(a.gt(1.5), {0, 1, 1});
  expect_values_near(a.le(2.0), {1, 1, 0});
}

TEST(TensorMethods, NormMinExpandMaskedFill) {
  EXPECT_DOUBLE_EQ(tensor({{3.0, 0.0}, {0.0, 4.0}}, kFloat64).norm().item<double>(), 5.0);
  auto [values, indices] = tensor({{3.0, 1.0, 2.0}, {0.0, 5.0, -1.0}}).min(1);
  expect_values_near(values, {1, -1});
  expect_values_near(indices, {1, 2});
  EXPECT_EQ(std::get<0>(tensor({{3.0, 1.0}}).min(0, /*keepdim=*/true)).sizes(), Shape({1, 2}));
  expect_values_near(tensor({1.0, 2.0}).expand({2, 2}), {1, 2, 1, 2});
  const Tensor x = tensor({-1.0, 2.0, -3.0});
  expect_values_near(x.masked_fill(x < 0, 7), {7, 2, 7});
  EXPECT_TRUE(x.contiguous().is_same(x));
  EXPECT_TRUE(x.is_contiguous());
}

TEST(TensorMethods, GradientsPassTheFiniteDifferenceCheck) {
  const Tensor a = random_leaf({2, 3}, 3), b = random_leaf({2, 3}, 4).abs() + 0.5;
  const std::vector<std::pair<const char*, DifferentiableFunction>> cases = {
      {"add", [](const TensorList& in) { return in[0].add(in[1]).add(1.0); }},
      {"sub", [](const TensorList& in) { return in[0].sub(in[1]).sub(1.0); }},
      {"mul", [](const TensorList& in) { return in[0].mul(in[1]).mul(3.0); }},
      {"div", [](const TensorList& in) { return in[0].div(in[1]).div(2.0); }},
      {"mm", [](const TensorList& in) { return in[0].mm(in[1].t()); }},
      {"sin_cos", [](const TensorList& in) { return in[0].sin() * in[1].cos(); }},
      {"norm", [](const TensorList& in) { return in[0].norm(); }},
      {"min", [](const TensorList& in) { return std::get<0>(in[0].min(1)); }},
      {"expand", [](const TensorList& in) { return in[0].slice(0, 0, 1).expand({4, 3}); }},
      {"masked_fill", [](const TensorList& in) { return in[0].masked_fill(in[1] > 1.0, 0.5); }},
  };
  for (const auto& [name, f] : cases) {
    const GradcheckResult r = gradcheck(f, {a, b});
    EXPECT_TRUE(r.passed) << name << "\n" << r;
  }
}

TEST(TensorMethods, SecondDerivativeOfNorm) {
  const GradcheckResult r = gradgradcheck([](const Tensor& t) { return t.norm(); }, random_leaf({4}, 5));
  EXPECT_TRUE(r.passed) << r;
}

TEST(TensorMethods, BadInputNamesTheOp) {
  expect_error<ShapeError>([] { ones({2, 3}).add(ones({4})); }, "add: shapes [2, 3] and [4] cannot be broadcast");
  expect_error<DtypeError>([] { ones({2}).mul(ones({2}, kFloat64)); }, "mul: mixed dtypes float32 and float64");
  expect_error<ShapeError>([] { ones({2, 3}).min(2); }, "min: dimension 2 is out of range");
  expect_error<ShapeError>([] { ones({2, 3}).expand({3, 3}); }, "broadcast_to: shapes [2, 3] and [3, 3] cannot be broadcast");
}

}  // namespace
}  // namespace nabla
