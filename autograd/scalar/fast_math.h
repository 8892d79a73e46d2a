#pragma once
// Math on one value: exp, expm1, tanh, log1p, log and the normal CDF, as Math<T>::exp(x), ...
// Plain functions of a number, below the kernels: the kernels' loops call them, and so do the
// activations' formulas (nn/activations/builtin.h), which those loops inline. They are
// written so that the compiler vectorises the loops that call them. float32 (the training
// type) gets branch-free polynomial versions accurate to a few ulp; float64 (the
// gradient-checking type) uses the standard library, so gradient checks measure the
// derivative formulas, not an approximation.
//
// The float versions saturate instead of overflowing: exp(x) is clamped to e^88, which
// is what the activations built on it want (sigmoid(-1e4) is 0, not NaN).
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

// Inlined into every loop that calls them: a call in the loop body stops vectorisation.
#if defined(__GNUC__)
#define NABLA_VECTOR_INLINE [[gnu::always_inline]] inline
#else
#define NABLA_VECTOR_INLINE inline
#endif

namespace nabla::fast_math {

// a * b + c, as one fused multiply-add (rounded once) where the CPU has one, else as two
// operations. Spelled out because the elementwise kernels are compiled with
// -ffp-contract=off: left to itself, the compiler fuses a * b + c in a vectorised loop and
// not in its scalar tail (or the reverse), and an element's result would depend on where it
// sits in the tensor. Here the choice is made once, the same in every lane and in the tail.
template <class T>
NABLA_VECTOR_INLINE T madd(T a, T b, T c) {
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
  return std::fma(a, b, c);
#else
  return a * b + c;
#endif
}

// e^x = 2^n e^r for float: n = round(x / ln 2), r = x - n ln 2 with |r| <= ln2/2 (ln 2 in
// two parts, Cody-Waite, so r is exact to float precision). Returns 2^n and r.
// n is rounded by adding 1.5 * 2^23 (exact for |x / ln 2| < 2^22): the sum's low mantissa
// bits then hold n itself, so 2^n is built from those bits with two integer operations, with
// no float-to-int conversion (undefined for a NaN x; here a NaN x only yields garbage bits in
// 2^n while r carries the NaN) and no rounding-mode call, and the loop stays vectorised.
// Valid for x in [kExpLowest, kExpHighest]; outside it the bits are garbage, and the callers
// select their limit after the fact (see exp).
inline constexpr float kExpLowest = -87.3f, kExpHighest = 88.0f;
inline constexpr float kExpOfHighest = 0x1.f1056ep+126f;  // e^88, rounded: what exp(88) computes
NABLA_VECTOR_INLINE void reduce_exp_argument(float x, float& two_to_n, float& r) {
  constexpr float kRound = 12582912.0f;  // 1.5 * 2^23, bits 0x4b400000
  const float shifted = madd(x, 1.44269504f, kRound);  // x / ln 2 + 1.5 * 2^23, rounded to an integer
  const float nf = shifted - kRound;
  r = madd(nf, 2.12194440e-4f, madd(nf, -0.693359375f, x));
  // bits(shifted) = 0x4b400000 + n, and 0x4b400000 << 23 overflows to 0: (bits + 127) << 23
  // is the exponent field of 2^n.
  two_to_n = std::bit_cast<float>((std::bit_cast<uint32_t>(shifted) + 127u) << 23);
}

// e^r - 1 for |r| <= ln2/2 as r + r^2 P(r), with P the degree-5 minimax fit of Cephes' expf
// (S. Moshier; relative error about 1e-7 on the interval, half an ulp): no constant term, so
// no cancellation near 0.
NABLA_VECTOR_INLINE float expm1_reduced(float r) {
  // By Estrin's scheme (pairs, then r^2 and r^4): 3 dependent steps instead of Horner's 5
  // (see normal_cdf on why the chain's length matters more than the count).
  const float r2 = r * r, r4 = r2 * r2;
  const float p01 = madd(1.6666665459e-1f, r, 5.0000001201e-1f), p23 = madd(8.3334519073e-3f, r, 4.1665795894e-2f);
  const float p45 = madd(1.9875691500e-4f, r, 1.3981999507e-3f);
  const float p = madd(r4, p45, madd(r2, p23, p01));
  return madd(r2, p, r);
}

// e^x = 2^n (1 + (e^r - 1)) for x in [kExpLowest, kExpHighest]; garbage outside, where the
// callers below select their limits.
NABLA_VECTOR_INLINE float exp_in_range(float x) {
  float two_to_n, r;
  reduce_exp_argument(x, two_to_n, r);
  return madd(two_to_n, expm1_reduced(r), two_to_n);
}

// e^x for float, to about 1 ulp. Below -87.3 the result (a subnormal, at most 2^-126) is
// flushed to 0; above 88 it saturates at e^88 instead of overflowing.
// The bounds are selected at the end, from x, rather than clamped into x at the start: the
// compares then run beside the polynomial instead of ahead of it, and the loop's chain of
// dependent operations (what sets its speed) is shorter; selu's forward ran 1.25x slower with
// the clamps first. Comparisons let a NaN x through to the NaN result.
NABLA_VECTOR_INLINE float exp(float x) {
  const float saturated = x > kExpHighest ? kExpOfHighest : exp_in_range(x);
  return x < kExpLowest ? 0.0f : saturated;
}

// e^x as exp above, but +inf above 88 rather than e^88: for 1 / (1 + e^-x), which must reach 0.
NABLA_VECTOR_INLINE float exp_reaching_inf(float x) {
  const float overflowed = x > kExpHighest ? std::numeric_limits<float>::infinity() : exp_in_range(x);
  return x < kExpLowest ? 0.0f : overflowed;
}

// e^x - 1 without the cancellation of exp(x) - 1 near 0 (ELU and tanh need it there):
// 2^n (e^r - 1) + (2^n - 1), where 2^n - 1 is exact for the n that matter (|x| < 17).
// Limits as exp's: -1 below -87.3, e^88 (= e^88 - 1 in float) above 88.
NABLA_VECTOR_INLINE float expm1(float x) {
  float two_to_n, r;
  reduce_exp_argument(x, two_to_n, r);
  const float result = madd(two_to_n, expm1_reduced(r), two_to_n - 1.0f);
  const float saturated = x > kExpHighest ? kExpOfHighest : result;
  return x < kExpLowest ? -1.0f : saturated;
}

// 1 / (1 + a)^3 for a >= 0, in double, with the rounding of 1 + a = d + d_low corrected
// (d_low exactly, by Fast2Sum: the larger term first): cubed, that rounding would cost 3 ulp.
// For a float a, 1 + a is exact in double and d_low is 0. Past 2^53 it is 0 too: there it no
// longer matters, and at a = inf it would be inf - inf. A NaN a gives NaN.
NABLA_VECTOR_INLINE double inverse_cube_of_one_plus(double a) {
  const double d = 1 + a, d_low = a > 0x1p53 ? 0.0 : (a > 1 ? (a - d) + 1 : (1 - d) + a);
  return 1 / (d * d * d) * (1 - 3 * d_low / d);
}

// tanh(x) = e / (e + 2) with e = e^{2|x|} - 1: no cancellation anywhere, 1 at saturation.
NABLA_VECTOR_INLINE float tanh(float x) {
  const float e = expm1(2.0f * std::fabs(x));
  return std::copysign(e / (e + 2.0f), x);
}

// e^(-x^2 / 2), the Gaussian. x^2 rounded to float is off by up to half an ulp of x^2, which
// e^(-x^2/2) turns into a relative error of x^2/2 half-ulps (100 at x = 10). With a fused
// multiply-add the rounding error of x^2 is recovered exactly and corrected for.
// Past x^2 = 200 the result is 0 (e^-100 flushes), selected because there, once x^2
// overflows, the correction meets inf * 0.
NABLA_VECTOR_INLINE float exp_minus_half_square(float x) {
  const float square = x * x;
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
  const float error = std::fma(x, x, -square);  // x^2 - square, exactly
  const float result = exp(-0.5f * square) * (1.0f - 0.5f * error);
#else
  const float result = exp(-0.5f * square);
#endif
  return square > 200.0f ? 0.0f : result;
}

// log(1 + z) for z in [0, 1] only (softplus needs no more): 2 atanh(s), s = z / (2 + z) <= 1/3.
NABLA_VECTOR_INLINE float log1p_unit(float z) {
  const float s = z / (2.0f + z);
  const float s2 = s * s;
  float p = 1.0f / 17;
  p = madd(p, s2, 1.0f / 15);
  p = madd(p, s2, 1.0f / 13);
  p = madd(p, s2, 1.0f / 11);
  p = madd(p, s2, 1.0f / 9);
  p = madd(p, s2, 1.0f / 7);
  p = madd(p, s2, 1.0f / 5);
  p = madd(p, s2, 1.0f / 3);
  p = madd(p, s2, 1.0f);
  return 2.0f * s * p;
}

// ln x for float: x = m 2^e with m in [sqrt(1/2), sqrt(2)), then ln m = 2 atanh(s) with
// s = (m - 1) / (m + 1), |s| < 0.172, by its series to s^11 (error below 1e-9). The IEEE
// special cases are selected at the end: NaN below 0, -inf at 0, inf at inf.
NABLA_VECTOR_INLINE float log(float x) {
  const bool tiny = x < 1.17549435e-38f;  // subnormal: scale into the normal range first
  const float scaled = tiny ? x * 8388608.0f : x;
  const auto bits = std::bit_cast<int32_t>(scaled);
  int32_t e = ((bits >> 23) & 0xff) - 127 - (tiny ? 23 : 0);
  float m = std::bit_cast<float>((bits & 0x007fffff) | 0x3f800000);  // in [1, 2)
  const bool high = m > 1.41421356f;
  m = high ? 0.5f * m : m;
  e = high ? e + 1 : e;
  const float s = (m - 1.0f) / (m + 1.0f), s2 = s * s;
  float p = 1.0f / 11;
  p = madd(p, s2, 1.0f / 9);
  p = madd(p, s2, 1.0f / 7);
  p = madd(p, s2, 1.0f / 5);
  p = madd(p, s2, 1.0f / 3);
  p = madd(p, s2, 1.0f);
  // e ln 2 is formed beside the polynomial, so the chain after it is one multiply-add.
  const float result = madd(2.0f * s, p, static_cast<float>(e) * 0.693147181f);
  const float inf = std::numeric_limits<float>::infinity();
  return x > 0.0f ? (x == inf ? inf : result) : (x == 0.0f ? -inf : std::numeric_limits<float>::quiet_NaN());
}

// The standard normal CDF Phi(x) = erfc(-x / sqrt 2) / 2, with erfc from the Chebyshev fit
// in Numerical Recipes (relative error below 1.2e-7 on all of [0, inf)), so the far left
// tail keeps its relative accuracy. Its factor e^(-z^2) = e^(-x^2/2) is formed from x, as in
// exp_minus_half_square, rather than from the rounded z.
NABLA_VECTOR_INLINE float normal_cdf(float x) {
  const float z = std::fabs(x) * 0.707106781f;
  const float t = 1.0f / (1.0f + 0.5f * z);
  // The degree-9 polynomial by Estrin's scheme (pairs, then t^2, t^4, t^8) rather than
  // Horner's: a chain of 5 dependent operations instead of 9. The loop's speed is set by the
  // length of its chain of dependent operations (divide, polynomial, exp), not by their number.
  const float t2 = t * t, t4 = t2 * t2, t8 = t4 * t4;
  const float p01 = madd(1.00002368f, t, -1.26551223f), p23 = madd(0.09678418f, t, 0.37409196f);
  const float p45 = madd(0.27886807f, t, -0.18628806f), p67 = madd(1.48851587f, t, -1.13520398f);
  const float p89 = madd(0.17087277f, t, -0.82215223f);
  const float p = madd(t8, p89, madd(t4, madd(t2, p67, p45), madd(t2, p23, p01)));
  // e^(-x^2/2 + p) as e^s (1 + error): the sum s = -x^2/2 + p is rounded to an ulp of up to
  // 45 (at x = -9.5), a relative error of 45 ulp in e^s. Its rounding error, recovered exactly
  // (Fast2Sum: |x^2/2| >= |p| wherever it matters), goes into the correction with x^2's.
  const float square = x * x, half_square = -0.5f * square;
  const float s = half_square + p, sum_error = (half_square - s) + p;
#if defined(__FMA__)
  const float correction = 1.0f + (sum_error - 0.5f * std::fma(x, x, -square));
#else
  const float correction = 1.0f + sum_error;
#endif
  // The factors beside e^s are multiplied while the exp runs, so one multiply follows it.
  const float half_erfc = exp(s) * (0.5f * t * correction);
  // Past these bounds Phi rounds to 1 and (after exp's flush at e^-87.3) to 0, so erfc(z) / 2 is
  // 0 there; selected because at |x| = inf, or once x^2 overflows, the corrections above meet
  // inf - inf (NaN). A NaN x fails both compares and stays NaN.
  const float tail = x > 10.0f || x < -20.0f ? 0.0f : half_erfc;
  return x < 0 ? tail : 1.0f - tail;
}

// --- exp and log of float tensors (the general ops exp(x), log(x)) ---------------------------
// Unlike the activations' versions above, these keep IEEE behaviour everywhere: exp overflows
// to inf and underflows through the subnormals, log(0) = -inf, log of a negative is NaN, and
// the result is within 1 ulp (in practice correctly rounded but for a few in a million
// halfway cases). They compute in double, with polynomials accurate to about 1e-14, and round
// once to float: the double's range holds every float result and input, subnormal ones too,
// so no special scaling is needed, and the loop vectorises (4 doubles per AVX2 vector).

// e^x for float x, computed in double and rounded once.
NABLA_VECTOR_INLINE float exp_ieee(float x) {
  double v = static_cast<double>(x);
  v = v < -104.0 ? -104.0 : v;  // e^-104 rounds to float 0; e^89 to float inf: 2^n stays a
  v = v > 89.0 ? 89.0 : v;      // normal double. Compare-and-select: NaN stays NaN.
  constexpr double kRound = 6755399441055744.0;  // 1.5 * 2^52: the sum's low bits hold n
  const double shifted = madd(v, 1.4426950408889634, kRound);
  const double nf = shifted - kRound;
  const double r = madd(nf, -0.6931471805599453, v);  // |r| <= ln2/2; error ~1e-17, far below float's
  // e^r by its Taylor polynomial to r^11: truncation below 6e-15 on |r| <= ln2/2.
  double p = 1.0 / 39916800;
  p = madd(p, r, 1.0 / 3628800);
  p = madd(p, r, 1.0 / 362880);
  p = madd(p, r, 1.0 / 40320);
  p = madd(p, r, 1.0 / 5040);
  p = madd(p, r, 1.0 / 720);
  p = madd(p, r, 1.0 / 120);
  p = madd(p, r, 1.0 / 24);
  p = madd(p, r, 1.0 / 6);
  p = madd(p, r, 0.5);
  p = madd(p, r, 1.0);
  p = madd(p, r, 1.0);
  // bits(shifted) = bits(1.5 * 2^52) + n, whose high bits shifted by 52 overflow away.
  const double two_to_n = std::bit_cast<double>((std::bit_cast<uint64_t>(shifted) + 1023u) << 52);
  return static_cast<float>(p * two_to_n);
}

// ln x for float x, computed in double and rounded once: x = m 2^e with m in [sqrt(1/2),
// sqrt(2)) (a subnormal float is a normal double), ln m = 2 atanh(s), s = (m - 1) / (m + 1),
// |s| < 0.172, by its series to s^19 (truncation below 1e-16). Special cases selected last.
NABLA_VECTOR_INLINE float log_ieee(float x) {
  const auto bits = std::bit_cast<uint64_t>(static_cast<double>(x));
  // The exponent field k as a double, 2^52 + k - 2^52, built from bits: AVX2 has no conversion
  // from 64-bit integers to double, and one would keep the loop from vectorising.
  double e = std::bit_cast<double>(((bits >> 52) & 0x7ff) | 0x4330000000000000ull) - (4503599627370496.0 + 1023.0);
  double m = std::bit_cast<double>((bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull);  // in [1, 2)
  const bool high = m > 1.4142135623730951;
  m = high ? 0.5 * m : m;
  e = high ? e + 1.0 : e;
  const double s = (m - 1.0) / (m + 1.0), s2 = s * s;
  double p = 1.0 / 19;
  p = madd(p, s2, 1.0 / 17);
  p = madd(p, s2, 1.0 / 15);
  p = madd(p, s2, 1.0 / 13);
  p = madd(p, s2, 1.0 / 11);
  p = madd(p, s2, 1.0 / 9);
  p = madd(p, s2, 1.0 / 7);
  p = madd(p, s2, 1.0 / 5);
  p = madd(p, s2, 1.0 / 3);
  p = madd(p, s2, 1.0);
  const float result = static_cast<float>(madd(e, 0.6931471805599453, 2.0 * s * p));
  const float inf = std::numeric_limits<float>::infinity();
  return x > 0.0f ? (x == inf ? inf : result) : (x == 0.0f ? -inf : std::numeric_limits<float>::quiet_NaN());
}

}  // namespace nabla::fast_math

namespace nabla {

// The math the activations and kernels are written with: Math<float> fast, Math<double> exact.
template <class T> struct Math;

template <> struct Math<float> {
  NABLA_VECTOR_INLINE static float exp(float x) { return fast_math::exp(x); }
  NABLA_VECTOR_INLINE static float exp_reaching_inf(float x) { return fast_math::exp_reaching_inf(x); }
  NABLA_VECTOR_INLINE static float expm1(float x) { return fast_math::expm1(x); }
  NABLA_VECTOR_INLINE static float tanh(float x) { return fast_math::tanh(x); }
  NABLA_VECTOR_INLINE static float log1p_unit(float z) { return fast_math::log1p_unit(z); }
  NABLA_VECTOR_INLINE static float log(float x) { return fast_math::log(x); }
  NABLA_VECTOR_INLINE static float normal_cdf(float x) { return fast_math::normal_cdf(x); }
  NABLA_VECTOR_INLINE static float exp_minus_half_square(float x) { return fast_math::exp_minus_half_square(x); }
};

template <> struct Math<double> {
  static double exp(double x) { return std::exp(x); }
  static double exp_reaching_inf(double x) { return std::exp(x); }
  static double expm1(double x) { return std::expm1(x); }
  static double tanh(double x) { return std::tanh(x); }
  static double log1p_unit(double z) { return std::log1p(z); }
  static double log(double x) { return std::log(x); }
  // In long double: erfc(z) magnifies the rounding of z = -x / sqrt 2 by 2 z^2 (about 400 at
  // x = -20), which would cost hundreds of ulp in the left tail of gelu.
  static double normal_cdf(double x) {
    return static_cast<double>(0.5L * std::erfc(-static_cast<long double>(x) * 0.707106781186547524400844362104849L));
  }
  // As the float version: the rounding of x^2 (x^2/2 half-ulps of the result, 200 at x = 20)
  // recovered with a fused multiply-add; 0 past x^2 = 1500 (e^-750 underflows).
  static double exp_minus_half_square(double x) {
    const double square = x * x;
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
    const double result = std::exp(-0.5 * square) * (1.0 - 0.5 * std::fma(x, x, -square));
#else
    const double result = std::exp(-0.5 * square);
#endif
    return square > 1500.0 ? 0.0 : result;
  }
};

}  // namespace nabla
