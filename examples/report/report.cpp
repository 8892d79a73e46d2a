#include "examples/report/report.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>

#include <nabla.h>

#include "examples/common/table_file.h"
#include "nn/plot/html.h"

namespace examples {
namespace {

using nabla::plot::HtmlPage;

std::string number(double value, const char* format = "%.3g") {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

std::string yes_no(bool answer) { return answer ? "yes" : "no"; }

void audit_section(HtmlPage& page, const std::vector<nabla::AuditResult>& rows) {
  page.heading("The audit: what makes an activation good or bad", "audit");
  page.paragraph("Each activation sampled on [-10, 10]. A good one is defined for every x, has a finite slope "
                 "everywhere, is not linear (or stacked layers collapse into one) and keeps the sign of its input. "
                 "\"f' ~ 0\" is the share of the grid where |f'| < 1e-3 (saturation: gradients vanish there); "
                 "\"dead\" the share where f' is exactly 0.");
  const bool timed = !rows.empty() && rows[0].forward_ns > 0;
  std::vector<std::string> header = {"activation", "f(x)",   "defined", "finite slope", "non-linear", "keeps sign",
                                     "monotonic",  "range", "zero-centred", "f' ~ 0", "dead", "verdict"};
  if (timed) header.insert(header.end(), {"forward ns", "backward ns"});
  header.push_back("why");
  std::vector<std::vector<std::string>> table;
  for (const nabla::AuditResult& r : rows) {
    std::string why;
    for (const std::string& note : r.notes) why += (why.empty() ? "" : "; ") + note;
    // Appended piece by piece: "[" + std::string trips GCC 12's false -Wrestrict (bug 105329).
    std::string range = "[";
    range += r.bounded_below ? number(r.min_output) : "-inf";
    range += ", ";
    range += r.bounded_above ? number(r.max_output) : "inf";
    range += "]";
    std::vector<std::string> row = {r.name,
                                    nabla::activation(r.name).formula,
                                    yes_no(r.defined_everywhere),
                                    yes_no(r.differentiable),
                                    yes_no(r.nonlinear),
                                    yes_no(r.meaningful_signal),
                                    yes_no(r.monotonic),
                                    range,
                                    yes_no(r.zero_centred),
                                    number(100 * r.vanishing_fraction, "%.1f%%"),
                                    number(100 * r.dead_fraction, "%.1f%%"),
                                    r.good() ? "good" : "poor"};
    if (timed) row.insert(row.end(), {number(r.forward_ns, "%.2f"), number(r.backward_ns, "%.2f")});
    row.push_back(why);
    table.push_back(row);
  }
  page.table(header, table);
}

void plots_section(HtmlPage& page, const std::string& overview_svg, const std::vector<ActivationPlot>& plots) {
  page.heading("f, f' and f'' of every activation", "plots");
  page.paragraph("f solid, f' dashed, f'' dotted, on [-5, 5]. A gap in f' is a kink (the slope jumps) or a point "
                 "outside the domain; \"no f''\" means f'' is 0 wherever it exists or was not given.");
  page.svg(overview_svg, "All of them side by side.");
  for (const ActivationPlot& p : plots) {
    page.heading(p.name + ": " + nabla::activation(p.name).formula, "", 3);
    page.svg(p.svg);
  }
}

// The text of `path`, or nothing if there is no such file.
std::optional<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Inlines `directory/name` if it is there; says so if it is not.
void svg_file(HtmlPage& page, const std::filesystem::path& directory, const std::string& name,
              const std::string& caption) {
  if (const auto svg = read_text(directory / name)) {
    page.svg(*svg, caption);
  } else {
    page.paragraph((directory / name).string() + " is missing.");
  }
}

void missing(HtmlPage& page, const std::filesystem::path& file, const std::string& command) {
  page.paragraph("Not run yet: " + file.string() + " does not exist. Make it with");
  page.preformatted(command);
  page.paragraph("then run this report again.");
}

// The table without the columns that are empty in every row (mnist's "stopped", when none did).
TableFile without_empty_columns(const TableFile& table) {
  TableFile kept;
  kept.rows.resize(table.rows.size());
  for (size_t c = 0; c < table.header.size(); ++c) {
    bool empty = true;
    for (const auto& row : table.rows) empty = empty && row[c].empty();
    if (empty && !table.rows.empty()) continue;
    kept.header.push_back(table.header[c]);
    for (size_t r = 0; r < table.rows.size(); ++r) kept.rows[r].push_back(table.rows[r][c]);
  }
  return kept;
}

void mnist_section(HtmlPage& page, const std::filesystem::path& directory) {
  page.heading("MNIST: why a network needs non-linear activations", "mnist");
  const auto results = read_table(directory / "results.tsv");
  if (!results) {
    return missing(page, directory / "results.tsv",
                   "./build/examples/mnist_collapse --out " + directory.string());
  }
  page.paragraph("Logistic regression, a deep network without activations and the same network with them, trained "
                 "with the same seed, optimizer and epochs. The deep linear network is then collapsed into one "
                 "Dense layer that predicts the same.");
  if (const auto collapse = read_table(directory / "collapse.tsv")) page.table(collapse->header, collapse->rows);
  const TableFile shown = without_empty_columns(*results);
  page.table(shown.header, shown.rows);
  svg_file(page, directory, "training.svg", "Training loss and test accuracy per epoch.");
  svg_file(page, directory, "predictions.svg", "Test images with the predictions of the first non-linear model.");
}

void depth_section(HtmlPage& page, const std::filesystem::path& directory) {
  page.heading("Depth: vanishing gradients and dead units", "depth");
  const auto accuracy = read_table(directory / "accuracy.tsv");
  if (!accuracy) {
    return missing(page, directory / "accuracy.tsv",
                   "./build/examples/depth --bad-init --out " + directory.string());
  }
  page.paragraph("Test accuracy after one epoch of plain SGD, per network (rows) and number of hidden layers "
                 "(columns). Chance is 10%.");
  std::vector<std::string> networks;
  std::vector<std::vector<double>> values;
  for (const auto& row : accuracy->rows) {
    networks.push_back(row.at(0));
    values.emplace_back();
    for (size_t c = 1; c < row.size(); ++c) values.back().push_back(std::strtod(row[c].c_str(), nullptr));
  }
  page.heatmap("network \\ hidden layers", networks,
               std::vector<std::string>(accuracy->header.begin() + 1, accuracy->header.end()), values);
  svg_file(page, directory, "gradients.svg", "The gradient reaching each layer's weights (log10), input side left.");
  svg_file(page, directory, "dead_units.svg", "relu units that output 0 on every one of 1000 training images.");
  svg_file(page, directory, "accuracy.svg", "The heatmap above, as lines.");
}

}  // namespace

void write_report(const std::filesystem::path& path, const std::vector<nabla::AuditResult>& audit,
                  const std::string& overview_svg, const std::vector<ActivationPlot>& plots,
                  const std::filesystem::path& results) {
  HtmlPage page("nabla: activation functions, measured");
  page.paragraph("Written by examples/activations --html from the audit and plots it computes, and from the results "
                 "of the MNIST and depth experiments found in " + results.string() + ".");
  page.contents();
  audit_section(page, audit);
  plots_section(page, overview_svg, plots);
  mnist_section(page, results / "mnist");
  depth_section(page, results / "depth");
  page.save(path.string());
}

}  // namespace examples
