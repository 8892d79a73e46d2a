#pragma once
// Anomaly detection, PyTorch's detect_anomaly: while a DetectAnomalyGuard is alive, the
// output of every op and every gradient a backward produces is checked for NaN and inf.
// The first one found is an AnomalyError naming the op and its shapes, and, in a backward,
// the forward op whose derivative produced it:
//
//   { nabla::DetectAnomalyGuard guard; loss = model.forward(x); loss.backward(); }
//
// Checking reads every element, so it is for hunting down where a NaN is born, not for
// training. Off, it costs one relaxed atomic load per op.
//
// The mode is global, as in PyTorch: a guard on any thread turns checking on in every
// thread while it lives. Guards count, so guards on several threads may overlap freely.
#include <atomic>
#include <cstddef>
#include <string_view>
#include <vector>

namespace nabla {

class Node;
class Tensor;

// Whether checking is on: while at least one DetectAnomalyGuard lives, on any thread.
class AnomalyMode {
 public:
  static bool is_enabled() { return active_guards_.load(std::memory_order_relaxed) > 0; }

 private:
  friend class DetectAnomalyGuard;
  static inline std::atomic<int> active_guards_{0};
};

// RAII: anomaly detection on for as long as the guard lives.
class DetectAnomalyGuard {
 public:
  DetectAnomalyGuard() { AnomalyMode::active_guards_.fetch_add(1, std::memory_order_relaxed); }
  ~DetectAnomalyGuard() { AnomalyMode::active_guards_.fetch_sub(1, std::memory_order_relaxed); }
  DetectAnomalyGuard(const DetectAnomalyGuard&) = delete;
  DetectAnomalyGuard& operator=(const DetectAnomalyGuard&) = delete;
};

namespace detail {

// Throws AnomalyError if the output of `op` holds a NaN or inf (called by record()).
void check_forward_anomaly(std::string_view op, const Tensor& output, const Tensor* inputs, size_t input_count);

// node.apply(grad_output), then throws AnomalyError if a gradient it produced holds a NaN
// or inf (the engine calls this instead of apply while the mode is on). The ops inside the
// backward are not checked one by one: the error names the forward op being differentiated.
std::vector<Tensor> apply_checking_anomalies(Node& node, const Tensor& grad_output);

}  // namespace detail
}  // namespace nabla
