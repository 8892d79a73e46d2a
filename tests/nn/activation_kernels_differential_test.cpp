// The fused activation kernels (f, f' and f'' of every built-in activation), prelu, softmax,
// log_softmax and cross-entropy, against long-double references at every size that crosses
// a vector width, an unroll or the threading threshold (see tests/differential.h).
// The summary table of worst errors prints at the end:
//   ./build/tests/nn/nn_tests --gtest_filter='*Differential*'
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "nn/activations/activation.h"
#include "nn/activations/functions.h"
#include "nn/loss.h"
#include "tests/differential.h"
#include "tests/nn/activation_references.h"

namespace nabla::differential {
namespace {

template <class T> Tensor tensor_from(const T* values, const Shape& shape) {
  Tensor t = empty(shape, scalar_type_of<T>());
  std::copy(values, values + shape.numel(), t.data_ptr<T>());
  return t;
}

// Runs run(n, threads) at every size with several threads, then, when asked, the large sizes
// on one. (The fused activation kernels run inline below 2 grains, so 65537 already covers
// their single-threaded path.)
template <class Run> void for_each_size(Run&& run, int64_t smallest = 0, bool single_thread = false) {
  {
    ThreadCount threads(kThreads);
    for (int64_t n : sizes()) {
      if (n >= smallest) run(n, kThreads);
    }
  }
  if (!single_thread) return;
  ThreadCount one(1);
  for (int64_t n : sizes()) {
    if (n >= kSingleThreadFrom) run(n, 1);
  }
}

// --- every activation's f, f' and f'' ----------------------------------------------------------
//
// f and f' run as in training (forward, then a backward without create_graph); f' again and
// f'' through the recorded backward (create_graph), which is how second derivatives are taken.

class ActivationDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(ActivationDifferential, FAndItsDerivativesMatchLongDoubleReferenceAtEverySize) {
  const std::string name = GetParam().name;
  const auto found = references().find(name);
  ASSERT_NE(found, references().end()) << "no long-double reference for the activation " << name
                                       << ": add one to references() in this file";
  const Reference& ref = found->second;
  const Activation& act = activation(name);
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    std::vector<double> specials = {0.0, 1e-3, 1e-8, ref.hi, 0.5, 1.0, 3.0, 6.0, kNaN};
    if (ref.lo < 0) {
      for (double v : {-0.0, -1e-3, -1e-8, ref.lo, -0.5, -1.0, -3.0}) specials.push_back(v);
    }
    for (double d : denormals<T>()) {
      if (d > 0 || ref.lo < 0) specials.push_back(d);
    }
    for (double k : act.kinks) specials.push_back(k);
    const std::vector<T> x = periodic(mixed_inputs<T>(kPeriod, ref.lo, ref.hi, specials, 71));
    const bool float32 = sizeof(T) == 4;
    std::vector<LD> f(kPeriod), df(kPeriod), d2f(kPeriod);
    // Each element's tolerance for f, f' and f'': the check's own, or its stated bound at x.
    const double base[3] = {kActivationTolerance, ref.df_tolerance, ref.d2f_tolerance};
    std::vector<double> tolerance[3];
    for (int order = 0; order < 3; ++order) tolerance[order].assign(kPeriod, base[order]);
    for (int64_t i = 0; i < kPeriod; ++i) {
      f[i] = ref.f(x[i]);
      df[i] = ref.df(x[i]);
      d2f[i] = ref.d2f(x[i]);
      for (int order = 0; order < 3; ++order) {
        const std::optional<Bound>& bound = ref.bounds[order];
        if (bound && !std::isnan(x[i])) tolerance[order][i] = std::max(base[order], bound->ulps(x[i], float32));
      }
    }
    const std::vector<LD> df_zeros = zero_crossings(ref.df, ref.lo, ref.hi);
    const std::vector<LD> d2f_zeros = zero_crossings(ref.d2f, ref.lo, ref.hi);
    // f'' at a kink (or at the edge of the domain) is a convention (PyTorch's: 0 for elu, celu, selu and softsign at 0),
    // checked in activations_test.cpp; the one-sided formulas here are not compared there.
    auto at_kink = [&](T v) {
      if (v == T(0) && (name == "elu" || name == "celu" || name == "selu" || name == "softsign")) return true;
      for (double k : act.kinks) {
        if (v == T(k)) return true;
      }
      return act.domain != Domain::AllReals && v == T(act.domain_edge());  // log's and sqrt's 0
    };
    Check check_f(name + " f", dtype_name<T>(), kActivationTolerance);
    Check check_df(name + " f'", dtype_name<T>(), ref.df_tolerance);
    Check check_d2f(name + " f''", dtype_name<T>(), ref.d2f_tolerance);
    if (ref.bounds[0]) check_f.describe_tolerance(ref.bounds[0]->text);
    if (ref.bounds[1]) check_df.describe_tolerance(ref.bounds[1]->text);
    if (ref.bounds[2]) check_d2f.describe_tolerance(ref.bounds[2]->text);
    for_each_size([&](int64_t n, int threads) {
      const std::string context = std::to_string(threads) + (threads == 1 ? " thread" : " threads");
      check_f.set_context(context);
      check_df.set_context(context + ", backward");
      check_d2f.set_context(context);
      const Tensor input = tensor_from(x.data(), {n}).requires_grad_();
      const Tensor y = act(input);
      const Tensor d1 = autograd::grad({y}, {input}, {ones_like(y)})[0];
      const Tensor y2 = act(input);
      const Tensor d1_graph = autograd::grad({y2}, {input}, {ones_like(y2)}, std::nullopt, /*create_graph=*/true)[0];
      Tensor d2 = zeros_like(input);
      if (d1_graph.requires_grad()) {
        const Tensor g2 = autograd::grad({d1_graph}, {input}, {ones_like(d1_graph)}, std::nullopt, false,
                                         /*allow_unused=*/true)[0];
        if (g2.defined()) d2 = g2;
      }
      const T* pf = y.data_ptr<T>();
      const T* pd = d1.data_ptr<T>();
      const T* pdg = d1_graph.data_ptr<T>();
      const T* pd2 = d2.data_ptr<T>();
      for (int64_t i = 0; i < n; ++i) {
        const int64_t r = i % kPeriod;
        // Whether both the value and the result are too small to compare (float32 only).
        auto tiny = [&](T got, LD expected) {
          return float32 && std::fabs(static_cast<double>(got)) < kNotComparedFloat32 &&
                 std::fabs(static_cast<double>(expected)) < kNotComparedFloat32;
        };
        if (!tiny(pf[i], f[r])) check_f.compare<T>(n, i, pf[i], f[r], {x[i]}, 0, tolerance[0][r]);
        if (std::isnan(x[i])) continue;
        const LD floor1 = within(df_zeros, x[i], kCrossingRadius) ? ref.floor1 : 0;
        const LD floor2 = within(d2f_zeros, x[i], kCrossingRadius) ? ref.floor2 : 0;
        if (!tiny(pd[i], df[r])) check_df.compare<T>(n, i, pd[i], df[r], {x[i]}, floor1, tolerance[1][r]);
        if (!tiny(pdg[i], df[r])) check_df.compare<T>(n, i, pdg[i], df[r], {x[i]}, floor1, tolerance[1][r]);
        if (!at_kink(x[i]) && !tiny(pd2[i], d2f[r])) {
          check_d2f.compare<T>(n, i, pd2[i], d2f[r], {x[i]}, floor2, tolerance[2][r]);
        }
      }
    });
    verdict.add(check_f);
    verdict.add(check_df);
    verdict.add(check_d2f);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Activations, ActivationDifferential,
                         ::testing::ValuesIn(both_dtypes(builtin_activation_names())), param_name);

// --- prelu: forward and both parts of its backward -----------------------------------------------
//
// d/dx = g or g a; d/da = sum of g x over x <= 0, a reduction: within max(1, m) ulp of
// sum |g x| in float64 (m products and m additions, each half an ulp), 2 ulp in float32
// (float products, a double sum, one last rounding).

class PreluDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(PreluDifferential, ForwardAndBothBackwardsMatchLongDoubleReference) {
  const bool create_graph = GetParam().name == "create_graph";
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    const std::string suffix = create_graph ? " (create_graph)" : "";
    const std::vector<T> x =
        periodic(mixed_inputs<T>(kPeriod, -5, 5, {0.0, -0.0, 1e-30, -1e-30}, 81));
    const std::vector<T> g = periodic(mixed_inputs<T>(kPeriod, -2, 2, {}, 82));
    Check forward("prelu forward" + suffix, dtype_name<T>(), 0.5);
    Check backward_x("prelu backward x" + suffix, dtype_name<T>(), 0.5);
    Check backward_a("prelu backward slope" + suffix, dtype_name<T>(), 1, "x bound");
    backward_a.describe_tolerance(sizeof(T) == 4 ? "2 ulp(sum|g x|)" : "max(1, m) ulp(sum|g x|)");
    const T slope = T(-0.3);
    for_each_size([&](int64_t n, int threads) {
      const std::string context = std::to_string(threads) + (threads == 1 ? " thread" : " threads");
      forward.set_context(context);
      backward_x.set_context(context);
      backward_a.set_context(context);
      const Tensor input = tensor_from(x.data(), {n}).requires_grad_();
      const Tensor a = full({1}, slope, scalar_type_of<T>()).requires_grad_();
      const Tensor y = prelu(input, a);
      const TensorList grads =
          autograd::grad({y}, {input, a}, {tensor_from(g.data(), {n})}, std::nullopt, create_graph);
      const T* py = y.data_ptr<T>();
      const T* pgx = grads[0].data_ptr<T>();
      LD exact = 0, magnitude = 0;
      int64_t terms = 0;
      for (int64_t i = 0; i < n; ++i) {
        const LD xi = x[i], gi = g[i];
        forward.compare<T>(n, i, py[i], xi > 0 ? xi : slope * xi, {xi});
        backward_x.compare<T>(n, i, pgx[i], xi > 0 ? gi : gi * slope, {xi, gi}, 0, 0, false);
        if (!(xi > 0)) {
          exact += gi * xi;
          magnitude += std::fabs(gi * xi);
          ++terms;
        }
      }
      const double tol = sizeof(T) == 4 ? 2.0 : std::max<double>(1, static_cast<double>(terms));
      backward_a.compare<T>(n, 0, grads[1].data_ptr<T>()[0], exact, {static_cast<LD>(terms)}, magnitude, tol);
    });
    verdict.add(forward);
    verdict.add(backward_x);
    verdict.add(backward_a);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Activations, PreluDifferential, ::testing::ValuesIn(both_dtypes({"backward", "create_graph"})),
                         param_name);

// --- softmax and log_softmax ------------------------------------------------------------------------
//
// The kernels round x - max in T before the exponential (costing up to |x - max| ulp of each
// term) and add the terms one after another in double (up to (n - 1)/2 ulp64 of the total).
// softmax_i is held to 2 + |d_i| + dbar + sum bound ulp, with d = x - max and dbar the mean of
// |d| weighted by the terms; the sum bound is (n - 1)/2 in float64 and nothing in float32
// (its double sum is far inside a float ulp). log_softmax = d - log(sum) is held to
// 2 + dbar + sum bound ulp of max(|d| + log(sum), 1): the log of a sum of at least 1 is
// computed to an absolute eps, as in PyTorch.

struct SoftmaxLayout {
  const char* name;
  int64_t outer, inner;  // the slices have the given size; [outer, size, inner]
  int dim;
};

class SoftmaxDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(SoftmaxDifferential, MatchesLongDoubleReferenceForEveryRowLength) {
  const bool log_output = GetParam().name == "log_softmax";
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    const std::vector<T> x = mixed_inputs<T>(3 * kLargestSize, -8, 8, {-kInf, 0.0, 30.0, -30.0}, 91, 29);
    Check check(GetParam().name, dtype_name<T>(), 1, "x bound");
    check.describe_tolerance(log_output ? "2 + dbar + bound ulp(|d| + log sum, 1)" : "2 + |d| + dbar + bound ulp");
    for_each_size([&](int64_t n, int threads) {
      const SoftmaxLayout layouts[] = {{"rows", 2, 1, 1}, {"columns", 1, 3, 0}};
      for (const SoftmaxLayout& layout : layouts) {
        if (layout.inner > 1 && n > 4099) continue;  // the strided path is the same loop
        check.set_context(std::string(layout.name) + ", " + std::to_string(threads) + " threads");
        const Shape shape = layout.dim == 1 ? Shape{layout.outer, n} : Shape{n, layout.inner};
        const Tensor input = tensor_from(x.data(), shape);
        const Tensor y = log_output ? log_softmax(input, layout.dim) : softmax(input, layout.dim);
        const T* py = y.data_ptr<T>();
        for (int64_t o = 0; o < layout.outer; ++o) {
          for (int64_t i = 0; i < layout.inner; ++i) {
            auto at = [&](int64_t k) { return (o * n + k) * layout.inner + i; };
            LD max = -INFINITY;
            for (int64_t k = 0; k < n; ++k) max = std::max<LD>(max, x[at(k)]);
            LD total = 0, weighted = 0;
            for (int64_t k = 0; k < n; ++k) {
              const LD term = std::exp(x[at(k)] - max);
              total += term;
              if (term > 0) weighted += term * (max - x[at(k)]);
            }
            const double dbar = static_cast<double>(weighted / total) + double_sum_bound<T>(n);
            for (int64_t k = 0; k < n; ++k) {
              const LD d = x[at(k)] - max;
              if (log_output) {
                check.compare<T>(n, at(k), py[at(k)], d - std::log(total), {x[at(k)]},
                                 std::max<LD>(std::fabs(d) + std::log(total), 1), 2 + dbar);
              } else {
                check.compare<T>(n, at(k), py[at(k)], std::exp(d) / total, {x[at(k)]}, 0,
                                 2 + dbar + (std::isfinite(d) ? static_cast<double>(std::fabs(d)) : 0));
              }
            }
          }
        }
      }
    }, 1);
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Activations, SoftmaxDifferential, ::testing::ValuesIn(both_dtypes({"softmax", "log_softmax"})),
                         param_name);

// --- cross-entropy, forward and backward --------------------------------------------------------------
//
// loss = log(sum e^(x - max)) + max - x_label, its gradient softmax - onehot; the same
// roundings as softmax above. Forward: 2 + dbar + sum bound ulp of max(loss, 1). Backward:
// 3 + |d| + dbar + sum bound ulp of the softmax value it is computed from.

class CrossEntropyDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(CrossEntropyDifferential, MatchesLongDoubleReferenceForEveryClassCount) {
  const bool large = GetParam().name == "large logits";
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    const double shift = large ? 1e12 : 0;
    const std::vector<T> x = mixed_inputs<T>(2 * kLargestSize, shift - 8, shift + 8, {shift, shift + 30}, 101, 31);
    Check forward(large ? "cross_entropy forward, logits near 1e12" : "cross_entropy forward", dtype_name<T>(), 1,
                  "x bound");
    forward.describe_tolerance("2 + dbar + bound ulp(loss, 1)");
    Check backward(large ? "cross_entropy backward, logits near 1e12" : "cross_entropy backward", dtype_name<T>(), 1,
                   "x bound");
    backward.describe_tolerance("3 + |d| + dbar + bound ulp(s)");
    for_each_size([&](int64_t n, int threads) {
      if (large && n > 4099) return;  // the same loops as above; only the values differ
      const std::string context = std::to_string(threads) + (threads == 1 ? " thread" : " threads");
      forward.set_context(context);
      backward.set_context(context);
      const int64_t rows = 2;
      const Tensor logits = tensor_from(x.data(), {rows, n}).requires_grad_();
      Tensor labels = empty({rows}, kInt64);
      std::vector<int64_t> label(rows);
      for (int64_t r = 0; r < rows; ++r) label[r] = labels.data_ptr<int64_t>()[r] = (r * 7919 + 3) % n;
      const Tensor loss = nn::cross_entropy(logits, labels, nn::Reduction::None);
      const Tensor grad = autograd::grad({loss}, {logits}, {ones_like(loss)})[0];
      for (int64_t r = 0; r < rows; ++r) {
        const T* row = x.data() + r * n;
        LD max = -INFINITY;
        for (int64_t k = 0; k < n; ++k) max = std::max<LD>(max, row[k]);
        LD total = 0, weighted = 0;
        for (int64_t k = 0; k < n; ++k) {
          const LD term = std::exp(row[k] - max);
          total += term;
          weighted += term * (max - row[k]);
        }
        const double dbar = static_cast<double>(weighted / total) + double_sum_bound<T>(n);
        const LD log_total = std::log(total);
        const LD expected = log_total + (max - row[label[r]]);
        forward.compare<T>(n, r, loss.data_ptr<T>()[r], expected, {row[label[r]], max}, std::max<LD>(expected, 1),
                           2 + dbar);
        for (int64_t k = 0; k < n; ++k) {
          const LD s = std::exp(row[k] - max) / total;
          backward.compare<T>(n, r * n + k, grad.data_ptr<T>()[r * n + k], s - (k == label[r] ? 1 : 0), {row[k]}, s,
                              3 + dbar + static_cast<double>(max - row[k]));
        }
      }
    }, 1);
    verdict.add(forward);
    verdict.add(backward);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Losses, CrossEntropyDifferential,
                         ::testing::ValuesIn(both_dtypes({"ordinary logits", "large logits"})), param_name);

}  // namespace
}  // namespace nabla::differential
