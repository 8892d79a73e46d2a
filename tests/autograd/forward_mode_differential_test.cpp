// Forward mode's tangents against long-double references: for each op, the tangent the op's
// forward-mode rule gives along a random direction v (make_dual inside a DualLevel) is
// d/dt f(x + t v) at t = 0, computed in long double from the exact inputs: f'(x) v for the
// unary rows, v_a b + a v_b for mul, sum v for sum, and so on. At the sizes of the other
// differential tests (differential.h), in float32 and float64, with the same error bounds as
// the values, plus the roundings the rule adds (each case says which).
//
// Elementwise ops run at every size up to a million; reductions, softmax and the products,
// whose rules are the same ops at any size, up to 65537. The threaded kernels under the rules
// are checked on one thread by their own differential tests: here every size runs on three.
// The summary table of worst errors prints at the end:
//   ./build/tests/autograd/autograd_tests --gtest_filter='*TangentDifferential*'
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "tests/autograd/tangent_differential.h"
#include "tests/differential.h"
#include "tests/unary_ops_references.h"
#include "tests/unary_ops_rows.h"

namespace nabla::differential {
namespace {

// Reductions, softmax and the products stop here.
constexpr int64_t kLargestReduced = 65537;

// --- the unary rows: f'(x) v ----------------------------------------------------------------------
//
// Every row of unary_ops.def, at the inputs its value test uses (specials included, NaN left
// out: f' at NaN is not compared), held to the row's tangent_tolerance.

class UnaryTangentDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(UnaryTangentDifferential, IsTheDerivativeTimesTheDirectionAtEverySize) {
  const UnaryReference& c = unary_reference(GetParam().name);
  const testing::UnaryRow& row = testing::unary_row(GetParam().name);
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    std::vector<double> specials = elementwise_specials<T>(false);
    if (!c.signed_zero) specials.erase(specials.begin() + 1);  // -0
    // Inputs and directions repeat with period kPeriod: one period of references serves every size.
    std::vector<T> x = periodic(mixed_inputs<T>(kPeriod, c.lo, c.hi, specials, 11));
    std::vector<T> v = periodic(directions<T>(kPeriod, 12));
    std::vector<long double> df(kPeriod);
    for (int64_t i = 0; i < kPeriod; ++i) df[i] = c.df(x[i]);
    Check check(std::string(c.name) + " tangent", dtype_name<T>(), c.tangent_tolerance);
    auto f = [&row](const TensorList& in) { return row.function(in[0]); };
    for_each_size(check, [&](int64_t n) {
      const Tensor t = tangent_of_output(check, f, {view_of(x, {n})}, {view_of(v, {n})});
      if (!t.defined()) return;
      const T* got = t.data_ptr<T>();
      for (int64_t i = 0; i < n; ++i) {
        const long double derivative = df[i % kPeriod];
        check.add(tangent_error(got[i], derivative, v[i]), n, i, got[i], derivative * v[i], {x[i], v[i]});
      }
    }, 0, /*single_thread=*/false);
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Ops, UnaryTangentDifferential, ::testing::ValuesIn(both_dtypes(testing::unary_row_names())),
                         param_name);

// --- x op scalar: d/dx (x op c) v -----------------------------------------------------------------

struct ScalarTangentCase {
  const char* name;
  Tensor (*op)(const Tensor& x, double c);
  double c;
  long double (*df)(long double x, long double c);
  double lo, hi;
  double tolerance;  // ulp of f'(x) v
};

long double power(long double x, long double p) { return std::pow(x, p); }

const ScalarTangentCase kScalarTangents[] = {
    // v and -v: exact.
    {"x plus c", [](const Tensor& x, double c) { return x + c; }, 0.3, [](long double, long double) -> long double { return 1; },
     -10, 10, 0},
    {"x minus c", [](const Tensor& x, double c) { return x - c; }, 0.3, [](long double, long double) -> long double { return 1; },
     -10, 10, 0},
    {"c minus x", [](const Tensor& x, double c) { return c - x; }, 2.5,
     [](long double, long double) -> long double { return -1; }, -10, 10, 0},
    // c v: one rounding.
    {"x times c", [](const Tensor& x, double c) { return x * c; }, -1.7, [](long double, long double c) { return c; }, -10,
     10, 0.5},
    // x / c is x (1/c): v times the rounded 1/c, 1 + 0.5 (the chain rule of unary_ops_references.h).
    {"x over c", [](const Tensor& x, double c) { return x / c; }, 3, [](long double, long double c) { return 1 / c; }, -10,
     10, 1.5},
    // -(v y) / x with y = c / x rounded: 1 + 1 + 0.5.
    {"c over x", [](const Tensor& x, double c) { return c / x; }, -3,
     [](long double x, long double c) { return -c / (x * x); }, -10, 10, 2.5},
    // v (x^(c-1) c): pow's error (0.5 ulp for x^1 and x^2, else 1, as its value test) twice, 1
    // for the product with c unless it is exact (2 and 0.5), 0.5 for the last.
    {"pow(x, 2)", [](const Tensor& x, double c) { return pow(x, c); }, 2,
     [](long double x, long double c) { return c * power(x, c - 1); }, -100, 100, 1.5},
    {"pow(x, 3)", [](const Tensor& x, double c) { return pow(x, c); }, 3,
     [](long double x, long double c) { return c * power(x, c - 1); }, -100, 100, 2.5},
    {"pow(x, 0.5)", [](const Tensor& x, double c) { return pow(x, c); }, 0.5,
     [](long double x, long double c) { return c * power(x, c - 1); }, 0, 100, 2.5},
    {"pow(x, -1.5)", [](const Tensor& x, double c) { return pow(x, c); }, -1.5,
     [](long double x, long double c) { return c * power(x, c - 1); }, 0, 100, 3.5},
    // x^0 = 1: the tangent is 0.
    {"pow(x, 0)", [](const Tensor& x, double c) { return pow(x, c); }, 0,
     [](long double, long double) -> long double { return 0; }, -10, 10, 0},
    // v inside [-1.5, 2.25] (c is the low end), 0 outside: exact. Its kinks are not sampled.
    {"clamp(x, c, 2.25)", [](const Tensor& x, double c) { return x.clamp(c, 2.25); }, -1.5,
     [](long double x, long double c) -> long double { return x >= c && x <= 2.25L ? 1 : 0; }, -5, 5, 0},
};

class ScalarTangentDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(ScalarTangentDifferential, IsTheDerivativeTimesTheDirectionAtEverySize) {
  const ScalarTangentCase* found = nullptr;
  for (const ScalarTangentCase& c : kScalarTangents) {
    if (GetParam().name == c.name) found = &c;
  }
  ASSERT_NE(found, nullptr);
  const ScalarTangentCase& c = *found;
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    std::vector<T> x = periodic(mixed_inputs<T>(kPeriod, c.lo, c.hi, elementwise_specials<T>(false), 13));
    std::vector<T> v = periodic(directions<T>(kPeriod, 14));
    // The op computes with c as T holds it (-1.7 rounded), and so does the reference.
    std::vector<long double> df(kPeriod);
    for (int64_t i = 0; i < kPeriod; ++i) df[i] = c.df(x[i], static_cast<T>(c.c));
    Check check(std::string(c.name) + " tangent", dtype_name<T>(), c.tolerance);
    auto f = [&c](const TensorList& in) { return c.op(in[0], c.c); };
    for_each_size(check, [&](int64_t n) {
      const Tensor t = tangent_of_output(check, f, {view_of(x, {n})}, {view_of(v, {n})});
      if (!t.defined()) return;
      const T* got = t.data_ptr<T>();
      for (int64_t i = 0; i < n; ++i) {
        const long double derivative = df[i % kPeriod];
        check.add(tangent_error(got[i], derivative, v[i]), n, i, got[i], derivative * v[i], {x[i], v[i]});
      }
    }, 0, /*single_thread=*/false);
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Ops, ScalarTangentDifferential, ::testing::ValuesIn(both_dtypes(names_of(kScalarTangents))),
                         param_name);

// --- binary ops in every broadcast layout, one input moving or both -----------------------------------
//
// The reference is the tangent of the formula, v_a df/da + v_b df/db, and its scale the sum of
// the magnitudes of its terms: a rule that adds two products is held to ulps of |v_a b| + |a v_b|,
// not of a result that may cancel. With one input moving, the other's direction is 0, and the
// rule must still give a tangent of the output's shape (a broadcast one included).

struct BinaryTangent {
  long double value, scale;
};

struct BinaryTangentCase {
  const char* name;
  Tensor (*op)(const Tensor&, const Tensor&);
  BinaryTangent (*reference)(long double a, long double b, long double va, long double vb);
  double tolerance;  // ulp of the scale
};

long double shared(long double a, long double b, long double va, long double vb, bool maximum) {
  if (a == b) return (va + vb) / 2;  // a tie shares the derivative, as the backward does
  return (a > b) == maximum ? va : vb;
}

const BinaryTangentCase kBinaryTangents[] = {
    // va + vb and va - vb: one rounding.
    {"add", [](const Tensor& a, const Tensor& b) { return a + b; },
     [](long double, long double, long double va, long double vb) { return BinaryTangent{va + vb, 0}; }, 0.5},
    {"sub", [](const Tensor& a, const Tensor& b) { return a - b; },
     [](long double, long double, long double va, long double vb) { return BinaryTangent{va - vb, 0}; }, 0.5},
    // va b + a vb: two products and their sum, half an ulp of the scale each.
    {"mul", [](const Tensor& a, const Tensor& b) { return a * b; },
     [](long double a, long double b, long double va, long double vb) {
       return BinaryTangent{va * b + a * vb, std::fabs(va * b) + std::fabs(a * vb)};
     },
     1.5},
    // (va - (a / b) vb) / b: a / b and its product with vb, 2 eps of |a vb / b|; the difference
    // and the quotient, 1 and 0.5 ulp of the scale: within 3.5 ulp of it.
    {"div", [](const Tensor& a, const Tensor& b) { return a / b; },
     [](long double a, long double b, long double va, long double vb) {
       return BinaryTangent{va / b - a * vb / (b * b), std::fabs(va / b) + std::fabs(a * vb / (b * b))};
     },
     3.5},
    // The larger input's direction (the smaller's for minimum), or their mean at a tie.
    {"maximum", [](const Tensor& a, const Tensor& b) { return maximum(a, b); },
     [](long double a, long double b, long double va, long double vb) { return BinaryTangent{shared(a, b, va, vb, true), 0}; },
     0.5},
    {"minimum", [](const Tensor& a, const Tensor& b) { return minimum(a, b); },
     [](long double a, long double b, long double va, long double vb) {
       return BinaryTangent{shared(a, b, va, vb, false), 0};
     },
     0.5},
    // The chosen input's direction (the condition, a comparison, carries none): exact.
    {"where(a > 0, a, b)", [](const Tensor& a, const Tensor& b) { return where(a > 0.0, a, b); },
     [](long double a, long double, long double va, long double vb) { return BinaryTangent{a > 0 ? va : vb, 0}; }, 0},
};

constexpr int64_t kOneMovingUpTo = 4099;

class BinaryTangentDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(BinaryTangentDifferential, IsTheSumOfTheInputsTangentsInEveryBroadcastLayout) {
  const BinaryTangentCase* found = nullptr;
  for (const BinaryTangentCase& c : kBinaryTangents) {
    if (GetParam().name == c.name) found = &c;
  }
  ASSERT_NE(found, nullptr);
  const BinaryTangentCase& c = *found;
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    std::vector<T> a = mixed_inputs<T>(kLargestSize, -10, 10, {}, 21);
    std::vector<T> b = mixed_inputs<T>(kLargestSize, -10, 10, {}, 22);
    // Ties at every 13th element of the inputs (in the layouts where both run alike, at the
    // same index): maximum and minimum share the derivative there.
    for (size_t i = 5; i < a.size(); i += 13) b[i] = a[i];
    std::vector<T> va = directions<T>(kLargestSize, 23), vb = directions<T>(kLargestSize, 24);
    Check check(std::string(c.name) + " tangent", dtype_name<T>(), c.tolerance);
    auto f = [&c](const TensorList& in) { return c.op(in[0], in[1]); };
    enum Moving { Both, AOnly, BOnly };
    for_each_size(check, [&](int64_t n) {
      for (const BroadcastLayout& layout : broadcast_layouts(n)) {
        // The largest size: in the one layout that is an elementwise op on equal shapes.
        if (n > kLargestReduced && layout.name != "same shape") continue;
        const std::vector<int64_t> ia = broadcast_index(layout.a, layout.out);
        const std::vector<int64_t> ib = broadcast_index(layout.b, layout.out);
        for (Moving moving : {Both, AOnly, BOnly}) {
          // One input moving: the shape of the rule's tangent, the same at every size past the
          // vector widths; the large sizes run with both moving.
          if (moving != Both && n > kOneMovingUpTo) continue;
          const char* which[] = {"both moving", "a moving", "b moving"};
          check.set_context(layout.name + ", " + which[moving] + ", " + std::to_string(kThreads) + " threads");
          const Tensor t = tangent_of_output(
              check, f, {view_of(a, layout.a), view_of(b, layout.b)},
              {moving != BOnly ? view_of(va, layout.a) : Tensor(), moving != AOnly ? view_of(vb, layout.b) : Tensor()});
          if (!t.defined()) continue;
          const T* got = t.data_ptr<T>();
          for (int64_t i = 0; i < layout.out.numel(); ++i) {
            const long double da = moving != BOnly ? va[ia[i]] : 0, db = moving != AOnly ? vb[ib[i]] : 0;
            const BinaryTangent e = c.reference(a[ia[i]], b[ib[i]], da, db);
            check.compare<T>(n, i, got[i], e.value, {a[ia[i]], b[ib[i]], da, db}, e.scale);
          }
        }
      }
    }, 0, /*single_thread=*/false);
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Ops, BinaryTangentDifferential, ::testing::ValuesIn(both_dtypes(names_of(kBinaryTangents))),
                         param_name);

// --- reductions -----------------------------------------------------------------------------------
//
// The tangent of a sum is the sum of the directions, held to the summation bound of the sum
// itself (sum_tolerance); a mean's adds the two roundings of its scale by 1/m, as its value
// test. The tangent of a maximum is the direction at the maximum (at the first one for max
// along a dim, the mean over the tied ones for max() and amax, as their backwards).

struct Reduction {
  const char* name;
  Shape (*shape)(int64_t n);
  int reduced_dim;  // -1: all
  Tensor (*op)(const Tensor&);
  enum Kind { Sum, Mean, Maximum, Minimum } kind;
  bool first_of_ties = false;  // max(x, dim) and min(x, dim): the returned index only
};

const Reduction kReductions[] = {
    {"sum", [](int64_t n) { return Shape{n}; }, -1, [](const Tensor& x) { return x.sum(); }, Reduction::Sum},
    {"sum rows", [](int64_t n) { return Shape{3, n}; }, 1, [](const Tensor& x) { return x.sum(1); }, Reduction::Sum},
    {"sum columns", [](int64_t n) { return Shape{n, 3}; }, 0, [](const Tensor& x) { return x.sum(0); }, Reduction::Sum},
    {"mean", [](int64_t n) { return Shape{n}; }, -1, [](const Tensor& x) { return x.mean(); }, Reduction::Mean},
    {"mean rows", [](int64_t n) { return Shape{3, n}; }, 1, [](const Tensor& x) { return x.mean(1); }, Reduction::Mean},
    {"max", [](int64_t n) { return Shape{n}; }, -1, [](const Tensor& x) { return x.max(); }, Reduction::Maximum},
    {"min", [](int64_t n) { return Shape{n}; }, -1, [](const Tensor& x) { return x.min(); }, Reduction::Minimum},
    {"max rows", [](int64_t n) { return Shape{3, n}; }, 1, [](const Tensor& x) { return std::get<0>(max(x, 1)); },
     Reduction::Maximum, true},
    {"min columns", [](int64_t n) { return Shape{n, 3}; }, 0, [](const Tensor& x) { return std::get<0>(min(x, 0)); },
     Reduction::Minimum, true},
    {"amax columns", [](int64_t n) { return Shape{n, 3}; }, 0, [](const Tensor& x) { return amax(x, 0); },
     Reduction::Maximum},
    {"amin rows", [](int64_t n) { return Shape{3, n}; }, 1, [](const Tensor& x) { return amin(x, 1); },
     Reduction::Minimum},
    // keepdim: the same reductions, the reduced dimension kept as size 1 in the tangent too.
    {"sum rows keepdim", [](int64_t n) { return Shape{3, n}; }, 1, [](const Tensor& x) { return x.sum(1, true); },
     Reduction::Sum},
    {"mean columns keepdim", [](int64_t n) { return Shape{n, 3}; }, 0, [](const Tensor& x) { return x.mean(0, true); },
     Reduction::Mean},
    {"max columns keepdim", [](int64_t n) { return Shape{n, 3}; }, 0,
     [](const Tensor& x) { return std::get<0>(max(x, 0, true)); }, Reduction::Maximum, true},
    {"amax rows keepdim", [](int64_t n) { return Shape{3, n}; }, 1, [](const Tensor& x) { return amax(x, 1, true); },
     Reduction::Maximum},
    {"amin columns keepdim", [](int64_t n) { return Shape{n, 3}; }, 0, [](const Tensor& x) { return amin(x, 0, true); },
     Reduction::Minimum},
};

class ReductionTangentDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(ReductionTangentDifferential, IsTheReductionOfTheDirectionsAtEverySize) {
  const Reduction* found = nullptr;
  for (const Reduction& r : kReductions) {
    if (GetParam().name == r.name) found = &r;
  }
  ASSERT_NE(found, nullptr);
  const Reduction& r = *found;
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    const bool sums = r.kind == Reduction::Sum || r.kind == Reduction::Mean;
    // The maxima: small integers, so that ties are everywhere.
    std::vector<T> x = mixed_inputs<T>(3 * kLargestReduced, -4, 4, {}, 31);
    if (!sums) {
      for (T& value : x) value = std::floor(value);
    }
    std::vector<T> v = directions<T>(3 * kLargestReduced, 32);
    Check check(std::string(r.name) + " tangent", dtype_name<T>(), sums ? 1 : 0, sums ? "x bound" : "ulp");
    if (r.kind == Reduction::Sum) check.describe_tolerance(sizeof(T) == 4 ? "1 ulp(sum|v|)" : "max(1, (m-1)/2) ulp(sum|v|)");
    if (r.kind == Reduction::Mean) check.describe_tolerance(sizeof(T) == 4 ? "2.5 ulp(mean|v|)" : "(m-1)/2 + 2 ulp(mean|v|)");
    if (!sums) check.describe_tolerance("0; t ties: as a mean of t");
    auto f = [&r](const TensorList& in) { return r.op(in[0]); };
    // The maximum of an empty tensor is an error and its mean NaN: sizes from 1.
    for_each_size(check, [&](int64_t n) {
      if (n > kLargestReduced) return;
      const Shape shape = r.shape(n);
      const Tensor t = tangent_of_output(check, f, {view_of(x, shape)}, {view_of(v, shape)});
      if (!t.defined()) return;
      const T* got = t.data_ptr<T>();
      // The slices [outer, size, inner] that reduce to one element each.
      const int64_t size = r.reduced_dim < 0 ? shape.numel() : shape[r.reduced_dim];
      const int64_t outer = r.reduced_dim == 1 ? shape[0] : 1;
      const int64_t inner = r.reduced_dim == 0 ? shape[1] : 1;
      for (int64_t o = 0; o < outer; ++o) {
        for (int64_t i = 0; i < inner; ++i) {
          auto at = [&](int64_t k) { return (o * size + k) * inner + i; };
          long double expected = 0, magnitude = 0;
          double tolerance = 0.5;
          if (sums) {
            for (int64_t k = 0; k < size; ++k) {
              expected += v[at(k)];
              magnitude += std::fabs(static_cast<long double>(v[at(k)]));
            }
            tolerance = sum_tolerance<T>(size);
            if (r.kind == Reduction::Mean) {
              expected /= size;
              magnitude /= size;
              tolerance += 1.5;
            }
          } else {
            const bool maximum = r.kind == Reduction::Maximum;
            int64_t first = 0;
            for (int64_t k = 1; k < size; ++k) {
              if (maximum ? x[at(k)] > x[at(first)] : x[at(k)] < x[at(first)]) first = k;
            }
            int64_t ties = 0;
            for (int64_t k = 0; k < size; ++k) {
              if (x[at(k)] == x[at(first)] && (!r.first_of_ties || k == first)) {
                expected += v[at(k)];
                magnitude += std::fabs(static_cast<long double>(v[at(k)]));
                ++ties;
              }
            }
            expected /= ties;
            magnitude /= ties;
            // One maximum: its direction, exactly; a mean of tied directions, as a mean is.
            tolerance = ties == 1 ? 0 : sum_tolerance<T>(ties) + 1.5;
          }
          check.compare<T>(n, o * inner + i, got[o * inner + i], expected, {static_cast<long double>(size)}, magnitude,
                           tolerance);
        }
      }
    }, 1, /*single_thread=*/false);
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Ops, ReductionTangentDifferential, ::testing::ValuesIn(both_dtypes(names_of(kReductions))),
                         param_name);

// --- softmax and log_softmax along the last dim ---------------------------------------------------------
//
// softmax's tangent is y_i (v_i - s) and log_softmax's v_i - s, with s = sum_j y_j v_j the mean
// direction under the softmax y. The rule computes them from the rounded y, whose bound is its
// value test's (activation_kernels_differential_test: 2 + |d_i| + dbar + the sum bound, with
// d = x - max and dbar the mean of |d| weighted by y); s then carries the weighted mean of its
// terms' bounds. Both are held, in ulps of the terms' magnitude (y_i (|v_i| + sum |y_j v_j|),
// resp. |v_i| + sum |y_j v_j|), to 4 + the larger of the two plus the sum bound.

class SoftmaxTangentDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(SoftmaxTangentDifferential, IsTheSoftmaxWeightedDeviationOfTheDirectionAtEveryRowLength) {
  const bool log_output = GetParam().name == "log_softmax";
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    std::vector<T> x = mixed_inputs<T>(2 * kLargestReduced, -8, 8, {0.0, 30.0, -30.0}, 41, 29);
    std::vector<T> v = directions<T>(2 * kLargestReduced, 42);
    Check check(GetParam().name + " tangent", dtype_name<T>(), 1, "x bound");
    check.describe_tolerance("4 + bound of y + sum bound, ulp(terms)");
    auto f = [log_output](const TensorList& in) { return log_output ? log_softmax(in[0], -1) : softmax(in[0], -1); };
    for_each_size(check, [&](int64_t n) {
      if (n > kLargestReduced) return;
      const int64_t rows = 2;
      const Tensor t = tangent_of_output(check, f, {view_of(x, {rows, n})}, {view_of(v, {rows, n})});
      if (!t.defined()) return;
      const T* got = t.data_ptr<T>();
      for (int64_t r = 0; r < rows; ++r) {
        const T* xr = x.data() + r * n;
        const T* vr = v.data() + r * n;
        const SoftmaxRow row = softmax_row(n, [xr](int64_t k) -> long double { return xr[k]; });
        const long double max = row.max;
        const double dbar = row.dbar;
        long double s = 0, s_magnitude = 0, s_bound = 0;  // the bound weighted by the terms
        for (int64_t k = 0; k < n; ++k) {
          const long double y = row.p(xr[k]);
          const long double term = std::fabs(y * vr[k]);
          s += y * vr[k];
          s_magnitude += term;
          // log_softmax's y is exp of the log, whose error is absolute: ulps of max(|log y|, 1).
          const long double y_bound = log_output ? std::max<long double>(-std::log(y), 1) * (2 + dbar)
                                                 : 2 + (max - xr[k]) + dbar;
          s_bound += term * y_bound;
        }
        const double mean_bound = s_magnitude > 0 ? static_cast<double>(s_bound / s_magnitude) : 0;
        for (int64_t k = 0; k < n; ++k) {
          const long double y = row.p(xr[k]);
          const long double expected = log_output ? vr[k] - s : y * (vr[k] - s);
          const long double scale = log_output ? std::fabs(vr[k]) + s_magnitude : y * (std::fabs(vr[k]) + s_magnitude);
          const double own = log_output ? 0 : 2 + static_cast<double>(max - xr[k]) + dbar;
          check.compare<T>(n, r * n + k, got[r * n + k], expected, {xr[k], vr[k]}, scale,
                           4 + std::max(own, mean_bound) + double_sum_bound<T>(n));
        }
      }
    }, 1, /*single_thread=*/false);
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Ops, SoftmaxTangentDifferential, ::testing::ValuesIn(both_dtypes({"softmax", "log_softmax"})),
                         param_name);

// --- the 2-norm ---------------------------------------------------------------------------------------
//
// d ||x|| = sum_i x_i v_i / ||x||, through square, sum and sqrt's rules: the products 2 x v
// (half an ulp each), their sum (the sum bound), ||x|| from the sum of squares (half its sum
// bound, as a square root halves a relative error, and half an ulp), and sqrt's rule (1.5, its
// row's): within 3 + 1.5 sum bounds of sum |x v| / ||x||.

class NormTangentDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(NormTangentDifferential, IsTheDirectionAlongXOverTheNormAtEverySize) {
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    std::vector<T> x = mixed_inputs<T>(kLargestReduced, -4, 4, {}, 43), v = directions<T>(kLargestReduced, 44);
    Check check("norm tangent", dtype_name<T>(), 1, "x bound");
    check.describe_tolerance("3 + 1.5 sum bound, ulp(sum|x v| / norm)");
    // The norm of an empty tensor is 0, where the derivative is not defined: sizes from 1.
    for_each_size(check, [&](int64_t n) {
      if (n > kLargestReduced) return;
      const Tensor t = tangent_of_output(check, [](const TensorList& in) { return in[0].norm(); }, {view_of(x, {n})},
                                         {view_of(v, {n})});
      if (!t.defined()) return;
      long double squares = 0, along = 0, magnitude = 0;
      for (int64_t i = 0; i < n; ++i) {
        squares += static_cast<long double>(x[i]) * x[i];
        along += static_cast<long double>(x[i]) * v[i];
        magnitude += std::fabs(static_cast<long double>(x[i]) * v[i]);
      }
      const long double norm = std::sqrt(squares);
      check.compare<T>(n, 0, t.data_ptr<T>()[0], along / norm, {static_cast<long double>(n)}, magnitude / norm,
                       3 + 1.5 * sum_tolerance<T>(n));
    }, 1, /*single_thread=*/false);
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Ops, NormTangentDifferential, ::testing::ValuesIn(both_dtypes({"norm"})), param_name);

// --- outputs that carry no tangent --------------------------------------------------------------------
//
// Comparisons and argmax are piecewise constant in x (their values are not differentiable):
// their outputs carry no tangent, whatever their inputs carry.

TEST(NonDifferentialOutputs, ComparisonsAndArgmaxOfDualsCarryNoTangent) {
  DualLevel level;
  const Tensor a = make_dual(tensor({1.0, -2.0, 3.0}), tensor({0.5, 0.5, 0.5}));
  const Tensor b = make_dual(tensor({1.0, 2.0, -3.0}), tensor({1.0, 1.0, 1.0}));
  for (const Tensor& y : {eq(a, b), ne(a, b), lt(a, b), le(a, b), gt(a, b), ge(a, b), gt(a, 0.0), le(b, 1.0),
                          argmax(a), a.argmax(0)}) {
    EXPECT_FALSE(tangent_of(y).defined()) << "an output of dtype " << to_string(y.dtype()) << " and shape "
                                          << to_string(y.sizes()) << " carries a tangent";
  }
}

// --- matrix products --------------------------------------------------------------------------------------
//
// d(A B) = dA B + A dB, both inputs moving: each element is within K + 2 ulp of its own sum
// of |products| (the GEMM's bound, kernels_differential_test), so the sum of the two within
// K + 3 ulp of sum_k |va_ik b_kj| + |a_ik vb_kj|. The shapes: one element, odd shapes inside
// one block, shapes past the micro-tiles and the threading threshold, past a cache block of A
// (MC x KC) and a panel of B (NC); A or B as a transposed view (the GEMM reads its transpose
// flag, and so must the rule); a batch of matrices.

struct ProductShape {
  int64_t M, K, N;
  enum Form { Plain, TransposedA, TransposedB, Batched } form = Plain;
};

std::string describe(const ProductShape& s) {
  const std::string shape = std::to_string(s.M) + "x" + std::to_string(s.K) + " by " + std::to_string(s.K) + "x" +
                            std::to_string(s.N);
  switch (s.form) {
    case ProductShape::TransposedA: return shape + ", A a transposed view";
    case ProductShape::TransposedB: return shape + ", B a transposed view";
    case ProductShape::Batched: return "2 x " + shape + " (matmul of a batch)";
    default: return shape;
  }
}

class MatmulTangentDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(MatmulTangentDifferential, IsTangentATimesBPlusATimesTangentB) {
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    std::vector<ProductShape> shapes;
    for (const ProductSize& p : gemm_crossing_sizes<T>()) shapes.push_back({p.rows, p.depth, p.cols});
    shapes.insert(shapes.end(), {{17, 33, 9, ProductShape::TransposedA},
                                 {130, 70, 129, ProductShape::TransposedB},
                                 {17, 33, 9, ProductShape::Batched}});
    Check check("mm tangent", dtype_name<T>(), 1, "x bound");
    check.describe_tolerance("K + 3 ulp(sum|va b| + |a vb|)");
    ThreadCount threads(kThreads);
    for (const ProductShape& s : shapes) {
      check.set_context(describe(s));
      const int64_t batch = s.form == ProductShape::Batched ? 2 : 1;
      const int64_t rows = batch * s.M;  // the batch's matrices stacked: one [rows, K] @ [K, N]
      std::vector<T> a = mixed_inputs<T>(rows * s.K, -1, 1, {}, 51), va = directions<T>(rows * s.K, 52);
      std::vector<T> b = mixed_inputs<T>(s.K * s.N, -1, 1, {}, 53), vb = directions<T>(s.K * s.N, 54);
      // A and B as the op is given them: [M, K] and [K, N] (a transposed view of the stored
      // [K, M] or [N, K]: then the vectors hold the transpose), or [2, M, K] for the batch.
      auto at_a = [&](int64_t i, int64_t k) { return s.form == ProductShape::TransposedA ? k * rows + i : i * s.K + k; };
      auto at_b = [&](int64_t k, int64_t j) { return s.form == ProductShape::TransposedB ? j * s.K + k : k * s.N + j; };
      auto operand = [&](std::vector<T>& values, bool transposed, int64_t r, int64_t c) {
        return transposed ? view_of(values, {c, r}).t() : view_of(values, {r, c});
      };
      TensorList primals, tangents;
      if (s.form == ProductShape::Batched) {
        primals = {view_of(a, {batch, s.M, s.K}), view_of(b, {s.K, s.N})};
        tangents = {view_of(va, {batch, s.M, s.K}), view_of(vb, {s.K, s.N})};
      } else {
        const bool ta = s.form == ProductShape::TransposedA, tb = s.form == ProductShape::TransposedB;
        primals = {operand(a, ta, s.M, s.K), operand(b, tb, s.K, s.N)};
        tangents = {operand(va, ta, s.M, s.K), operand(vb, tb, s.K, s.N)};
      }
      const Tensor t = tangent_of_output(check, [](const TensorList& in) { return matmul(in[0], in[1]); }, primals,
                                         tangents);
      if (!t.defined()) continue;
      const T* got = t.data_ptr<T>();
      for (int64_t i = 0; i < rows; ++i) {
        for (int64_t j = 0; j < s.N; ++j) {
          long double exact = 0, magnitude = 0;
          for (int64_t k = 0; k < s.K; ++k) {
            const long double p = static_cast<long double>(va[at_a(i, k)]) * b[at_b(k, j)];
            const long double q = static_cast<long double>(a[at_a(i, k)]) * vb[at_b(k, j)];
            exact += p + q;
            magnitude += std::fabs(p) + std::fabs(q);
          }
          check.compare<T>(std::max({s.M, s.N, s.K}), i * s.N + j, got[i * s.N + j], exact,
                           {static_cast<long double>(i), static_cast<long double>(j)}, magnitude,
                           static_cast<double>(s.K + 3));
        }
      }
    }
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Ops, MatmulTangentDifferential, ::testing::ValuesIn(both_dtypes({"matmul"})), param_name);

}  // namespace
}  // namespace nabla::differential
