#pragma once
// Long-double references for the rows of autograd/ops/unary_ops.def (tests/unary_ops_rows.h):
// f and f', the range to sample and the error each may have, one per row. Read by the value
// test (unary_ops_differential_test) and the forward-mode test (forward_mode_differential_test).
#include <cmath>
#include <stdexcept>
#include <string>

namespace nabla::differential {

struct UnaryReference {
  const char* name;
  long double (*f)(long double);
  long double (*df)(long double);
  double lo, hi;
  double tolerance;  // of f, in ulp; 0.5 is correctly rounded, 0 exact
  // Of the tangent f'(x) v as the row computes it (its backward applied to v), in ulp: the error
  // of the f' it forms (from the rounded f where it reads the output) plus the product's rounding.
  double tangent_tolerance;
  bool nan_defined;
  bool signed_zero;
};

// One per row of the table.
inline constexpr UnaryReference kUnaryReferences[] = {
    // -v: exact.
    {"neg", [](long double x) { return -x; }, [](long double) -> long double { return -1; }, -1e3, 1e3, 0, 0, true,
     true},
    // glibc's exp, log, sin, cos and tan are accurate to within 1 ulp in both precisions.
    // v e^x from the rounded e^x: its ulp and the product's.
    {"exp", [](long double x) { return std::exp(x); }, [](long double x) { return std::exp(x); }, -100, 100, 1, 2,
     true, true},
    // v / x: one rounding.
    {"log", [](long double x) { return std::log(x); }, [](long double x) { return 1 / x; }, 0, 100, 1, 0.5, true,
     true},
    // v / (2 sqrt x) from the rounded sqrt x: half an ulp from it, half from the quotient.
    {"sqrt", [](long double x) { return std::sqrt(x); }, [](long double x) { return 0.5L / std::sqrt(x); }, 0, 1e4,
     0.5, 1.5, true, true},
    // v sign(x): exact.
    {"abs", [](long double x) { return std::fabs(x); },
     [](long double x) { return static_cast<long double>((x > 0) - (x < 0)); }, -1e3, 1e3, 0, 0, true, true},
    // sign(NaN) and sign(-0) are left out: conventions differ between libraries. Its tangent is 0.
    {"sign", [](long double x) { return static_cast<long double>((x > 0) - (x < 0)); },
     [](long double) -> long double { return 0; }, -10, 10, 0, 0, false, false},
    // v (2x): 2x is exact, so one rounding.
    {"square", [](long double x) { return x * x; }, [](long double x) { return 2 * x; }, -1e3, 1e3, 0.5, 0.5, true,
     true},
    // v cos x (v sin x for cos) from the 1-ulp cos: its ulp and the product's.
    {"sin", [](long double x) { return std::sin(x); }, [](long double x) { return std::cos(x); }, -100, 100, 1, 2, true,
     true},
    {"cos", [](long double x) { return std::cos(x); }, [](long double x) { return -std::sin(x); }, -100, 100, 1, 2,
     true, true},
    // v (1 + tan^2 x) from the 1-ulp tan: squaring doubles its error, then three roundings.
    {"tan", [](long double x) { return std::tan(x); },
     [](long double x) { return 1 / (std::cos(x) * std::cos(x)); }, -100, 100, 1, 4, true, true},
};

inline const UnaryReference& unary_reference(const std::string& name) {
  for (const UnaryReference& r : kUnaryReferences) {
    if (name == r.name) return r;
  }
  throw std::invalid_argument("no long-double reference for the unary op " + name +
                              "; add one to kUnaryReferences in tests/unary_ops_references.h");
}

}  // namespace nabla::differential
