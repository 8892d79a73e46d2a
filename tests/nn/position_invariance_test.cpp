// Same input, same output: an element's f(x), f'(x) and f''(x) must not depend on where x sits
// in the tensor (in a vectorised body or a scalar tail, at any offset modulo the vector width
// and unroll), on the tensor's length or on the thread count. For every activation and every
// elementwise math function, in float32 and float64, 100,003 values are computed as one
// tensor on 1 and on 3 threads, and again cut into pieces of lengths from 1 to 4099 (so every
// value lands at other offsets, many in a scalar tail); the results must be the same bits.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "nn/nn.h"
#include "tests/unary_ops_rows.h"

namespace nabla {
namespace {

struct Function {
  std::string name;
  std::function<Tensor(const Tensor&)> f;
  bool positive_inputs = false;  // defined for x > 0 only (sqrt, log): inputs |x| + 0.1
  bool second_derivative = true;
};

std::vector<Function> functions() {
  std::vector<Function> all;
  for (const std::string& name : activation_names()) {
    const Activation& a = activation(name);
    all.push_back({name, [&a](const Tensor& x) { return a(x); }, a.domain != Domain::AllReals, a.twice_differentiable});
  }
  for (const testing::UnaryRow& row : testing::unary_rows()) {
    all.push_back({row.name, row.function, row.name == "log" || row.name == "sqrt", true});
  }
  return all;
}

struct Derivatives {
  Tensor f, df, d2f;
};

// f(x), g f'(x) and h (g f'(x))' for fixed random g, h: what a forward, a backward and a
// double backward compute.
Derivatives evaluate(const Function& fn, const Tensor& x_values, const Tensor& g, const Tensor& h) {
  const Tensor x = x_values.detach().requires_grad_();
  const Tensor y = fn.f(x);
  const Tensor gx = autograd::grad({y}, {x}, {g}, true, /*create_graph=*/fn.second_derivative)[0];
  Tensor hxx;
  if (fn.second_derivative && gx.requires_grad()) {
    hxx = autograd::grad({gx}, {x}, {h}, false, false, /*allow_unused=*/true)[0];
  }
  if (!hxx.defined()) hxx = zeros_like(x_values);  // f'' = 0: no graph to walk
  return {y.detach(), gx.detach(), hxx};
}

// The same computation on pieces of `x` of varying lengths, joined.
Derivatives evaluate_in_pieces(const Function& fn, const Tensor& x, const Tensor& g, const Tensor& h) {
  static const int64_t kLengths[] = {1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 65, 127, 129, 257, 4099};
  std::vector<Tensor> f, df, d2f;
  int64_t start = 0;
  for (size_t i = 0; start < x.numel(); ++i) {
    const int64_t end = std::min(x.numel(), start + kLengths[i % std::size(kLengths)]);
    const Derivatives d = evaluate(fn, x.slice(0, start, end), g.slice(0, start, end), h.slice(0, start, end));
    f.push_back(d.f), df.push_back(d.df), d2f.push_back(d.d2f);
    start = end;
  }
  return {cat(f, 0), cat(df, 0), cat(d2f, 0)};
}

// How many elements differ in their bits (a NaN matches a NaN).
int64_t differing_elements(const Tensor& a, const Tensor& b) {
  const std::vector<double> x = a.to_vector(), y = b.to_vector();
  int64_t differ = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const bool same = std::isnan(x[i]) ? std::isnan(y[i]) : std::memcmp(&x[i], &y[i], sizeof(double)) == 0;
    differ += !same;
  }
  return differ;
}

class PositionInvariance : public ::testing::TestWithParam<ScalarType> {};

TEST_P(PositionInvariance, EveryElementwiseFunctionGivesTheSameBitsWhereverAValueSits) {
  const ScalarType dtype = GetParam();
  constexpr int64_t n = 100003;
  Generator gen(7);
  const Tensor x = (rand({n}, kFloat64, &gen) * 40.0 - 20.0).to(dtype);
  const Tensor positive = x.abs() + 0.1;
  const Tensor g = randn({n}, dtype, &gen), h = randn({n}, dtype, &gen);
  const int threads = get_num_threads();
  for (const Function& fn : functions()) {
    const Tensor& input = fn.positive_inputs ? positive : x;
    set_num_threads(1);
    const Derivatives one_thread = evaluate(fn, input, g, h);
    set_num_threads(3);
    const Derivatives three_threads = evaluate(fn, input, g, h);
    set_num_threads(threads);
    const Derivatives pieces = evaluate_in_pieces(fn, input, g, h);
    const std::map<std::string, std::pair<const Tensor*, const Tensor*>> comparisons = {
        {"f on 3 threads", {&one_thread.f, &three_threads.f}},
        {"f' on 3 threads", {&one_thread.df, &three_threads.df}},
        {"f'' on 3 threads", {&one_thread.d2f, &three_threads.d2f}},
        {"f in pieces", {&one_thread.f, &pieces.f}},
        {"f' in pieces", {&one_thread.df, &pieces.df}},
        {"f'' in pieces", {&one_thread.d2f, &pieces.d2f}}};
    for (const auto& [what, pair] : comparisons) {
      EXPECT_EQ(differing_elements(*pair.first, *pair.second), 0)
          << fn.name << " " << to_string(dtype) << ": " << what << " differs from one tensor on 1 thread";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(BothDtypes, PositionInvariance, ::testing::Values(kFloat32, kFloat64),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace nabla
