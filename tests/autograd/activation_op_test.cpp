// activation_op: an elementwise op from a functor's f, f' and f''. Checked here with functors
// of the test's own; every activation of nn's table runs through the same op (its rows are
// checked one by one in tests/nn/activations_test.cpp).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "autograd/autograd.h"
#include "autograd/ops/activation_op.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;

// x^3, with its first and second derivatives.
struct Cube {
  template <class T> T f(T x) const { return x * x * x; }
  template <class T> T df(T x, T) const { return T(3) * x * x; }   // d/dx x^3 = 3 x^2
  template <class T> T d2f(T x, T) const { return T(6) * x; }      // d2/dx2 x^3 = 6 x
};

// sqrt, NaN below 0.
struct Sqrt {
  template <class T> T f(T x) const { return std::sqrt(x); }
  template <class T> T df(T, T y) const { return T(0.5) / y; }     // d/dx sqrt(x) = 1 / (2 sqrt(x))
  template <class T> T d2f(T x, T y) const { return T(-0.25) / (x * y); }
};

// A functor that knows f and f' only.
struct Double {
  static constexpr bool has_second_derivative = false;
  template <class T> T f(T x) const { return T(2) * x; }
  template <class T> T df(T, T) const { return T(2); }
  template <class T> T d2f(T, T) const { return std::numeric_limits<T>::quiet_NaN(); }
};

Tensor cube(const Tensor& x) { return activation_op(Cube{}, "cube", x); }

TEST(ActivationOp, ValueHasTheInputsShapeAndDtype) {
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    const Tensor y = cube(tensor({-2.0, 0.5, 1.0, 3.0}, {2, 2}, dtype));
    EXPECT_EQ(y.sizes(), (Shape{2, 2}));
    EXPECT_EQ(y.dtype(), dtype);
    EXPECT_EQ(y.to_vector(), (std::vector<double>{-8.0, 0.125, 1.0, 27.0}));
  }
}

TEST(ActivationOp, GradientAndSecondDerivativeMatchFiniteDifferences) {
  const Tensor x = tensor({-1.5, -0.25, 0.5, 2.0}, kFloat64).requires_grad_();
  const GradcheckResult first = gradcheck(cube, x);
  EXPECT_TRUE(first.passed) << first;
  const GradcheckResult second = gradgradcheck(cube, x);
  EXPECT_TRUE(second.passed) << second;
}

TEST(ActivationOp, ThirdDerivativesAreRefused) {
  Tensor x = full({1}, 0.5, kFloat64).requires_grad_();
  const Tensor y = cube(x);
  const Tensor dy = autograd::grad({y}, {x}, {}, true, true)[0];
  const Tensor d2y = autograd::grad({dy}, {x}, {}, true, true)[0];
  expect_error<AutogradError>([&] { autograd::grad({d2y}, {x}); }, "cube: derivatives beyond the second");
}

TEST(ActivationOp, SecondDerivativeRefusedWhenTheFunctorHasNone) {
  Tensor x = full({1}, 4.0, kFloat64).requires_grad_();
  const Tensor dy = autograd::grad({activation_op(Double{}, "double", x)}, {x}, {}, true, true)[0];
  expect_error<AutogradError>([&] { autograd::grad({dy}, {x}); }, "double: no second derivative was given");
}

TEST(ActivationOp, IntegerTensorsAreRefused) {
  expect_error<DtypeError>([] { cube(zeros({2}, kInt64)); }, "cube: expected a floating-point tensor");
}

// Outside a graph (no_grad, or an input that needs no gradient) nothing is recorded, but the
// anomaly detector still sees the output: sqrt of a negative is named where it happens.
TEST(ActivationOp, AnomalyDetectedWithoutAGraphToo) {
  const Tensor x = tensor({4.0, -1.0});
  DetectAnomalyGuard detect;
  try {
    NoGradGuard no_grad;
    (void)activation_op(Sqrt{}, "sqrt", x);
    ADD_FAILURE() << "sqrt(-1) passed the anomaly detector";
  } catch (const AnomalyError& e) {
    EXPECT_NE(std::string(e.what()).find("forward of 'sqrt' produced NaN"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW((void)cube(x));
}

}  // namespace
}  // namespace nabla
