#include "nn/activations/derivative_check.h"

#include <algorithm>
#include <cmath>

#include "nn/activations/audit.h"

namespace nabla {

std::vector<double> derivative_check_points(const Activation& a) {
  const auto [low, high] = plot_x_range(a);
  std::vector<double> points;
  for (double x = std::floor(low * 64) / 64; x <= high; x += 1.0 / 64) points.push_back(x);
  std::vector<double> special = a.kinks;
  special.push_back(0);
  const double edge = a.domain_edge();
  if (!std::isnan(edge)) special.push_back(edge);
  for (double s : special) {
    for (double offset : {0.0, -1e-9, 1e-9, -1e-6, 1e-6}) points.push_back(s + offset);
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  if (!std::isnan(edge)) {
    std::erase_if(points, [edge](double x) { return x < edge; });
  }
  return points;
}

SubgradcheckResult check_derivative(const Activation& a, SubgradcheckOptions options) {
  options.points = derivative_check_points(a);
  options.kinks = a.kinks;
  options.domain_edge = a.domain_edge();
  return subgradcheck(a.apply, options);
}

}  // namespace nabla
