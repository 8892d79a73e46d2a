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
  // Of the tangent f'(x) v as the row computes it (its backward applied to v), in ulp. In a
  // chain of products and quotients, a factor within e ulp of its own value costs up to 2e ulp
  // of the result (its relative error, e eps at most, is 2e ulp at the bottom of a binade), a
  // rounding before the last 1 ulp, the last one half an ulp.
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
    // v e^x from the 1-ulp e^x: 2 + 0.5.
    {"exp", [](long double x) { return std::exp(x); }, [](long double x) { return std::exp(x); }, -100, 100, 1, 2.5,
     true, true},
    // v / x: one rounding.
    {"log", [](long double x) { return std::log(x); }, [](long double x) { return 1 / x; }, 0, 100, 1, 0.5, true,
     true},
    // v / (2 sqrt x) from the correctly rounded sqrt x (2x is exact): 1 + 0.5.
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
    // v cos x (v sin x for cos) from the 1-ulp cos: 2 + 0.5.
    {"sin", [](long double x) { return std::sin(x); }, [](long double x) { return std::cos(x); }, -100, 100, 1, 2.5,
     true, true},
    {"cos", [](long double x) { return std::cos(x); }, [](long double x) { return -std::sin(x); }, -100, 100, 1, 2.5,
     true, true},
    // v (1 + tan^2 x) from the 1-ulp tan: its square 2 eps relative (4 ulp), the square's
    // rounding and the sum's 1 each, the product's 0.5.
    {"tan", [](long double x) { return std::tan(x); },
     [](long double x) { return 1 / (std::cos(x) * std::cos(x)); }, -100, 100, 1, 6.5, true, true},
};

inline const UnaryReference& unary_reference(const std::string& name) {
  for (const UnaryReference& r : kUnaryReferences) {
    if (name == r.name) return r;
  }
  throw std::invalid_argument("no long-double reference for the unary op " + name +
                              "; add one to kUnaryReferences in tests/unary_ops_references.h");
}

}  // namespace nabla::differential
