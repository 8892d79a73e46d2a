#include "examples/depth/experiment.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace depth {

using namespace nabla;

namespace {

constexpr datasets::Normalization kNormalization = datasets::kFashionMnistNormalization;

std::vector<nn::Dense*> dense_layers(nn::Sequential& model) {
  std::vector<nn::Dense*> layers;
  for (size_t i = 0; i < model.size(); ++i) {
    if (auto* dense = dynamic_cast<nn::Dense*>(&model[i])) layers.push_back(dense);
  }
  return layers;
}

// The first n images of `data`, standardised as in training.
void first_images(const datasets::MNIST& data, size_t n, Tensor& images, Tensor& labels) {
  std::vector<int64_t> indices(std::min(n, data.size()));
  std::iota(indices.begin(), indices.end(), 0);
  data.fill_batch(indices, images, labels, kNormalization);
}

double test_accuracy(nn::Sequential& model, const datasets::MNIST& test) {
  NoGradGuard no_grad;
  int64_t correct = 0;
  datasets::DataLoader loader(test, {.batch_size = 1000, .shuffle = false, .normalization = kNormalization});
  for (const datasets::Batch& batch : loader) {
    correct += (model(batch.images).argmax(1) == batch.labels).sum().item<int64_t>();
  }
  return static_cast<double>(correct) / static_cast<double>(test.size());
}

}  // namespace

std::string NetworkSpec::label() const {
  std::string name = activation;
  if (init != nn::Init::Auto) {  // appended piece by piece: g++ 12 warns falsely on " " + std::string (-Wrestrict)
    name += ' ';
    name += nn::to_string(init);
  }
  if (bias_shift != 0) {
    char shift[32];
    std::snprintf(shift, sizeof shift, " bias %+g", bias_shift);
    name += shift;
  }
  return name;
}

nn::Sequential make_network(const NetworkSpec& spec) {
  nn::Sequential model;
  int64_t inputs = 784;
  for (int layer = 0; layer < spec.depth; ++layer) {
    nn::Dense& dense = model.add(nn::Dense(inputs, spec.width, spec.activation, {.init = spec.init}));
    if (spec.bias_shift != 0) {
      NoGradGuard no_grad;
      Tensor bias = dense.bias();  // a handle to the layer's own bias
      bias.fill_(spec.bias_shift);
    }
    inputs = spec.width;
  }
  model.add(nn::Dense(inputs, 10));  // logits
  return model;
}

Probe probe(nn::Sequential& model, const std::string& activation_name, const Tensor& images, const Tensor& labels,
            int64_t gradient_batch) {
  Probe result;
  const std::vector<nn::Dense*> layers = dense_layers(model);

  // 1. Gradient of the loss with respect to every layer's weights, on a fixed batch.
  const int64_t n = std::min(gradient_batch, images.size(0));
  for (const Tensor& p : model.parameters()) p.zero_grad();
  nn::cross_entropy(model(narrow(images, 0, 0, n)), narrow(labels, 0, 0, n)).backward();
  for (const nn::Dense* layer : layers) {
    result.gradient_norms.push_back(layer->weight().grad().square().sum().sqrt().item());
  }
  for (const Tensor& p : model.parameters()) p.zero_grad();

  // 2. Each hidden layer by hand, z = x W^T + b, y = f(z), to see f'(z) as well as y.
  const Activation& f = nabla::activation(activation_name);
  Tensor x = images;
  for (size_t l = 0; l + 1 < layers.size(); ++l) {
    Tensor z = x.matmul(layers[l]->weight().t()) + layers[l]->bias();
    z = z.detach().requires_grad_();
    const Tensor y = f(z);
    y.sum().backward();  // dz of sum(f(z)) is f'(z), element by element
    const Tensor slope = z.grad();
    const double units = static_cast<double>(y.size(1));
    // A unit is dead when its slope is below kFlatSlope on every image (relu: z <= 0 on every
    // image): almost no gradient reaches its weights, so nothing will revive it. A threshold,
    // not "output exactly 0": float32 rounds gelu_tanh's far left tail to 0, which would count
    // its units dead while gelu's, the same function to 1e-3, were alive.
    const Tensor flat = lt(slope.abs(), kFlatSlope);
    result.dead.push_back(eq(flat.sum(0), static_cast<double>(flat.size(0))).sum().item() / units);
    result.flat.push_back(flat.sum().item() / static_cast<double>(slope.numel()));
    x = y.detach();
  }
  return result;
}

RunResult run(const NetworkSpec& spec, const datasets::MNIST& train, const datasets::MNIST& test,
              const TrainConfig& config, size_t probe_sample) {
  const auto start = std::chrono::steady_clock::now();
  RunResult result{.spec = spec};
  manual_seed(config.seed);  // the same random stream for every network
  nn::Sequential model = make_network(spec);
  Tensor probe_images, probe_labels;
  first_images(train, probe_sample, probe_images, probe_labels);
  result.at_init = probe(model, spec.activation, probe_images, probe_labels);

  optim::SGD optimizer(model.parameters(), optim::SGDOptions(config.learning_rate));
  datasets::DataLoader loader(train, {.batch_size = static_cast<size_t>(config.batch_size),
                                      .seed = config.seed, .normalization = kNormalization});
  for (int epoch = 0; epoch < config.epochs && !result.diverged; ++epoch) {
    double loss_sum = 0;
    int64_t steps = 0;
    for (const datasets::Batch& batch : loader) {
      optimizer.zero_grad();
      const Tensor loss = nn::cross_entropy(model(batch.images), batch.labels);
      loss.backward();
      optimizer.step();
      const double value = loss.item();
      if (!std::isfinite(value)) {
        result.diverged = true;
        break;
      }
      loss_sum += value;
      ++steps;
    }
    result.final_loss = steps > 0 ? loss_sum / static_cast<double>(steps) : NAN;
  }
  if (result.diverged) result.final_loss = NAN;
  result.at_end = probe(model, spec.activation, probe_images, probe_labels);
  result.test_accuracy = test_accuracy(model, test);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

namespace {

double mean(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return v.empty() ? NAN : sum / static_cast<double>(v.size());
}

double first_over_last(const std::vector<double>& g) { return g.back() > 0 ? g.front() / g.back() : NAN; }

}  // namespace

std::string table(const std::vector<RunResult>& results) {
  std::string text;
  char line[256];
  std::snprintf(line, sizeof line, "%-22s %5s %8s %7s %15s %9s %7s %7s %6s\n", "network", "depth", "test acc", "loss",
                "|gW| first/last", "(after)", "dead", "flat", "s");
  text += line;
  for (const RunResult& r : results) {
    std::snprintf(line, sizeof line, "%-22s %5d %7.1f%% %7.3f %15.3g %9.3g %6.1f%% %6.1f%% %6.1f%s\n",
                  r.spec.label().c_str(), r.spec.depth, 100 * r.test_accuracy, r.final_loss,
                  first_over_last(r.at_init.gradient_norms), first_over_last(r.at_end.gradient_norms),
                  100 * mean(r.at_end.dead), 100 * mean(r.at_end.flat), r.seconds, r.diverged ? "  diverged" : "");
    text += line;
  }
  return text +
         "(|gW| first/last: norm of the first layer's weight gradient over the output layer's, on a fixed batch,\n"
         " at init and after training (nan: no gradient at all); dead: units with |f'| < 1e-3 on all 1000 probe images;\n"
         " flat: pre-activations where |f'| < 1e-3, through which no gradient passes: saturation for sigmoid and\n"
         " tanh (|z| large), relu's inactive side z <= 0 (about half: sparsity, not saturation; a unit flat on\n"
         " some images still learns from the others). Both are means over hidden layers after training)\n";
}

std::string verdict(const std::vector<RunResult>& results, int depth, double threshold) {
  std::string trains, fails;
  for (const RunResult& r : results) {
    if (r.spec.depth != depth) continue;
    char entry[128];
    std::snprintf(entry, sizeof entry, "%s (%.0f%%%s)", r.spec.label().c_str(), 100 * r.test_accuracy,
                  r.diverged ? ", diverged" : "");
    std::string& list = r.test_accuracy >= threshold ? trains : fails;
    list += (list.empty() ? "" : ", ") + std::string(entry);
  }
  if (trains.empty() && fails.empty()) return "";
  char head[96];
  std::snprintf(head, sizeof head, "depth %d: trains (test accuracy >= %.0f%%, chance is 10%%): ", depth,
                100 * threshold);
  return head + (trains.empty() ? "none" : trains) + "\n  does not train: " + (fails.empty() ? "none" : fails) + "\n";
}

}  // namespace depth
