// Forward mode through every built-in activation against the long-double references of
// tests/nn/activation_references.h: the tangent along a random direction v (make_dual inside a
// DualLevel) is f'(x) v, at every size of differential.h up to a million, in float32 and
// float64. Held to the activation's f' bound (its value test's, stated bounds included) plus 1
// ulp for the product with v, and, near a zero crossing of f', to ulps of the floor there times
// |v|. Points at a kink or at the edge of the domain are left out: a tangent there is a
// convention, the backward's, checked with the backward (activations_test.cpp).
// The summary table of worst errors prints at the end:
//   ./build/tests/nn/nn_tests --gtest_filter='*ActivationTangentDifferential*'
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "nn/activations/activation.h"
#include "tests/differential.h"
#include "tests/nn/activation_references.h"

namespace nabla::differential {
namespace {

class ActivationTangentDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(ActivationTangentDifferential, IsTheDerivativeTimesTheDirectionAtEverySize) {
  const std::string name = GetParam().name;
  const auto found = references().find(name);
  ASSERT_NE(found, references().end()) << "no long-double reference for the activation " << name
                                       << ": add one to tests/nn/activation_references.h";
  const Reference& ref = found->second;
  const Activation& act = activation(name);
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    // The value test's inputs, without NaN (f' at NaN is not compared) and without the kinks.
    std::vector<double> specials = {0.0, 1e-3, 1e-8, ref.hi, 0.5, 1.0, 3.0, 6.0};
    if (ref.lo < 0) {
      for (double v : {-0.0, -1e-3, -1e-8, ref.lo, -0.5, -1.0, -3.0}) specials.push_back(v);
    }
    for (double d : denormals<T>()) {
      if (d > 0 || ref.lo < 0) specials.push_back(d);
    }
    std::vector<T> x = periodic(mixed_inputs<T>(kPeriod, ref.lo, ref.hi, specials, 71));
    std::vector<T> v = periodic(mixed_inputs<T>(kPeriod, -2, 2, {}, 72));
    const bool float32 = sizeof(T) == 4;
    // A kink or the domain's edge, where f' is a convention (some of the specials are kinks).
    auto at_kink = [&](T value) {
      for (double k : act.kinks) {
        if (value == T(k)) return true;
      }
      return act.domain != Domain::AllReals && value == T(act.domain_edge());
    };
    const std::vector<LD> df_zeros = zero_crossings(ref.df, ref.lo, ref.hi);
    std::vector<LD> df(kPeriod), scale(kPeriod);
    std::vector<double> tolerance(kPeriod);
    for (int64_t i = 0; i < kPeriod; ++i) {
      df[i] = ref.df(x[i]);
      scale[i] = within(df_zeros, x[i], kCrossingRadius) ? ref.floor1 * std::fabs(static_cast<LD>(v[i])) : 0;
      double df_bound = ref.df_tolerance;
      if (ref.bounds[1]) df_bound = std::max(df_bound, ref.bounds[1]->ulps(x[i], float32));
      tolerance[i] = df_bound + 1;
    }
    Check check(name + " tangent", dtype_name<T>(), ref.df_tolerance + 1);
    check.describe_tolerance(ref.bounds[1] ? std::string(ref.bounds[1]->text) + "; + 1" : "f' bound + 1 ulp");
    const ScalarType dtype = scalar_type_of<T>();
    for_each_size(check, [&](int64_t n) {
      DualLevel level;
      const Tensor y = act(make_dual(from_blob(x.data(), {n}, dtype), from_blob(v.data(), {n}, dtype)));
      const Tensor tangent = tangent_of(y);
      if (!tangent.defined() || tangent.sizes() != y.sizes()) {
        check.fail("no tangent of the output's shape at size " + std::to_string(n));
        return;
      }
      const Tensor t = tangent.contiguous();
      const T* got = t.data_ptr<T>();
      for (int64_t i = 0; i < n; ++i) {
        const int64_t r = i % kPeriod;
        if (at_kink(x[i])) continue;
        // float32 results below 2^-100 are not compared, as in the value test.
        if (float32 && std::fabs(static_cast<double>(got[i])) < kNotComparedFloat32 &&
            std::fabs(static_cast<double>(df[r] * v[i])) < kNotComparedFloat32) {
          continue;
        }
        check.add(tangent_error(got[i], df[r], v[i], scale[r]), n, i, got[i], df[r] * v[i], {x[i], v[i]}, tolerance[r]);
      }
    }, 0, /*single_thread=*/false);  // the fused kernels' threading is their value test's
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Activations, ActivationTangentDifferential,
                         ::testing::ValuesIn(both_dtypes(builtin_activation_names())), param_name);

}  // namespace
}  // namespace nabla::differential
