#pragma once
// The MNIST experiment of examples/08_mnist_collapse.cpp, as functions a test can call too:
// train a model with a plain loop, evaluate it, and measure what the activations do to
// the network (dead relu units, the gradient reaching each layer).
#include <functional>
#include <string>
#include <vector>

#include <nabla.h>

namespace mnist {

struct TrainConfig {
  int epochs = 5;
  int64_t batch_size = 64;
  std::string optimizer = "adam";  // "adam" or "sgd"
  double learning_rate = 1e-3;
  uint64_t seed = 0;
  bool progress = true;  // a progress bar on stderr
};

struct EpochResult {
  double train_loss = 0;     // mean over the epoch's batches
  double test_accuracy = 0;  // after the epoch
  double seconds = 0;        // training time of the epoch
};

struct ModelResult {
  std::string name;
  int64_t parameters = 0;
  std::vector<EpochResult> epochs;
  // Per Dense layer: the mean norm of its weight gradient over the last epoch.
  std::vector<double> gradient_norms;
  // Fraction of relu hidden units that output 0 for every test image (NaN if no relu).
  double dead_relu_fraction = 0;
  // Empty when training finished. Otherwise why it stopped early: the loss became NaN or
  // inf, and this says whether an activation met inputs outside its domain or training
  // diverged. `epochs` then holds only the epochs that finished.
  std::string failure;

  bool failed() const { return !failure.empty(); }
};

// Trains `model` on `train` and evaluates it on `test` after every epoch. A NaN or inf loss
// stops the training of this model (see ModelResult::failure); it does not throw.
ModelResult train_and_evaluate(const std::string& name, nabla::nn::Sequential& model,
                               const nabla::datasets::MNIST& train, const nabla::datasets::MNIST& test,
                               const TrainConfig& config);

// Logits of the model for every image of `data`, in order ([size, 10]).
nabla::Tensor predict(nabla::nn::Module& model, const nabla::datasets::MNIST& data);

double accuracy(const nabla::Tensor& logits, const nabla::datasets::MNIST& data);

}  // namespace mnist
