#pragma once
// A progress bar for long training loops:
//
//   nn::ProgressBar bar(steps, "epoch 3", {.batch_size = 64});
//   for (int64_t step = 1; step <= steps; ++step) {
//     ...
//     bar.update(step, loss.item(), {{"acc", accuracy}});
//   }
//   bar.finish();
//
//   epoch 3 [=============>                ]  450/1000  45%  loss 0.3412  acc 0.91  2150 samples/s  ETA 0:15
//
// On a terminal the line is redrawn in place ('\r'), at most 10 times a second, so calling
// update() on every step of a fast loop costs a clock read. Written to a file or a pipe
// (a log), where every redraw would stay forever, it prints a plain line at each tenth of
// the way and at least every `log_interval` seconds in between, and a last one at finish().
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nabla::nn {

struct ProgressOptions {
  int64_t batch_size = 0;             // samples per step, for samples/s; 0 leaves the rate out
  std::ostream* stream = nullptr;     // where to draw; std::cerr by default
  // Redraw in place? By default: when the stream is std::cerr or std::cout and that is a
  // terminal. Any other stream gets plain lines.
  std::optional<bool> interactive;
  double redraw_interval = 0.1;       // seconds between redraws on a terminal
  double log_interval = 30.0;         // the longest gap between plain lines, in seconds
  bool log_tenths = true;             // plain mode: also a line at each tenth of the way
  int bar_width = 30;                 // characters between the brackets
  // The time in seconds from any fixed point; std::chrono::steady_clock by default.
  // Tests inject a fake one.
  std::function<double()> clock;
};

class ProgressBar {
 public:
  // `total` steps (> 0), labelled `label`. The clock starts now.
  ProgressBar(int64_t total, std::string label, ProgressOptions options = {});
  // Ends the line on a terminal if finish() was not called (an exception left the loop),
  // so that what is printed next does not overwrite it.
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // `step` steps are done (1 .. total; later steps count as total), the last loss was
  // `loss`, and optionally other metrics: update(step, loss, {{"acc", 0.91}}).
  void update(int64_t step, double loss, std::initializer_list<std::pair<std::string_view, double>> metrics = {});
  // Draws the final line (with the total time instead of the time left) and ends it.
  // Further calls do nothing.
  void finish();

  // The line as it would be drawn now (without '\r' or '\n').
  std::string line() const;

 private:
  void draw(double now);
  double now() const;

  int64_t total_;
  std::string label_;
  ProgressOptions options_;
  std::ostream* out_;
  bool interactive_;
  double start_;
  int64_t step_ = 0;
  double loss_ = 0;
  bool has_loss_ = false;
  std::vector<std::pair<std::string, double>> metrics_;
  double elapsed_ = 0;          // at the last update
  double last_draw_ = 0;        // when the last line was drawn
  int64_t last_drawn_step_ = -1;
  int64_t last_tenth_ = 0;      // plain mode: the last tenth of the way logged
  size_t drawn_width_ = 0;      // terminal mode: the length of the line on screen
  bool finished_ = false;
};

}  // namespace nabla::nn
