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
// on 1000 fixed training images, the dead units and the saturated units (|f'(z)| < 1e-3)
// per layer. It prints a table, says from the numbers which activations train at depth 16
// and 32, and draws out/depth/{accuracy,gradients,dead_units}.svg.
//
//   ./build/examples/depth --bad-init                         # the full run
//   ./build/examples/depth --depths 2,8 --activations relu,sigmoid --images 5000
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <nabla.h>

#include "examples/depth/experiment.h"
#include "nn/plot/svg_plot.h"

using namespace nabla;

namespace {

struct Options {
  std::vector<int> depths = {2, 4, 8, 16, 32};
  std::vector<std::string> activations = {"identity", "relu", "leaky_relu", "sigmoid",
                                          "tanh",     "selu", "gelu",       "lecun_tanh"};
  size_t images = 20000;
  depth::TrainConfig train;
  bool bad_init = false;
  int threads = 0;  // 0: one per core
  std::string data = datasets::default_data_directory(), out = "out/depth";
};

const char* kUsage = R"(usage: depth [options]
  --depths A,B,...       hidden layers per network, 1..64 (default 2,4,8,16,32)
  --activations A,B,...  any name of the activation table (default identity,relu,leaky_relu,
                         sigmoid,tanh,selu,gelu,lecun_tanh; lecun_tanh is a custom one)
  --images N             training images, 1..60000 (default 20000)
  --epochs N             (default 1)      --lr X   plain SGD learning rate (default 0.01)
  --seed N               (default 0)      --threads N  (default: one per core)
  --bad-init             also relu with Glorot init, and relu with hidden biases -1
  --data DIR             MNIST-format files (default /usr/share/datasets/fashion-mnist)
  --out DIR              where the SVG pictures go (default out/depth)
The full run (all defaults plus --bad-init: 50 networks) took 18 minutes on a busy 2-core
machine (4 minutes of CPU), with one thread per core (NABLA_NUM_THREADS or --threads).
)";

// Kept in one function, with no other state, so that a shared option parser can replace it.
Options parse(int argc, char** argv) {
  Options o;
  auto split = [](const std::string& s) {
    std::vector<std::string> parts;
    std::stringstream in(s);
    for (std::string part; std::getline(in, part, ',');) parts.push_back(part);
    return parts;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(flag + " needs a value");
      return argv[++i];
    };
    // A whole-string number in [low, high] (an integer if `whole`), or an error naming the option.
    auto number = [&](const std::string& text, double low, double high, bool whole = true) {
      size_t used = 0;
      double n = NAN;
      try {
        n = std::stod(text, &used);
      } catch (const std::logic_error&) {
      }
      if (used == text.size() && n >= low && n <= high && (!whole || n == std::floor(n))) return n;
      std::ostringstream message;
      message << flag << " expects a " << (whole ? "whole " : "") << "number in [" << low << ", " << high << "], got '"
              << text << "'";
      throw std::invalid_argument(message.str());
    };
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (flag == "--depths") {
      o.depths.clear();
      for (const std::string& d : split(value())) o.depths.push_back(static_cast<int>(number(d, 1, 64)));
    } else if (flag == "--activations") {
      o.activations = split(value());
      for (const std::string& a : o.activations) activation(a);  // throws, listing the known names
    } else if (flag == "--images") {
      o.images = static_cast<size_t>(number(value(), 1, 60000));
    } else if (flag == "--epochs") {
      o.train.epochs = static_cast<int>(number(value(), 1, 100));
    } else if (flag == "--lr") {
      o.train.learning_rate = number(value(), 1e-6, 10, false);
    } else if (flag == "--seed") {
      o.train.seed = static_cast<uint64_t>(number(value(), 0, 1e15));
    } else if (flag == "--threads") {
      o.threads = static_cast<int>(number(value(), 1, 256));
    } else if (flag == "--bad-init") {
      o.bad_init = true;
    } else if (flag == "--data") {
      o.data = value();
    } else if (flag == "--out") {
      o.out = value();
    } else {
      throw std::invalid_argument("unknown option '" + flag + "' (see --help)");
    }
  }
  if (o.depths.empty() || o.activations.empty()) throw std::invalid_argument("--depths and --activations need a value");
  return o;
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
  std::filesystem::create_directories(o.out);
  // nn/plot has no heatmap: accuracy against depth, one line per network, says the same.
  plot::Figure accuracy(1, 1, "Fashion-MNIST, one epoch of SGD: test accuracy against depth");
  plot::Chart& chart = accuracy.chart(0, 0);
  chart.x_label = "log2 of the number of hidden layers (1 = 2 layers ... 5 = 32 layers)";
  chart.y_label = "test accuracy";
  chart.y_range = plot::Range{0, 1};
  chart.add_hline(0.1, "chance");
  chart.legend = plot::LegendPosition::BottomLeft;
  accuracy.panel_width = 720;
  accuracy.panel_height = 480;
  // Gradients and dead units are drawn at depth 16 (or the deepest run, if 16 was not run).
  const int deepest = *std::max_element(o.depths.begin(), o.depths.end());
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
  accuracy.save(o.out + "/accuracy.svg");
  gradients.save(o.out + "/gradients.svg");
  dead.save(o.out + "/dead_units.svg");
  std::printf("\npictures: %s/accuracy.svg, gradients.svg, dead_units.svg\n", o.out.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::unique_ptr<datasets::MNIST> train, test;
  try {  // a bad option or data directory: one line, exit code 2
    register_lecun_tanh();
    o = parse(argc, argv);
    train = std::make_unique<datasets::MNIST>(o.data, datasets::Split::Train, o.images);
    test = std::make_unique<datasets::MNIST>(o.data, datasets::Split::Test);
  } catch (const std::exception& e) {
    std::cerr << "depth: " << e.what() << "\n";
    return 2;
  }
  try {
    if (o.threads > 0) set_num_threads(o.threads);
    std::printf("data: %s (%zu training, %zu test images)\n", o.data.c_str(), train->size(), test->size());
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
      for (int d : o.depths) {
        depth::NetworkSpec spec = base;
        spec.depth = d;
        results.push_back(depth::run(spec, *train, *test, o.train));
        const depth::RunResult& r = results.back();
        std::fprintf(stderr, "%-22s depth %2d: %5.1f%% in %.1f s\n", spec.label().c_str(), d, 100 * r.test_accuracy,
                     r.seconds);
      }
    }
    std::printf("\n%s", depth::table(results).c_str());
    for (int d : {16, 32}) {
      if (const std::string v = depth::verdict(results, d); !v.empty()) std::printf("\n%s", v.c_str());
    }
    draw(results, o);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "depth: " << e.what() << "\n";
    return 1;
  }
}
