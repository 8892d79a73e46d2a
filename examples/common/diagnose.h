#pragma once
// Why a training loss became NaN or inf, told in one sentence that says what to do.
//
// Two causes look the same from the loss alone and need opposite fixes:
//  - an activation used outside its domain (sqrt or log of a negative pre-activation is
//    NaN from the very first step): no learning rate helps; choose another activation;
//  - divergence: the updates grew until the numbers overflowed; a smaller learning rate helps.
// The diagnosis re-runs the failing batch layer by layer, with the weights that produced
// the bad loss, and finds the first layer whose output is not finite; nabla's anomaly
// detector (DetectAnomalyGuard) adds, in brackets, the first op and the shapes involved.
#include <string>

#include <nabla.h>

namespace examples {

// Call before the optimizer steps, with the model and the batch whose loss was `loss`.
std::string diagnose_non_finite_loss(const nabla::nn::Sequential& model, const nabla::Tensor& inputs, double loss,
                                     double learning_rate);

}  // namespace examples
