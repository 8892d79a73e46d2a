#include "autograd/gradcheck.h"

#include <cmath>
#include <iomanip>
#include <iostream>
#include <numeric>
#include <sstream>

#include "autograd/engine.h"
#include "autograd/error.h"
#include "autograd/forward_ad.h"
#include "autograd/grad_mode.h"
#include "autograd/ops/creation.h"
#include "autograd/ops/shape_ops.h"

namespace nabla {
namespace {

using Values = std::vector<double>;

// Float64 copies of the inputs; those that required grad still do.
TensorList as_float64(const TensorList& inputs) {
  TensorList out;
  for (const Tensor& t : inputs) {
    if (!t.defined() || !is_floating_point(t.dtype())) {
      out.push_back(t);
      continue;
    }
    Tensor copy = t.detach().to(kFloat64).clone();  // clone: never nudge the caller's data
    copy.requires_grad_(t.requires_grad());
    out.push_back(copy);
  }
  return out;
}

Tensor evaluate(const DifferentiableFunction& f, const TensorList& inputs, bool record) {
  AutoGradMode mode(record);
  Tensor y = f(inputs);
  if (!y.defined() || !is_floating_point(y.dtype())) {
    throw std::invalid_argument("gradcheck: the function must return a floating-point tensor");
  }
  return y.dtype() == kFloat64 ? y : y.to(kFloat64);
}

double dot(const Values& a, const Values& b) { return std::inner_product(a.begin(), a.end(), b.begin(), 0.0); }

// The inputs gradcheck differentiates: float64 copies, and which of them require grad.
struct Checked {
  TensorList inputs;
  std::vector<int> indices;
};
Checked checked_inputs(const TensorList& original) {
  Checked c{as_float64(original), {}};
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    if (c.inputs[i].defined() && c.inputs[i].requires_grad()) c.indices.push_back(static_cast<int>(i));
  }
  return c;
}

// (f(x + eps w) - f(x - eps w)) / 2 eps: J w by central differences. `nudge(step)` adds
// step w to the input's values, `restore()` puts them back exactly.
template <class Nudge, class Restore>
Values central_difference(const DifferentiableFunction& f, const TensorList& inputs, double eps, Nudge nudge,
                          Restore restore) {
  NoGradGuard no_grad;
  nudge(eps);
  const Values plus = evaluate(f, inputs, false).to_vector();  // a copy: f(x) may be a view of x
  restore();
  nudge(-eps);
  Values minus = evaluate(f, inputs, false).to_vector();
  restore();
  for (size_t j = 0; j < minus.size(); ++j) minus[j] = (plus[j] - minus[j]) / (2 * eps);
  return minus;
}

// J w, w applied to input `index` only, by finite differences.
Values numeric_derivative(const DifferentiableFunction& f, const TensorList& inputs, int index, const Values& w,
                          double eps) {
  double* x = inputs[index].data_ptr<double>();
  const Values saved(x, x + inputs[index].numel());
  return central_difference(
      f, inputs, eps, [&](double step) { for (size_t e = 0; e < w.size(); ++e) x[e] += step * w[e]; },
      [&] { std::copy(saved.begin(), saved.end(), x); });
}

// Column e of J (input `index`) by finite differences: one element nudged.
Values numeric_column(const DifferentiableFunction& f, const TensorList& inputs, int index, int64_t e, double eps) {
  double* x = inputs[index].data_ptr<double>();
  const double saved = x[e];
  return central_difference(f, inputs, eps, [&](double step) { x[e] += step; }, [&] { x[e] = saved; });
}

// J w by forward mode, w applied to input `index` only. A missing forward-mode rule throws
// the op's AutogradError.
Values forward_derivative(const DifferentiableFunction& f, const TensorList& inputs, int index, const Values& w) {
  TangentsWithoutGraph plain_tangents;  // forward over reverse (gradgradcheck) records no tangent graph
  DualLevel level;
  TensorList duals = inputs;
  duals[index] = make_dual(inputs[index], tensor(w, inputs[index].sizes(), kFloat64));
  const Tensor y = f(duals);
  const Tensor tangent = tangent_of(y);
  return tangent.defined() ? tangent.to_vector() : Values(y.numel(), 0.0);
}

// u^T J for each checked input (zeros where f does not depend on one), by one backward.
std::vector<Values> reverse_derivative(const Tensor& y, const Checked& c, const Values& u) {
  std::vector<Values> rows;
  TensorList wrt;
  for (int i : c.indices) {
    wrt.push_back(c.inputs[i]);
    rows.emplace_back(c.inputs[i].numel(), 0.0);
  }
  if (!y.requires_grad()) return rows;
  const TensorList grads = autograd::grad({y}, wrt, {tensor(u, y.sizes(), kFloat64)}, /*retain_graph=*/true, false,
                                          /*allow_unused=*/true);
  for (size_t k = 0; k < grads.size(); ++k) {
    if (grads[k].defined()) rows[k] = grads[k].to_vector();
  }
  return rows;
}

Values one_hot(int64_t n, int64_t k) {
  Values e(n, 0.0);
  e[k] = 1;
  return e;
}

// Keeps the worst disagreement seen, over every comparison of every mode.
struct Comparison {
  GradcheckResult result;
  double worst_excess = -1;
  bool any_nonzero = false;
  bool any_nan = false;

  void add(const GradcheckOptions& o, const char* mode, int input, int64_t element, int64_t output, double x,
           double analytic, double numeric) {
    if (std::abs(analytic) > 1e-12 || std::abs(numeric) > 1e-12) any_nonzero = true;
    const double abs_error = std::abs(analytic - numeric);
    const bool nan = std::isnan(analytic) != std::isnan(numeric) || (std::isnan(abs_error) && !std::isnan(numeric));
    any_nan = any_nan || nan;
    const double rel_error = abs_error / std::max(std::abs(numeric), 1e-12);
    if (!std::isnan(abs_error)) {
      result.max_abs_error = std::max(result.max_abs_error, abs_error);
      result.max_rel_error = std::max(result.max_rel_error, rel_error);
    }
    const double excess = nan ? INFINITY : abs_error - (o.atol + o.rtol * std::abs(numeric));
    // Entries that are zero on both sides say nothing about where the backward is off.
    const bool informative = analytic != 0 || numeric != 0 || result.input_index < 0;
    if (informative && excess > worst_excess) {
      worst_excess = excess;
      result.mode = mode;
      result.input_index = input;
      result.element_index = element;
      result.output_index = output;
      result.input_value = x;
      result.analytic = analytic;
      result.numeric = numeric;
    }
  }

  bool graph_has_where = false;

  GradcheckResult verdict(const GradcheckOptions& o) const {
    GradcheckResult r = result;
    r.fast_mode = o.fast_mode;
    if (any_nan) {
      r.passed = false;
      r.message = "NaN in one gradient but not the other";
      if (graph_has_where) {
        r.message += " (the graph has a where(): if the branch it did not select computes NaN, such as sqrt of a "
                     "negative, its zero gradient times that NaN is NaN; give that branch a safe input)";
      }
    } else if (worst_excess > 0) {
      r.passed = false;
      r.message = "analytic and numeric gradients disagree";
    } else if (!any_nonzero && !o.expect_zero_gradient) {
      r.passed = false;
      r.message = "both gradients are zero everywhere, which proves nothing; set expect_zero_gradient if zero is right";
    } else {
      r.passed = true;
      r.message = "analytic and numeric gradients agree";
    }
    return r;
  }
};

GradcheckResult nothing_to_check() {
  GradcheckResult r;
  r.message = "no input requires grad: nothing to check";
  return r;
}

GradcheckResult without_forward_mode(const GradcheckOptions& o, const AutogradError& e) {
  GradcheckResult r;
  r.fast_mode = o.fast_mode;
  r.mode = "forward mode";
  r.message = std::string("forward mode is not available: ") + e.what();
  return r;
}

// Every entry of the Jacobian: rows by backward, columns by finite differences (and by jvp).
GradcheckResult full_check(const DifferentiableFunction& f, const TensorList& original, const GradcheckOptions& o) {
  const Checked c = checked_inputs(original);
  if (c.indices.empty()) return nothing_to_check();

  const Tensor y = evaluate(f, c.inputs, true);
  const int64_t rows = y.numel();
  std::vector<std::vector<Values>> by_row;  // by_row[j][k]: d y_j / d input k, from one backward each
  for (int64_t j = 0; j < rows; ++j) by_row.push_back(reverse_derivative(y, c, one_hot(rows, j)));

  Comparison cmp;
  cmp.graph_has_where = graph_has_op(y.grad_fn(), "where");
  try {
    for (size_t k = 0; k < c.indices.size(); ++k) {
      const int index = c.indices[k];
      const double* x = c.inputs[index].data_ptr<double>();
      const int64_t n = c.inputs[index].numel();
      for (int64_t e = 0; e < n; ++e) {
        const Values numeric = numeric_column(f, c.inputs, index, e, o.eps);
        Values forward;
        if (o.check_forward_ad) forward = forward_derivative(f, c.inputs, index, one_hot(n, e));
        for (int64_t j = 0; j < rows; ++j) {
          const double reverse = by_row[j][k][e];
          cmp.add(o, "reverse mode", index, e, j, x[e], reverse, numeric[j]);
          if (!o.check_forward_ad) continue;
          cmp.add(o, "forward mode", index, e, j, x[e], forward[j], numeric[j]);
          cmp.add(o, "forward vs reverse", index, e, j, x[e], forward[j], reverse);
        }
      }
    }
  } catch (const AutogradError& e) {
    return without_forward_mode(o, e);
  }
  return cmp.verdict(o);
}

Values unit_random(int64_t n, Generator& gen) {
  Values u = randn({n}, kFloat64, &gen).to_vector();
  const double norm = std::sqrt(dot(u, u));
  for (double& x : u) x /= norm;
  return u;
}

// u restricted to elements [lo, hi) (zero elsewhere).
Values restricted(const Values& u, int64_t lo, int64_t hi) {
  Values w(u.size(), 0.0);
  std::copy(u.begin() + lo, u.begin() + hi, w.begin() + lo);
  return w;
}

// v^T J w by finite differences, stepping along w's unit vector so that a short w (one
// element of a long u) is measured with the full step.
double numeric_projection(const DifferentiableFunction& f, const TensorList& inputs, int index, const Values& v,
                          Values w, double eps) {
  const double norm = std::sqrt(dot(w, w));
  if (norm == 0) return 0;
  for (double& x : w) x /= norm;
  return dot(v, numeric_derivative(f, inputs, index, w, eps)) * norm;
}

// A fast-mode disagreement on input k, traced to one entry of J. The error of v^T J u is
// linear in u and in v, so of two halves of u's support one carries at least half of it:
// follow it down to one element e, then halve v's support down to one output j.
void trace_to_entry(const DifferentiableFunction& f, const Tensor& y, const Checked& c, size_t k, const Values& u,
                    const Values& v, const Values& reverse_row, const GradcheckOptions& o, GradcheckResult& r) {
  const int index = c.indices[k];
  const bool forward = r.mode != "reverse mode";
  auto analytic = [&](const Values& w) {
    return forward ? dot(v, forward_derivative(f, c.inputs, index, w)) : dot(reverse_row, w);
  };
  auto error_on = [&](int64_t lo, int64_t hi) {
    const Values w = restricted(u, lo, hi);
    const double numeric = r.mode == "forward vs reverse" ? dot(reverse_row, w)
                                                           : numeric_projection(f, c.inputs, index, v, w, o.eps);
    return analytic(w) - numeric;
  };
  int64_t lo = 0, hi = static_cast<int64_t>(u.size());
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (std::abs(error_on(lo, mid)) >= std::abs(error_on(mid, hi))) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  const int64_t e = lo;
  const int64_t rows = y.numel();
  // Column e of J, each way: by finite differences, by jvp, and row by row by backward.
  const Values numeric_entries = numeric_column(f, c.inputs, index, e, o.eps);
  const Values forward_column =
      forward ? forward_derivative(f, c.inputs, index, one_hot(static_cast<int64_t>(u.size()), e)) : Values();
  auto reverse_entry = [&](const Values& w) { return reverse_derivative(y, c, w)[k][e]; };
  auto column_error_on = [&](int64_t lo_j, int64_t hi_j) {
    const Values w = restricted(v, lo_j, hi_j);
    const double reference = r.mode == "forward vs reverse" ? reverse_entry(w) : dot(w, numeric_entries);
    return (forward ? dot(w, forward_column) : reverse_entry(w)) - reference;
  };
  int64_t lo_j = 0, hi_j = rows;
  while (hi_j - lo_j > 1) {
    const int64_t mid = lo_j + (hi_j - lo_j) / 2;
    if (std::abs(column_error_on(lo_j, mid)) >= std::abs(column_error_on(mid, hi_j))) {
      hi_j = mid;
    } else {
      lo_j = mid;
    }
  }
  const int64_t j = lo_j;
  r.element_index = e;
  r.output_index = j;
  r.input_value = c.inputs[index].data_ptr<double>()[e];
  r.analytic = forward ? forward_column[j] : reverse_entry(one_hot(rows, j));
  r.numeric = r.mode == "forward vs reverse" ? reverse_entry(one_hot(rows, j)) : numeric_entries[j];
}

// v^T J u per input: one backward, one jvp and one finite difference along u per input.
GradcheckResult fast_check(const DifferentiableFunction& f, const TensorList& original, const GradcheckOptions& o) {
  const Checked c = checked_inputs(original);
  if (c.indices.empty()) return nothing_to_check();
  Generator gen(o.seed);
  const Tensor y = evaluate(f, c.inputs, true);
  const Values v = unit_random(y.numel(), gen);
  const std::vector<Values> reverse_rows = reverse_derivative(y, c, v);

  Comparison cmp;
  cmp.graph_has_where = graph_has_op(y.grad_fn(), "where");
  std::vector<Values> directions;
  try {
    for (size_t k = 0; k < c.indices.size(); ++k) {
      const int index = c.indices[k];
      directions.push_back(unit_random(c.inputs[index].numel(), gen));
      const Values& u = directions.back();
      const double numeric = dot(v, numeric_derivative(f, c.inputs, index, u, o.eps));
      const double reverse = dot(reverse_rows[k], u);
      const double worst_before = cmp.worst_excess;
      cmp.add(o, "reverse mode", index, -1, -1, NAN, reverse, numeric);
      if (o.check_forward_ad) {
        const double forward = dot(v, forward_derivative(f, c.inputs, index, u));
        cmp.add(o, "forward mode", index, -1, -1, NAN, forward, numeric);
        cmp.add(o, "forward vs reverse", index, -1, -1, NAN, forward, reverse);
      }
      if (cmp.worst_excess != worst_before) {  // this input now holds the worst: keep its projections
        cmp.result.projected_analytic = cmp.result.analytic;
        cmp.result.projected_numeric = cmp.result.numeric;
      }
    }
  } catch (const AutogradError& e) {
    return without_forward_mode(o, e);
  }
  GradcheckResult r = cmp.verdict(o);
  if (!r.passed && r.input_index >= 0 && !cmp.any_nan) {
    for (size_t k = 0; k < c.indices.size(); ++k) {
      if (c.indices[k] == r.input_index) trace_to_entry(f, y, c, k, directions[k], v, reverse_rows[k], o, r);
    }
  }
  return r;
}

GradcheckResult check(const DifferentiableFunction& f, const TensorList& inputs, const GradcheckOptions& o) {
  if (!(o.eps > 0) || !std::isfinite(o.eps) || !(o.atol >= 0) || !(o.rtol >= 0)) {
    std::ostringstream s;
    s << "gradcheck: eps must be positive and finite, atol and rtol non-negative (got eps " << o.eps << ", atol "
      << o.atol << ", rtol " << o.rtol << ")";
    throw std::invalid_argument(s.str());
  }
  return o.fast_mode ? fast_check(f, inputs, o) : full_check(f, inputs, o);
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const GradcheckResult& r) {
  os << r.check << (r.passed ? " PASSED" : " FAILED") << ": " << r.message;
  if (r.input_index < 0) return os;
  os << std::setprecision(6) << "\n  max abs error " << r.max_abs_error << ", max rel error " << r.max_rel_error;
  const std::string reference = r.mode == "forward vs reverse" ? "reverse" : "numeric";
  const std::string analytic = r.mode == "forward vs reverse" ? "forward" : "analytic";
  if (r.fast_mode) {
    os << "\n  fast mode, " << r.mode << ": v^T J u for input " << r.input_index << " along random unit u, v: "
       << analytic << " " << r.projected_analytic << " vs " << reference << " " << r.projected_numeric;
    if (r.element_index < 0) return os;
    os << "\n  traced to";
  } else {
    os << "\n  worst (" << r.mode << ") at";
  }
  os << " input " << r.input_index << " element " << r.element_index << " (x = " << r.input_value << "), output "
     << r.output_index << ": " << analytic << " " << r.analytic << " vs " << reference << " " << r.numeric;
  return os;
}

GradcheckResult gradcheck(const DifferentiableFunction& f, const TensorList& inputs, const GradcheckOptions& options) {
  return check(f, inputs, options);
}

GradcheckResult gradcheck(const std::function<Tensor(const Tensor&)>& f, const Tensor& input,
                          const GradcheckOptions& options) {
  return check([&](const TensorList& in) { return f(in[0]); }, {input}, options);
}

GradcheckResult gradgradcheck(const DifferentiableFunction& f, const TensorList& inputs,
                              const GradcheckOptions& options) {
  // A fixed random direction v, so <v, f(x)> involves every output element.
  Tensor v;
  {
    NoGradGuard no_grad;
    Generator gen(12345);
    v = randn(evaluate(f, as_float64(inputs), false).sizes(), kFloat64, &gen);
  }
  // x -> d<v, f(x)>/dx, flattened and joined: its Jacobian is the matrix of second derivatives.
  auto first_derivative = [&f, v](const TensorList& in) {
    TensorList wrt;
    for (const Tensor& t : in) {
      if (t.defined() && t.requires_grad()) wrt.push_back(t);
    }
    const Tensor y = f(in);
    Tensor vv = y.dtype() == v.dtype() ? v : v.to(y.dtype());
    const TensorList grads = autograd::grad({y}, wrt, {vv}, true, /*create_graph=*/GradMode::is_enabled(), true);
    TensorList flat;
    for (size_t i = 0; i < grads.size(); ++i) {
      flat.push_back(grads[i].defined() ? grads[i].reshape({-1}) : zeros({wrt[i].numel()}, wrt[i].dtype()));
    }
    return cat(flat, 0);
  };
  // With recording off (the numeric side, forward mode), the first derivative must still be
  // computed: evaluate it with recording on, then drop the graph.
  auto wrapped = [first_derivative](const TensorList& in) {
    if (GradMode::is_enabled()) return first_derivative(in);
    AutoGradMode on(true);
    return first_derivative(in).detach();
  };
  GradcheckResult result = check(wrapped, inputs, options);
  result.check = "gradgradcheck";
  return result;
}

GradcheckResult gradgradcheck(const std::function<Tensor(const Tensor&)>& f, const Tensor& input,
                              const GradcheckOptions& options) {
  return gradgradcheck([&](const TensorList& in) { return f(in[0]); }, {input}, options);
}

}  // namespace nabla
