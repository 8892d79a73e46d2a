// Forward mode through the fused ops (autograd/fused.h: dense, dense_relu, cross_entropy,
// prelu) against long-double references, as forward_mode_differential_test does for the plain
// ops: the tangent along random directions of the inputs, each input moving alone and all
// together, in float32 and float64. The summary table prints at the end:
//   ./build/tests/autograd/autograd_tests --gtest_filter='*FusedTangentDifferential*'
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "autograd/ops/cross_entropy.h"
#include "autograd/ops/linear.h"
#include "autograd/ops/prelu.h"
#include "tests/autograd/tangent_differential.h"
#include "tests/differential.h"

namespace nabla::differential {
namespace {

// --- linear: f(x W^T + b) ---------------------------------------------------------------------------
//
// dy = f'(z) (dx W^T + x dW^T + db). Each GEMM is within K + 2 ulp of its own sum of
// |products| (kernels_differential_test), their sum and the bias add half an ulp each: within
// K + 3 ulp of sum_k |dx_ik w_jk| + |x_ik dw_jk| + |db_j|. relu' is 1 where z > 0: where the
// exact z is within the GEMM's bound of 0 its sign in the output may be either, and the
// reference takes the one the output shows (y > 0); elsewhere the exact one.

struct LinearShape {
  int64_t batch, in, out;
  enum Form { Plain, TransposedX, TransposedW } form = Plain;
};

std::string describe(const LinearShape& s) {
  const std::string shape = "x " + std::to_string(s.batch) + "x" + std::to_string(s.in) + ", W " +
                            std::to_string(s.out) + "x" + std::to_string(s.in);
  switch (s.form) {
    case LinearShape::TransposedX: return shape + ", x a transposed view";
    case LinearShape::TransposedW: return shape + ", W a transposed view";
    default: return shape;
  }
}

class LinearFusedTangentDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(LinearFusedTangentDifferential, IsTangentXTimesWPlusXTimesTangentWPlusTangentBThroughTheActivation) {
  const bool relu = GetParam().name == "dense_relu";
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    std::vector<LinearShape> shapes;  // x [rows, depth] times W^T [depth, cols]
    for (const ProductSize& p : gemm_crossing_sizes<T>()) shapes.push_back({p.rows, p.depth, p.cols});
    shapes.insert(shapes.end(), {{17, 33, 9, LinearShape::TransposedX}, {130, 70, 129, LinearShape::TransposedW}});
    Check check(GetParam().name + " tangent", dtype_name<T>(), 1, "x bound");
    check.describe_tolerance("K + 3 ulp(sum|dx w| + |x dw| + |db|)");
    ThreadCount threads(kThreads);
    enum Moving { X, W, B, All, XWithoutBias };
    const char* moving_name[] = {"x moving", "W moving", "b moving", "x, W and b moving", "x moving, no bias"};
    for (const LinearShape& s : shapes) {
      std::vector<T> x = mixed_inputs<T>(s.batch * s.in, -1, 1, {}, 81), vx = directions<T>(s.batch * s.in, 82);
      std::vector<T> w = mixed_inputs<T>(s.out * s.in, -1, 1, {}, 83), vw = directions<T>(s.out * s.in, 84);
      std::vector<T> b = mixed_inputs<T>(s.out, -1, 1, {}, 85), vb = directions<T>(s.out, 86);
      // x [batch, in] and W [out, in] as the op is given them: a transposed view of the stored
      // [in, batch] or [in, out] for those forms (then the vectors hold the transpose).
      const bool tx = s.form == LinearShape::TransposedX, tw = s.form == LinearShape::TransposedW;
      auto at_x = [&](int64_t i, int64_t k) { return tx ? k * s.batch + i : i * s.in + k; };
      auto at_w = [&](int64_t j, int64_t k) { return tw ? k * s.out + j : j * s.in + k; };
      auto operand = [&](std::vector<T>& values, bool transposed, int64_t r, int64_t c) {
        return transposed ? view_of(values, {c, r}).t() : view_of(values, {r, c});
      };
      for (Moving moving : {X, W, B, All, XWithoutBias}) {
        check.set_context(describe(s) + ", " + moving_name[moving]);
        const bool with_bias = moving != XWithoutBias;
        const bool mx = moving == X || moving == All || moving == XWithoutBias, mw = moving == W || moving == All,
                   mb = moving == B || moving == All;
        const TensorList primals = {operand(x, tx, s.batch, s.in), operand(w, tw, s.out, s.in),
                                    with_bias ? view_of(b, {s.out}) : Tensor()};
        const TensorList tangents = {mx ? operand(vx, tx, s.batch, s.in) : Tensor(),
                                     mw ? operand(vw, tw, s.out, s.in) : Tensor(), mb ? view_of(vb, {s.out}) : Tensor()};
        Tensor y;  // the output, for relu' where the sign of z is within the GEMM's error
        auto f = [&](const TensorList& in) {
          y = linear(in[0], in[1], in[2], relu ? LinearActivation::Relu : LinearActivation::None);
          return y;
        };
        const Tensor t = tangent_of_output(check, f, primals, tangents);
        if (!t.defined()) continue;
        const Tensor values = y.contiguous();
        const T* got = t.data_ptr<T>();
        const T* out = values.data_ptr<T>();
        for (int64_t i = 0; i < s.batch; ++i) {
          for (int64_t j = 0; j < s.out; ++j) {
            long double z = with_bias ? b[j] : 0, z_magnitude = with_bias ? std::fabs(static_cast<long double>(b[j])) : 0;
            long double exact = mb ? vb[j] : 0, magnitude = mb ? std::fabs(static_cast<long double>(vb[j])) : 0;
            for (int64_t k = 0; k < s.in; ++k) {
              const long double xw = static_cast<long double>(x[at_x(i, k)]) * w[at_w(j, k)];
              z += xw;
              z_magnitude += std::fabs(xw);
              const long double p = mx ? static_cast<long double>(vx[at_x(i, k)]) * w[at_w(j, k)] : 0;
              const long double q = mw ? static_cast<long double>(x[at_x(i, k)]) * vw[at_w(j, k)] : 0;
              exact += p + q;
              magnitude += std::fabs(p) + std::fabs(q);
            }
            if (relu) {
              const bool sign_known = std::fabs(z) > (s.in + 3) * ulp<T>(z_magnitude);
              const bool active = sign_known ? z > 0 : out[i * s.out + j] > 0;
              if (!active) exact = 0, magnitude = 0;
            }
            check.compare<T>(std::max({s.batch, s.in, s.out}), i * s.out + j, got[i * s.out + j], exact,
                             {static_cast<long double>(i), static_cast<long double>(j)}, magnitude,
                             static_cast<double>(s.in + 3));
          }
        }
      }
    }
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Ops, LinearFusedTangentDifferential, ::testing::ValuesIn(both_dtypes({"dense", "dense_relu"})),
                         param_name);

// --- softmax_cross_entropy -------------------------------------------------------------------------
//
// d loss_i = sum_j p_ij t_ij - t_i,label, with p the softmax of the row. The rule is its
// backward, (p - onehot) u, transposed: p within its value bound (2 + d_j + dbar ulp, d = max - x,
// as the softmax tangent test), p - 1 at the label and each product half an ulp, the sum in
// double. Held in ulps of sum_j p_ij |t_ij| + |t_i,label| (the label's term is p - 1, whose error
// is p's, not a fraction of 1 - p) to 4 + the p-weighted mean of p's bounds + the sum bound.

struct CrossEntropyShape {
  int64_t rows, classes;
  bool transposed = false;  // logits a transposed view of the stored [classes, rows]
};

class CrossEntropyFusedTangentDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(CrossEntropyFusedTangentDifferential, IsTheSoftmaxWeightedTangentMinusTheLabelsTangent) {
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    const CrossEntropyShape shapes[] = {{1, 1}, {1, 2}, {3, 7}, {70, 10}, {4099, 10}, {64, 1000}, {2, 4099},
                                        {65, 10, true}, {5, 129, true}};
    Check check("cross_entropy tangent", dtype_name<T>(), 1, "x bound");
    check.describe_tolerance("4 + bound of p + sum bound, ulp(terms)");
    ThreadCount threads(kThreads);
    for (const CrossEntropyShape& s : shapes) {
      check.set_context(std::to_string(s.rows) + " x " + std::to_string(s.classes) +
                        (s.transposed ? ", logits a transposed view" : ""));
      const int64_t n = s.rows * s.classes;
      std::vector<T> x = mixed_inputs<T>(n, -8, 8, {0.0, 30.0, -30.0}, 91, 29), v = directions<T>(n, 92);
      std::vector<int64_t> labels(static_cast<size_t>(s.rows));
      for (int64_t i = 0; i < s.rows; ++i) labels[i] = (i * 7 + 1) % s.classes;
      const Tensor label_tensor = from_blob(labels.data(), {s.rows}, kInt64);
      auto at = [&](int64_t i, int64_t j) { return s.transposed ? j * s.rows + i : i * s.classes + j; };
      auto logits = [&](std::vector<T>& values) {
        return s.transposed ? view_of(values, {s.classes, s.rows}).t() : view_of(values, {s.rows, s.classes});
      };
      const Tensor t = tangent_of_output(
          check, [&](const TensorList& in) { return softmax_cross_entropy(in[0], label_tensor); }, {logits(x)},
          {logits(v)});
      if (!t.defined()) continue;
      const T* got = t.data_ptr<T>();
      for (int64_t i = 0; i < s.rows; ++i) {
        const CrossEntropyRowTangent e = cross_entropy_row_tangent(
            s.classes, [&](int64_t j) -> long double { return x[at(i, j)]; },
            [&](int64_t j) -> long double { return v[at(i, j)]; }, labels[i]);
        check.compare<T>(s.classes, i, got[i], e.value, {static_cast<long double>(i)}, e.scale,
                         4 + e.mean_bound + double_sum_bound<T>(s.classes));
      }
    }
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Ops, CrossEntropyFusedTangentDifferential, ::testing::ValuesIn(both_dtypes({"cross_entropy"})),
                         param_name);

// --- prelu ----------------------------------------------------------------------------------------------
//
// dy = dx where x > 0, else a dx + x da (a at x = 0, as the backward). Two products and their
// sum: within 1.5 ulp of |a dx| + |x da| (exact where x > 0). The slope is one element, of
// any shape (a per-channel slope is refused by the op); x at every size up to a million.

class PreluFusedTangentDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(PreluFusedTangentDifferential, IsTheSlopedTangentOfXPlusXTimesTheSlopesTangent) {
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    std::vector<double> specials = {0.0, -0.0, 1.0, -1.0};
    for (double d : denormals<T>()) specials.push_back(d);
    std::vector<T> x = periodic(mixed_inputs<T>(kPeriod, -10, 10, specials, 93));
    std::vector<T> v = periodic(directions<T>(kPeriod, 94));
    struct Slope {
      const char* name;
      Shape shape;
    };
    const Slope slopes[] = {{"slope of shape [1]", {1}}, {"slope of shape []", {}}, {"slope of shape [1, 1]", {1, 1}}};
    std::vector<T> a = {static_cast<T>(0.3)}, va = {static_cast<T>(-1.7)};
    Check check("prelu tangent", dtype_name<T>(), 1.5, "ulp");
    check.describe_tolerance("0 for x > 0, else 1.5 ulp(|a dx| + |x da|)");
    enum Moving { X, A, Both };
    const char* moving_name[] = {"x moving", "slope moving", "x and slope moving"};
    for_each_size(check, [&](int64_t n) {
      for (const Slope& slope : slopes) {
        for (Moving moving : {X, A, Both}) {
          // The slope alone moving: the rule's shape, the same at every size past the vector widths.
          if (moving == A && n > 4099) continue;
          check.set_context(std::string(slope.name) + ", " + moving_name[moving] + ", " + std::to_string(kThreads) +
                            " threads");
          const Tensor t = tangent_of_output(
              check, [](const TensorList& in) { return prelu(in[0], in[1]); },
              {view_of(x, {n}), view_of(a, slope.shape)},
              {moving != A ? view_of(v, {n}) : Tensor(), moving != X ? view_of(va, slope.shape) : Tensor()});
          if (!t.defined()) continue;
          const T* got = t.data_ptr<T>();
          const long double dx_scale = moving != A ? 1 : 0, da = moving != X ? va[0] : 0;
          for (int64_t i = 0; i < n; ++i) {
            const long double dx = dx_scale * v[i];
            if (x[i] > 0) {
              // Exact: any error is above the smallest tolerance (0 would mean the check's own).
              check.compare<T>(n, i, got[i], dx, {x[i], dx}, 0, std::numeric_limits<double>::min());
            } else {
              const long double p = a[0] * dx, q = x[i] * da;
              check.compare<T>(n, i, got[i], p + q, {x[i], dx}, std::fabs(p) + std::fabs(q));
            }
          }
        }
      }
    }, 0, /*single_thread=*/false);
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Ops, PreluFusedTangentDifferential, ::testing::ValuesIn(both_dtypes({"prelu"})), param_name);

}  // namespace
}  // namespace nabla::differential
