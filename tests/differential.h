#pragma once
// Differential testing: a kernel's output compared, element by element, with a plain scalar
// reference computed in long double, at every size where a vectorised body, its tail, a
// block or the threading threshold changes. Shared by the kernel and activation suites.
//
// Errors are counted in ulps of T at max(|expected|, scale): `scale` is 0 for a pointwise
// result (plain ulps), the sum of |terms| for a sum (the classic error bound is a multiple
// of it), or a floor where a result crosses zero through cancellation. Each check keeps its
// worst element and prints kernel, dtype, size, index, inputs, got, expected and error.
//
// Every check also lands in one summary table, printed when the test program ends:
//   ./build/tests/autograd/autograd_tests --gtest_filter='*Differential*'
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "autograd/kernels/parallel.h"
#include "autograd/shape.h"

namespace nabla::differential {

// 0..70 (every vector width and unroll tail), around 128, then past the parallel grain of
// the elementwise kernels (1 << 16: a loop is split once it holds 2 grains, 131072 items).
inline const std::vector<int64_t>& sizes() {
  static const std::vector<int64_t> all = [] {
    std::vector<int64_t> s;
    for (int64_t n = 0; n <= 70; ++n) s.push_back(n);
    for (int64_t n : {127, 128, 129, 1000, 4099, 65537, 1000003}) s.push_back(n);
    return s;
  }();
  return all;
}
inline constexpr int64_t kLargestSize = 1000003;
// Sizes at or above this also run on a single thread (the main run uses several).
inline constexpr int64_t kSingleThreadFrom = 65537;

template <class T> constexpr const char* dtype_name() { return sizeof(T) == 4 ? "float32" : "float64"; }

// The spacing of T-numbers around v (the denormal spacing below the normal range): the
// power of two of v's binade, read from the exponent bits, times T's epsilon.
template <class T> long double ulp(long double v) {
  T r = static_cast<T>(std::fabs(v));
  if (!(r >= std::numeric_limits<T>::min())) return std::numeric_limits<T>::denorm_min();
  if (std::isinf(r)) r = std::numeric_limits<T>::max();
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  constexpr Bits kExponent = static_cast<Bits>(sizeof(T) == 4 ? 0x7f800000ull : 0x7ff0000000000000ull);
  const T binade = std::bit_cast<T>(static_cast<Bits>(std::bit_cast<Bits>(r) & kExponent));
  return static_cast<long double>(binade) * std::numeric_limits<T>::epsilon();
}

// |got - expected| in ulps of T at max(|expected|, scale). NaN must meet NaN, an infinity
// (or a value that rounds to one in T) must be met exactly; anything else is infinitely wrong.
template <class T> double error_in_ulp(T got, long double expected, long double scale = 0, bool signed_zero = false) {
  constexpr double kWrong = std::numeric_limits<double>::infinity();
  if (static_cast<long double>(got) == expected && (got != 0 || !signed_zero)) return 0.0;
  if (std::isnan(expected)) return std::isnan(got) ? 0.0 : kWrong;
  if (std::isnan(got)) return kWrong;
  const T rounded = static_cast<T>(expected);
  if (std::isinf(rounded) || std::isinf(got)) return got == rounded ? 0.0 : kWrong;
  if (signed_zero && expected == 0 && got == 0 && std::signbit(got) != std::signbit(expected)) return kWrong;
  return static_cast<double>(std::fabs(static_cast<long double>(got) - expected) /
                             ulp<T>(std::max(std::fabs(expected), scale)));
}

inline std::string show(long double v) {
  std::ostringstream out;
  out.precision(21);
  out << v;
  return out.str();
}

// The error of a forward-mode tangent f'(x) v, as error_in_ulp. Where f'(x) is beyond T's range,
// a rule that forms it first has an infinity there (exp's v e^x at 89 in float32, v (1/x) at a
// denormal), one that does not (v / x) may still have the finite product: either is right.
template <class T> double tangent_error(T got, long double derivative, long double direction, long double scale = 0) {
  const double error = error_in_ulp<T>(got, derivative * direction, scale);
  const T in_t = static_cast<T>(derivative);
  if (!std::isinf(in_t)) return error;
  return std::min(error, error_in_ulp<T>(got, static_cast<long double>(in_t) * direction, scale));
}

// One row of the summary table.
struct SummaryRow {
  std::string kernel, dtype, tolerance, status;
  double worst = 0;
  int64_t worst_size = -1;
};

inline std::vector<SummaryRow>& summary() {
  static std::vector<SummaryRow> rows;
  return rows;
}

// Prints every check's worst error when the test program ends.
class SummaryPrinter : public ::testing::Environment {
 public:
  void TearDown() override {
    if (summary().empty()) return;
    std::printf("\nDifferential summary: worst error per kernel over all sizes\n");
    std::printf("%-44s %-8s %14s %9s  %-26s %s\n", "kernel", "dtype", "worst", "at size", "tolerance", "status");
    for (const SummaryRow& r : summary()) {
      const std::string at = r.worst_size < 0 ? "-" : std::to_string(r.worst_size);  // "-": exact everywhere
      std::printf("%-44s %-8s %14.4g %9s  %-26s %s\n", r.kernel.c_str(), r.dtype.c_str(), r.worst, at.c_str(),
                  r.tolerance.c_str(), r.status.c_str());
    }
    std::fflush(stdout);
  }
};
inline const bool summary_printer_registered = (::testing::AddGlobalTestEnvironment(new SummaryPrinter), true);

// The worst element of one kernel in one dtype, over every size it ran at. The tolerance
// may vary with the size (a sum's bound grows with n): elements are ranked by error / tol.
class Check {
 public:
  Check(std::string kernel, std::string dtype, double tolerance, std::string unit = "ulp")
      : kernel_(std::move(kernel)), dtype_(std::move(dtype)), tolerance_(tolerance), unit_(std::move(unit)) {}

  const std::string& kernel() const { return kernel_; }
  const std::string& dtype() const { return dtype_; }
  std::string id() const { return kernel_ + "/" + dtype_; }

  // Describes the tolerance in the summary when it is not one number (e.g. "n/2 + 1 ulp(sum|x|)").
  void describe_tolerance(std::string text) { tolerance_text_ = std::move(text); }
  // A note printed with a failure (e.g. the thread count of the run).
  void set_context(std::string context) { context_ = std::move(context); }

  // error: already measured (see error_in_ulp); tol <= 0 means the check's own tolerance.
  void add(double error, int64_t size, int64_t index, long double got, long double expected,
           std::initializer_list<long double> inputs, double tol = 0) {
    if (tol <= 0) tol = tolerance_;
    if (error > worst_error_ || (std::isinf(error) && worst_error_size_ < 0)) {
      worst_error_ = error;
      worst_error_size_ = size;
    }
    ++compared_;
    const double ratio = tol > 0 ? error / tol : (error > 0 ? std::numeric_limits<double>::infinity() : 0.0);
    if (ratio > worst_ratio_ || (!failing_ && ratio > 1)) {
      worst_ratio_ = ratio;
      failing_ = failing_ || ratio > 1;
      std::ostringstream out;
      out << kernel_ << " [" << dtype_ << "] size " << size << (context_.empty() ? "" : ", " + context_)
          << ": worst element " << index << ", input";
      for (long double v : inputs) out << " " << show(v);
      out << ", got " << show(got) << ", expected " << show(expected) << ", error " << error << " " << unit_
          << " (tolerance " << tol << " " << unit_ << ")";
      worst_text_ = out.str();
    }
  }

  template <class T>
  void compare(int64_t size, int64_t index, T got, long double expected, std::initializer_list<long double> inputs,
               long double scale = 0, double tol = 0, bool signed_zero = false) {
    add(error_in_ulp<T>(got, expected, scale, signed_zero), size, index, got, expected, inputs, tol);
  }

  // A failure that is not an element (wrong shape, a write past the end, ...).
  void fail(const std::string& what) {
    failing_ = true;
    worst_ratio_ = std::numeric_limits<double>::infinity();
    worst_error_ = std::numeric_limits<double>::infinity();
    worst_text_ = kernel_ + " [" + dtype_ + "]: " + what;
  }

  bool passed() const { return !failing_; }
  int64_t compared() const { return compared_; }
  double worst_error() const { return worst_error_; }
  const std::string& worst_text() const { return worst_text_; }

  std::string tolerance_text() const {
    if (!tolerance_text_.empty()) return tolerance_text_;
    std::ostringstream out;
    out << tolerance_ << " " << unit_;
    return out.str();
  }

  void record(const std::string& status) const {
    summary().push_back({kernel_, dtype_, tolerance_text(), status, worst_error_, worst_error_size_});
  }

 private:
  std::string kernel_, dtype_;
  double tolerance_;
  std::string unit_, tolerance_text_, context_;
  double worst_error_ = 0, worst_ratio_ = 0;
  int64_t worst_error_size_ = -1, compared_ = 0;
  bool failing_ = false;
  std::string worst_text_;
};

// Collects the checks of one test and turns them into the test's verdict. There is no list of
// known failures and no skip: a known deviation is written into the check as a stated bound on a
// stated interval (the test fails above it), and a defect fails the test until it is fixed.
class Verdict {
 public:
  void add(const Check& c) {
    c.record(c.passed() ? "ok" : "FAIL");
    if (!c.passed()) failures_ += "\n  " + c.worst_text();
  }

  bool has_failures() const { return !failures_.empty(); }
  const std::string& failures() const { return failures_; }

 private:
  std::string failures_;
};

// Ends a test from its verdict: any failing check fails it, with its worst element.
#define NABLA_DIFFERENTIAL_VERDICT(verdict)                                              \
  do {                                                                                   \
    if ((verdict).has_failures()) ADD_FAILURE() << "differential check failed:" << (verdict).failures(); \
  } while (0)

// The zero crossings of g on [lo, hi]: where it changes sign between grid points 1/1024 apart,
// narrowed by bisection. (A jump across 0, as hardswish' at -3, counts too.) Near one, a
// derivative that is a sum of terms cancels, and its error is measured against those terms.
template <class G> std::vector<long double> zero_crossings(const G& g, double lo, double hi) {
  std::vector<long double> zeros;
  constexpr long double kStep = 1.0L / 1024;
  long double a = lo, ga = g(a);
  for (long double b = lo + kStep; b <= hi; b += kStep) {
    const long double gb = g(b);
    if ((ga < 0 && gb > 0) || (ga > 0 && gb < 0)) {
      long double l = a, h = b;
      for (int k = 0; k < 64; ++k) {
        const long double m = (l + h) / 2;
        ((g(m) < 0) == (ga < 0) ? l : h) = m;
      }
      zeros.push_back((l + h) / 2);
    }
    if (gb != 0) a = b, ga = gb;
  }
  return zeros;
}

inline bool within(const std::vector<long double>& points, long double x, long double radius) {
  for (long double p : points) {
    if (std::fabs(x - p) < radius) return true;
  }
  return false;
}

// Sets the thread count for a scope (the pool's default is $NABLA_NUM_THREADS or the cores).
class ThreadCount {
 public:
  explicit ThreadCount(int n) : before_(get_num_threads()) { set_num_threads(n); }
  ~ThreadCount() { set_num_threads(before_); }
  ThreadCount(const ThreadCount&) = delete;
  ThreadCount& operator=(const ThreadCount&) = delete;

 private:
  int before_;
};
// The main runs use three threads, whatever the machine: the large sizes must be split (and
// three chunks put the boundaries away from the middle).
inline constexpr int kThreads = 3;

// Runs run(n) at every size with several threads, then (for kernels that split their loop
// across threads) the large sizes on one thread.
template <class Run> void for_each_size(Check& check, Run&& run, int64_t smallest = 0, bool single_thread = true) {
  {
    ThreadCount threads(kThreads);
    check.set_context(std::to_string(kThreads) + " threads");
    for (int64_t n : sizes()) {
      if (n >= smallest) run(n);
    }
  }
  if (!single_thread) return;
  ThreadCount one(1);
  check.set_context("1 thread");
  for (int64_t n : sizes()) {
    if (n >= kSingleThreadFrom) run(n);
  }
}

// An output buffer with guard elements past its end: a kernel that writes past n is caught.
template <class T> struct Guarded {
  static constexpr int kGuard = 16;
  static constexpr T kSentinel = T(-1234.5);
  std::vector<T> data;
  explicit Guarded(int64_t n, T fill = T(0)) : data(static_cast<size_t>(n) + kGuard, kSentinel) {
    std::fill(data.begin(), data.begin() + n, fill);
  }
  // The first n of `values` (an in-out buffer: a parameter, an optimizer's state).
  Guarded(const std::vector<T>& values, int64_t n) : data(static_cast<size_t>(n) + kGuard, kSentinel) {
    std::copy(values.begin(), values.begin() + n, data.begin());
  }
  T* get() { return data.data(); }
  T operator[](int64_t i) const { return data[static_cast<size_t>(i)]; }
  bool intact(int64_t n) const {
    for (int i = 0; i < kGuard; ++i) {
      if (data[static_cast<size_t>(n) + i] != kSentinel) return false;
    }
    return true;
  }
};

// Inputs: uniform on [lo, hi) from a fixed seed, with every `every`-th element taken from
// `specials` in turn, so that special values land in vector bodies and in tails alike.
template <class T>
std::vector<T> mixed_inputs(int64_t n, double lo, double hi, const std::vector<double>& specials, uint64_t seed,
                            int every = 11) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> uniform(lo, hi);
  std::vector<T> x(static_cast<size_t>(n));
  size_t next_special = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double u = uniform(gen);
    if (!specials.empty() && i % every == 3 % every) {
      x[i] = static_cast<T>(specials[next_special++ % specials.size()]);
    } else {
      x[i] = static_cast<T>(u);
    }
  }
  return x;
}

// The inputs repeat with period 65537 (a prime, so never in step with a vector width): the
// largest size then needs only 65537 reference values, yet every position is compared.
inline constexpr int64_t kPeriod = 65537;

template <class T> std::vector<T> periodic(const std::vector<T>& one_period) {
  std::vector<T> x(static_cast<size_t>(kLargestSize));
  for (int64_t i = 0; i < kLargestSize; ++i) x[i] = one_period[i % kPeriod];
  return x;
}

// The smallest positive denormal of T and one in the middle of the denormal range.
template <class T> std::vector<double> denormals() {
  const double tiny = static_cast<double>(std::numeric_limits<T>::denorm_min());
  const double mid = static_cast<double>(std::numeric_limits<T>::min()) / 1024;
  return {tiny, -tiny, mid, -mid};
}

inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The inputs where elementwise functions switch branch or overflow: signed zeros, the
// infinities, the float exp's clamps (88.7, 89, -87.5, -104), double's (710, -750), the
// denormals of T, and NaN when the function has a defined result for it.
template <class T> std::vector<double> elementwise_specials(bool with_nan) {
  std::vector<double> s = {0.0, -0.0, 1.0, -1.0, 0.5, kInf, -kInf, 1e30, -1e30, 88.7, 89.0, -87.5, -104.0, 710.0, -750.0};
  if (with_nan) s.push_back(kNaN);
  for (double d : denormals<T>()) s.push_back(d);
  return s;
}

// The broadcasting layouts that take different paths through the kernel: both inputs
// moving, one a scalar, a row vector added to every row, a column, and an outer product.
struct BroadcastLayout {
  std::string name;
  Shape a, b, out;
  bool threaded;  // splits across threads at the large sizes
};

inline std::vector<BroadcastLayout> broadcast_layouts(int64_t n) {
  return {
      {"same shape", {n}, {n}, {n}, true},
      {"b scalar", {n}, {1}, {n}, false},
      {"a scalar", {1}, {n}, {n}, false},
      {"row vector", {2, n}, {n}, {2, n}, true},
      {"column", {n, 3}, {n, 1}, {n, 3}, true},
      {"outer", {n, 1}, {1, 3}, {n, 3}, false},
  };
}

// Flat index into `in` (broadcast to `out`) for each flat index of `out`.
inline std::vector<int64_t> broadcast_index(const Shape& in, const Shape& out) {
  std::vector<int64_t> index(static_cast<size_t>(out.numel()));
  const int offset = out.dim() - in.dim();
  for (int64_t flat = 0; flat < out.numel(); ++flat) {
    int64_t rest = flat, source = 0, stride = 1;
    for (int d = out.dim() - 1; d >= 0; --d) {
      const int64_t coordinate = rest % out[d];
      rest /= out[d];
      const int di = d - offset;
      if (di >= 0 && in[di] != 1) {
        source += coordinate * stride;
        stride *= in[di];
      }
    }
    index[static_cast<size_t>(flat)] = source;
  }
  return index;
}

// A sum of m terms accumulated in double is within (m - 1)/2 ulp64 of sum |x| of the exact sum
// (each addition rounds by half an ulp of a partial sum no larger than sum |x|); float32 results
// then round once more, so they are within 1 ulp32(sum |x|).
template <class T> double sum_tolerance(int64_t m) {
  return sizeof(T) == 4 ? 1.0 : std::max(1.0, static_cast<double>(m - 1) / 2);
}

// The same bound where the double sum is one step of a longer formula (softmax's sum of terms),
// in ulps of T: (n - 1)/2 in float64, nothing in float32 (a double sum is far inside a float ulp).
template <class T> double double_sum_bound(int64_t n) { return sizeof(T) == 8 ? static_cast<double>(n - 1) / 2 : 0.0; }

// Names for parameterised tests: "exp_float32" and so on.
inline std::string test_name(std::string name) {
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

// One parameter of a differential test: a kernel (or activation) by name, in one dtype.
struct DtypeParam {
  std::string name;
  bool float64 = false;
  friend void PrintTo(const DtypeParam& p, std::ostream* out) { *out << p.name << (p.float64 ? " float64" : " float32"); }
};

// The names of a table of cases (each with a .name), in order: what both_dtypes takes.
template <class Cases>
std::vector<std::string> names_of(const Cases& cases) {
  std::vector<std::string> names;
  for (const auto& c : cases) names.push_back(c.name);
  return names;
}

inline std::vector<DtypeParam> both_dtypes(const std::vector<std::string>& names) {
  std::vector<DtypeParam> out;
  for (const std::string& n : names) {
    out.push_back({n, false});
    out.push_back({n, true});
  }
  return out;
}

inline std::string param_name(const ::testing::TestParamInfo<DtypeParam>& info) {
  return test_name(info.param.name + (info.param.float64 ? "_float64" : "_float32"));
}

// Calls f.template operator()<T>() with T = double or float.
template <class F> void with_dtype(bool float64, F&& f) {
  if (float64) {
    f.template operator()<double>();
  } else {
    f.template operator()<float>();
  }
}

}  // namespace nabla::differential
