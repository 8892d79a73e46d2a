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
#include "tests/differential.h"
#include "tests/unary_ops_references.h"
#include "tests/unary_ops_rows.h"

namespace nabla::differential {
namespace {

class UnaryOpDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(UnaryOpDifferential, MatchesLongDoubleReferenceAtEverySize) {
  const UnaryReference& c = unary_reference(GetParam().name);
  const testing::UnaryRow& row = testing::unary_row(GetParam().name);
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    std::vector<double> specials = elementwise_specials<T>(c.nan_defined);
    if (!c.signed_zero) specials.erase(specials.begin() + 1);  // -0
    std::vector<T> x = mixed_inputs<T>(kLargestSize, c.lo, c.hi, specials, 11);
    std::vector<long double> expected(x.size());
    for (size_t i = 0; i < x.size(); ++i) expected[i] = c.f(x[i]);
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
