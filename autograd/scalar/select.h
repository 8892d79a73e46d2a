#pragma once
// Selections on one value, written as compare-and-select so the loops that call them
// vectorise (std::fmin/fmax become library calls there) and a NaN input stays NaN.
namespace nabla {

// 1 if x > 0, else 0 (0 at x = 0 and for NaN).
template <class T> T unit_step(T x) { return x > T(0) ? T(1) : T(0); }

// x clamped to [low, high], with low < high; a NaN x comes out NaN, not as a bound.
// In two steps, each a compare-and-select of one bound: on x86 each compiles to one min or max
// instruction (minps(high, x) returns x when x is NaN; a bound of 0 becomes a compare and an
// and-not), where the nested form x < low ? low : (x > high ? high : x) needs four compares
// and two blends.
template <class T> T clamp_keeping_nan(T x, T low, T high) {
  const T below_high = x > high ? high : x;
  return below_high < low ? low : below_high;
}

}  // namespace nabla
