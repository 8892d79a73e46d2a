// Every fused op (autograd/fused.h's kFusedOps) has a fast backward, run by an ordinary
// backward, and a differentiable one, run when the backward is recorded (create_graph=true).
// Here both run on the same inputs and must give the same gradients: to rounding in float64,
// a little looser in float32 (the fast kernels sum in double, the ops in their own order).
// The sizes go past the GEMM blocking and the threading grain, on one thread and on two (the
// dense backward's GEMMs then run side by side). An op listed in kFusedOps without a case
// here fails the test.
#include "autograd/fused.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string>

#include "autograd/autograd.h"
#include "nn/activations/functions.h"  // prelu: whichever layer holds it, this is its public form
#include "tests/test_util.h"

namespace nabla {
namespace {

// Inputs of a fused op, the op itself, and a random gradient for its output.
struct FusedCase {
  TensorList inputs;  // the ones the gradients are taken for (they require grad)
  std::function<Tensor(const TensorList&)> op;
};

// A case at a size: `size` scales the op's dimensions from tiny to past every threshold.
using CaseMaker = std::function<FusedCase(ScalarType dtype, int64_t size, Generator& gen)>;

FusedCase linear_case(ScalarType dtype, int64_t size, Generator& gen, LinearActivation f) {
  // [batch, in] x [out, in]^T: size 1 gives 3 x 4 x 5, size 16 gives 48 x 64 x 80 (batch *
  // in * out past the grain at which the backward's GEMMs run side by side).
  const int64_t batch = 3 * size, in = 4 * size, out = 5 * size;
  const Tensor x = randn({batch, in}, dtype, &gen).requires_grad_();
  const Tensor w = randn({out, in}, dtype, &gen).requires_grad_();
  const Tensor b = randn({out}, dtype, &gen).requires_grad_();
  return {{x, w, b}, [f](const TensorList& t) { return linear(t[0], t[1], t[2], f); }};
}

const std::map<std::string, CaseMaker>& cases() {
  static const std::map<std::string, CaseMaker> all = {
      {"dense", [](ScalarType dtype, int64_t size, Generator& gen) {
         return linear_case(dtype, size, gen, LinearActivation::None);
       }},
      {"dense_relu", [](ScalarType dtype, int64_t size, Generator& gen) {
         return linear_case(dtype, size, gen, LinearActivation::Relu);
       }},
      {"cross_entropy", [](ScalarType dtype, int64_t size, Generator& gen) {
         // 10 classes; size 16 gives 4000 rows, past the rows' threading grain.
         const int64_t rows = size == 1 ? 5 : 250 * size, classes = 10;
         const Tensor logits = (randn({rows, classes}, dtype, &gen) * 3.0).requires_grad_();
         const Tensor labels = randint(0, classes, {rows}, kInt64, &gen);
         return FusedCase{{logits}, [labels](const TensorList& t) { return softmax_cross_entropy(t[0], labels); }};
       }},
      {"prelu", [](ScalarType dtype, int64_t size, Generator& gen) {
         // size 16 gives 2^18 elements, past the slope gradient's reduction grain.
         const Tensor x = randn({size * size * 8, 128}, dtype, &gen).requires_grad_();
         const Tensor a = full({1}, 0.25, dtype).requires_grad_();
         return FusedCase{{x, a}, [](const TensorList& t) { return prelu(t[0], t[1]); }};
       }},
  };
  return all;
}

// The largest difference between two gradients, relative to the larger of their largest
// magnitudes; and that magnitude, to see that the gradient is not trivially zero.
double relative_difference(const Tensor& a, const Tensor& b, double* scale) {
  const std::vector<double> x = a.to_vector(), y = b.to_vector();
  double diff = 0, largest = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    diff = std::max(diff, std::abs(x[i] - y[i]));
    largest = std::max({largest, std::abs(x[i]), std::abs(y[i])});
  }
  *scale = largest;
  return largest > 0 ? diff / largest : diff;
}

void expect_both_backwards_agree(const std::string& name, ScalarType dtype, int64_t size) {
  Generator gen(static_cast<uint64_t>(size) * 7 + (dtype == kFloat64));
  const FusedCase c = cases().at(name)(dtype, size, gen);
  const Tensor y = c.op(c.inputs);
  ASSERT_TRUE(y.grad_fn() != nullptr) << name;
  ASSERT_EQ(y.grad_fn()->name(), name) << "the case does not run the op it is named after";
  const Tensor g = randn(y.sizes(), dtype, &gen);
  const TensorList fast = autograd::grad({y}, c.inputs, {g}, /*retain_graph=*/true);
  const TensorList differentiable = autograd::grad({y}, c.inputs, {g}, /*retain_graph=*/true, /*create_graph=*/true);
  const double tolerance = dtype == kFloat64 ? 1e-12 : 2e-5;
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    ASSERT_TRUE(fast[i].defined() && differentiable[i].defined()) << name << ", input " << i;
    EXPECT_EQ(fast[i].sizes(), differentiable[i].sizes()) << name << ", input " << i;
    double scale = 0;
    EXPECT_LE(relative_difference(fast[i], differentiable[i], &scale), tolerance)
        << name << ", input " << i << ", " << to_string(dtype) << ", size " << size;
    EXPECT_GT(scale, 0.0) << name << ", input " << i << ": a zero gradient would agree for the wrong reason";
  }
}

TEST(FusedOps, FastAndDifferentiableBackwardsAgree) {
  const int threads_before = get_num_threads();
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    for (std::string_view op : kFusedOps) {
      const std::string name(op);
      if (!cases().contains(name)) continue;  // EveryFusedOpHasACase reports it
      for (ScalarType dtype : {kFloat64, kFloat32}) {
        for (int64_t size : {1, 2, 16}) {
          SCOPED_TRACE(name + ", " + std::to_string(threads) + " thread(s)");
          expect_both_backwards_agree(name, dtype, size);
        }
      }
    }
  }
  set_num_threads(threads_before);
}

TEST(FusedOps, EveryFusedOpHasACase) {
  for (std::string_view op : kFusedOps) {
    EXPECT_TRUE(cases().contains(std::string(op))) << "kFusedOps lists '" << op << "' but fused_ops_test.cpp has no case for it";
  }
}

}  // namespace
}  // namespace nabla
