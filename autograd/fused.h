#pragma once
// record_fused(): how an op gets a fast backward without losing second derivatives.
//
// A fused op (Dense's GEMM + bias + relu, cross-entropy, prelu, ...) computes its backward
// with kernels that do several steps in one pass. Such a backward is fast but not recorded:
// its own derivative would be lost. So a fused op writes its backward twice, side by side:
//
//   return record_fused("prelu", y, {x, a},
//       /*fast=*/[x, a](const Tensor& g) { ... one kernel pass for both gradients ... },
//       /*differentiable=*/[x, a](const Tensor& g) { return TensorList{where(...), ...}; });
//
// The fast version runs for an ordinary backward. The differentiable version, the same math
// written with recorded ops, runs when the backward is itself being recorded
// (backward(..., create_graph=true)), so that a gradient of the gradient flows through it,
// and inside a DualLevel (forward_ad.h), so that its ops carry tangents (forward over reverse).
// Both take the output's gradient (and, if they ask for it, the output) as record()'s
// backward does (record.h).
//
// The two must agree. Every fused op is named in kFusedOps below (a name missing there does
// not compile), and tests/autograd/fused_ops_test.cpp runs both versions of each listed op
// and compares them: it fails for a listed op that has no case.
#include <algorithm>
#include <array>
#include <initializer_list>
#include <string_view>
#include <type_traits>

#include "autograd/grad_mode.h"
#include "autograd/record.h"

namespace nabla {

// The fused ops, by the name they record (what to_dot and anomaly reports show).
inline constexpr std::array<std::string_view, 4> kFusedOps = {"dense", "dense_relu", "cross_entropy", "prelu"};

// A fused op's name, checked against kFusedOps when compiling.
class FusedOpName {
 public:
  consteval FusedOpName(const char* name) : name_(name) {  // NOLINT: implicit, from a literal
    if (std::find(kFusedOps.begin(), kFusedOps.end(), name_) == kFusedOps.end()) {
      throw "record_fused: add this op's name to kFusedOps (autograd/fused.h) and a case to fused_ops_test.cpp";
    }
  }
  constexpr std::string_view view() const { return name_; }

 private:
  std::string_view name_;
};

// Records `output = name(inputs...)` with a fast and a differentiable backward (see above).
template <class Fast, class Differentiable, class J = detail::DerivedFromBackward>
Tensor record_fused(FusedOpName name, Tensor output, std::initializer_list<Tensor> inputs, Fast fast,
                    Differentiable differentiable, const J& rule = {}) {
  constexpr bool uses_output = std::is_invocable_v<Fast&, const Tensor&, const Tensor&> ||
                               std::is_invocable_v<Differentiable&, const Tensor&, const Tensor&>;
  if constexpr (uses_output) {
    const auto call = [](auto& backward, const Tensor& g, const Tensor& y) {
      if constexpr (std::is_invocable_v<decltype(backward), const Tensor&, const Tensor&>) {
        return backward(g, y);
      } else {
        return backward(g);
      }
    };
    return record(name.view(), std::move(output), inputs,
                  [fast = std::move(fast), differentiable = std::move(differentiable), call](
                      const Tensor& g, const Tensor& y) mutable {
                    return GradMode::is_enabled() || detail::forward_ad_active() ? call(differentiable, g, y) : call(fast, g, y);
                  },
                  rule);
  } else {
    return record(name.view(), std::move(output), inputs,
                  [fast = std::move(fast), differentiable = std::move(differentiable)](const Tensor& g) mutable {
                    return GradMode::is_enabled() || detail::forward_ad_active() ? differentiable(g) : fast(g);
                  },
                  rule);
  }
}

}  // namespace nabla
