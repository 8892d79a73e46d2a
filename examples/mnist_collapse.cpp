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
//
//   ./build/examples/mnist_collapse                        # Fashion-MNIST, Debian's package
//   ./build/examples/mnist_collapse --data ~/mnist --activations relu,gelu,my_act
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include <nabla.h>

#include "examples/mnist/experiment.h"

using namespace nabla;

namespace {

struct Options {
  std::string data = datasets::default_data_directory();
  std::vector<int64_t> hidden = {256, 256};
  std::vector<std::string> activations = {"relu", "sigmoid", "tanh"};
  mnist::TrainConfig train;
  int threads = 0;  // 0: one per core
  size_t limit = datasets::MNIST::kAllExamples;
  std::string out = "out/mnist";
};

const char* kUsage = R"(usage: mnist_collapse [options]
  --data DIR            MNIST-format files (default: /usr/share/datasets/fashion-mnist)
  --epochs N            epochs per model (default 5)
  --batch-size N        (default 64)
  --optimizer NAME      adam or sgd (default adam)
  --lr X                learning rate (default 1e-3)
  --hidden A,B,...      hidden layer sizes (default 256,256)
  --activations A,B,..  non-linear models to train (default relu,sigmoid,tanh; any
                        registered activation, custom ones included)
  --seed N              (default 0)
  --threads N           (default: one per core)
  --limit N             use only the first N training images
  --out DIR             where the SVG pictures go (default out/mnist)
  --no-progress         no progress bars on stderr
)";

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> parts;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, ',');) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(flag + " needs a value");
      return argv[++i];
    };
    // std::stoi and friends say only "stoi" when they fail: say which option and what it got.
    auto number = [&](auto convert) {
      const std::string text = value();
      try {
        size_t used = 0;
        auto n = convert(text, &used);
        if (used == text.size()) return n;
      } catch (const std::logic_error&) {
      }
      throw std::invalid_argument(flag + " expects a number, got '" + text + "'");
    };
    auto to_int = [](const std::string& t, size_t* used) { return std::stoi(t, used); };
    auto to_long = [](const std::string& t, size_t* used) { return std::stoll(t, used); };
    auto to_unsigned = [](const std::string& t, size_t* used) { return std::stoull(t, used); };
    auto to_double = [](const std::string& t, size_t* used) { return std::stod(t, used); };
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (flag == "--data") {
      o.data = value();
    } else if (flag == "--epochs") {
      o.train.epochs = number(to_int);
    } else if (flag == "--batch-size") {
      o.train.batch_size = number(to_long);
    } else if (flag == "--optimizer") {
      o.train.optimizer = value();
    } else if (flag == "--lr") {
      o.train.learning_rate = number(to_double);
    } else if (flag == "--hidden") {
      o.hidden.clear();
      for (const std::string& h : split(value())) {
        try {
          o.hidden.push_back(std::stoll(h));
        } catch (const std::logic_error&) {
          throw std::invalid_argument("--hidden expects sizes like 256,256, got '" + h + "'");
        }
      }
    } else if (flag == "--activations") {
      o.activations = split(value());
    } else if (flag == "--seed") {
      o.train.seed = number(to_unsigned);
    } else if (flag == "--threads") {
      o.threads = number(to_int);
    } else if (flag == "--limit") {
      o.limit = number(to_unsigned);
    } else if (flag == "--out") {
      o.out = value();
    } else if (flag == "--no-progress") {
      o.train.progress = false;
    } else {
      throw std::invalid_argument("unknown option " + flag + " (see --help)");
    }
  }
  if (o.train.epochs < 1 || o.train.batch_size < 1) throw std::invalid_argument("--epochs and --batch-size must be >= 1");
  for (const std::string& a : o.activations) activation(a);  // unknown names fail now, listing the known ones
  return o;
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

void print_table(const std::vector<mnist::ModelResult>& results) {
  std::printf("\n%-22s %10s %9s %10s %9s %7s   %s\n", "model", "params", "test acc", "final loss", "s/epoch", "dead",
              "mean |grad W| per layer, input to output");
  for (const auto& r : results) {
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
}

bool is_fashion(const datasets::MNIST& data) { return data.images_path().find("fashion") != std::string::npos; }

void draw_curves(const std::vector<mnist::ModelResult>& results, const std::string& dataset, const std::string& path) {
  plot::Figure figure(1, 2, dataset + ": with and without activations");
  figure.shared_legend = true;
  plot::Chart& loss = figure.chart(0, 0);
  loss.title = "training loss";
  loss.x_label = "epoch";
  plot::Chart& acc = figure.chart(0, 1);
  acc.title = "test accuracy";
  acc.x_label = "epoch";
  for (const auto& r : results) {
    std::vector<double> epochs, losses, accuracies;
    for (size_t e = 0; e < r.epochs.size(); ++e) {
      epochs.push_back(static_cast<double>(e + 1));
      losses.push_back(r.epochs[e].train_loss);
      accuracies.push_back(r.epochs[e].test_accuracy);
    }
    loss.add_line(r.name, epochs, losses).markers = true;
    acc.add_line(r.name, epochs, accuracies).markers = true;
  }
  figure.save(path);
}

void draw_predictions(nn::Module& model, const datasets::MNIST& test, const std::string& path) {
  static const char* kFashion[] = {"T-shirt", "trouser", "pullover", "dress", "coat",
                                   "sandal", "shirt", "sneaker", "bag", "boot"};
  const bool fashion = is_fashion(test);
  const Tensor predicted = mnist::predict(model, test).argmax(1);
  plot::Figure figure(1, 1, "Test images: predicted (true)");
  figure.panel_width = 900;  // room for captions such as "sandal (sneaker)"
  figure.panel_height = 300;
  plot::ImageGrid& grid = figure.image_grid(0, 0);
  grid.columns = 8;
  for (size_t i = 0; i < 16 && i < test.size(); ++i) {
    std::vector<float> pixels;
    for (uint8_t p : test.image(i)) pixels.push_back(p / 255.0f);
    const int64_t guess = predicted.data_ptr<int64_t>()[i];
    const int truth = test.label(i);
    auto label = [&](int64_t c) { return fashion ? std::string(kFashion[c]) : std::to_string(c); };
    plot::Image& image = grid.add_image(static_cast<int>(test.cols()), static_cast<int>(test.rows()), pixels,
                                        label(guess) + (guess == truth ? "" : " (" + label(truth) + ")"));
    if (guess != truth) image.caption_color = "#d55e00";
  }
  figure.save(path);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    o = parse(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "mnist_collapse: " << e.what() << "\n";
    return 2;
  }
  if (o.threads > 0) set_num_threads(o.threads);

  std::unique_ptr<datasets::MNIST> train, test;
  try {
    train = std::make_unique<datasets::MNIST>(o.data, datasets::Split::Train, o.limit);
    test = std::make_unique<datasets::MNIST>(o.data, datasets::Split::Test);
  } catch (const std::exception& e) {
    std::cerr << "mnist_collapse: cannot load the data.\n" << e.what() << "\n";
    return 1;
  }
  std::printf("data: %s (%zu training, %zu test images)\n", o.data.c_str(), train->size(), test->size());
  std::printf("training: %d epochs, batch %lld, %s lr %g, seed %llu, %d threads\n", o.train.epochs,
              static_cast<long long>(o.train.batch_size), o.train.optimizer.c_str(), o.train.learning_rate,
              static_cast<unsigned long long>(o.train.seed), get_num_threads());

  std::vector<mnist::ModelResult> results;
  auto run = [&](const std::string& name, nn::Sequential& model) {
    manual_seed(o.train.seed);  // every model starts from the same random stream
    results.push_back(mnist::train_and_evaluate(name, model, *train, *test, o.train));
  };

  manual_seed(o.train.seed);
  nn::Sequential logistic({nn::Dense(784, 10)});
  run("logistic regression", logistic);

  manual_seed(o.train.seed);
  nn::Sequential deep_linear = make_model(o, "identity");
  run("deep linear", deep_linear);

  // 1. The proof: the trained deep linear network IS one Dense layer.
  {
    nn::Dense single = nn::collapse(deep_linear);
    const Tensor deep = mnist::predict(deep_linear, *test);
    const Tensor one = mnist::predict(single, *test);
    const double max_difference = (deep - one).abs().max().item();
    const double same = eq(deep.argmax(1).to(kFloat64), one.argmax(1).to(kFloat64)).sum().item();
    std::printf("\ncollapse: the deep linear network (%lld parameters) equals one Dense(784 -> 10) layer (%lld)\n",
                static_cast<long long>(deep_linear.parameter_count()), static_cast<long long>(single.parameter_count()));
    std::printf("  largest logit difference on the %zu test images: %.3g\n", test->size(), max_difference);
    std::printf("  same prediction on %.0f of %zu test images\n", same, test->size());
  }

  // 2. The same deep network, with activations.
  std::vector<std::unique_ptr<nn::Sequential>> nonlinear;
  for (const std::string& a : o.activations) {
    manual_seed(o.train.seed);
    nonlinear.push_back(std::make_unique<nn::Sequential>(make_model(o, a)));
    run("deep " + a, *nonlinear.back());
  }
  print_table(results);

  // 3. Pictures.
  std::filesystem::create_directories(o.out);
  draw_curves(results, is_fashion(*test) ? "Fashion-MNIST" : "MNIST", o.out + "/training.svg");
  nn::Sequential& best = nonlinear.empty() ? deep_linear : *nonlinear.front();
  draw_predictions(best, *test, o.out + "/predictions.svg");
  std::printf("\npictures: %s/training.svg, %s/predictions.svg\n", o.out.c_str(), o.out.c_str());
  return 0;
}
