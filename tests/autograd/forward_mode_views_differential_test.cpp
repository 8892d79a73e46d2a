// Forward mode through the ops that rearrange elements: the tangent of a view, a reshape, a
// slice, a join or a gather is the same rearrangement of the input's tangent, so it must match,
// bit for bit, the op applied to the direction itself (outside any DualLevel). Each op runs at
// the sizes of differential.h up to 65537 on a [3, n] input, in float32 and float64, with the
// primal and the direction in every pairing of three layouts: contiguous, a transposed view of
// the stored [n, 3], and a strided view with an offset (every other element of a [3, n, 2]).
// A rule that assumes its tangent has its primal's strides (a view built from the primal's
// geometry) reads the wrong elements in the mixed pairings.
// The summary table prints at the end:
//   ./build/tests/autograd/autograd_tests --gtest_filter='*ViewTangentDifferential*'
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "autograd/indexing.h"
#include "tests/differential.h"

namespace nabla::differential {
namespace {

constexpr int64_t kLargestView = 65537;

// The layouts a [3, n] input comes in; the values are the same in each.
enum class Layout { Contiguous, Transposed, Strided };

const char* layout_name(Layout l) {
  switch (l) {
    case Layout::Contiguous: return "contiguous";
    case Layout::Transposed: return "transposed view";
    case Layout::Strided: return "strided view with an offset";
  }
  return "";
}

// dense ([3, n], contiguous) in `layout`, built with plain ops (no tangent anywhere).
Tensor in_layout(const Tensor& dense, Layout layout) {
  switch (layout) {
    case Layout::Contiguous: return dense;
    case Layout::Transposed: return dense.t().contiguous().t();
    case Layout::Strided: return stack({zeros_like(dense), dense}, 2).select(2, 1);
  }
  return dense;
}

// One op: applied to one input or to two (a join), from size `smallest` on.
struct ViewCase {
  const char* name;
  std::function<Tensor(const TensorList&)> op;
  int64_t smallest = 0;
  int inputs = 1;
};

std::vector<int64_t> repeated_index(int64_t count, int64_t range) {
  std::vector<int64_t> index(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) index[static_cast<size_t>(i)] = (i * 7 + 3) % range;
  return index;
}

const std::vector<ViewCase>& view_cases() {
  using namespace indexing;
  static const std::vector<ViewCase> cases = {
      {"reshape to [n, 3]", [](const TensorList& x) { return x[0].reshape({x[0].size(1), 3}); }},
      {"reshape to [-1]", [](const TensorList& x) { return x[0].reshape({-1}); }},
      {"view as [3, 1, n]", [](const TensorList& x) { return x[0].view({3, 1, x[0].size(1)}); }},
      {"flatten", [](const TensorList& x) { return x[0].flatten(); }},
      {"transpose", [](const TensorList& x) { return x[0].transpose(0, 1); }},
      {"t", [](const TensorList& x) { return x[0].t(); }},
      {"permute of [3, n, 1]", [](const TensorList& x) { return x[0].unsqueeze(2).permute({2, 0, 1}); }},
      {"unsqueeze(0)", [](const TensorList& x) { return x[0].unsqueeze(0); }},
      {"unsqueeze(-1)", [](const TensorList& x) { return x[0].unsqueeze(-1); }},
      {"squeeze(1) of [3, 1, n]", [](const TensorList& x) { return x[0].unsqueeze(1).squeeze(1); }},
      {"squeeze of [1, 3, n]", [](const TensorList& x) { return x[0].unsqueeze(0).squeeze(); }},
      {"slice(1, 1, end, 2)", [](const TensorList& x) { return slice(x[0], 1, 1, x[0].size(1), 2); }},
      {"slice(1, -5, end, 3)", [](const TensorList& x) { return slice(x[0], 1, -5, x[0].size(1), 3); }},
      {"slice(0, 0, 3, 2)", [](const TensorList& x) { return slice(x[0], 0, 0, 3, 2); }},
      {"narrow(1, n/3, n/2)",
       [](const TensorList& x) { return narrow(x[0], 1, x[0].size(1) / 3, x[0].size(1) / 2); }},
      {"select(0, 1)", [](const TensorList& x) { return select(x[0], 0, 1); }},
      {"select(1, n/2)", [](const TensorList& x) { return select(x[0], 1, x[0].size(1) / 2); }, 1},
      {"x[2]", [](const TensorList& x) { return x[0][2]; }},
      {"index({Slice(), Slice(None, None, 2)})",
       [](const TensorList& x) { return x[0].index({Slice(), Slice(None, None, 2)}); }},
      {"expand [1, n] to [4, n]", [](const TensorList& x) { return narrow(x[0], 0, 1, 1).expand({4, -1}); }},
      {"broadcast_to [2, 3, n]",
       [](const TensorList& x) { return broadcast_to(x[0], {2, 3, x[0].size(1)}); }},
      {"diagonal", [](const TensorList& x) { return diagonal(x[0]); }},
      {"diagonal(1)", [](const TensorList& x) { return diagonal(x[0], 1); }},
      {"diagonal(-1) of the transpose", [](const TensorList& x) { return diagonal(x[0].t(), -1); }},
      {"unfold(1, 3, 2)", [](const TensorList& x) { return unfold(x[0], 1, 3, 2); }, 3},
      {"unfold(1, 4, 1)", [](const TensorList& x) { return unfold(x[0], 1, 4, 1); }, 4},
      {"cat along 0", [](const TensorList& x) { return cat({x[0], x[1]}, 0); }, 0, 2},
      {"cat along 1", [](const TensorList& x) { return cat({x[0], x[1], x[0]}, 1); }, 0, 2},
      {"stack along 0", [](const TensorList& x) { return stack({x[0], x[1]}, 0); }, 0, 2},
      {"stack along 2", [](const TensorList& x) { return stack({x[1], x[0]}, 2); }, 0, 2},
      {"index_select(1, repeated)",
       [](const TensorList& x) {
         const int64_t n = x[0].size(1);
         return index_select(x[0], 1, repeated_index(n + 5, n));
       },
       1},
      {"index_select(0, {2, 0, 2})", [](const TensorList& x) { return index_select(x[0], 0, {2, 0, 2}); }},
      {"index_add(1, repeated)",  // sums the elements sent to one place: the same sums of the tangent
       [](const TensorList& x) {
         const int64_t n = x[0].size(1);
         const std::vector<int64_t> index = repeated_index(n, n / 2 + 1);
         Tensor index_tensor = empty({n}, kInt64);
         std::copy(index.begin(), index.end(), index_tensor.data_ptr<int64_t>());
         return index_add({3, n / 2 + 1}, 1, index_tensor, x[0]);
       }},
      {"contiguous", [](const TensorList& x) { return x[0].contiguous(); }},
      {"contiguous of the transpose", [](const TensorList& x) { return x[0].t().contiguous(); }},
      {"clone", [](const TensorList& x) { return x[0].clone(); }},
      {"to the other float dtype",
       [](const TensorList& x) { return x[0].to(x[0].dtype() == kFloat32 ? kFloat64 : kFloat32); }},
      {"to its own dtype", [](const TensorList& x) { return x[0].to(x[0].dtype()); }},
  };
  return cases;
}

// The first element where got and expected differ in their bits (-0 and 0 included), or -1.
template <class T> int64_t first_difference(const T* got, const T* expected, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    if (std::memcmp(&got[i], &expected[i], sizeof(T)) != 0) return i;
  }
  return -1;
}

// Compares the tangent of op's output with op applied to the directions, bit for bit.
template <class T>
void compare_tangent(Check& check, int64_t n, const ViewCase& c, const TensorList& primals, const TensorList& directions) {
  Tensor y, tangent;
  {
    DualLevel level;
    TensorList duals;
    for (size_t k = 0; k < primals.size(); ++k) {
      duals.push_back(directions[k].defined() ? make_dual(primals[k], directions[k]) : primals[k]);
    }
    y = c.op(duals);
    tangent = tangent_of(y);
  }
  if (!tangent.defined()) return check.fail("the output of shape " + to_string(y.sizes()) + " carries no tangent");
  // The reference: the op on the directions, zeros for an input without one.
  TensorList moved;
  for (size_t k = 0; k < primals.size(); ++k) {
    moved.push_back(directions[k].defined() ? directions[k] : zeros_like(primals[k]));
  }
  const Tensor expected = c.op(moved).contiguous();
  if (!(tangent.sizes() == expected.sizes()) || tangent.dtype() != expected.dtype()) {
    return check.fail("size " + std::to_string(n) + ": the tangent is " + std::string(to_string(tangent.dtype())) + " " +
                      to_string(tangent.sizes()) + ", the op on the direction gives " +
                      std::string(to_string(expected.dtype())) + " " + to_string(expected.sizes()));
  }
  const Tensor got = tangent.contiguous();
  with_dtype(got.dtype() == kFloat64, [&]<class U>() {
    const U* g = got.data_ptr<U>();
    const U* e = expected.data_ptr<U>();
    const int64_t at = first_difference(g, e, got.numel());
    if (at >= 0) {
      check.add(std::numeric_limits<double>::infinity(), n, at, g[at], e[at], {});
    } else {
      check.add(0, n, 0, 0, 0, {});
    }
  });
}

class ViewTangentDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(ViewTangentDifferential, IsTheSameRearrangementOfTheTangentBitForBitInEveryLayout) {
  const ViewCase* found = nullptr;
  for (const ViewCase& c : view_cases()) {
    if (GetParam().name == c.name) found = &c;
  }
  ASSERT_NE(found, nullptr);
  const ViewCase& c = *found;
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    // Directions with a -0 and denormals among them: a rule that computes (t * 1, t + 0) loses their bits.
    const std::vector<double> specials = {-0.0, static_cast<double>(std::numeric_limits<T>::denorm_min()), 1e-30, -2.5};
    std::vector<T> x = mixed_inputs<T>(2 * 3 * kLargestView, -10, 10, {}, 61);
    std::vector<T> v = mixed_inputs<T>(2 * 3 * kLargestView, -2, 2, specials, 62, 7);
    Check check(std::string(c.name) + " tangent", dtype_name<T>(), 0, "ulp");
    check.describe_tolerance("bit for bit");
    const Layout layouts[] = {Layout::Contiguous, Layout::Transposed, Layout::Strided};
    enum Moving { Both, FirstOnly, SecondOnly };
    for_each_size(check, [&](int64_t n) {
      if (n > kLargestView || n < c.smallest) return;
      auto input = [&](std::vector<T>& values, int which) {
        return from_blob(values.data() + which * 3 * n, {3, n}, scalar_type_of<T>());
      };
      for (Layout primal_layout : layouts) {
        for (Layout tangent_layout : layouts) {
          for (Moving moving : {Both, FirstOnly, SecondOnly}) {
            if (c.inputs == 1 && moving != Both) continue;
            const char* which[] = {"", ", first input moving", ", second input moving"};
            check.set_context(std::string("primal ") + layout_name(primal_layout) + ", tangent " +
                              layout_name(tangent_layout) + (c.inputs == 2 ? which[moving] : ""));
            TensorList primals = {in_layout(input(x, 0), primal_layout)};
            TensorList directions = {moving != SecondOnly ? in_layout(input(v, 0), tangent_layout) : Tensor()};
            if (c.inputs == 2) {
              primals.push_back(input(x, 1));
              directions.push_back(moving != FirstOnly ? input(v, 1) : Tensor());
            }
            compare_tangent<T>(check, n, c, primals, directions);
          }
        }
      }
    }, 0, /*single_thread=*/false);
    verdict.add(check);
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Ops, ViewTangentDifferential, ::testing::ValuesIn(both_dtypes(names_of(view_cases()))), param_name);

}  // namespace
}  // namespace nabla::differential
