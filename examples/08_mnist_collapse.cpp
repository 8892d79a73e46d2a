// Why neural networks need non-linear activations, on (Fashion-)MNIST.
//
// 1. Proof in numbers: a deep network of Dense layers without activations is trained, then
//    collapsed into ONE Dense layer (nn::collapse) that gives the same predictions.
// 2. The experiment: the same data, seed, optimizer and epochs for a single Dense layer
//    (logistic regression), the deep linear network, and the same deep network with
//    relu, sigmoid and tanh. The deep linear net learns no more than logistic regression;
//    the non-linear ones do clearly better. Dead relu units and the gradient reaching each
//    layer are measured, so vanishing gradients can be seen, not just read about.
// 3. Pictures: training loss and test accuracy per epoch, and test images with predictions.
//    The tables go beside them as results.tsv and collapse.tsv, which the report reads
//    (./build/examples/activations --html).
//
//   ./build/examples/mnist_collapse                        # Fashion-MNIST, Debian's package
//   ./build/examples/mnist_collapse --data ~/mnist --dataset mnist --activations relu,gelu
//
// Every option is checked before any training starts (see --help). A model whose loss
// becomes NaN or inf stops with a diagnosis (an activation outside its domain, such as
// sqrt of a negative number, or a learning rate too large); the others still run.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>

#include <nabla.h>

#include "examples/common/args.h"
#include "examples/common/table_file.h"
#include "examples/mnist/dataset_name.h"
#include "examples/mnist/experiment.h"

using namespace nabla;

namespace {

struct Options {
  std::string data = datasets::default_data_directory();
  std::string dataset = "auto";
  std::vector<int64_t> hidden = {256, 256};
  std::vector<std::string> activations = {"relu", "sigmoid", "tanh"};
  mnist::TrainConfig train;
  int threads = get_num_threads();  // one per core, or $NABLA_NUM_THREADS
  int64_t limit = INT64_MAX;
  std::filesystem::path out = "out/mnist";
};

// The whole command line, declared: each option with its type, its range and its help.
bool parse(int argc, char** argv, Options& o) {
  examples::Arguments args("mnist_collapse", "Why neural networks need non-linear activations, on (Fashion-)MNIST.");
  args.option("--data", o.data, "DIR", "MNIST-format files");
  args.choice("--dataset", o.dataset, {"auto", "fashion", "mnist"}, "names the data and its classes; auto recognises the official test files");
  args.option("--epochs", o.train.epochs, "N", "epochs per model", {.min = 1, .max = 1000});
  args.option("--batch-size", o.train.batch_size, "N", "examples per step", {.min = 1, .max = 60000});
  args.choice("--optimizer", o.train.optimizer, {"adam", "sgd"}, "the optimizer");
  args.option("--lr", o.train.learning_rate, "X", "learning rate", {.min = 0, .max = 10, .min_exclusive = true});
  args.option("--hidden", o.hidden, "A,B,...", "hidden layer sizes", {.min = 1, .max = 100000});
  args.choices("--activations", o.activations, activation_names(), "the non-linear models to train");
  args.option("--seed", o.train.seed, "N", "random seed", {.min = 0});
  args.option("--threads", o.threads, "N", "worker threads", {.min = 1, .max = examples::kMaxThreads});
  args.option("--limit", o.limit, "N", "use only the first N training images (default: all)", {.min = 1});
  args.output_directory("--out", o.out, "where the pictures and the results tables (.tsv) go");
  args.flag("--no-progress", o.train.progress, false, "no progress bars on stderr");
  return args.parse(argc, argv);
}

nn::Sequential make_model(const Options& o, const std::string& activation) {
  std::vector<int64_t> sizes = {784};
  sizes.insert(sizes.end(), o.hidden.begin(), o.hidden.end());
  sizes.push_back(10);
  return nn::mlp(sizes, activation);
}

std::string percent(double fraction) {
  if (std::isnan(fraction)) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", 100 * fraction);
  return buffer;
}

// One row per model; a model that stopped early says so, and why, under the table.
void print_table(const std::vector<mnist::ModelResult>& results) {
  std::printf("\n%-22s %10s %9s %10s %9s %7s   %s\n", "model", "params", "test acc", "final loss", "s/epoch", "dead",
              "mean |grad W| per layer, input to output");
  for (const auto& r : results) {
    if (r.failed()) {
      std::printf("%-22s %10lld    FAILED: the loss became NaN or inf (see below)\n", r.name.c_str(),
                  static_cast<long long>(r.parameters));
      continue;
    }
    double seconds = 0;
    for (const auto& e : r.epochs) seconds += e.seconds;
    std::string norms;
    for (double g : r.gradient_norms) {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%s%.3g", norms.empty() ? "" : "  ", g);
      norms += buffer;
    }
    std::printf("%-22s %10lld %9s %10.4f %9.2f %7s   %s\n", r.name.c_str(), static_cast<long long>(r.parameters),
                percent(r.epochs.back().test_accuracy).c_str(), r.epochs.back().train_loss,
                seconds / static_cast<double>(r.epochs.size()), percent(r.dead_relu_fraction).c_str(), norms.c_str());
  }
  for (const auto& r : results) {
    if (r.failed()) std::printf("\n%s stopped at %s\n", r.name.c_str(), r.failure.c_str());
  }
}

// The table above as results.tsv, beside the pictures, for the report (activations --html).
void write_results(const std::vector<mnist::ModelResult>& results, const std::filesystem::path& path) {
  examples::TableFile table{{"model", "params", "test acc", "final loss", "s/epoch", "dead",
                             "mean |grad W| per layer, input to output", "stopped"}, {}};
  for (const auto& r : results) {
    if (r.failed()) {
      table.rows.push_back({r.name, std::to_string(r.parameters), "-", "-", "-", "-", "-", r.failure});
      continue;
    }
    double seconds = 0;
    for (const auto& e : r.epochs) seconds += e.seconds;
    char loss[32], per_epoch[32];
    std::snprintf(loss, sizeof loss, "%.4f", r.epochs.back().train_loss);
    std::snprintf(per_epoch, sizeof per_epoch, "%.2f", seconds / static_cast<double>(r.epochs.size()));
    std::string norms;
    for (double g : r.gradient_norms) {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%s%.3g", norms.empty() ? "" : "  ", g);
      norms += buffer;
    }
    table.rows.push_back({r.name, std::to_string(r.parameters), percent(r.epochs.back().test_accuracy), loss,
                          per_epoch, percent(r.dead_relu_fraction), norms, ""});
  }
  examples::write_table(path, table);
}

void draw_curves(const std::vector<mnist::ModelResult>& results, const std::string& dataset,
                 const std::filesystem::path& path) {
  plot::Figure figure(1, 2, dataset + ": with and without activations");
  figure.shared_legend = true;
  plot::Chart& loss = figure.chart(0, 0);
  loss.title = "training loss";
  loss.x_label = "epoch";
  plot::Chart& acc = figure.chart(0, 1);
  acc.title = "test accuracy";
  acc.x_label = "epoch";
  for (const auto& r : results) {
    if (r.epochs.empty()) continue;  // failed in its first epoch: nothing to draw
    std::vector<double> epochs, losses, accuracies;
    for (size_t e = 0; e < r.epochs.size(); ++e) {
      epochs.push_back(static_cast<double>(e + 1));
      losses.push_back(r.epochs[e].train_loss);
      accuracies.push_back(r.epochs[e].test_accuracy);
    }
    loss.add_line(r.name, epochs, losses).markers = true;
    acc.add_line(r.name, epochs, accuracies).markers = true;
  }
  figure.save(path.string());
}

// Test images with the model's guesses: the first correct ones, then the first mistakes,
// so the picture shows what the model gets wrong as well as what it gets right.
void draw_predictions(const std::string& model_name, nn::Module& model, const datasets::MNIST& test,
                      const mnist::DatasetName& dataset, const std::filesystem::path& path) {
  const int kEach = 6;
  const Tensor predicted_classes = mnist::predict(model, test).argmax(1);
  const auto predicted = predicted_classes.accessor<int64_t, 1>();
  std::vector<size_t> right, wrong;
  for (size_t i = 0; i < test.size() && (right.size() < kEach || wrong.size() < kEach); ++i) {
    const bool correct = predicted[static_cast<int64_t>(i)] == test.label(i);
    std::vector<size_t>& pile = correct ? right : wrong;
    if (pile.size() < kEach) pile.push_back(i);
  }
  plot::Figure figure(1, 1, model_name + " on " + dataset.name +
                                " test images: predictions, mistakes in orange with the true class");
  figure.panel_width = 960;  // room for captions such as "Sneaker (true: Sandal)"
  figure.panel_height = 380;
  plot::ImageGrid& grid = figure.image_grid(0, 0);
  grid.columns = kEach;
  right.insert(right.end(), wrong.begin(), wrong.end());
  for (size_t i : right) {
    std::vector<float> pixels;
    for (uint8_t p : test.image(i)) pixels.push_back(p / 255.0f);
    const int64_t guess = predicted[static_cast<int64_t>(i)];
    const int truth = test.label(i);
    const std::string& guessed = dataset.class_names.at(static_cast<size_t>(guess));
    plot::Image& image = grid.add_image(static_cast<int>(test.cols()), static_cast<int>(test.rows()), pixels,
                                        guess == truth ? guessed : guessed + " (true: " + dataset.class_names.at(truth) + ")");
    if (guess != truth) image.caption_color = "#d55e00";
  }
  figure.save(path.string());
}

}  // namespace

int main(int argc, char** argv) {
  return examples::run("mnist_collapse", [&] {
    Options o;
    if (!parse(argc, argv, o)) return 0;  // --help
    set_num_threads(o.threads);

    const datasets::MNIST train(o.data, datasets::Split::Train, static_cast<size_t>(o.limit));
    const datasets::MNIST test(o.data, datasets::Split::Test);
    const mnist::DatasetName dataset = mnist::dataset_named(o.dataset, test);
    std::printf("data: %s in %s (%zu training, %zu test images)\n", dataset.name.c_str(), o.data.c_str(), train.size(),
                test.size());
    std::printf("training: %d epochs, batch %lld, %s lr %g, seed %llu, %d threads\n", o.train.epochs,
                static_cast<long long>(o.train.batch_size), o.train.optimizer.c_str(), o.train.learning_rate,
                static_cast<unsigned long long>(o.train.seed), get_num_threads());

    std::vector<mnist::ModelResult> results;
    auto run = [&](const std::string& name, nn::Sequential& model) {
      manual_seed(o.train.seed);  // every model starts from the same random stream
      results.push_back(mnist::train_and_evaluate(name, model, train, test, o.train));
      return !results.back().failed();
    };

    manual_seed(o.train.seed);
    nn::Sequential logistic({nn::Dense(784, 10)});
    run("logistic regression", logistic);

    manual_seed(o.train.seed);
    nn::Sequential deep_linear = make_model(o, "identity");
    const bool linear_trained = run("deep linear", deep_linear);

    // 1. The proof: the trained deep linear network IS one Dense layer.
    if (linear_trained) {
      nn::Dense single = nn::collapse(deep_linear);
      const Tensor deep = mnist::predict(deep_linear, test);
      const Tensor one = mnist::predict(single, test);
      const double max_difference = (deep - one).abs().max().item();
      const double same = eq(deep.argmax(1).to(kFloat64), one.argmax(1).to(kFloat64)).sum().item();
      std::printf("\ncollapse: the deep linear network (%lld parameters) equals one Dense(784 -> 10) layer (%lld)\n",
                  static_cast<long long>(deep_linear.parameter_count()), static_cast<long long>(single.parameter_count()));
      std::printf("  largest logit difference on the %zu test images: %.3g\n", test.size(), max_difference);
      std::printf("  same prediction on %.0f of %zu test images\n", same, test.size());
      // The same three lines as collapse.tsv, for the report (activations --html).
      std::string layers = "784";
      for (int64_t h : o.hidden) layers += "-" + std::to_string(h);
      char difference[32];
      std::snprintf(difference, sizeof difference, "%.3g", max_difference);
      examples::write_table(o.out / "collapse.tsv",
                            {{"deep linear network", "parameters", "one Dense layer", "parameters",
                              "largest logit difference", "same prediction", "test images"},
                             {{layers + "-10", std::to_string(deep_linear.parameter_count()), "784-10",
                               std::to_string(single.parameter_count()), difference,
                               std::to_string(static_cast<long long>(same)), std::to_string(test.size())}}});
    }

    // 2. The same deep network, with activations.
    std::vector<std::unique_ptr<nn::Sequential>> nonlinear;
    nn::Sequential* best = nullptr;  // the first non-linear model that trained, for the pictures
    std::string best_name;
    for (const std::string& a : o.activations) {
      manual_seed(o.train.seed);
      nonlinear.push_back(std::make_unique<nn::Sequential>(make_model(o, a)));
      if (run("deep " + a, *nonlinear.back()) && !best) best = nonlinear.back().get(), best_name = "deep " + a;
    }
    if (!best && linear_trained) best = &deep_linear, best_name = "deep linear";
    print_table(results);
    write_results(results, o.out / "results.tsv");

    // 3. Pictures.
    draw_curves(results, dataset.name, o.out / "training.svg");
    std::printf("\npictures: %s", (o.out / "training.svg").c_str());
    if (best) {
      draw_predictions(best_name, *best, test, dataset, o.out / "predictions.svg");
      std::printf(", %s", (o.out / "predictions.svg").c_str());
    }
    std::printf("\n");

    int failed = 0;
    for (const auto& r : results) failed += r.failed();
    if (failed > 0) {
      throw std::runtime_error(std::to_string(failed) + " of " + std::to_string(results.size()) +
                               " models stopped with a NaN/inf loss; the diagnosis is printed above");
    }
    return 0;
  });
}
