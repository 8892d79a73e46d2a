// Forward mode through nn's functions that are more than one op: dropout (the kept elements'
// directions, scaled), functional::linear on a batch of any rank (a reshape around the dense
// op) and cross_entropy's reductions of the per-row losses, against long-double references,
// in float32 and float64. The ops under them are checked one by one in
// tests/autograd/forward_mode_*differential_test.cpp; here the compositions are. The summary
// table prints at the end:
//   ./build/tests/nn/nn_tests --gtest_filter='*FunctionalTangentDifferential*'
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "nn/functional.h"
#include "nn/loss.h"
#include "tests/autograd/tangent_differential.h"
#include "tests/differential.h"

namespace nabla::differential {
namespace {

// --- dropout: x * keep, keep 0 or 1 / (1 - p) --------------------------------------------------------
//
// The tangent is v * keep: one rounding where kept, exactly 0 where dropped. The mask is
// read off the output (x is never 0, so y is 0 exactly where the element was dropped).

class DropoutFunctionalTangentDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(DropoutFunctionalTangentDifferential, IsTheKeptDirectionsScaledAtEverySize) {
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    std::vector<T> x = mixed_inputs<T>(kLargestSize, 0.5, 10, {}, 101), v = directions<T>(kLargestSize, 102);
    for (size_t i = 1; i < x.size(); i += 2) x[i] = -x[i];
    Check check("dropout tangent", dtype_name<T>(), 0.5, "ulp");
    int64_t dropped = 0, kept = 0;
    for (double p : {0.0, 0.25, 0.9}) {
      const T scale = static_cast<T>(1.0 / (1.0 - p));
      manual_seed(7);
      for_each_size(check, [&](int64_t n) {
        check.set_context("p = " + std::to_string(p) + ", " + std::to_string(kThreads) + " threads");
        Tensor y;
        const Tensor t = tangent_of_output(check, [&](const TensorList& in) {
          y = nn::functional::dropout(in[0], p, /*training=*/true);
          return y;
        }, {view_of(x, {n})}, {view_of(v, {n})});
        if (!t.defined()) return;
        const Tensor values = y.contiguous();
        const T* got = t.data_ptr<T>();
        const T* out = values.data_ptr<T>();
        for (int64_t i = 0; i < n; ++i) {
          const bool keep = out[i] != 0;
          (keep ? kept : dropped) += 1;
          const long double expected = keep ? static_cast<long double>(v[i]) * scale : 0;
          check.compare<T>(n, i, got[i], expected, {x[i], v[i]});
        }
      }, 0, /*single_thread=*/false);
    }
    // Both kinds of element were compared.
    if (dropped == 0 || kept == 0) check.fail("the masks dropped " + std::to_string(dropped) + " and kept " + std::to_string(kept));
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Ops, DropoutFunctionalTangentDifferential, ::testing::ValuesIn(both_dtypes({"dropout"})),
                         param_name);

// --- functional::linear on [2, 5, in] ------------------------------------------------------------------
//
// The dense op on the batch flattened to [10, in], reshaped back: dx W^T + x dW^T + db, within
// K + 3 ulp of sum_k |dx_ik w_jk| + |x_ik dw_jk| + |db_j| (the dense op's bound).

class LinearFunctionalTangentDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(LinearFunctionalTangentDifferential, IsTheDenseTangentOnEveryRowOfTheBatch) {
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    Check check("functional::linear tangent", dtype_name<T>(), 1, "x bound");
    check.describe_tolerance("K + 3 ulp(sum|dx w| + |x dw| + |db|)");
    for (int64_t in : {1, 7, 33, 300}) {
      const int64_t out = 9, rows = 10;
      check.set_context("x 2x5x" + std::to_string(in) + ", W " + std::to_string(out) + "x" + std::to_string(in));
      std::vector<T> x = mixed_inputs<T>(rows * in, -1, 1, {}, 103), vx = directions<T>(rows * in, 104);
      std::vector<T> w = mixed_inputs<T>(out * in, -1, 1, {}, 105), vw = directions<T>(out * in, 106);
      std::vector<T> b = mixed_inputs<T>(out, -1, 1, {}, 107), vb = directions<T>(out, 108);
      const Tensor t = tangent_of_output(
          check, [](const TensorList& p) { return nn::functional::linear(p[0], p[1], p[2]); },
          {view_of(x, {2, 5, in}), view_of(w, {out, in}), view_of(b, {out})},
          {view_of(vx, {2, 5, in}), view_of(vw, {out, in}), view_of(vb, {out})});
      if (!t.defined()) continue;
      if (!(t.sizes() == Shape{2, 5, out})) check.fail("the tangent's shape is " + to_string(t.sizes()));
      const T* got = t.data_ptr<T>();
      for (int64_t i = 0; i < rows; ++i) {
        for (int64_t j = 0; j < out; ++j) {
          long double exact = vb[j], magnitude = std::fabs(static_cast<long double>(vb[j]));
          for (int64_t k = 0; k < in; ++k) {
            const long double p = static_cast<long double>(vx[i * in + k]) * w[j * in + k];
            const long double q = static_cast<long double>(x[i * in + k]) * vw[j * in + k];
            exact += p + q;
            magnitude += std::fabs(p) + std::fabs(q);
          }
          check.compare<T>(in, i * out + j, got[i * out + j], exact,
                           {static_cast<long double>(i), static_cast<long double>(j)}, magnitude,
                           static_cast<double>(in + 3));
        }
      }
    }
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Ops, LinearFunctionalTangentDifferential, ::testing::ValuesIn(both_dtypes({"linear"})),
                         param_name);

// --- cross_entropy's reductions ----------------------------------------------------------------------------
//
// The mean (or sum) over rows of d loss_i = sum_j p_ij t_ij - t_i,label. Each row's tangent is
// within its bound (the cross_entropy tangent test's: 4 + the p-weighted bound of p + the sum
// bound, in ulps of sum_j p_ij |t_ij| + |t_i,label|), the sum over rows adds its own bound and
// the mean 1.5 ulp: held to the largest row bound + those, in ulps of the rows' scales summed
// (or averaged).

class CrossEntropyReductionTangentDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(CrossEntropyReductionTangentDifferential, IsTheReducedTangentOfThePerRowLosses) {
  Verdict verdict;
  const bool mean = GetParam().name == "cross_entropy mean";
  with_dtype(GetParam().float64, [&]<class T>() {
    Check check(GetParam().name + " tangent", dtype_name<T>(), 1, "x bound");
    check.describe_tolerance("row bound + sum bound (+ 1.5), ulp(terms)");
    const int64_t shapes[][2] = {{1, 3}, {70, 10}, {4099, 10}, {64, 1000}};
    for (const auto& shape : shapes) {
      const int64_t rows = shape[0], classes = shape[1];
      check.set_context(std::to_string(rows) + " x " + std::to_string(classes));
      std::vector<T> x = mixed_inputs<T>(rows * classes, -8, 8, {0.0, 30.0, -30.0}, 109, 29);
      std::vector<T> v = directions<T>(rows * classes, 110);
      std::vector<int64_t> labels(static_cast<size_t>(rows));
      for (int64_t i = 0; i < rows; ++i) labels[i] = (i * 5 + 2) % classes;
      const Tensor label_tensor = from_blob(labels.data(), {rows}, kInt64);
      const nn::Reduction reduction = mean ? nn::Reduction::Mean : nn::Reduction::Sum;
      const Tensor t = tangent_of_output(
          check, [&](const TensorList& in) { return nn::cross_entropy(in[0], label_tensor, reduction); },
          {view_of(x, {rows, classes})}, {view_of(v, {rows, classes})});
      if (!t.defined()) continue;
      long double exact = 0, scale = 0;
      double worst_row_bound = 0;
      for (int64_t i = 0; i < rows; ++i) {
        const T* xr = x.data() + i * classes;
        const T* vr = v.data() + i * classes;
        const CrossEntropyRowTangent row = cross_entropy_row_tangent(
            classes, [xr](int64_t j) -> long double { return xr[j]; }, [vr](int64_t j) -> long double { return vr[j]; },
            labels[i]);
        exact += row.value;
        scale += row.scale;
        worst_row_bound = std::max(worst_row_bound, 4 + row.mean_bound + double_sum_bound<T>(classes));
      }
      if (mean) exact /= rows, scale /= rows;
      check.compare<T>(rows, 0, t.data_ptr<T>()[0], exact, {static_cast<long double>(rows)}, scale,
                       worst_row_bound + sum_tolerance<T>(rows) + (mean ? 1.5 : 0));
    }
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Ops, CrossEntropyReductionTangentDifferential,
                         ::testing::ValuesIn(both_dtypes({"cross_entropy mean", "cross_entropy sum"})), param_name);

}  // namespace
}  // namespace nabla::differential
