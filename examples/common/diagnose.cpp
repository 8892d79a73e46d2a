#include "examples/common/diagnose.h"

#include <cmath>
#include <cstdio>

namespace examples {

using namespace nabla;

namespace {

bool all_finite(const Tensor& t) {
  for (double v : t.to_vector()) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

std::string number(double x) {
  if (std::isnan(x)) return "NaN";  // printf would say "nan" or "-nan", depending on the sign bit
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", x);
  return buffer;
}

std::string domain_in_words(Domain d) {
  switch (d) {
    case Domain::NonNegative: return "x >= 0";
    case Domain::Positive: return "x > 0";
    case Domain::AllReals: break;
  }
  return "every x";
}

std::string divergence(const std::string& what, double learning_rate) {
  return what + ": training diverged (not an activation's domain); try a smaller learning rate than " +
         number(learning_rate);
}

// What nabla's anomaly detector says about the batch: the first op whose output is not
// finite, with its shapes (empty if every op's output is finite).
std::string first_anomaly(const nn::Sequential& model, const Tensor& inputs) {
  try {
    DetectAnomalyGuard detect;
    Tensor x = inputs;
    for (size_t i = 0; i < model.size(); ++i) x = model[i].forward(x);
  } catch (const AnomalyError& e) {
    return e.what();
  }
  return "";
}

std::string layer_by_layer(const nn::Sequential& model, const Tensor& inputs, double loss, double learning_rate);

}  // namespace

std::string diagnose_non_finite_loss(const nn::Sequential& model, const Tensor& inputs, double loss,
                                     double learning_rate) {
  NoGradGuard no_grad;
  const std::string diagnosis = layer_by_layer(model, inputs, loss, learning_rate);
  const std::string anomaly = first_anomaly(model, inputs);
  return anomaly.empty() ? diagnosis : diagnosis + " [" + anomaly + "]";
}

namespace {

std::string layer_by_layer(const nn::Sequential& model, const Tensor& inputs, double loss, double learning_rate) {
  const std::string loss_text = "the loss became " + number(loss);
  if (!all_finite(inputs)) return loss_text + " because the input data holds NaN or inf";
  Tensor x = inputs;
  for (size_t i = 0; i < model.size(); ++i) {
    const std::string layer = "layer " + std::to_string(i + 1);
    const auto* dense = dynamic_cast<const nn::Dense*>(&model[i]);
    if (!dense) {
      x = model[i].forward(x);
      if (!all_finite(x)) return divergence(loss_text + " (" + layer + " output NaN/inf)", learning_rate);
      continue;
    }
    if (!all_finite(dense->weight()) || (dense->bias().defined() && !all_finite(dense->bias()))) {
      return divergence(loss_text + " after the weights of " + layer + " became NaN/inf", learning_rate);
    }
    // The Dense layer's two halves, x W^T + b and then the activation, checked apart.
    Tensor pre = mm(x, dense->weight(), false, /*transpose_b=*/true);
    if (dense->bias().defined()) pre = pre + dense->bias();
    if (!all_finite(pre)) return divergence(loss_text + " (" + layer + "'s x W^T + b overflowed)", learning_rate);
    const Activation& a = activation(dense->activation());
    x = a(pre);
    if (all_finite(x)) continue;
    if (a.domain != Domain::AllReals) {
      return loss_text + ": " + layer + " applies " + a.name + ", which is defined only for " +
             domain_in_words(a.domain) + ", to pre-activations as low as " + number(pre.min().item()) +
             ". No learning rate fixes an activation used outside its domain: choose another one "
             "(the audit of the 'activations' example lists which are defined everywhere)";
    }
    return divergence(loss_text + " (" + a.name + " in " + layer + " gave NaN/inf)", learning_rate);
  }
  // Every layer is finite: what overflowed is the loss itself (huge logits in the softmax).
  return divergence(loss_text + " with finite outputs (the logits are too large)", learning_rate);
}

}  // namespace

}  // namespace examples
