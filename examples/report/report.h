#pragma once
// The report: everything the examples measured, on one HTML page that opens in a browser
// with no server and no file beside it (examples/activations --html).
//   1. the activation audit, as a table, with each activation's formula;
//   2. f, f' and f'' of every activation: the overview and one plot each, inline;
//   3. the MNIST experiment (mnist_collapse --out RESULTS/mnist): the collapse check, the
//      results table and the training curves;
//   4. the depth experiment (depth --out RESULTS/depth): test accuracy as a heatmap of
//      network x depth, gradient norms and dead units per layer.
// A section whose results are not in RESULTS says so, and names the command that makes them.
#include <filesystem>
#include <string>
#include <vector>

#include "nn/activations/audit.h"

namespace examples {

struct ActivationPlot {
  std::string name;
  std::string svg;  // plot::Figure::to_svg()
};

// Writes the page to `path`. Throws std::runtime_error naming a file it cannot read or write.
void write_report(const std::filesystem::path& path, const std::vector<nabla::AuditResult>& audit,
                  const std::string& overview_svg, const std::vector<ActivationPlot>& plots,
                  const std::filesystem::path& results);

}  // namespace examples
