#pragma once
// An activation's derivative, checked everywhere, kinks included: subgradcheck
// (autograd/subgradcheck.h) on a grid that covers the plotted range, with the kinks and
// the domain edge the activation's description declares.
//
//   std::cout << check_derivative(activation("hardtanh(-2, 2)"));
//
// The grid: every 1/64 over plot_x_range (so every integer and simple fraction, where a
// kink someone forgot to declare usually sits), and at each kink, each edge and 0, the
// point itself and +-1e-9, +-1e-6 around it.
#include <vector>

#include "autograd/subgradcheck.h"
#include "nn/activations/activation.h"

namespace nabla {

// The points check_derivative() uses for `a` (those outside its domain left out).
std::vector<double> derivative_check_points(const Activation& a);

// subgradcheck of a's f' in float64, by reverse and forward mode, at derivative_check_points(a).
// Options other than points, kinks and domain_edge are taken from `options`.
SubgradcheckResult check_derivative(const Activation& a, SubgradcheckOptions options = {});

}  // namespace nabla
