// Every activation in the table, drawn and audited: what makes one good or bad.
//
// For each activation nabla knows (built-ins first, then any you registered), autograd
// computes f' on a grid over [-5, 5] and, differentiating that again, f''. The three
// curves go into one SVG per activation plus an overview of them all. Then the audit asks
// each one the four questions a usable activation must answer yes to (defined everywhere?
// finite slope? non-linear? keeps the sign of its input?) and prints the evidence.
//
//   ./build/examples/activations                   # writes out/activations/*.svg
//   ./build/examples/activations --out /tmp/act --no-timing
//   ./build/examples/activations --html            # also out/activations/report.html
//
// Open out/activations/activations_overview.svg in a browser to see them side by side.
// With --html the audit table, every plot and the results of the MNIST and depth
// experiments (read from out/mnist and out/depth, or --results DIR) go into one HTML page.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include <nabla.h>
#include "examples/common/args.h"
#include "examples/report/report.h"
#include "nn/plot/svg_plot.h"  // not (yet) part of <nabla.h>

namespace {

using namespace nabla;

// f, f' and f'' on one grid. d2f stays empty when the activation has no f'' to give.
struct Curves {
  std::vector<double> x, f, df, d2f;
};

Curves differentiate(const Activation& a) {
  // x = -5, -4.99, ..., 5 (or wider, to show every kink: plot_x_range), each i / 100 exactly:
  // linspace(-5, 5, 1001) would put its middle point at 1e-16 rather than at 0, where most
  // of the kinks are.
  const auto [low, high] = plot_x_range(a);
  std::vector<double> grid;
  for (int i = static_cast<int>(std::lround(low * 100)); i <= static_cast<int>(std::lround(high * 100)); ++i) {
    grid.push_back(i / 100.0);
  }
  const Tensor x = tensor(grid, {static_cast<int64_t>(grid.size())}, kFloat64).requires_grad_();
  const Tensor y = a(x);
  // y[i] depends on x[i] alone, so one backward with ones gives f' at every point.
  // create_graph=true records that backward as well, so f' can be differentiated again.
  const bool draw_d2f = a.twice_differentiable && !a.piecewise_linear;
  const Tensor dy = autograd::grad({y}, {x}, {ones_like(y)}, true, draw_d2f)[0];
  Curves c{x.to_vector(), y.to_vector(), dy.to_vector(), {}};
  // f'' only where it is a curve worth drawing. Piecewise-linear activations (relu,
  // hardtanh, ...) have f'' = 0 wherever it exists and a spike at each kink that no line
  // can show; a pair registered without f'' has none to ask for. Either way the title
  // says "no f''" instead of drawing a flat zero that would look like information.
  if (draw_d2f) {
    // A constant f' (identity, 2x as a composite) is no longer connected to x: f'' = 0.
    c.d2f = dy.requires_grad() ? autograd::grad({dy}, {x}, {ones_like(dy)})[0].to_vector()
                               : std::vector<double>(c.x.size(), 0.0);
  }
  // Gaps where the derivatives do not exist. Where f is undefined there is no slope
  // either, though a kernel may still return one (log's 1/x is finite for x < 0). At a
  // kink f' jumps, and the value there is only a convention (relu'(0) = 0): a gap shows
  // the jump as a jump, where a line would draw a vertical wall.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (size_t i = 0; i < c.x.size(); ++i) {
    bool at_kink = false;
    for (const PlotMark& mark : plot_marks(a)) at_kink = at_kink || mark.x == c.x[i];
    if (std::isfinite(c.f[i]) && !at_kink) continue;
    c.df[i] = nan;
    if (!c.d2f.empty()) c.d2f[i] = nan;
  }
  return c;
}

// The range of f, widened to at least [-1.5, 1.5] so that slopes near 1 show, and held to
// [-5, 5] so that the blow-ups of sqrt, log and signed_sqrt near 0 (and of x^2 far out)
// do not squash everything else. Lines leaving it are cut at the edge of the plot.
plot::Range y_range_of(const Curves& c) {
  double low = -1.5, high = 1.5;
  for (double v : c.f) {
    if (std::isfinite(v)) low = std::max(-5.0, std::min(low, v)), high = std::min(5.0, std::max(high, v));
  }
  const double padding = 0.05 * (high - low);
  return {low - padding, high + padding};
}

// Draws the curves into `chart`, with a thin vertical line at each kink and at the edge of
// the domain (labelled when `labels`). NaN and inf are gaps in the lines.
void draw(plot::Chart& chart, const Activation& a, const Curves& c, bool labels) {
  chart.x_label = std::string("x");  // not = "x": g++ 12 -O3 warns falsely (-Wrestrict, GCC bug 105329)
  chart.x_range = plot::Range{c.x.front(), c.x.back()};
  chart.y_range = y_range_of(c);
  chart.add_line("f", c.x, c.f).color = "#1f5fa8";
  chart.add_line("f'", c.x, c.df, plot::LineStyle::Dashed).color = "#d0402b";
  if (!c.d2f.empty()) chart.add_line("f''", c.x, c.d2f, plot::LineStyle::Dotted).color = "#2e8b3a";
  chart.add_hline(0);
  for (const PlotMark& mark : plot_marks(a)) {
    if (mark.x > c.x.front() && mark.x < c.x.back()) chart.add_vline(mark.x, labels ? mark.label : "");
  }
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const std::string& part : parts) out += out.empty() ? part : separator + part;
  return out;
}

// The audit in a few sentences: who passed, and for the rest which question they failed.
void summarise(const std::vector<AuditResult>& rows) {
  std::vector<std::string> good, flat;
  for (const AuditResult& r : rows) {
    if (!r.good()) continue;
    good.push_back(r.name);
    if (r.vanishing_fraction > 0.25) flat.push_back(r.name);
  }
  std::cout << "\nIn plain words:\n"
            << "  good: " << join(good, ", ") << ".\n"
            << "    Defined for every x, a finite slope everywhere, curved, and the sign of x comes through.\n"
            << "    Still, f' is ~0 on over a quarter of [-10, 10] for " << join(flat, ", ") << ":\n"
            << "    gradients vanish there (saturation, or a flat dead side), so learning can stall.\n";
  for (const AuditResult& r : rows) {
    if (r.good()) continue;
    std::vector<std::string> why;
    if (!r.defined_everywhere) why.push_back("NaN on part of the line, so those inputs break the network");
    if (r.defined_everywhere && !r.differentiable) why.push_back("an infinite slope, so a gradient step can explode");
    if (!r.nonlinear) why.push_back("linear, so a stack of layers is still one linear layer");
    if (r.defined_everywhere && !r.meaningful_signal) why.push_back("even, so x and -x look the same downstream");
    std::cout << "  poor: " << r.name << " - " << join(why, "; ") << ".\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  return examples::run("activations", [&] {
    std::filesystem::path out = "out/activations";
    bool timing = true, html = false;
    std::string results_directory = "out";
    examples::Arguments args("activations", "Every activation in the table, drawn and audited.");
    args.output_directory("--out", out, "where the SVGs go");
    args.flag("--no-timing", timing, false, "skip measuring each activation's cost (faster)");
    args.flag("--html", html, true, "also write report.html: the audit, the plots and the experiments' results");
    args.option("--results", results_directory, "DIR",
                "where --html finds mnist_collapse's and depth's results, in DIR/mnist and DIR/depth (default out)");
    if (!args.parse(argc, argv)) return 0;  // --help

    const std::vector<std::string> names = activation_names();
    const int columns = 5, rows = (static_cast<int>(names.size()) + columns - 1) / columns;
    plot::Figure overview(rows, columns, "f (solid), f' (dashed) and f'' (dotted) on [-5, 5] (wider to show a kink)");
    overview.shared_legend = true;
    overview.panel_width = 300, overview.panel_height = 220;
    std::vector<examples::ActivationPlot> plots;  // for --html

    for (size_t i = 0; i < names.size(); ++i) {
      const Activation& a = activation(names[i]);
      const Curves curves = differentiate(a);
      plot::Figure figure(1, 1);
      figure.panel_width = 640, figure.panel_height = 440;
      plot::Chart& chart = figure.chart(0, 0);
      chart.title = a.name + ": " + a.formula + (curves.d2f.empty() ? "   (no f'')" : "");
      draw(chart, a, curves, true);
      figure.save((out / ("activation_" + a.name + ".svg")).string());
      if (html) plots.push_back({a.name, figure.to_svg()});

      plot::Chart& cell = overview.chart(static_cast<int>(i) / columns, static_cast<int>(i) % columns);
      cell.title = a.name;
      draw(cell, a, curves, false);
    }
    overview.save((out / "activations_overview.svg").string());
    std::cout << "wrote " << names.size() << " plots and activations_overview.svg to " << out.string() << "\n\n";

    AuditOptions options;
    options.measure_cost = timing;
    const std::vector<AuditResult> results = audit_all(options);
    print_audit_table(std::cout, results);
    summarise(results);
    if (html) {
      examples::write_report(out / "report.html", results, overview.to_svg(), plots, results_directory);
      std::cout << "\nwrote " << (out / "report.html").string() << ": open it in a browser\n";
    }
    return 0;
  });
}
