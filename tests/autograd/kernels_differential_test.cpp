// Every kernel in autograd/kernels against a long-double reference, at every size that
// crosses a vector width, an unroll, a block or the threading threshold (see differential.h).
// The summary table of worst errors prints at the end:
//   ./build/tests/autograd/autograd_tests --gtest_filter='*Differential*'
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "autograd/autograd.h"
#include "autograd/kernels/pointwise.h"
#include "autograd/kernels/finite.h"
#include "autograd/kernels/gemm.h"
#include "autograd/kernels/gemm_blocking.h"
#include "autograd/kernels/map.h"
#include "autograd/kernels/parallel.h"
#include "autograd/kernels/reduce.h"
#include "tests/differential.h"

namespace nabla::differential {
namespace {

using kernels::BinaryOp;
using kernels::ScalarOp;

// --- the elementwise loop --------------------------------------------------------------------

// kernels::map, the loop under every row of autograd/ops/unary_ops.def (their values are checked
// through the ops, in unary_ops_differential_test): at every size, on several threads and on
// one, it writes each element once and nothing past the end.
class MapKernelDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(MapKernelDifferential, WritesEveryElementAndNothingPastTheEnd) {
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    const std::vector<T> x = mixed_inputs<T>(kLargestSize, -1e3, 1e3, elementwise_specials<T>(true), 11);
    Check check("map", dtype_name<T>(), 0);
    for_each_size(check, [&](int64_t n) {
      Guarded<T> out(n);
      kernels::map(x.data(), out.get(), n, [](T v) { return -v; });
      if (!out.intact(n)) check.fail("wrote past the end at size " + std::to_string(n));
      for (int64_t i = 0; i < n; ++i) check.compare<T>(n, i, out[i], -static_cast<long double>(x[i]), {x[i]}, 0, 0, true);
    });
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Kernels, MapKernelDifferential, ::testing::ValuesIn(both_dtypes({"map"})), param_name);

// --- x op scalar ----------------------------------------------------------------------------

struct ScalarCase {
  const char* name;
  ScalarOp op;
  double s;
  long double (*reference)(long double x, long double s);
  double lo, hi;
  double tolerance;
};

long double nan_or(long double x, long double s, long double v) { return std::isnan(x) || std::isnan(s) ? NAN : v; }

const ScalarCase kScalar[] = {
    {"scalar_add", ScalarOp::Add, 0.3, [](long double x, long double s) { return x + s; }, -10, 10, 0.5},
    {"scalar_mul", ScalarOp::Mul, -1.7, [](long double x, long double s) { return x * s; }, -10, 10, 0.5},
    {"pow_2", ScalarOp::Pow, 2, [](long double x, long double s) { return std::pow(x, s); }, -100, 100, 0.5},
    {"pow_3", ScalarOp::Pow, 3, [](long double x, long double s) { return std::pow(x, s); }, -100, 100, 1},
    {"pow_0_5", ScalarOp::Pow, 0.5, [](long double x, long double s) { return std::pow(x, s); }, 0, 100, 1},
    {"pow_minus_1_5", ScalarOp::Pow, -1.5, [](long double x, long double s) { return std::pow(x, s); }, 0, 100, 1},
    {"rsub", ScalarOp::RSub, 2.5, [](long double x, long double s) { return s - x; }, -10, 10, 0.5},
    {"rdiv", ScalarOp::RDiv, -3, [](long double x, long double s) { return s / x; }, -10, 10, 0.5},
    {"scalar_maximum", ScalarOp::Maximum, 0.25,
     [](long double x, long double s) { return nan_or(x, s, std::max(x, s)); }, -1, 1, 0},
    {"scalar_minimum", ScalarOp::Minimum, 0.25,
     [](long double x, long double s) { return nan_or(x, s, std::min(x, s)); }, -1, 1, 0},
    {"scalar_eq", ScalarOp::Eq, 0.5, [](long double x, long double s) { return (long double)(x == s); }, -1, 1, 0},
    {"scalar_ne", ScalarOp::Ne, 0.5, [](long double x, long double s) { return (long double)(x != s); }, -1, 1, 0},
    {"scalar_lt", ScalarOp::Lt, 0.5, [](long double x, long double s) { return (long double)(x < s); }, -1, 1, 0},
    {"scalar_le", ScalarOp::Le, 0.5, [](long double x, long double s) { return (long double)(x <= s); }, -1, 1, 0},
    {"scalar_gt", ScalarOp::Gt, 0.5, [](long double x, long double s) { return (long double)(x > s); }, -1, 1, 0},
    {"scalar_ge", ScalarOp::Ge, 0.5, [](long double x, long double s) { return (long double)(x >= s); }, -1, 1, 0},
};

class ScalarKernelDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(ScalarKernelDifferential, MatchesLongDoubleReferenceAtEverySize) {
  const ScalarCase* found = nullptr;
  for (const ScalarCase& c : kScalar) {
    if (GetParam().name == c.name) found = &c;
  }
  ASSERT_NE(found, nullptr);
  const ScalarCase& c = *found;
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    const T s = static_cast<T>(c.s);
    const std::vector<T> x = mixed_inputs<T>(kLargestSize, c.lo, c.hi, elementwise_specials<T>(true), 12);
    std::vector<long double> expected(x.size());
    for (size_t i = 0; i < x.size(); ++i) expected[i] = c.reference(x[i], s);
    Check check(c.name, dtype_name<T>(), c.tolerance);
    for_each_size(check, [&](int64_t n) {
      Guarded<T> out(n);
      kernels::scalar(c.op, x.data(), s, out.get(), n);
      if (!out.intact(n)) check.fail("wrote past the end at size " + std::to_string(n));
      for (int64_t i = 0; i < n; ++i) check.compare<T>(n, i, out[i], expected[i], {x[i], s});
    }, 0, /*single_thread=*/false);  // map's loop, which the map test runs on one thread too
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Kernels, ScalarKernelDifferential, ::testing::ValuesIn(both_dtypes(names_of(kScalar))),
                         param_name);

// --- binary kernels with broadcasting -----------------------------------------------------------

struct BinaryCase {
  const char* name;
  BinaryOp op;
  long double (*reference)(long double, long double);
  double tolerance;
  bool signed_zero;
  bool at_large_sizes;  // an arithmetic op and a NaN-aware select also run at the threaded sizes
};

const BinaryCase kBinary[] = {
    {"add", BinaryOp::Add, [](long double a, long double b) { return a + b; }, 0.5, true, true},
    {"sub", BinaryOp::Sub, [](long double a, long double b) { return a - b; }, 0.5, true, false},
    {"mul", BinaryOp::Mul, [](long double a, long double b) { return a * b; }, 0.5, true, false},
    {"div", BinaryOp::Div, [](long double a, long double b) { return a / b; }, 0.5, true, false},
    // NaN from either side wins, as in PyTorch.
    {"maximum", BinaryOp::Maximum, [](long double a, long double b) { return nan_or(a, b, std::max(a, b)); }, 0, false,
     true},
    {"minimum", BinaryOp::Minimum, [](long double a, long double b) { return nan_or(a, b, std::min(a, b)); }, 0, false,
     false},
    {"eq", BinaryOp::Eq, [](long double a, long double b) { return (long double)(a == b); }, 0, false, false},
    {"ne", BinaryOp::Ne, [](long double a, long double b) { return (long double)(a != b); }, 0, false, false},
    {"lt", BinaryOp::Lt, [](long double a, long double b) { return (long double)(a < b); }, 0, false, false},
    {"le", BinaryOp::Le, [](long double a, long double b) { return (long double)(a <= b); }, 0, false, false},
    {"gt", BinaryOp::Gt, [](long double a, long double b) { return (long double)(a > b); }, 0, false, false},
    {"ge", BinaryOp::Ge, [](long double a, long double b) { return (long double)(a >= b); }, 0, false, false},
};

class BinaryKernelDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(BinaryKernelDifferential, MatchesLongDoubleReferenceInEveryBroadcastLayout) {
  const BinaryCase* found = nullptr;
  for (const BinaryCase& c : kBinary) {
    if (GetParam().name == c.name) found = &c;
  }
  ASSERT_NE(found, nullptr);
  const BinaryCase& c = *found;
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    std::vector<double> specials = elementwise_specials<T>(true);
    specials.push_back(3.0);  // equal values in a and b, for the comparisons
    const std::vector<T> a = mixed_inputs<T>(3 * kLargestSize, -10, 10, specials, 21, 7);
    const std::vector<T> b = mixed_inputs<T>(3 * kLargestSize, -10, 10, specials, 22, 5);
    Check check(c.name, dtype_name<T>(), c.tolerance);
    auto run = [&](int64_t n, bool single_thread) {
      for (const BroadcastLayout& layout : broadcast_layouts(n)) {
        // At the large sizes: the layouts that split across threads, and one thread for "same shape".
        if (n >= kSingleThreadFrom && !(c.at_large_sizes && layout.threaded && (!single_thread || layout.name == "same shape"))) {
          continue;
        }
        check.set_context(layout.name + ", " + (single_thread ? "1 thread" : std::to_string(kThreads) + " threads"));
        Guarded<T> out(layout.out.numel());
        kernels::binary(c.op, a.data(), layout.a, b.data(), layout.b, out.get(), layout.out);
        if (!out.intact(layout.out.numel())) check.fail("wrote past the end in layout " + layout.name);
        const std::vector<int64_t> ia = broadcast_index(layout.a, layout.out);
        const std::vector<int64_t> ib = broadcast_index(layout.b, layout.out);
        for (int64_t i = 0; i < layout.out.numel(); ++i) {
          const long double va = a[ia[i]], vb = b[ib[i]];
          check.compare<T>(n, i, out[i], c.reference(va, vb), {va, vb}, 0, 0, c.signed_zero);
        }
      }
    };
    {
      ThreadCount threads(kThreads);
      for (int64_t n : sizes()) run(n, false);
    }
    ThreadCount one(1);
    for (int64_t n : sizes()) {
      if (n >= kSingleThreadFrom) run(n, true);
    }
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Kernels, BinaryKernelDifferential, ::testing::ValuesIn(both_dtypes(names_of(kBinary))),
                         param_name);

// --- clamp, where, axpy ----------------------------------------------------------

class SelectKernelDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(SelectKernelDifferential, MatchesLongDoubleReferenceAtEverySize) {
  const std::string kernel = GetParam().name;
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    const std::vector<double> specials = elementwise_specials<T>(true);
    const std::vector<T> x = mixed_inputs<T>(3 * kLargestSize, -5, 5, specials, 31);
    const std::vector<T> y = mixed_inputs<T>(kLargestSize, -5, 5, specials, 32, 13);
    if (kernel == "clamp") {
      const T low = T(-1.5), high = T(2.25);
      Check check(kernel, dtype_name<T>(), 0);
      for_each_size(check, [&](int64_t n) {
        Guarded<T> out(n);
        kernels::clamp(x.data(), low, high, out.get(), n);
        if (!out.intact(n)) check.fail("wrote past the end at size " + std::to_string(n));
        for (int64_t i = 0; i < n; ++i) {
          const long double v = x[i];
          check.compare<T>(n, i, out[i], std::isnan(v) ? v : std::min<long double>(std::max<long double>(v, low), high),
                           {v});
        }
      }, 0, /*single_thread=*/false);
      verdict.add(check);
    } else if (kernel == "where") {
      // The mask holds 0, -0, 1, 2 and NaN: everything but a zero selects a.
      const std::vector<T> mask = mixed_inputs<T>(kLargestSize, 0, 2, {0.0, -0.0, 1.0, 2.0, kNaN}, 33, 2);
      Check check(kernel, dtype_name<T>(), 0);
      for_each_size(check, [&](int64_t n) {
        Guarded<T> out(n);
        kernels::where(mask.data(), x.data(), y.data(), out.get(), n);
        if (!out.intact(n)) check.fail("wrote past the end at size " + std::to_string(n));
        for (int64_t i = 0; i < n; ++i) {
          const long double chosen = static_cast<long double>(mask[i]) != 0 ? x[i] : y[i];
          check.compare<T>(n, i, out[i], chosen, {mask[i], x[i], y[i]}, 0, 0, true);
        }
      }, 0, /*single_thread=*/false);
      verdict.add(check);
    } else if (kernel == "axpy") {
      // out += alpha x: two roundings (or one, fused), so within 1 ulp of |out| + |alpha x|.
      const T alpha = T(1.3);
      Check check(kernel, dtype_name<T>(), 1, "ulp(|y| + |alpha x|)");
      for_each_size(check, [&](int64_t n) {
        Guarded<T> out(n);
        std::copy(y.begin(), y.begin() + n, out.get());
        kernels::axpy(alpha, x.data(), out.get(), n);
        if (!out.intact(n)) check.fail("wrote past the end at size " + std::to_string(n));
        for (int64_t i = 0; i < n; ++i) {
          const long double product = static_cast<long double>(alpha) * x[i];
          check.compare<T>(n, i, out[i], y[i] + product, {y[i], x[i]}, std::fabs(y[i]) + std::fabs(product));
        }
      }, 0, /*single_thread=*/false);
      verdict.add(check);
    } else {
      FAIL() << "no case for " << kernel;
    }
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Kernels, SelectKernelDifferential,
                         ::testing::ValuesIn(both_dtypes({"clamp", "where", "axpy"})), param_name);

// --- sums and means ------------------------------------------------------------------------------
//
// Held to the summation bound, sum_tolerance (differential.h).

struct Exact {
  long double sum = 0, magnitude = 0;
};

class SumKernelDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(SumKernelDifferential, MatchesLongDoubleReferenceWithinTheSummationBound) {
  const std::string kernel = GetParam().name;
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    // Mixed signs (cancellation), with a few large values among them.
    const std::vector<T> x = mixed_inputs<T>(7 * kLargestSize, -1, 1, {1e3, -1e3, 0.0, -0.0, 1e-3}, 41, 17);
    Check check(kernel, dtype_name<T>(), 1, "x bound");
    check.describe_tolerance(sizeof(T) == 4 ? "1 ulp(sum|x|)" : "max(1, (m-1)/2) ulp(sum|x|)");
    // Sums x[o, k, i] over k for the given layout and compares every output.
    auto check_layout = [&](int64_t n, int64_t outer, int64_t size, int64_t inner) {
      Guarded<T> out(outer * inner);
      if (kernel == "sum_all") {
        out.get()[0] = kernels::sum_all(x.data(), size);
      } else {
        kernels::sum_dim(x.data(), outer, size, inner, out.get());
      }
      if (!out.intact(outer * inner)) check.fail("wrote past the end at size " + std::to_string(n));
      for (int64_t o = 0; o < outer; ++o) {
        for (int64_t i = 0; i < inner; ++i) {
          Exact e;
          for (int64_t k = 0; k < size; ++k) {
            const long double v = x[(o * size + k) * inner + i];
            e.sum += v;
            e.magnitude += std::fabs(v);
          }
          check.compare<T>(n, o * inner + i, out[o * inner + i], e.sum, {static_cast<long double>(size)}, e.magnitude,
                           sum_tolerance<T>(size));
        }
      }
    };
    for_each_size(check, [&](int64_t n) {
      if (kernel == "sum_all") {
        check_layout(n, 1, n, 1);
      } else if (kernel == "sum_dim rows") {
        check_layout(n, 3, n, 1);
      } else if (kernel == "sum_dim many short rows") {
        check_layout(n, n, 7, 1);
      } else if (kernel == "sum_dim columns") {
        check_layout(n, 2, 3, n);
      } else if (kernel == "sum_dim long columns") {
        check_layout(n, 1, n, 3);
      }
    });
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Kernels, SumKernelDifferential,
                         ::testing::ValuesIn(both_dtypes({"sum_all", "sum_dim rows", "sum_dim many short rows",
                                                          "sum_dim columns", "sum_dim long columns"})),
                         param_name);

template <class T> Tensor tensor_from(const std::vector<T>& values, const Shape& shape) {
  Tensor t = empty(shape, scalar_type_of<T>());
  std::copy(values.begin(), values.begin() + shape.numel(), t.data_ptr<T>());
  return t;
}

// mean = sum * (1 / m): the sum's bound, plus two more roundings.
class MeanOpDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(MeanOpDifferential, MatchesLongDoubleReferenceWithinTheSummationBound) {
  const bool along_dim = GetParam().name == "mean_dim";
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    const std::vector<T> x = mixed_inputs<T>(3 * kLargestSize, -1, 1, {1e3, -1e3, 0.0}, 42, 17);
    Check check(GetParam().name, dtype_name<T>(), 1, "x bound");
    check.describe_tolerance(sizeof(T) == 4 ? "2.5 ulp(mean|x|)" : "(m-1)/2 + 2 ulp(mean|x|)");
    // The mean of an empty tensor is a convention of its own (NaN, as PyTorch): sizes from 1.
    for_each_size(check, [&](int64_t n) {
      const int64_t rows = along_dim ? 3 : 1;
      const Tensor t = tensor_from(x, along_dim ? Shape{rows, n} : Shape{n});
      const Tensor m = along_dim ? t.mean(1) : t.mean();
      const T* got = m.data_ptr<T>();
      for (int64_t r = 0; r < rows; ++r) {
        Exact e;
        for (int64_t k = 0; k < n; ++k) {
          e.sum += x[r * n + k];
          e.magnitude += std::fabs(static_cast<long double>(x[r * n + k]));
        }
        check.compare<T>(n, r, got[r], e.sum / n, {static_cast<long double>(n)}, e.magnitude / n,
                         sum_tolerance<T>(n) + 1.5);
      }
    }, 1, /*single_thread=*/false);
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Ops, MeanOpDifferential, ::testing::ValuesIn(both_dtypes({"mean", "mean_dim"})),
                         param_name);

// --- max, argmax, argmin ------------------------------------------------------------------------
//
// Small integers, so that ties are everywhere; the first of tied maxima wins, and NaN counts
// as the maximum (and as the minimum), as in PyTorch.

template <class T> std::vector<T> tied_inputs(int64_t n, bool with_nan, uint64_t seed) {
  std::vector<double> specials = {kInf, -kInf, -0.0, 0.0};
  if (with_nan) specials.push_back(kNaN);
  std::vector<T> x = mixed_inputs<T>(n, -4, 4, specials, seed, 97);
  for (T& v : x) {
    if (std::isfinite(v) && v != 0) v = std::floor(v);
  }
  return x;
}

// The first index of the extreme value of x[o, k, i] over k (NaN the most extreme).
template <class T> int64_t first_extreme(const T* x, int64_t size, int64_t inner, bool maximum) {
  int64_t best = 0;
  for (int64_t k = 0; k < size; ++k) {
    const T v = x[k * inner], b = x[best * inner];
    if (std::isnan(b)) break;
    if (std::isnan(v) || (maximum ? v > b : v < b)) best = k;
  }
  return best;
}

class MaxKernelDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(MaxKernelDifferential, FindsTheFirstExtremeAtEverySize) {
  const std::string kernel = GetParam().name;
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    Check check(kernel, dtype_name<T>(), 0, "(index or value differs)");
    for (bool with_nan : {false, true}) {
      const std::vector<T> x = tied_inputs<T>(5 * kLargestSize, with_nan, with_nan ? 51 : 52);
      for_each_size(check, [&](int64_t n) {
        auto check_layout = [&](int64_t outer, int64_t size, int64_t inner) {
          Guarded<T> values(outer * inner);
          std::vector<int64_t> indices(static_cast<size_t>(outer * inner));
          kernels::max_dim(x.data(), outer, size, inner, values.get(), indices.data());
          if (!values.intact(outer * inner)) check.fail("wrote past the end at size " + std::to_string(n));
          for (int64_t o = 0; o < outer; ++o) {
            for (int64_t i = 0; i < inner; ++i) {
              const T* slice = x.data() + o * size * inner + i;
              const int64_t best = first_extreme(slice, size, inner, true);
              const int64_t at = o * inner + i;
              check.add(indices[at] == best ? 0.0 : kInf, n, at, indices[at], best, {static_cast<long double>(size)});
              check.compare<T>(n, at, values[at], slice[best * inner], {static_cast<long double>(best)}, 0, 0, true);
            }
          }
        };
        if (kernel == "max_dim") {
          check_layout(3, n, 1);
          check_layout(1, n, 3);
          check_layout(n, 5, 1);
          check_layout(2, 2, n);
        } else {
          const bool maximum = kernel == "argmax_all";
          const int64_t got = maximum ? kernels::argmax_all(x.data(), n) : kernels::argmin_all(x.data(), n);
          const int64_t best = first_extreme(x.data(), n, 1, maximum);
          check.add(got == best ? 0.0 : kInf, n, 0, got, best, {x[got], x[best]});
        }
      }, 1, /*single_thread=*/false);  // max_dim and argmax run on the calling thread
    }
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Kernels, MaxKernelDifferential,
                         ::testing::ValuesIn(both_dtypes({"max_dim", "argmax_all", "argmin_all"})), param_name);

// The gradient of the maximum: max(x, dim) sends it to the returned index (as PyTorch), while
// max() and amax() split it evenly between tied maxima (as PyTorch's amax and max()).
class MaxBackwardDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(MaxBackwardDifferential, SendsTheGradientWherePyTorchDoes) {
  const std::string kernel = GetParam().name;
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    const std::vector<T> x = tied_inputs<T>(2 * kLargestSize, false, 53);
    Check check(kernel, dtype_name<T>(), 0.5);
    for_each_size(check, [&](int64_t n) {
      const int64_t rows = kernel == "max backward with ties" ? 1 : 2;
      Tensor t = tensor_from(x, rows == 1 ? Shape{n} : Shape{rows, n}).requires_grad_();
      Tensor y;
      if (kernel == "max backward with ties") {
        y = t.max();
      } else if (kernel == "amax backward with ties") {
        y = t.amax(1);
      } else {
        y = std::get<0>(max(t, 1));
      }
      const Tensor g = autograd::grad({y}, {t}, {ones_like(y)})[0];
      const T* got = g.data_ptr<T>();
      for (int64_t r = 0; r < rows; ++r) {
        const T* row = x.data() + r * n;
        const int64_t first = first_extreme(row, n, 1, true);
        int64_t ties = 0;
        for (int64_t k = 0; k < n; ++k) ties += row[k] == row[first];
        for (int64_t k = 0; k < n; ++k) {
          long double expected = 0;
          if (kernel == "max_dim backward") {
            expected = k == first ? 1 : 0;
          } else if (row[k] == row[first]) {
            expected = 1.0L / ties;
          }
          check.compare<T>(n, r * n + k, got[r * n + k], expected, {row[k], static_cast<long double>(ties)});
        }
      }
    }, 1, /*single_thread=*/false);
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Ops, MaxBackwardDifferential,
                         ::testing::ValuesIn(both_dtypes({"max_dim backward", "max backward with ties",
                                                          "amax backward with ties"})),
                         param_name);

// --- GEMM -------------------------------------------------------------------------------------
//
// C = op(A) op(B) in all four transpose variants. Each C[i, j] is within (K + 2) ulp of
// sum_k |A[i, k] B[k, j]| of the exact value (K products and K additions, each rounding by
// half an ulp of at most that sum, plus the blocks added into C). The shapes are derived from
// the block sizes gemm() really uses on this machine (gemm_blocking: MR x NR micro-tile, KC,
// MC, NC from the cache sizes, the panels packed per pass), so that each of M, N and K lands
// at 1, just below, on and just above every tile and block edge, and at primes; shapes with at least the threading
// threshold's work run on 1, 2, 3 and 4 threads (the split of C between threads depends on the
// shape and the thread count: tall shapes split rows, wide ones columns, some both).

struct GemmShape {
  int64_t M, N, K;
  bool accumulate = false;
};

template <class T>
std::vector<GemmShape> gemm_shapes() {
  const kernels::GemmBlocking& b = kernels::gemm_blocking<T>();
  const int64_t mr = b.mr, nr = b.nr, kc = b.kc, mc = b.mc, nc = b.nc;
  std::vector<GemmShape> shapes;
  for (int64_t n = 1; n <= 70; ++n) shapes.push_back({n, n, n, n % 3 == 0});
  for (int64_t n : {127, 128, 129, 255, 256, 257}) shapes.push_back({n, n, n});
  // One dimension at a time across its tile and block edges, the other two small and odd.
  for (int64_t m : {int64_t{1}, mr - 1, mr + 1, 2 * mr + 1, mc - 1, mc, mc + 1, 2 * mc + mr + 1}) {
    shapes.push_back({m, nr + 1, 37, m % 2 == 0});
  }
  for (int64_t n : {int64_t{1}, nr - 1, nr + 1, 2 * nr + 3, nc - 1, nc, nc + 1}) shapes.push_back({mr + 1, n, 29, n % 2 == 1});
  for (int64_t k : {int64_t{1}, kc - 1, kc, kc + 1, 2 * kc + 3}) shapes.push_back({2 * mr + 1, 2 * nr - 1, k, k % 2 == 1});
  // Across the groups of panels that packing copies in one pass (A stored transposed, B as stored).
  const int64_t copy_rows = b.copy_panels * mr, copy_cols = b.copy_panels * nr;
  for (int64_t m : {copy_rows - 1, copy_rows, copy_rows + 1, 2 * copy_rows + mr / 2}) shapes.push_back({m, nr + 3, 23});
  for (int64_t n : {copy_cols - 1, copy_cols, copy_cols + 1, 2 * copy_cols + nr / 2}) shapes.push_back({mr + 2, n, 19});
  // Every edge at once, threaded.
  const GemmShape all_edges[] = {
      {mc + 1, 2 * nr + 1, kc + 1, true}, {2 * mr + 1, nc + 1, 31, true}, {2 * mc + 1, 3 * nr + 1, 2 * kc + 1},
      {mr - 1, nr - 1, kc - 1},           {97, 89, 101, true},            {211, 53, 307},
  };
  for (const GemmShape& s : all_edges) shapes.push_back(s);
  const GemmShape rectangular[] = {
      {0, 5, 7},    {5, 0, 7},          {5, 7, 0, true},   {5, 7, 0},          {1, 1, 1100},    {1100, 1, 3},
      {1, 1100, 2}, {6, 16, 256},       {7, 17, 257, true}, {13, 1100, 33},    {1100, 13, 33},  {121, 1025, 257},
      {119, 513, 255, true},            {1030, 130, 70},   {240, 9, 1030},     {65, 63, 64},    {64, 64, 64, true},
      {64, 64, 63}, {3, 2000, 50},      {2, 3000, 61},     {3000, 2, 61},      {64, 256, 784},  {256, 784, 64, true},
  };
  for (const GemmShape& s : rectangular) shapes.push_back(s);
  // One row or one column of C (a vector times a matrix): across the depth blocks and the
  // panels, and past the threading threshold.
  const GemmShape vector_products[] = {
      {1, 3 * nr + 5, 2 * kc + 3, true}, {2 * mc + 5, 1, 2 * kc + 3}, {1, 1, 2 * kc + 3, true}, {1, 1, 1000},
      {4099, 1, 300},                    {1, 5000, 300, true},        {1, 8 * nr + 7, kc},       {9, 1, kc + 1, true},
  };
  for (const GemmShape& s : vector_products) shapes.push_back(s);
  return shapes;
}

class GemmKernelDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(GemmKernelDifferential, MatchesLongDoubleReferenceAcrossTilesBlocksAndThreads) {
  const bool ta = GetParam().name[5] == 't', tb = GetParam().name[6] == 't';  // "gemm_nt" and so on
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    Check check(GetParam().name, dtype_name<T>(), 1, "x bound");
    check.describe_tolerance("K + 2 ulp(sum|a b|)");
    std::mt19937_64 gen(61);
    std::uniform_real_distribution<double> uniform(-1, 1);
    const int64_t threaded = kernels::gemm_blocking<T>().threading_threshold;
    // The exact result is computed once per shape and compared with every thread count's.
    auto run = [&](const GemmShape& s) {
      std::vector<T> a(static_cast<size_t>(s.M * s.K)), b(static_cast<size_t>(s.K * s.N));
      std::vector<T> c_before(static_cast<size_t>(s.M * s.N), T(7));  // overwritten unless accumulating
      for (T& v : a) v = static_cast<T>(uniform(gen));
      for (T& v : b) v = static_cast<T>(uniform(gen));
      std::vector<long double> exact(static_cast<size_t>(s.M * s.N), 0), magnitude(exact.size(), 0);
      if (s.accumulate) {
        for (int64_t i = 0; i < s.M * s.N; ++i) {
          c_before[i] = static_cast<T>(uniform(gen));
          exact[i] = c_before[i];
          magnitude[i] = std::fabs(exact[i]);
        }
      }
      // op(A)[i, k] and op(B)[k, j] from their stored layouts.
      auto at_a = [&](int64_t i, int64_t k) -> long double { return ta ? a[k * s.M + i] : a[i * s.K + k]; };
      auto at_b = [&](int64_t k, int64_t j) -> long double { return tb ? b[j * s.K + k] : b[k * s.N + j]; };
      for (int64_t i = 0; i < s.M; ++i) {
        long double* row = exact.data() + i * s.N;
        long double* mag = magnitude.data() + i * s.N;
        for (int64_t k = 0; k < s.K; ++k) {
          const long double aik = at_a(i, k);
          for (int64_t j = 0; j < s.N; ++j) {
            const long double p = aik * at_b(k, j);
            row[j] += p;
            mag[j] += std::fabs(p);
          }
        }
      }
      const bool is_threaded = s.M * s.N * s.K >= threaded;
      for (int threads : {kThreads, 1, 2, 4}) {  // 4: a 2 x 2 grid of tiles (97 x 89 x 101)
        if (threads != kThreads && !is_threaded) break;
        ThreadCount count(threads);
        check.set_context(std::to_string(s.M) + "x" + std::to_string(s.N) + "x" + std::to_string(s.K) +
                          (s.accumulate ? " accumulating" : "") + ", " + std::to_string(threads) + " threads");
        Guarded<T> c(s.M * s.N);
        std::copy(c_before.begin(), c_before.end(), c.get());
        kernels::gemm(ta, tb, s.M, s.N, s.K, a.data(), b.data(), c.get(), s.accumulate);
        if (!c.intact(s.M * s.N)) check.fail("wrote past the end of C at " + check.kernel());
        const int64_t size = std::max({s.M, s.N, s.K});
        for (int64_t i = 0; i < s.M * s.N; ++i) {
          check.compare<T>(size, i, c[i], exact[i], {static_cast<long double>(i / std::max<int64_t>(s.N, 1)),
                                                      static_cast<long double>(i % std::max<int64_t>(s.N, 1))},
                           magnitude[i], static_cast<double>(s.K + 2));
        }
      }
    };
    for (const GemmShape& s : gemm_shapes<T>()) run(s);
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Kernels, GemmKernelDifferential,
                         ::testing::ValuesIn(both_dtypes({"gemm_nn", "gemm_nt", "gemm_tn", "gemm_tt"})), param_name);

// A row of C computed alone (M = 1) has the bits it has inside the whole product, and so has a
// column (N = 1): what makes a network's output for one example independent of its batch. (A
// faster path for a vector times a matrix would have to sum each element exactly as the
// micro-kernel does, whose a * b + c GCC fuses and clang 14 does not: this is the test it
// must pass under both.)
TEST_P(GemmKernelDifferential, ARowOrAColumnAloneHasTheBitsItHasInTheWholeProduct) {
  const bool ta = GetParam().name[5] == 't', tb = GetParam().name[6] == 't';
  with_dtype(GetParam().float64, [&]<class T>() {
    const int64_t kc = kernels::gemm_blocking<T>().kc;
    std::mt19937_64 gen(67);
    std::uniform_real_distribution<double> uniform(-1, 1);
    auto bits = [](T x) { return std::bit_cast<std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>(x); };
    for (const GemmShape& s : {GemmShape{37, 45, 2 * kc + 7}, GemmShape{70, 300, 29}, GemmShape{5, 3, 1},
                               GemmShape{7, 256, 784}, GemmShape{64, 17, 33}}) {
      std::vector<T> a(static_cast<size_t>(s.M * s.K)), b(static_cast<size_t>(s.K * s.N)), c(static_cast<size_t>(s.M * s.N));
      for (T& v : a) v = static_cast<T>(uniform(gen));
      for (T& v : b) v = static_cast<T>(uniform(gen));
      kernels::gemm(ta, tb, s.M, s.N, s.K, a.data(), b.data(), c.data(), false);
      const std::string shape = std::to_string(s.M) + "x" + std::to_string(s.N) + "x" + std::to_string(s.K);
      for (int64_t i = 0; i < s.M; ++i) {
        std::vector<T> row_of_a(static_cast<size_t>(s.K)), row(static_cast<size_t>(s.N));
        for (int64_t k = 0; k < s.K; ++k) row_of_a[k] = ta ? a[k * s.M + i] : a[i * s.K + k];  // stored 1 x K or K x 1 alike
        kernels::gemm(ta, tb, 1, s.N, s.K, row_of_a.data(), b.data(), row.data(), false);
        for (int64_t j = 0; j < s.N; ++j) {
          ASSERT_EQ(bits(row[j]), bits(c[i * s.N + j]))
              << GetParam().name << " " << dtype_name<T>() << " " << shape << ": row " << i << ", column " << j;
        }
      }
      for (int64_t j = 0; j < s.N; ++j) {
        std::vector<T> column_of_b(static_cast<size_t>(s.K)), column(static_cast<size_t>(s.M));
        for (int64_t k = 0; k < s.K; ++k) column_of_b[k] = tb ? b[j * s.K + k] : b[k * s.N + j];
        kernels::gemm(ta, tb, s.M, 1, s.K, a.data(), column_of_b.data(), column.data(), false);
        for (int64_t i = 0; i < s.M; ++i) {
          ASSERT_EQ(bits(column[i]), bits(c[i * s.N + j]))
              << GetParam().name << " " << dtype_name<T>() << " " << shape << ": column " << j << ", row " << i;
        }
      }
    }
  });
}

// The large sizes above are only worth running if they really are split into one chunk per
// thread, with chunk edges inside them. (Which thread runs which chunk depends on timing: the
// pool hands chunks out to whichever thread is free, the caller first.)
TEST(DifferentialSetup, LargestSizeRunsOnSeveralThreads) {
  ThreadCount threads(kThreads);
  std::mutex mutex;
  std::set<std::pair<int64_t, int64_t>> chunks;
  kernels::parallel_for(kLargestSize, int64_t{1} << 16, [&](int64_t begin, int64_t end) {
    std::lock_guard lock(mutex);
    chunks.insert({begin, end});
  });
  EXPECT_EQ(static_cast<int>(chunks.size()), kThreads);
}

}  // namespace
}  // namespace nabla::differential

namespace nabla::differential {
namespace {

// first_nonfinite (the anomaly detector's scan) against a plain loop, at every size, with the
// non-finite value planted at the start, the end and a few places between, or nowhere.
TEST(FiniteKernelDifferential, FindsTheFirstNonFiniteElementAtEverySize) {
  auto run = [&]<class T>() {
    for (int64_t n : sizes()) {
      std::vector<T> x(static_cast<size_t>(n), T(1.5));
      std::vector<int64_t> positions = {-1};
      if (n > 0) positions.insert(positions.end(), {0, n / 3, n / 2, n - 1});
      for (int64_t at : positions) {
        for (T bad : {std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::infinity(),
                      -std::numeric_limits<T>::infinity()}) {
          std::fill(x.begin(), x.end(), T(1.5));
          if (at >= 0) x[static_cast<size_t>(at)] = bad;
          int64_t expected = -1;
          for (int64_t i = 0; i < n; ++i) {
            if (!std::isfinite(x[static_cast<size_t>(i)])) {
              expected = i;
              break;
            }
          }
          ASSERT_EQ(kernels::first_nonfinite(x.data(), n), expected)
              << dtype_name<T>() << " size " << n << ", non-finite value " << bad << " at " << at;
        }
      }
    }
  };
  run.template operator()<float>();
  run.template operator()<double>();
}

}  // namespace
}  // namespace nabla::differential

namespace nabla::differential {
namespace {

// The two scatters of max's backward, as kernels (the op-level test above goes through the
// graph): one_hot_dim puts max(x, dim)'s gradient at the returned index; max_tie_weights
// splits max() and amax()'s gradient evenly between tied maxima (a NaN maximum ties with
// every NaN). Both against a plain loop, in the layouts [3, n, 1], [1, n, 3], [n, 5, 1], [2, 2, n].
class MaxScatterKernelDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(MaxScatterKernelDifferential, PutsTheGradientWherePyTorchDoes) {
  const std::string kernel = GetParam().name;
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    Check check(kernel, dtype_name<T>(), 0.5);
    for (bool with_nan : {false, true}) {
      const std::vector<T> x = tied_inputs<T>(5 * kLargestSize, with_nan, with_nan ? 71 : 72);
      for_each_size(check, [&](int64_t n) {
        auto check_layout = [&](int64_t outer, int64_t size, int64_t inner) {
          const int64_t total = outer * size * inner;
          std::vector<T> values(static_cast<size_t>(outer * inner));
          std::vector<int64_t> first(static_cast<size_t>(outer * inner));
          for (int64_t o = 0; o < outer; ++o) {
            for (int64_t i = 0; i < inner; ++i) {
              const T* slice = x.data() + o * size * inner + i;
              first[o * inner + i] = first_extreme(slice, size, inner, true);
              values[o * inner + i] = slice[first[o * inner + i] * inner];
            }
          }
          Guarded<T> out(total);
          if (kernel == "one_hot_dim") {
            kernels::one_hot_dim(first.data(), outer, size, inner, out.get());
          } else {
            kernels::max_tie_weights(x.data(), values.data(), outer, size, inner, out.get());
          }
          if (!out.intact(total)) check.fail("wrote past the end at size " + std::to_string(n));
          for (int64_t o = 0; o < outer; ++o) {
            for (int64_t i = 0; i < inner; ++i) {
              const T* slice = x.data() + o * size * inner + i;
              const T m = values[o * inner + i];
              auto ties = [m](T v) { return v == m || (std::isnan(v) && std::isnan(m)); };
              int64_t count = 0;
              for (int64_t k = 0; k < size; ++k) count += ties(slice[k * inner]);
              for (int64_t k = 0; k < size; ++k) {
                const int64_t at = (o * size + k) * inner + i;
                long double expected = 0;
                if (kernel == "one_hot_dim") {
                  expected = k == first[o * inner + i] ? 1 : 0;
                } else if (ties(slice[k * inner])) {
                  expected = 1.0L / count;
                }
                check.compare<T>(n, at, out[at], expected, {slice[k * inner], static_cast<long double>(count)});
              }
            }
          }
        };
        check_layout(3, n, 1);
        check_layout(1, n, 3);
        check_layout(n, 5, 1);
        check_layout(2, 2, n);
      }, 1, /*single_thread=*/false);  // both run on the calling thread
    }
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Kernels, MaxScatterKernelDifferential,
                         ::testing::ValuesIn(both_dtypes({"one_hot_dim", "max_tie_weights"})), param_name);

}  // namespace
}  // namespace nabla::differential
