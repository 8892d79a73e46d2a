// Every elementwise op and reduction given a strided input, in every layout a view can have
// (tests/strided_inputs.h: transposed, stepped, broadcast, permuted with an offset,
// overlapping windows), at every differential size, in both dtypes, against the same op on
// the view's elements packed by a plain scalar walk. An op reads a non-contiguous input
// through one packing kernel and then runs its contiguous kernel (whose accuracy
// kernels_differential_test measures), so the two must agree bit for bit; so must the
// gradients, with the incoming gradient strided too.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "autograd/ops/activation_functions.h"
#include "tests/differential.h"
#include "tests/strided_inputs.h"

namespace nabla::differential {
namespace {

std::vector<Case> elementwise_cases() {
  using L = TensorList;
  return {
#define NABLA_UNARY(name, ...) {#name, [](const Tensor& x) { return L{nabla::name(x)}; }},
#include "autograd/ops/unary_ops.def"
#undef NABLA_UNARY
      {"relu", [](const Tensor& x) { return L{nabla::relu(x)}; }},
      {"sigmoid", [](const Tensor& x) { return L{nabla::sigmoid(x)}; }},
      {"tanh", [](const Tensor& x) { return L{nabla::tanh(x)}; }},
      {"identity", [](const Tensor& x) { return L{nabla::identity(x)}; }},
      {"pow(x, 3)", [](const Tensor& x) { return L{pow(x, 3.0)}; }},
      {"pow(x, 0.5)", [](const Tensor& x) { return L{pow(x, 0.5)}; }},
      {"clamp(x, -1.5, 2.25)", [](const Tensor& x) { return L{clamp(x, -1.5, 2.25)}; }},
      {"x + 2, x * 3, x - 1, x / 4", [](const Tensor& x) { return L{x + 2.0, x * 3.0, x - 1.0, x / 4.0}; }},
      {"2 - x, 2 / x", [](const Tensor& x) { return L{2.0 - x, 2.0 / x}; }},
      {"x == 1, !=, <, <=, >, >= 0.5",
       [](const Tensor& x) { return L{eq(x, 1.0), ne(x, 1.0), lt(x, 0.5), le(x, 0.5), gt(x, 0.5), ge(x, 0.5)}; }},
      {"masked_fill(x > 0, 7)", [](const Tensor& x) { return L{x.masked_fill(gt(x, 0.0), 7.0)}; }},
  };
}

std::vector<Case> binary_cases() {
  using L = TensorList;
  return {
      {"x + o, o + x, x + row", [](const Tensor& x) { return L{x + other(x), other(x) + x, x + last_row(x)}; }},
      {"x - o, o - x, x - row", [](const Tensor& x) { return L{x - other(x), other(x) - x, x - last_row(x)}; }},
      {"x * o, o * x, x * row", [](const Tensor& x) { return L{x * other(x), other(x) * x, x * last_row(x)}; }},
      {"x / o, o / x, x / row", [](const Tensor& x) { return L{x / other(x), other(x) / x, x / last_row(x)}; }},
      {"maximum, minimum", [](const Tensor& x) {
         return L{maximum(x, other(x)), maximum(last_row(x), x), minimum(x, other(x)), minimum(other(x), x)};
       }},
      {"x == o, !=, <, <=, >, >=", [](const Tensor& x) {
         const Tensor o = other(x);
         return L{eq(x, o), ne(x, o), lt(x, o), le(o, x), gt(x, o), ge(o, x)};
       }},
      {"where(x > 0, x, o), where(o > 0, o, x)", [](const Tensor& x) {
         return L{where(gt(x, 0.0), x, other(x)), where(gt(other(x), 0.0), other(x), x)};
       }},
  };
}

std::vector<Case> reduction_cases() {
  using L = TensorList;
  // One case per reduction: all of x, then along each dimension in turn.
  auto along_each = [](auto reduce) {
    return [reduce](const Tensor& x) {
      L out;
      for (int64_t d = 0; d < x.dim(); ++d) {
        for (const Tensor& t : reduce(x, d)) out.push_back(t);
      }
      return out;
    };
  };
  return {
      {"sum(), mean(), amax(), amin(), max(), min(), argmax(), norm()", [](const Tensor& x) {
         if (x.numel() == 0) return L{sum(x), mean(x)};  // the extrema of nothing are refused
         return L{sum(x), mean(x), amax(x), amin(x), max(x), min(x), argmax(x), x.norm()};
       }},
      {"sum(x, d), mean(x, d, keepdim)",
       along_each([](const Tensor& x, int64_t d) { return L{sum(x, d), mean(x, d, true)}; })},
      {"amax(x, d), amin(x, d, keepdim)", along_each([](const Tensor& x, int64_t d) {
         return x.size(d) == 0 ? L{} : L{amax(x, d), amin(x, d, true)};
       })},
      {"max(x, d), min(x, d): values and indices, argmax(x, d)", along_each([](const Tensor& x, int64_t d) {
         if (x.size(d) == 0) return L{};
         const auto [max_values, max_indices] = max(x, d);
         const auto [min_values, min_indices] = min(x, d, true);
         return L{max_values, max_indices, min_values, min_indices, argmax(x, d)};
       })},
      {"softmax(x, d), log_softmax(x, d)",
       along_each([](const Tensor& x, int64_t d) { return L{softmax(x, d), log_softmax(x, d)}; })},
  };
}

std::vector<Case> family(const std::string& name) {
  if (name == "elementwise") return elementwise_cases();
  if (name == "binary") return binary_cases();
  return reduction_cases();
}

class StridedOpsDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(StridedOpsDifferential, AStridedInputGivesWhatItsPackedElementsGiveForwardAndBackward) {
  const Verdict verdict = compare_strided_with_packed(family(GetParam().name), GetParam().float64);
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Ops, StridedOpsDifferential,
                         ::testing::ValuesIn(both_dtypes({"elementwise", "binary", "reductions"})), param_name);

}  // namespace
}  // namespace nabla::differential
