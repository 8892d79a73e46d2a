#pragma once
// The activation table: one row per activation, the single description that the kernels'
// users, the by-name registry, the tests, the audit and the plots all read.
//
//   const Activation& a = nabla::activation("tanh");
//   Tensor y = a(x);                        // same as nabla::tanh(x)
//   std::cout << a.formula << " -> " << a.derivative;
//
// Custom activations join the same table (see custom.h) and are then accepted everywhere
// a built-in is: Dense(64, 10, "my_act"), audit("my_act"), the plots.
#include <functional>
#include <string>
#include <vector>

#include "autograd/tensor.h"

namespace nabla {

// Where f is defined on the real line.
enum class Domain { AllReals, NonNegative, Positive };

struct Activation {
  std::string name;
  std::string formula;     // f(x), in words a reader can check
  std::string derivative;  // f'(x), likewise, with the convention used at kinks
  Domain domain = Domain::AllReals;
  // Points where f' jumps or is infinite: finite differences straddling them disagree with
  // any convention, so checks sample around them and test the convention separately.
  std::vector<double> kinks;
  // Whether f'' exists (away from kinks) and flows through the engine.
  bool twice_differentiable = true;
  std::string parameters;  // e.g. "slope = 0.01"
  std::function<Tensor(const Tensor&)> apply;
  bool builtin = false;

  Tensor operator()(const Tensor& x) const { return apply(x); }
};

std::string to_string(Domain d);

// The row named `name`; throws std::invalid_argument listing the known names if none.
const Activation& activation(const std::string& name);
bool has_activation(const std::string& name);
// Every activation in table order: built-ins first, then custom ones as registered.
std::vector<std::string> activation_names();
// Adds a custom row; a name already taken is an error (built-ins cannot be replaced).
const Activation& register_activation(Activation row);
// Convenience: apply the activation called `name` to x.
Tensor apply_activation(const std::string& name, const Tensor& x);

}  // namespace nabla
