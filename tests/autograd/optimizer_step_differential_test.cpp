// The optimizers' single-pass update kernels (autograd/kernels/optimizer_step.h) against a
// plain scalar reference in long double, at every size that crosses a vector width, an
// unroll or the threading threshold (see tests/differential.h), in both dtypes.
//
// Each result is compared in ulps at the magnitude of the terms it is made of (the same
// formula with every term taken by its absolute value): a parameter that moves by a
// difference of nearly equal terms is held to what T can keep of those terms.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "autograd/kernels/optimizer_step.h"
#include "tests/differential.h"

namespace nabla::differential {
namespace {

using LD = long double;

// Parameters, gradients and state as a training step sees them; every 11th gradient is a
// zero, a negative zero or a NaN (a NaN gradient must reach the parameter).
template <class T> struct Inputs {
  std::vector<T> w = mixed_inputs<T>(kLargestSize, -1, 1, {}, 61);
  std::vector<T> g = mixed_inputs<T>(kLargestSize, -1, 1, {0.0, -0.0, kNaN}, 62);
  std::vector<T> m = mixed_inputs<T>(kLargestSize, -0.1, 0.1, {}, 63);
  std::vector<T> v = mixed_inputs<T>(kLargestSize, 0, 0.1, {0.0}, 64);      // second moments: >= 0
  std::vector<T> v_max = mixed_inputs<T>(kLargestSize, 0, 0.2, {0.0}, 65);  // and their running maximum
};

// --- SGD ----------------------------------------------------------------------------------

struct SgdCase {
  const char* name;
  kernels::SgdStep step;
};

const SgdCase kSgd[] = {
    {"sgd", {.lr = 0.1}},
    {"sgd weight_decay", {.lr = 0.1, .weight_decay = 0.01}},
    {"sgd momentum first step", {.lr = 0.1, .momentum = 0.9, .weight_decay = 0.01, .first = true}},
    {"sgd momentum", {.lr = 0.1, .momentum = 0.9, .weight_decay = 0.01}},
    {"sgd nesterov", {.lr = 0.1, .momentum = 0.9, .weight_decay = 0.01, .nesterov = true}},
};

const SgdCase& sgd_case(const std::string& name) {
  for (const SgdCase& c : kSgd) {
    if (name == c.name) return c;
  }
  throw std::invalid_argument("no SGD case " + name);
}

class SgdStepKernelDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(SgdStepKernelDifferential, MatchesTheScalarUpdateAtEverySize) {
  const SgdCase& c = sgd_case(GetParam().name);
  const kernels::SgdStep& s = c.step;
  const bool momentum = s.momentum != 0;
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    const Inputs<T> in;
    Check w_check(std::string(c.name) + ": w", dtype_name<T>(), 8);
    Check v_check(std::string(c.name) + ": velocity", dtype_name<T>(), 4);
    w_check.describe_tolerance("8 ulp(sum of |terms|)");
    v_check.describe_tolerance("4 ulp(sum of |terms|)");
    for_each_size(w_check, [&](int64_t n) {
      Guarded<T> w(in.w, n), velocity(in.m, n);
      kernels::sgd_step(w.get(), in.g.data(), momentum ? velocity.get() : nullptr, n, s);
      if (!w.intact(n) || !velocity.intact(n)) w_check.fail("wrote past the end at size " + std::to_string(n));
      for (int64_t k = 0; k < n; ++k) {
        // The update as torch.optim.SGD states it, with the magnitude of each result's terms.
        const LD w0 = in.w[k], g = in.g[k], v0 = in.m[k];
        const LD d = g + s.weight_decay * w0, d_mag = std::fabs(g) + s.weight_decay * std::fabs(w0);
        LD dir = d, dir_mag = d_mag;
        if (momentum) {
          const LD v = s.first ? d : s.momentum * v0 + d;
          const LD v_mag = s.first ? d_mag : s.momentum * std::fabs(v0) + d_mag;
          v_check.compare<T>(n, k, velocity[k], v, {w0, g, v0}, v_mag);
          dir = s.nesterov ? d + s.momentum * v : v;
          dir_mag = s.nesterov ? d_mag + s.momentum * v_mag : v_mag;
        }
        w_check.compare<T>(n, k, w[k], w0 - s.lr * dir, {w0, g, v0}, std::fabs(w0) + s.lr * dir_mag);
      }
    });
    verdict.add(w_check);
    if (momentum) verdict.add(v_check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Kernels, SgdStepKernelDifferential, ::testing::ValuesIn(both_dtypes(names_of(kSgd))),
                         param_name);

// Several parameters as one loop (what optim::SGD runs): the same bits as sgd_step on each,
// for parameters below, across and far above the threading grain laid end to end (chunk
// boundaries fall inside parameters), some on their first momentum step, on 1 and 3 threads.
template <class T> void check_sgd_step_all_matches_each(const kernels::SgdStep& step) {
  const std::vector<int64_t> sizes = {1, 7, 65537, 0, 1000003, 31, 131073, 256};
  static const Inputs<T> in;
  std::vector<std::vector<T>> w_each, w_all, v_each, v_all;
  std::vector<kernels::SgdParameter<T>> all;
  int64_t offset = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    const int64_t n = sizes[i];
    const int64_t at = offset % (kLargestSize - n + 1);
    offset += 4099;
    w_each.emplace_back(in.w.begin() + at, in.w.begin() + at + n);
    v_each.emplace_back(in.m.begin() + at, in.m.begin() + at + n);
  }
  w_all = w_each;
  v_all = v_each;
  const bool momentum = step.momentum != 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    const bool first = momentum && i % 3 == 0;
    kernels::SgdStep one = step;
    one.first = first;
    kernels::sgd_step(w_each[i].data(), in.g.data(), momentum ? v_each[i].data() : nullptr, sizes[i], one);
    all.push_back({w_all[i].data(), in.g.data(), momentum ? v_all[i].data() : nullptr, sizes[i], first});
  }
  kernels::sgd_step_all(all.data(), static_cast<int64_t>(all.size()), step);
  for (size_t i = 0; i < sizes.size(); ++i) {
    for (int64_t k = 0; k < sizes[i]; ++k) {
      // Compared as bits: NaN gradients make NaN parameters, which must match too.
      ASSERT_EQ(std::memcmp(&w_all[i][k], &w_each[i][k], sizeof(T)), 0)
          << dtype_name<T>() << " parameter " << i << " element " << k << ": " << w_all[i][k] << " vs " << w_each[i][k];
      ASSERT_EQ(std::memcmp(&v_all[i][k], &v_each[i][k], sizeof(T)), 0)
          << dtype_name<T>() << " velocity " << i << " element " << k;
    }
  }
}

TEST(SgdStepAllKernel, EqualsTheStepOfEachParameterToTheBit) {
  const int threads_before = get_num_threads();
  for (int threads : {1, 3}) {
    set_num_threads(threads);
    for (const SgdCase& c : kSgd) {
      SCOPED_TRACE(std::string(c.name) + " on " + std::to_string(threads) + " threads");
      check_sgd_step_all_matches_each<float>(c.step);
      check_sgd_step_all_matches_each<double>(c.step);
    }
  }
  set_num_threads(threads_before);
}

// --- Adam and AdamW -------------------------------------------------------------------------

struct AdamCase {
  const char* name;
  kernels::AdamStep step;
  bool amsgrad;
};

const AdamCase kAdam[] = {
    {"adam", {.lr = 1e-3, .t = 1}, false},
    {"adam weight_decay", {.lr = 1e-3, .weight_decay = 0.01, .t = 3}, false},
    {"adamw", {.lr = 1e-3, .weight_decay = 0.01, .decoupled_weight_decay = true, .t = 3}, false},
    {"adam amsgrad", {.lr = 1e-3, .weight_decay = 0.01, .t = 7}, true},
    {"adamw amsgrad", {.lr = 1e-3, .weight_decay = 0.01, .decoupled_weight_decay = true, .t = 7}, true},
};

const AdamCase& adam_case(const std::string& name) {
  for (const AdamCase& c : kAdam) {
    if (name == c.name) return c;
  }
  throw std::invalid_argument("no Adam case " + name);
}

class AdamStepKernelDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(AdamStepKernelDifferential, MatchesTheScalarUpdateAtEverySize) {
  const AdamCase& c = adam_case(GetParam().name);
  const kernels::AdamStep& s = c.step;
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    const Inputs<T> in;
    Check w_check(std::string(c.name) + ": w", dtype_name<T>(), 16);
    Check m_check(std::string(c.name) + ": m", dtype_name<T>(), 4);
    Check v_check(std::string(c.name) + ": v", dtype_name<T>(), 4);
    Check v_max_check(std::string(c.name) + ": v_max", dtype_name<T>(), 4);
    for (Check* check : {&w_check, &m_check, &v_check, &v_max_check}) {
      check->describe_tolerance(std::to_string(check == &w_check ? 16 : 4) + " ulp(sum of |terms|)");
    }
    // The bias corrections are part of the update's definition, computed in double as
    // torch.optim computes them (Python floats): 1 - 0.999^t cancels, and in long double it
    // would differ from the update PyTorch makes by up to 1e-14 relative.
    const double t = static_cast<double>(s.t);
    const LD c1 = 1 - std::pow(s.beta1, t), c2 = 1 - std::pow(s.beta2, t);
    const LD shrink = s.decoupled_weight_decay ? 1 - static_cast<LD>(s.lr) * s.weight_decay : 1;
    const LD l2 = s.decoupled_weight_decay ? 0 : s.weight_decay;
    for_each_size(w_check, [&](int64_t n) {
      Guarded<T> w(in.w, n), m(in.m, n), v(in.v, n), v_max(in.v_max, n);
      kernels::adam_step(w.get(), in.g.data(), m.get(), v.get(), c.amsgrad ? v_max.get() : nullptr, n, s);
      if (!w.intact(n) || !m.intact(n) || !v.intact(n) || !v_max.intact(n)) {
        w_check.fail("wrote past the end at size " + std::to_string(n));
      }
      for (int64_t k = 0; k < n; ++k) {
        // The update as torch.optim.Adam / AdamW state it, with the magnitude of each result's terms.
        const LD w0 = in.w[k], g = in.g[k], m0 = in.m[k], v0 = in.v[k], v_max0 = in.v_max[k];
        const LD w1 = w0 * shrink;
        const LD d = g + l2 * w1, d_mag = std::fabs(g) + l2 * std::fabs(w1);
        const LD m1 = s.beta1 * m0 + (1 - s.beta1) * d;
        const LD m_mag = s.beta1 * std::fabs(m0) + (1 - s.beta1) * d_mag;
        const LD v1 = s.beta2 * v0 + (1 - s.beta2) * d * d;
        const LD v_mag = s.beta2 * v0 + (1 - s.beta2) * d_mag * d_mag;
        LD v_used = v1, v_used_mag = v_mag;
        if (c.amsgrad) {
          v_used = v_max0 < v1 ? v1 : v_max0;  // std::max's choice: a NaN v keeps the old maximum
          v_used_mag = std::max(v_max0, v_mag);
          v_max_check.compare<T>(n, k, v_max[k], v_used, {v_max0, v1}, v_used_mag);
        }
        const LD denominator = std::sqrt(v_used) / std::sqrt(c2) + s.eps;
        const LD step_size = s.lr / c1;
        const LD expected = w1 - step_size * m1 / denominator;
        // The step is at most step_size m_mag / denominator: m's rounding is relative to m_mag.
        const LD scale = std::fabs(w1) + step_size * m_mag / denominator;
        m_check.compare<T>(n, k, m[k], m1, {g, m0}, m_mag);
        v_check.compare<T>(n, k, v[k], v1, {g, v0}, v_mag);
        w_check.compare<T>(n, k, w[k], expected, {w0, g, m0, v0}, scale);
      }
    });
    for (Check* check : {&w_check, &m_check, &v_check}) verdict.add(*check);
    if (c.amsgrad) verdict.add(v_max_check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Kernels, AdamStepKernelDifferential, ::testing::ValuesIn(both_dtypes(names_of(kAdam))),
                         param_name);

}  // namespace
}  // namespace nabla::differential
