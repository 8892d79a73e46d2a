#include "autograd/gradcheck.h"

#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "autograd/engine.h"
#include "autograd/grad_mode.h"
#include "autograd/ops/creation.h"
#include "autograd/ops/shape_ops.h"

namespace nabla {
namespace {

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

struct Comparison {
  GradcheckResult result;
  double worst_excess = -1;
  bool any_nonzero = false;
  bool any_nan = false;

  void add(const GradcheckOptions& o, int input, int64_t element, int64_t output, double x, double analytic,
           double numeric) {
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
      result.input_index = input;
      result.element_index = element;
      result.output_index = output;
      result.input_value = x;
      result.analytic = analytic;
      result.numeric = numeric;
    }
  }
};

GradcheckResult check(const DifferentiableFunction& f, const TensorList& original, const GradcheckOptions& o) {
  const TensorList inputs = as_float64(original);
  std::vector<int> checked;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].defined() && inputs[i].requires_grad()) checked.push_back(static_cast<int>(i));
  }
  GradcheckResult empty_result;
  if (checked.empty()) {
    empty_result.message = "no input requires grad: nothing to check";
    return empty_result;
  }

  // Analytic Jacobian, row by row: the gradient of output element j w.r.t. every input.
  const Tensor y = evaluate(f, inputs, true);
  const int64_t rows = y.numel();
  TensorList wrt;
  for (int i : checked) wrt.push_back(inputs[i]);
  std::vector<std::vector<double>> analytic(checked.size());  // [input][row * numel + element]
  for (size_t c = 0; c < checked.size(); ++c) analytic[c].assign(rows * inputs[checked[c]].numel(), 0.0);
  if (y.requires_grad()) {
    for (int64_t j = 0; j < rows; ++j) {
      Tensor seed = zeros(y.sizes(), kFloat64);
      seed.data_ptr<double>()[j] = 1.0;
      const TensorList grads = autograd::grad({y}, wrt, {seed}, true, false, /*allow_unused=*/true);
      for (size_t c = 0; c < checked.size(); ++c) {
        if (!grads[c].defined()) continue;
        const Tensor g = grads[c].to(kFloat64).contiguous();  // a gradient may be a view
        const double* p = g.data_ptr<double>();
        std::copy(p, p + g.numel(), analytic[c].begin() + j * g.numel());
      }
    }
  }

  // Numeric Jacobian, column by column: nudge one input element both ways.
  Comparison cmp;
  NoGradGuard no_grad;
  for (size_t c = 0; c < checked.size(); ++c) {
    const int index = checked[c];
    double* x = inputs[index].data_ptr<double>();
    const int64_t n = inputs[index].numel();
    for (int64_t e = 0; e < n; ++e) {
      const double saved = x[e];
      x[e] = saved + o.eps;
      const Tensor plus = evaluate(f, inputs, false).clone();
      x[e] = saved - o.eps;
      const Tensor minus = evaluate(f, inputs, false).clone();  // f(x) may be a view of x, which changes next
      x[e] = saved;
      const double* pp = plus.data_ptr<double>();
      const double* pm = minus.data_ptr<double>();
      for (int64_t j = 0; j < rows; ++j) {
        const double numeric = (pp[j] - pm[j]) / (2 * o.eps);
        cmp.add(o, index, e, j, saved, analytic[c][j * n + e], numeric);
      }
    }
  }

  GradcheckResult r = cmp.result;
  if (cmp.any_nan) {
    r.passed = false;
    r.message = "NaN in one gradient but not the other";
  } else if (cmp.worst_excess > 0) {
    r.passed = false;
    r.message = "analytic and numeric gradients disagree";
  } else if (!cmp.any_nonzero && !o.expect_zero_gradient) {
    r.passed = false;
    r.message = "both gradients are zero everywhere, which proves nothing; set expect_zero_gradient if zero is right";
  } else {
    r.passed = true;
    r.message = "analytic and numeric gradients agree";
  }
  return r;
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const GradcheckResult& r) {
  os << r.check << (r.passed ? " PASSED" : " FAILED") << ": " << r.message;
  if (r.input_index >= 0) {
    os << std::setprecision(6) << "\n  max abs error " << r.max_abs_error << ", max rel error " << r.max_rel_error
       << "\n  worst at input " << r.input_index << " element " << r.element_index << " (x = " << r.input_value
       << "), output " << r.output_index << ": analytic " << r.analytic << " vs numeric " << r.numeric;
  }
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
  // With recording off (the numeric side), the first derivative must still be computed:
  // evaluate it with recording on, then drop the graph.
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
