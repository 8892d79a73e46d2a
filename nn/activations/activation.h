#pragma once
// The activation table: one description per activation, the single place its facts are
// written. The free functions, the by-name lookup, weight initialisation (nn/init.h), the
// audit, the plots and the tests all read it; none keeps a list of names of its own.
//
//   const Activation& a = nabla::activation("tanh");
//   Tensor y = a(x);                        // same as nabla::tanh(x)
//   std::cout << a.formula << " -> " << a.derivative;
//
// Parameterised activations are chosen by name with their parameters, in code or as text
// (on the examples' command lines, in Dense(..., "leaky_relu(0.2)")):
//
//   activation("leaky_relu", {{"slope", 0.2}});   activation("leaky_relu(0.2)");
//   activation("leaky_relu(slope=0.2)");          activation("hardtanh(-2, 2)");
//
// Custom activations join the same table (see custom.h) and are then accepted everywhere
// a built-in is: Dense(64, 10, "my_act"), audit("my_act"), the plots, the init.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "autograd/tensor.h"

namespace nabla {

// Where f is defined on the real line.
enum class Domain { AllReals, NonNegative, Positive };

// The weight initialisation that keeps the signal's variance through layers of this
// activation; nn::Init::Auto (nn/init.h) reads it from here.
enum class InitFamily {
  Derived,  // not given: register_activation() derives He or Glorot from f (derive_init_family)
  Glorot,   // U(+-sqrt(6 / (fan_in + fan_out))): f(x) ~ x near 0 on both sides (tanh, sigmoid, identity)
  He,       // U(+-sqrt(6 / fan_in)): relu-like, the negative side (nearly) zeroed, so twice the variance
  LeCun,    // N(0, 1 / fan_in): selu's self-normalising fixed point (mean 0, variance 1)
};

// One named number of a parameterised activation, e.g. leaky_relu's slope = 0.01.
struct ActivationParameter {
  std::string name{};
  double value = 0;
};

// Parameter values by name, as activation() takes them: {{"slope", 0.2}}.
using ParameterValues = std::vector<std::pair<std::string, double>>;

// Every member has a default initializer, so that register_activation({.name = ..., .apply = ...})
// compiles without -Wmissing-field-initializers warnings in a user's -Wall -Wextra build.
struct Activation {
  std::string name{};        // "leaky_relu"; an instance with other parameters: "leaky_relu(slope=0.2)"
  std::string formula{};     // f(x), in words a reader can check, with the parameters' values filled in
  std::string derivative{};  // f'(x), likewise, with the convention used at kinks
  Domain domain = Domain::AllReals;
  // Points where f' jumps or is infinite: finite differences straddling them disagree with
  // any convention, so checks sample around them and test the convention separately. (The
  // edge of a domain, log's and sqrt's 0, is not a kink: see `domain_edge()`.)
  std::vector<double> kinks{};
  // Whether f'' flows through the engine: true for every built-in (relu's f'' = 0 included);
  // false only for a custom f/f' pair given without f'' (custom.h), whose f'' is refused.
  bool twice_differentiable = true;
  // f is a straight line between kinks, so f'' = 0 wherever it exists (relu, hardtanh...):
  // the tests expect f'' = 0 and the plots draw no f'' curve.
  bool piecewise_linear = false;
  std::vector<ActivationParameter> parameters{};  // names and values; the table row holds the defaults
  InitFamily init = InitFamily::Derived;
  std::function<Tensor(const Tensor&)> apply{};
  bool builtin = false;
  // The same activation with other parameter values (in the order of `parameters`); empty
  // for an activation without parameters. Built-ins set it; activation(name, values) calls it.
  std::function<Activation(const std::vector<double>&)> with_parameters{};

  // y = f(x) elementwise: x float32 or float64, any shape; y has x's shape and dtype.
  Tensor operator()(const Tensor& x) const { return apply(x); }
  // The name the table knows it by: "leaky_relu" for "leaky_relu(slope=0.2)".
  std::string base_name() const;
  // The point where the domain ends (0 for sqrt and log), or NaN for all reals.
  double domain_edge() const;
};

std::string to_string(Domain d);
std::string to_string(InitFamily family);

// The activation described by `spec`: a name ("tanh"), or a name with parameters, by position
// or by name ("leaky_relu(0.2)", "hardtanh(-2, 2)", "leaky_relu(slope=0.2)"); unnamed ones
// keep their defaults. Throws std::invalid_argument naming the activation and its parameters
// for an unknown name, an unknown parameter, too many values or a value that is not a number.
// The reference stays valid for the program's life.
const Activation& activation(const std::string& spec);
// The activation `name` with some parameters set by name: activation("leaky_relu", {{"slope", 0.2}}).
// Throws as above.
const Activation& activation(const std::string& name, const ParameterValues& values);
// Whether activation(spec) would find `spec` (the parameters are not checked).
bool has_activation(const std::string& spec);
// Every activation in table order: built-ins first, then custom ones as registered.
std::vector<std::string> activation_names();
// Adds a custom row; a name already taken is an error (built-ins cannot be replaced), as is a
// row without a name or a function (std::invalid_argument). A row with init = Derived gets
// derive_init_family(row).
const Activation& register_activation(Activation row);
// Convenience: apply the activation described by `spec` to x.
Tensor apply_activation(const std::string& spec, const Tensor& x);

// The init family of an activation that does not state one: He when f is relu-like, else
// Glorot. Relu-like, measured in float64 through f's own backward: f(0) = 0, a slope near 1
// on the right (f'(4) in [0.5, 2]) and a small one on the left (|f'(-4)| < 0.5). Every
// built-in but selu (LeCun, by design) states the family this gives.
InitFamily derive_init_family(const Activation& a);

}  // namespace nabla
