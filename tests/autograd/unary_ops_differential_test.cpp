// Every row of autograd/ops/unary_ops.def against a long-double reference, through the op, at
// every size that crosses a vector width, an unroll or the threading threshold (differential.h).
// The summary table of worst errors prints at the end:
//   ./build/tests/autograd/autograd_tests --gtest_filter='*Differential*'
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "tests/unary_ops_rows.h"
#include "tests/differential.h"

namespace nabla::differential {
namespace {

struct UnaryCase {
  const char* name;
  long double (*reference)(long double);
  double lo, hi;
  double tolerance;  // ulp; 0.5 is correctly rounded, 0 exact
  bool nan_defined;
  bool signed_zero;
};

// One per row of the table.
const UnaryCase kUnary[] = {
    {"neg", [](long double x) { return -x; }, -1e3, 1e3, 0, true, true},
    // glibc's exp, log, sin, cos and tan are accurate to within 1 ulp in both precisions.
    {"exp", [](long double x) { return std::exp(x); }, -100, 100, 1, true, true},
    {"log", [](long double x) { return std::log(x); }, 0, 100, 1, true, true},
    {"sqrt", [](long double x) { return std::sqrt(x); }, 0, 1e4, 0.5, true, true},
    {"abs", [](long double x) { return std::fabs(x); }, -1e3, 1e3, 0, true, true},
    // sign(NaN) and sign(-0) are left out: conventions differ between libraries.
    {"sign", [](long double x) { return static_cast<long double>((x > 0) - (x < 0)); }, -10, 10, 0, false, false},
    {"square", [](long double x) { return x * x; }, -1e3, 1e3, 0.5, true, true},
    {"sin", [](long double x) { return std::sin(x); }, -100, 100, 1, true, true},
    {"cos", [](long double x) { return std::cos(x); }, -100, 100, 1, true, true},
    {"tan", [](long double x) { return std::tan(x); }, -100, 100, 1, true, true},
};

const UnaryCase& unary_case(const std::string& name) {
  for (const UnaryCase& c : kUnary) {
    if (name == c.name) return c;
  }
  throw std::invalid_argument("no differential case for the unary op " + name + "; add one to kUnary");
}

class UnaryOpDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(UnaryOpDifferential, MatchesLongDoubleReferenceAtEverySize) {
  const UnaryCase& c = unary_case(GetParam().name);
  const testing::UnaryRow& row = testing::unary_row(GetParam().name);
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    std::vector<double> specials = elementwise_specials<T>(c.nan_defined);
    if (!c.signed_zero) specials.erase(specials.begin() + 1);  // -0
    std::vector<T> x = mixed_inputs<T>(kLargestSize, c.lo, c.hi, specials, 11);
    std::vector<long double> expected(x.size());
    for (size_t i = 0; i < x.size(); ++i) expected[i] = c.reference(x[i]);
    Check check(c.name, dtype_name<T>(), c.tolerance);
    const ScalarType dtype = sizeof(T) == 4 ? kFloat32 : kFloat64;
    for_each_size(check, [&](int64_t n) {
      const Tensor out = row.function(from_blob(x.data(), {n}, dtype));
      const T* got = out.data_ptr<T>();
      for (int64_t i = 0; i < n; ++i) check.compare<T>(n, i, got[i], expected[i], {x[i]}, 0, 0, c.signed_zero);
    });
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Ops, UnaryOpDifferential, ::testing::ValuesIn(both_dtypes(testing::unary_row_names())),
                         param_name);

}  // namespace
}  // namespace nabla::differential
