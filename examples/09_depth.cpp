// Why deep networks need the right activation AND the right initialisation, measured.
//
// Every hidden layer multiplies the gradient flowing back by W^T diag(f'(z)). If those
// factors are smaller than 1 on average, the gradient shrinks geometrically with depth and
// the first layers stop learning: vanishing gradients. sigmoid is the classic case, since
// its slope is at most 1/4 (Glorot & Bengio 2010). relu's slope is 1 where a unit is active
// and 0 elsewhere, so with weights scaled for it (He et al. 2015: variance 2/fan_in) the
// signal keeps its size at any depth; but a unit whose input is negative on every example
// is dead, outputs 0, gets no gradient and never comes back. selu is built to keep
// activations at mean 0, variance 1 by itself (Klambauer et al. 2017).
//
// This program trains fully connected networks of width 128 with 2, 4, 8, 16 and 32 hidden
// layers on Fashion-MNIST, for identity, relu, leaky_relu, sigmoid, tanh, selu, gelu and a
// custom activation (lecun_tanh = 1.7159 tanh(2x/3), registered below; any name of the
// activation table works), all with the same seed and budget: one epoch of plain SGD over
// 20000 training images in batches of 64, lr 0.01 (relu/He at depth 32 reached 67% with it,
// 57% with 0.02, and stayed near chance with 0.05 and 0.1). Each gets
// its proper init, the init family of its description (nn::default_init_for: He for the
// relu family, LeCun normal for selu, Glorot otherwise). --bad-init adds relu with Glorot weights and
// relu with every hidden bias set to -1. For each network it records the test accuracy, the
// gradient norm of every layer's weights on a fixed batch at init and after training, and,
// on 1000 fixed training images, the dead units and the flat pre-activations (|f'(z)| < 1e-3)
// per layer. It prints a table, says from the numbers which activations train at depth 16
// and 32, and draws out/depth/{accuracy,gradients,dead_units}.svg (the accuracies also go to
// out/depth/accuracy.tsv, which the report, activations --html, shows as a heatmap).
//
//   ./build/examples/depth --bad-init                         # the full run
//   ./build/examples/depth --depths 2,16 --activations relu,sigmoid  # 3 s: relu trains, sigmoid does not
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <nabla.h>

#include "examples/common/args.h"
#include "examples/common/table_file.h"
#include "examples/depth/experiment.h"
#include "nn/plot/svg_plot.h"

using namespace nabla;

namespace {

struct Options {
  std::vector<int64_t> depths = {2, 4, 8, 16, 32};
  std::vector<std::string> activations = {"identity", "relu", "leaky_relu", "sigmoid",
                                          "tanh",     "selu", "gelu",       "lecun_tanh"};
  int64_t images = 20000;
  depth::TrainConfig train;
  bool bad_init = false;
  int threads = get_num_threads();  // one per core, or $NABLA_NUM_THREADS
  std::string data = datasets::default_data_directory();
  std::filesystem::path out = "out/depth";
};

// How long the full run takes: extrapolated from 6 of its 50 runs (relu, sigmoid and gelu at 2
// and 32 hidden layers took 45 s of CPU, 5.8 s of it at 2 layers), with a cost linear in depth.
const char* kSummary =
    "Deep networks per activation on Fashion-MNIST: accuracy, gradient norms, dead units and flat pre-activations per layer.\n"
    "The full run (--bad-init and the defaults: 50 networks) needs about 4.5 minutes of CPU time on 2 threads\n"
    "(one per core; --threads or NABLA_NUM_THREADS): 2.5 to 5 minutes on an idle 2-core machine, 18 minutes\n"
    "at load 20. (Extrapolated from 6 of the 50 runs, relu, sigmoid and gelu at 2 and 32 hidden layers.)";

// The whole command line, declared: each option with its type, its range and its help.
bool parse(int argc, char** argv, Options& o) {
  examples::Arguments args("depth", kSummary);
  args.option("--depths", o.depths, "A,B,...", "hidden layers per network (default 2,4,8,16,32)", {.min = 1, .max = 64});
  args.choices("--activations", o.activations, activation_names(),
               "activations to compare (default identity,relu,leaky_relu,sigmoid,tanh,selu,gelu,lecun_tanh; "
               "lecun_tanh is a custom one)");
  args.option("--images", o.images, "N", "training images", {.min = 1, .max = 60000});
  args.option("--epochs", o.train.epochs, "N", "epochs of plain SGD, batch 64", {.min = 1, .max = 100});
  args.option("--lr", o.train.learning_rate, "X", "SGD learning rate", {.min = 0, .max = 10, .min_exclusive = true});
  args.option("--seed", o.train.seed, "N", "random seed", {.min = 0});
  args.option("--threads", o.threads, "N", "worker threads", {.min = 1, .max = examples::kMaxThreads});
  args.flag("--bad-init", o.bad_init, true, "also relu with Glorot init, and relu with hidden biases -1");
  args.option("--data", o.data, "DIR", "MNIST-format files");
  args.output_directory("--out", o.out, "where the pictures and accuracy.tsv go");
  return args.parse(argc, argv);
}

// A classic scaled tanh (LeCun et al., Efficient BackProp, 1998): f(1) = 1 and f'(0) = 1.14,
// written with tensor ops, so autograd derives it.
void register_lecun_tanh() {
  register_activation({.name = "lecun_tanh", .formula = "1.7159 tanh(2x/3)",
                       .derivative = "1.1439 (1 - tanh(2x/3)^2)",
                       .apply = [](const Tensor& x) { return tanh(x * (2.0 / 3.0)) * 1.7159; }});
}

std::vector<double> one_to(size_t n) {
  std::vector<double> x;
  for (size_t i = 1; i <= n; ++i) x.push_back(static_cast<double>(i));
  return x;
}

void draw(const std::vector<depth::RunResult>& results, const Options& o) {
  // nn/plot has no heatmap: accuracy against depth, one line per network, says the same.
  plot::Figure accuracy(1, 1, "Fashion-MNIST, one epoch of SGD: test accuracy against depth");
  plot::Chart& chart = accuracy.chart(0, 0);
  chart.x_label = "log2 of the number of hidden layers (1 = 2 layers ... 5 = 32 layers)";
  chart.y_label = "test accuracy";
  chart.y_range = plot::Range{0, 1};
  chart.add_hline(0.1, "chance");
  chart.whole_x_ticks = true;
  accuracy.shared_legend = true;  // under the title, clear of the lines and of the chance line
  accuracy.panel_width = 720;
  accuracy.panel_height = 480;
  // Gradients and dead units are drawn at depth 16 (or the deepest run, if 16 was not run).
  const int deepest = static_cast<int>(*std::max_element(o.depths.begin(), o.depths.end()));
  const int shown = std::count(o.depths.begin(), o.depths.end(), 16) ? 16 : deepest;
  plot::Figure gradients(1, 2, "log10 ||dLoss/dW|| per layer, " + std::to_string(shown) + " hidden layers");
  gradients.shared_legend = true;
  plot::Figure dead(1, 2, "relu, " + std::to_string(shown) + " hidden layers: dead units per layer");
  dead.shared_legend = true;
  const char* when[] = {"at initialisation", "after training"};
  for (int col = 0; col < 2; ++col) {
    gradients.chart(0, col).title = when[col];
    gradients.chart(0, col).x_label = "layer (1 = input side, last = output layer)";
    dead.chart(0, col).title = when[col];
    dead.chart(0, col).x_label = "hidden layer";
    dead.chart(0, col).y_range = plot::Range{0, 1};
  }
  // The runs of one network come one after the other, in depth order (see main).
  for (size_t i = 0; i < results.size();) {
    const depth::NetworkSpec& spec = results[i].spec;
    // Forced inits are dashed: the palette's colours come round again after eight lines.
    const plot::LineStyle style = spec.forced() ? plot::LineStyle::Dashed : plot::LineStyle::Solid;
    std::vector<double> log_depths, accuracies;
    for (; i < results.size() && results[i].spec.label() == spec.label(); ++i) {
      const depth::RunResult& r = results[i];
      log_depths.push_back(std::log2(r.spec.depth));
      accuracies.push_back(r.test_accuracy);
      if (r.spec.depth != shown) continue;
      for (int col = 0; col < 2; ++col) {
        const depth::Probe& p = col == 0 ? r.at_init : r.at_end;
        std::vector<double> log_norms;
        for (double g : p.gradient_norms) log_norms.push_back(std::log10(g));  // 0 becomes -inf: a gap
        gradients.chart(0, col).add_line(spec.label(), one_to(log_norms.size()), log_norms, style).markers = true;
        if (spec.activation != "relu") continue;
        dead.chart(0, col).add_line(spec.label(), one_to(p.dead.size()), p.dead, style).markers = true;
      }
    }
    chart.add_line(spec.label(), log_depths, accuracies, style).markers = true;
  }
  accuracy.save((o.out / "accuracy.svg").string());
  gradients.save((o.out / "gradients.svg").string());
  dead.save((o.out / "dead_units.svg").string());
  std::printf("\npictures: %s/accuracy.svg, gradients.svg, dead_units.svg\n", o.out.string().c_str());
}

// Test accuracy, a row per network and a column per depth, as accuracy.tsv: the report
// (activations --html) draws it as a heatmap.
void write_accuracy(const std::vector<depth::RunResult>& results, const Options& o) {
  examples::TableFile table{{"network"}, {}};
  for (int64_t d : o.depths) table.header.push_back(std::to_string(d));
  // The runs of one network come one after the other, in depth order (see main).
  for (size_t i = 0; i < results.size(); i += o.depths.size()) {
    table.rows.push_back({results[i].spec.label()});
    for (size_t k = 0; k < o.depths.size(); ++k) {
      char accuracy[32];
      std::snprintf(accuracy, sizeof accuracy, "%.4f", results[i + k].test_accuracy);
      table.rows.back().push_back(accuracy);
    }
  }
  examples::write_table((o.out / "accuracy.tsv").string(), table);
}

}  // namespace

int main(int argc, char** argv) {
  return examples::run("depth", [&] {
    register_lecun_tanh();  // before parsing, so that --activations knows its name
    Options o;
    if (!parse(argc, argv, o)) return 0;  // --help
    set_num_threads(o.threads);
    const datasets::MNIST train(o.data, datasets::Split::Train, static_cast<size_t>(o.images));
    const datasets::MNIST test(o.data, datasets::Split::Test);
    std::printf("data: %s (%zu training, %zu test images)\n", o.data.c_str(), train.size(), test.size());
    std::printf("training: width 128, %d epoch(s) of plain SGD, batch 64, lr %g, seed %llu, %d threads\n",
                o.train.epochs, o.train.learning_rate, static_cast<unsigned long long>(o.train.seed),
                get_num_threads());

    std::vector<depth::NetworkSpec> specs;  // each network at every depth, one after the other
    for (const std::string& a : o.activations) specs.push_back({.activation = a});
    if (o.bad_init) {
      specs.push_back({.activation = "relu", .init = nn::Init::GlorotUniform});
      specs.push_back({.activation = "relu", .bias_shift = -1.0});
    }
    std::vector<depth::RunResult> results;
    for (const depth::NetworkSpec& base : specs) {
      for (int64_t d : o.depths) {
        depth::NetworkSpec spec = base;
        spec.depth = static_cast<int>(d);
        results.push_back(depth::run(spec, train, test, o.train));
        const depth::RunResult& r = results.back();
        std::fprintf(stderr, "%-22s depth %2d: %5.1f%% in %.1f s\n", spec.label().c_str(), spec.depth,
                     100 * r.test_accuracy, r.seconds);
      }
    }
    std::printf("\n%s", depth::table(results).c_str());
    for (int d : {16, 32}) {
      if (const std::string v = depth::verdict(results, d); !v.empty()) std::printf("\n%s", v.c_str());
    }
    draw(results, o);
    write_accuracy(results, o);
    return 0;
  });
}
