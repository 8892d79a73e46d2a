#include "examples/mnist/experiment.h"

#include "examples/common/diagnose.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>

namespace mnist {

using namespace nabla;

namespace {

std::unique_ptr<optim::Optimizer> make_optimizer(const TrainConfig& config, const std::vector<Tensor>& parameters) {
  if (config.optimizer == "adam") return std::make_unique<optim::Adam>(parameters, optim::AdamOptions(config.learning_rate));
  if (config.optimizer == "sgd") return std::make_unique<optim::SGD>(parameters, optim::SGDOptions(config.learning_rate));
  throw std::invalid_argument("unknown optimizer '" + config.optimizer + "' (use adam or sgd)");
}

std::vector<const nn::Dense*> dense_layers(const nn::Sequential& model) {
  std::vector<const nn::Dense*> layers;
  for (size_t i = 0; i < model.size(); ++i) {
    if (auto* dense = dynamic_cast<const nn::Dense*>(&model[i])) layers.push_back(dense);
  }
  return layers;
}

// A hidden unit is dead when it outputs 0 for every input: its gradient is then 0 too,
// so nothing will ever revive it.
double dead_relu_fraction(const nn::Sequential& model, const datasets::MNIST& data) {
  NoGradGuard no_grad;
  int64_t units = 0, dead = 0;
  std::vector<Tensor> ever_active;  // per relu layer: max activation over the data
  datasets::DataLoader loader(data, {.batch_size = 1000, .shuffle = false});
  for (const datasets::Batch& batch : loader) {
    Tensor x = batch.images;
    size_t relu_index = 0;
    for (size_t i = 0; i < model.size(); ++i) {
      x = model[i].forward(x);
      const auto* dense = dynamic_cast<const nn::Dense*>(&model[i]);
      if (!dense || dense->activation() != "relu") continue;
      const Tensor batch_max = x.amax(0);
      if (ever_active.size() <= relu_index) {
        ever_active.push_back(batch_max);
      } else {
        ever_active[relu_index] = maximum(ever_active[relu_index], batch_max);
      }
      ++relu_index;
    }
  }
  if (ever_active.empty()) return std::numeric_limits<double>::quiet_NaN();
  for (const Tensor& m : ever_active) {
    units += m.numel();
    dead += static_cast<int64_t>(eq(m, 0.0).sum().item());
  }
  return static_cast<double>(dead) / static_cast<double>(units);
}

}  // namespace

Tensor predict(nn::Module& model, const datasets::MNIST& data) {
  NoGradGuard no_grad;
  model.eval();
  std::vector<Tensor> chunks;
  datasets::DataLoader loader(data, {.batch_size = 1000, .shuffle = false});
  for (const datasets::Batch& batch : loader) chunks.push_back(model(batch.images));
  model.train();
  return cat(chunks, 0);
}

double accuracy(const Tensor& logits, const datasets::MNIST& data) {
  const Tensor predicted = logits.argmax(1);
  const auto guess = predicted.accessor<int64_t, 1>();
  int64_t correct = 0;
  for (size_t i = 0; i < data.size(); ++i) correct += guess[static_cast<int64_t>(i)] == data.label(i);
  return static_cast<double>(correct) / static_cast<double>(data.size());
}

ModelResult train_and_evaluate(const std::string& name, nn::Sequential& model, const datasets::MNIST& train,
                               const datasets::MNIST& test, const TrainConfig& config) {
  ModelResult result{.name = name, .parameters = model.parameter_count()};
  auto optimizer = make_optimizer(config, model.parameters());
  datasets::DataLoader loader(train, {.batch_size = static_cast<size_t>(config.batch_size), .seed = config.seed});
  const std::vector<const nn::Dense*> layers = dense_layers(model);

  for (int epoch = 1; epoch <= config.epochs; ++epoch) {
    std::optional<nn::ProgressBar> progress;
    if (config.progress) {
      progress.emplace(static_cast<int64_t>(loader.size()), name + ", epoch " + std::to_string(epoch),
                       nn::ProgressOptions{.batch_size = config.batch_size, .log_tenths = false});
    }
    const auto start = std::chrono::steady_clock::now();
    double loss_sum = 0;
    int64_t steps = 0;
    std::vector<double> norm_sums(layers.size(), 0.0);

    // The whole of training: forward, loss, backward, step.
    for (const datasets::Batch& batch : loader) {
      optimizer->zero_grad();
      const Tensor loss = nn::cross_entropy(model(batch.images), batch.labels);
      const double value = loss.item();
      if (!std::isfinite(value)) {  // diagnosed before the step, with the weights that gave it
        if (progress) progress->finish();
        result.failure = "epoch " + std::to_string(epoch) + ", step " + std::to_string(steps + 1) + ": " +
                         examples::diagnose_non_finite_loss(model, batch.images, value, config.learning_rate);
        return result;
      }
      loss.backward();
      optimizer->step();

      loss_sum += value;
      ++steps;
      if (epoch == config.epochs) {
        for (size_t l = 0; l < layers.size(); ++l) norm_sums[l] += layers[l]->weight().grad().square().sum().sqrt().item();
      }
      if (progress) progress->update(steps, value);
    }
    if (progress) progress->finish();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;

    result.epochs.push_back({.train_loss = loss_sum / static_cast<double>(steps),
                             .test_accuracy = accuracy(predict(model, test), test),
                             .seconds = took.count()});
    if (epoch == config.epochs) {
      for (double s : norm_sums) result.gradient_norms.push_back(s / static_cast<double>(steps));
    }
  }
  result.dead_relu_fraction = dead_relu_fraction(model, test);
  return result;
}

}  // namespace mnist
