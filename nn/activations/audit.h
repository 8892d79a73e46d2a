#pragma once
// What makes an activation good or bad, measured rather than asserted. audit() samples an
// activation on a dense grid and reports, for each of the questions below, the answer and
// the evidence:
//   - is it defined on all reals (no NaN or inf in f or f'; which x fail)?
//   - is it differentiable wherever sampled (f' finite; where it blows up)?
//   - is it non-linear (otherwise stacked layers collapse into one)?
//   - does it give a meaningful signal (not even: f(-2) = f(2) would hide the sign)?
//   - its output range, whether it is bounded and zero-centred, whether it is monotonic;
//   - how much of the line saturates (|f'| < kSaturatedSlope = 1e-3) or is dead (f' = 0
//     exactly: a flat piece, as relu's left side). Sampled in float64, where no smooth tail
//     on the grid rounds to 0; a slope that is merely tiny counts as saturated, not dead;
//   - what it costs, in nanoseconds per element forward and backward.
//
//   print_audit_table(std::cout, audit_all());
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "nn/activations/activation.h"

namespace nabla {

inline constexpr double kSaturatedSlope = 1e-3;  // |f'| below it: the gradient vanishes there

struct AuditOptions {
  double low = -10, high = 10;  // the grid, which includes 0 and every integer in it
  int64_t points = 20001;
  bool measure_cost = true;
  int64_t cost_elements = int64_t{1} << 20;  // float32 elements for the timing
};

struct AuditResult {
  std::string name;
  // The four questions a good activation must answer yes to.
  bool defined_everywhere = false;
  bool differentiable = false;
  bool nonlinear = false;
  bool meaningful_signal = false;  // not even
  // Shape of the function.
  bool monotonic = false;
  bool bounded_below = false, bounded_above = false;
  bool zero_centred = false;
  // The range of f: the grid's extremes, or +-inf where f is unbounded (checked far out and
  // at the edge of the domain, so log's range is (-inf, inf), not the grid's [-6.9, inf)).
  double min_output = 0, max_output = 0;
  // Saturation: fractions of the grid.
  double vanishing_fraction = 0;  // |f'| < kSaturatedSlope
  double dead_fraction = 0;       // f' = 0 exactly (flat)
  // Cost on float32, in nanoseconds per element (0 when not measured).
  double forward_ns = 0, backward_ns = 0;
  // Evidence for the failures, e.g. "NaN for x < 0", "f' infinite at x = 0".
  std::vector<std::string> notes;

  bool good() const { return defined_everywhere && differentiable && nonlinear && meaningful_signal; }
};

// Samples `activation` in float64 (and times it in float32 if options.measure_cost).
AuditResult audit(const Activation& activation, const AuditOptions& options = {});
// The same for activation(spec); std::invalid_argument for an unknown spec.
AuditResult audit(const std::string& spec, const AuditOptions& options = {});
// Every activation in the table.
std::vector<AuditResult> audit_all(const AuditOptions& options = {});

// One aligned table, a row per activation, with the thresholds and the notes underneath.
void print_audit_table(std::ostream& os, const std::vector<AuditResult>& rows);
std::ostream& operator<<(std::ostream& os, const AuditResult& row);

// What a plot of an activation marks with a vertical line, from its description: each kink
// ("kink") and the edge of its domain ("domain edge": log's and sqrt's 0, where f stops).
struct PlotMark {
  double x;
  std::string label;
};
std::vector<PlotMark> plot_marks(const Activation& activation);
// The x range to plot an activation on: [-5, 5], widened to show every kink with a margin of
// 1 (relu6: [-5, 7], so its upper kink at 6 shows).
std::pair<double, double> plot_x_range(const Activation& activation);

}  // namespace nabla
