// libtorch's slicing vocabulary: slice, select, narrow, x[i], permute, stack, squeeze(),
// and x.index({...}). Each is a differentiable copy; bad input is a ShapeError naming it.
#include <gtest/gtest.h>

#include "autograd/autograd.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;
using testing::expect_values_near;
using testing::random_leaf;
using namespace nabla::indexing;

// [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
Tensor grid() { return arange(12, kFloat64).reshape({3, 4}); }

TEST(Slicing, SliceTakesEveryStepthElementBeforeTheEnd) {
  expect_values_near(grid().slice(1, 1, 3), {1, 2, 5, 6, 9, 10});
  expect_values_near(grid().slice(1, 0, 4, 2), {0, 2, 4, 6, 8, 10});
  expect_values_near(grid().slice(0, 1), {4, 5, 6, 7, 8, 9, 10, 11});
  expect_values_near(grid().slice(1, -1), {3, 7, 11});  // negative counts from the end
}

TEST(Slicing, SliceClampsItsEndsLikePython) {
  // The last batch of x.slice(0, i, i + batch) is shorter, as in libtorch and Python.
  EXPECT_EQ(grid().slice(0, 2, 100).sizes(), Shape({1, 4}));
  EXPECT_EQ(grid().slice(0, -100, 1).sizes(), Shape({1, 4}));
  EXPECT_EQ(grid().slice(0, 3, 1).sizes(), Shape({0, 4}));
}

TEST(Slicing, SelectRemovesTheDimension) {
  expect_values_near(grid().select(0, 1), {4, 5, 6, 7});
  expect_values_near(grid().select(1, -1), {3, 7, 11});
  EXPECT_EQ(grid().select(1, 0).sizes(), Shape({3}));
  expect_values_near(grid()[2], {8, 9, 10, 11});
  EXPECT_EQ(grid()[0][3].item<double>(), 3.0);
}

TEST(Slicing, NarrowPermuteStackSqueeze) {
  expect_values_near(grid().narrow(1, 2, 2), {2, 3, 6, 7, 10, 11});
  const Tensor cube = arange(24, kFloat64).reshape({2, 3, 4});
  const Tensor p = cube.permute({2, 0, 1});
  EXPECT_EQ(p.sizes(), Shape({4, 2, 3}));
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t j = 0; j < 3; ++j)
      for (int64_t k = 0; k < 4; ++k) EXPECT_EQ(p.at({k, i, j}), cube.at({i, j, k}));
  expect_values_near(grid().permute({1, 0}), grid().t().to_vector());
  const Tensor s = stack({ones({2}, kFloat64), zeros({2}, kFloat64)}, 1);
  EXPECT_EQ(s.sizes(), Shape({2, 2}));
  expect_values_near(s, {1, 0, 1, 0});
  EXPECT_EQ(zeros({1, 3, 1, 2}).squeeze().sizes(), Shape({3, 2}));
}

TEST(Slicing, IndexCoversTheCommonPythonForms) {
  expect_values_near(grid().index({1}), {4, 5, 6, 7});                    // x[1]
  expect_values_near(grid().index({Slice(), 2}), {2, 6, 10});             // x[:, 2]
  expect_values_near(grid().index({Slice(1, None), 0}), {4, 8});          // x[1:, 0]
  expect_values_near(grid().index({Slice(None, None, 2), -1}), {3, 11});  // x[::2, -1]
  expect_values_near(grid().index({"...", 1}), {1, 5, 9});                // x[..., 1]
  expect_values_near(grid().index({Ellipsis, 1}), {1, 5, 9});
  EXPECT_EQ(grid().index({None}).sizes(), Shape({1, 3, 4}));              // x[None]
  EXPECT_EQ(grid().index({Slice(), None}).sizes(), Shape({3, 1, 4}));     // x[:, None]
  expect_values_near(grid().index({tensor({2, 0}, kInt64), 3}), {11, 3}); // x[[2, 0], 3]
  EXPECT_EQ(grid().index({1, 2}).item<double>(), 6.0);
}

TEST(Slicing, AccessorReadsAndWritesElements) {
  Tensor x = grid().to(kFloat32);
  auto a = x.accessor<float, 2>();
  EXPECT_EQ(a.size(0), 3);
  EXPECT_EQ(a.size(1), 4);
  EXPECT_EQ(a[2][1], 9.0f);
  a[0][0] = 42.0f;
  EXPECT_EQ(x.at({0, 0}), 42.0);
  Tensor cube = arange(24, kInt64).reshape({2, 3, 4});
  EXPECT_EQ((cube.accessor<int64_t, 3>()[1][2][3]), 23);
  expect_error<ShapeError>([&] { x.accessor<float, 3>(); }, "accessor: asked for 3 dimensions, the tensor has shape [3, 4]");
  expect_error<DtypeError>([&] { x.accessor<double, 2>(); }, "holds float32, asked for float64");
}

TEST(Slicing, BadInputIsAShapeErrorNamingTheOp) {
  expect_error<ShapeError>([] { grid().slice(2, 0, 1); }, "slice: dimension 2 is out of range");
  expect_error<ShapeError>([] { grid().slice(0, 0, 2, 0); }, "slice: step must be positive, got 0");
  expect_error<ShapeError>([] { grid().select(0, 3); }, "select: index 3 is out of range for dimension 0 of size 3");
  expect_error<ShapeError>([] { grid().select(1, -5); }, "select: index -5 is out of range");
  expect_error<ShapeError>([] { grid()[7]; }, "select: index 7");
  expect_error<ShapeError>([] { grid().narrow(1, 3, 2); }, "narrow: [3, 5) is out of range for dimension 1 of size 4");
  expect_error<ShapeError>([] { grid().permute({0}); }, "permute: 1 dimensions given for a tensor of shape [3, 4]");
  expect_error<ShapeError>([] { grid().permute({1, 1}); }, "permute: a dimension appears twice");
  expect_error<ShapeError>([] { stack({zeros({2}), zeros({3})}); }, "stack: tensor 1 has shape [3]");
  expect_error<ShapeError>([] { grid().index({0, 1, 2}); }, "index: 3 indices for a tensor of shape [3, 4]");
  expect_error<ShapeError>([] { grid().index({"...", "..."}); }, "at most one");
  expect_error<std::invalid_argument>([] { grid().index({":"}); }, "only text accepted as an index is \"...\"");
  expect_error<ShapeError>([] { scalar_tensor(1.0).select(0, 0); }, "zero-dimensional");
}

TEST(Slicing, GradientsPassTheFiniteDifferenceCheck) {
  const Tensor x = random_leaf({3, 4}, 7), cube = random_leaf({2, 3, 4}, 8);
  const std::vector<std::pair<const char*, DifferentiableFunction>> cases = {
      {"slice", [](const TensorList& in) { return in[0].slice(1, 0, 4, 2); }},
      {"select", [](const TensorList& in) { return in[0].select(0, -1); }},
      {"narrow", [](const TensorList& in) { return in[0].narrow(0, 1, 2); }},
      {"subscript", [](const TensorList& in) { return in[0][1]; }},
      {"index", [](const TensorList& in) { return in[0].index({Slice(1, None), 2}); }},
      {"permute", [](const TensorList& in) { return in[1].permute({1, 2, 0}); }},
      {"stack", [](const TensorList& in) { return stack({in[0], in[0] * 2.0}, 1); }},
      {"squeeze", [](const TensorList& in) { return in[0].slice(0, 0, 1).squeeze(); }},
  };
  for (const auto& [name, f] : cases) {
    const GradcheckResult r = gradcheck(f, {x, cube});
    EXPECT_TRUE(r.passed) << name << "\n" << r;
  }
  // A slice's gradient is 1 where it took elements and 0 elsewhere.
  Tensor leaf = zeros({4}, kFloat64).requires_grad_();
  leaf.slice(0, 1, 4, 2).sum().backward();
  expect_values_near(leaf.grad(), {0, 1, 0, 1});
}

TEST(Slicing, SecondDerivativesThroughSlicing) {
  const GradcheckResult r = gradgradcheck(
      [](const Tensor& t) { return t.permute({1, 0}).select(0, 1).square() * t.slice(1, 0, 1).squeeze(); },
      random_leaf({3, 2}, 9));
  EXPECT_TRUE(r.passed) << r;
}

}  // namespace
}  // namespace nabla
