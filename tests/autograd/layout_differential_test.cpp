// kernels::gather_strided, the loop behind contiguous(), scatter_strided, its reverse, and
// scatter_add_strided, a view's backward, against a plain scalar walk of the same view, in
// every layout a view can have (transposed, sliced with a step, broadcast with stride 0,
// permuted with an offset, overlapping windows), at every differential size, on 3 threads and on 1.
// A copy is exact: every element must come back bit for bit, and nothing be written past n.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "autograd/kernels/layout.h"
#include "tests/differential.h"
#include "tests/strided_inputs.h"

namespace nabla::differential {
namespace {

template <class T> T reference_element(const std::vector<T>& source, const Layout& layout, int64_t i) {
  return source[static_cast<size_t>(position_of(layout, i))];
}

class GatherStridedDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(GatherStridedDifferential, CopiesEveryLayoutExactlyAndNothingPastTheEnd) {
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    const std::vector<T> source = mixed_inputs<T>(4 * kLargestSize + 64, -1e3, 1e3, {}, 5);
    for (size_t which = 0; which < layouts(1).size(); ++which) {
      Check check("gather_strided: " + layouts(1)[which].name, dtype_name<T>(), 0);
      for_each_size(check, [&](int64_t n) {
        const Layout layout = layouts(n)[which];
        const int64_t count = layout.sizes.numel();
        Guarded<T> out(count);
        kernels::gather_strided(source.data() + layout.offset, layout.sizes, layout.strides, out.get());
        if (!out.intact(count)) check.fail("wrote past the end at size " + std::to_string(n));
        for (int64_t i = 0; i < count; ++i) {
          const T expected = reference_element(source, layout, i);
          check.compare<T>(n, i, out[i], static_cast<long double>(expected), {static_cast<long double>(i)}, 0, 0, true);
        }
      });
      verdict.add(check);
    }
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

// kernels::scatter_strided, the write-back of an in-place op on a view: the elements land where
// the plain walk puts them, and every other element of the storage is left alone.
class ScatterStridedDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(ScatterStridedDifferential, WritesEveryElementOfEveryLayoutWhereTheWalkPutsItAndNothingElse) {
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    const std::vector<T> values = mixed_inputs<T>(kLargestSize + 64, -1e3, 1e3, {}, 9);
    for (size_t which = 0; which < layouts(1).size(); ++which) {
      if (layouts(1)[which].overlapping) continue;  // refused above the kernel
      Check check("scatter_strided: " + layouts(1)[which].name, dtype_name<T>(), 0);
      for_each_size(check, [&](int64_t n) {
        const Layout layout = layouts(n)[which];
        const int64_t count = layout.sizes.numel();
        std::vector<T> storage(static_cast<size_t>(3 * count + 64), T(-7));
        kernels::scatter_strided(values.data(), layout.sizes, layout.strides, storage.data() + layout.offset);
        std::vector<T> expected(storage.size(), T(-7));
        for (int64_t i = 0; i < count; ++i) expected[static_cast<size_t>(position_of(layout, i))] = values[static_cast<size_t>(i)];
        for (size_t p = 0; p < storage.size(); ++p) {
          check.compare<T>(n, static_cast<int64_t>(p), storage[p], static_cast<long double>(expected[p]),
                           {static_cast<long double>(p)}, 0, 0, true);
        }
      });
      verdict.add(check);
    }
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

// kernels::scatter_add_strided, the backward of a view: each element adds into its place, so
// where the view overlaps itself (broadcast, windows) the place gets the sum, in row-major
// order (the reference adds in that order too, in T, so the sums match bit for bit).
class ScatterAddStridedDifferential : public ::testing::TestWithParam<DtypeParam> {};

TEST_P(ScatterAddStridedDifferential, AddsEveryElementOfEveryLayoutIntoItsPlaceAndTouchesNothingElse) {
  Verdict verdict;
  with_dtype(GetParam().float64, [&]<class T>() {
    const std::vector<T> values = mixed_inputs<T>(2 * kLargestSize + 64, -1e3, 1e3, {}, 13);
    for (size_t which = 0; which < layouts(1).size(); ++which) {
      Check check("scatter_add_strided: " + layouts(1)[which].name, dtype_name<T>(), 0);
      for_each_size(check, [&](int64_t n) {
        const Layout layout = layouts(n)[which];
        const int64_t count = layout.sizes.numel();
        std::vector<T> storage(static_cast<size_t>(3 * count + 64));
        for (size_t p = 0; p < storage.size(); ++p) storage[p] = T(p % 7);
        std::vector<T> expected = storage;
        kernels::scatter_add_strided(values.data(), layout.sizes, layout.strides, storage.data() + layout.offset);
        for (int64_t i = 0; i < count; ++i) expected[static_cast<size_t>(position_of(layout, i))] += values[static_cast<size_t>(i)];
        for (size_t p = 0; p < storage.size(); ++p) {
          check.compare<T>(n, static_cast<int64_t>(p), storage[p], static_cast<long double>(expected[p]),
                           {static_cast<long double>(p)}, 0, 0, true);
        }
      });
      verdict.add(check);
    }
  });
  NABLA_DIFFERENTIAL_VERDICT(verdict);
}

INSTANTIATE_TEST_SUITE_P(Kernels, ScatterAddStridedDifferential,
                         ::testing::ValuesIn(both_dtypes({"scatter_add_strided"})), param_name);

INSTANTIATE_TEST_SUITE_P(Kernels, ScatterStridedDifferential, ::testing::ValuesIn(both_dtypes({"scatter_strided"})),
                         param_name);

INSTANTIATE_TEST_SUITE_P(Kernels, GatherStridedDifferential, ::testing::ValuesIn(both_dtypes({"gather_strided"})),
                         param_name);

}  // namespace
}  // namespace nabla::differential
