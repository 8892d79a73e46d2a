#pragma once
// The depth experiment of examples/09_depth.cpp, as functions a test can call too: build a
// deep fully connected network with a chosen activation and initialisation, measure how
// the gradient reaches each layer and how many units are dead or flat, train it, and
// measure again.
#include <cstdint>
#include <string>
#include <vector>

#include <nabla.h>

namespace depth {

// One network of the experiment: `depth` hidden Dense layers of `width` units, then a
// Dense(width -> 10) giving logits.
struct NetworkSpec {
  std::string activation = "relu";
  int depth = 2;
  int64_t width = 128;
  // Init::Auto is the activation's proper init (nn::default_init_for); anything else forces one.
  nabla::nn::Init init = nabla::nn::Init::Auto;
  double bias_shift = 0;  // added to every hidden bias at init; negative values kill relu units
  std::string label() const;  // e.g. "relu", "relu glorot_uniform", "relu bias -1"
  bool forced() const { return init != nabla::nn::Init::Auto || bias_shift != 0; }  // a deliberately wrong init
};

struct TrainConfig {
  int epochs = 1;
  int64_t batch_size = 64;
  double learning_rate = 0.01;  // plain SGD, no momentum
  uint64_t seed = 0;            // same weights and same batch order for every network of one depth
};

// What a network looks like from the inside, on a fixed sample of training images.
// The slope below which a pre-activation counts as flat (no gradient passes it), and a unit flat
// on every image as dead.
inline constexpr double kFlatSlope = 1e-3;

struct Probe {
  std::vector<double> gradient_norms;  // ||dLoss/dW|| of every Dense layer, input side first (depth + 1)
  std::vector<double> dead;            // per hidden layer: fraction of units with |f'(z)| < kFlatSlope on every image
  std::vector<double> flat;            // per hidden layer: fraction of (unit, image) with |f'(z)| < kFlatSlope
};

struct RunResult {
  NetworkSpec spec;
  Probe at_init, at_end;
  double test_accuracy = 0;
  double final_loss = 0;  // mean training loss over the last epoch
  bool diverged = false;  // the loss became NaN or infinite; training stopped there
  double seconds = 0;
};

// A network for `spec`, its weights drawn from the current default generator (manual_seed).
nabla::nn::Sequential make_network(const NetworkSpec& spec);

// Measures `model` on `images` (float32 [N, 784]) with `labels`: the gradients on the first
// `gradient_batch` images, the dead units and flat pre-activations on all of them.
Probe probe(nabla::nn::Sequential& model, const std::string& activation, const nabla::Tensor& images,
            const nabla::Tensor& labels, int64_t gradient_batch = 256);

// Builds, probes, trains for config.epochs, probes again and evaluates on `test`.
// `probe_sample` gives the first n training images used for the probes.
RunResult run(const NetworkSpec& spec, const nabla::datasets::MNIST& train, const nabla::datasets::MNIST& test,
              const TrainConfig& config, size_t probe_sample = 1000);

// One line per run: accuracy, loss, first/last gradient ratio at init and after training,
// mean dead and flat fractions over the hidden layers after training, seconds.
std::string table(const std::vector<RunResult>& results);

// Which networks of `depth` hidden layers train (test accuracy >= threshold) and which do
// not, written from the measured accuracies. Empty if no run has that depth.
std::string verdict(const std::vector<RunResult>& results, int depth, double threshold = 0.5);

}  // namespace depth
