#include "autograd/anomaly_mode.h"

#include <cmath>
#include <string>

#include "autograd/error.h"
#include "autograd/kernels/finite.h"
#include "autograd/node.h"

namespace nabla::detail {
namespace {

// The index of the first NaN or inf in a floating tensor, -1 if none (or not floating).
int64_t first_nonfinite(const Tensor& given) {
  if (!given.defined() || !is_floating_point(given.dtype())) return -1;
  const Tensor t = given.is_contiguous() ? given : given.detach().contiguous();  // the kernel walks one run of memory
  int64_t at = -1;
  dispatch_floating(t.dtype(), "detect_anomaly", [&]<class T>() { at = kernels::first_nonfinite(t.data_ptr<T>(), t.numel()); });
  return at;
}

// "NaN at element 3" or "inf at element 0".
std::string describe(const Tensor& given, int64_t at) {
  const Tensor t = given.detach().contiguous();
  const double v = t.dtype() == kFloat32 ? double{t.data_ptr<float>()[at]} : t.data_ptr<double>()[at];
  return std::string(std::isnan(v) ? "NaN" : v > 0 ? "inf" : "-inf") + " at element " + std::to_string(at);
}

// Set while a backward runs under the mode: its inner ops are checked as one, by the engine.
thread_local int backwards_running = 0;

std::string shape_and_type(const Tensor& t) { return to_string(t.sizes()) + " " + std::string(to_string(t.dtype())); }

}  // namespace

void check_forward_anomaly(std::string_view op, const Tensor& output, const Tensor* inputs, size_t input_count) {
  if (backwards_running > 0) return;
  const int64_t at = first_nonfinite(output);
  if (at < 0) return;
  std::string message = "detect_anomaly: forward of '" + std::string(op) + "' produced " + describe(output, at) +
                        " of its output " + shape_and_type(output) + " from inputs";
  std::string cause = "all inputs were finite, so '" + std::string(op) + "' itself met a value outside its domain "
                      "or overflowed";
  for (size_t i = 0; i < input_count; ++i) {
    const Tensor& in = inputs[i];
    message += (i ? ", " : " ") + (in.defined() ? shape_and_type(in) : std::string("(none)"));
    const int64_t bad = first_nonfinite(in);
    if (bad >= 0 && cause[0] == 'a') {
      cause = "input " + std::to_string(i) + " already held " + describe(in, bad) +
              ", so the anomaly was born before this op (in data, or in code outside the ops)";
    }
  }
  throw AnomalyError(message + "; " + cause);
}

std::vector<Tensor> apply_checking_anomalies(Node& node, const Tensor& grad_output) {
  struct Running {
    Running() { ++backwards_running; }
    ~Running() { --backwards_running; }
  };
  std::vector<Tensor> input_grads;
  {
    Running running;
    input_grads = node.apply(grad_output);
  }
  for (size_t i = 0; i < input_grads.size(); ++i) {
    const int64_t at = first_nonfinite(input_grads[i]);
    if (at < 0) continue;
    const int64_t bad_in = first_nonfinite(grad_output);
    throw AnomalyError("detect_anomaly: backward of '" + node.name() + "' (forward output " +
                       to_string(node.output_shape()) + " " + std::string(to_string(node.output_dtype())) +
                       ") produced " + describe(input_grads[i], at) + " in the gradient for its input " +
                       std::to_string(i) + " " + shape_and_type(input_grads[i]) + "; " +
                       (bad_in >= 0 ? "the gradient it was given already held " + describe(grad_output, bad_in)
                                    : "the gradient it was given was finite, so the derivative of '" + node.name() +
                                          "' itself is not finite there"));
  }
  return input_grads;
}

}  // namespace nabla::detail
