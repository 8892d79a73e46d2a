#pragma once
// Whether operations record themselves in the graph. On by default; off inside a
// NoGradGuard (evaluation, optimizer steps) and during a backward without create_graph.
// The switch is per thread: a guard on one thread does not stop another from recording.

namespace nabla {

struct GradMode {
  static bool is_enabled();                // this thread's setting
  static void set_enabled(bool enabled);   // prefer the guards below, which restore it
};

// RAII: recording off in this scope, restored on exit.  { nabla::NoGradGuard g; ... }
class NoGradGuard {
 public:
  NoGradGuard() : previous_(GradMode::is_enabled()) { GradMode::set_enabled(false); }
  ~NoGradGuard() { GradMode::set_enabled(previous_); }
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

// RAII: recording on (or off) in this scope, whatever it was before.
class AutoGradMode {
 public:
  explicit AutoGradMode(bool enabled) : previous_(GradMode::is_enabled()) { GradMode::set_enabled(enabled); }
  ~AutoGradMode() { GradMode::set_enabled(previous_); }
  AutoGradMode(const AutoGradMode&) = delete;
  AutoGradMode& operator=(const AutoGradMode&) = delete;

 private:
  bool previous_;
};

}  // namespace nabla
