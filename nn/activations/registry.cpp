// The table behind activation(): the built-in rows (builtin.cpp), the custom rows added by
// register_activation(), and the instances with other parameters, made on first request
// ("leaky_relu(0.2)") and kept, so that every reference handed out stays valid.
#include <cmath>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <stdexcept>

#include "autograd/autograd.h"
#include "nn/activations/activation.h"
#include "nn/activations/describe.h"

namespace nabla {

namespace detail {
std::vector<Activation> builtin_activations();
}

namespace {

// Deques, so that references handed out stay valid as rows are added.
struct Table {
  std::mutex mutex;
  std::deque<Activation> rows;       // what activation_names() lists
  std::deque<Activation> instances;  // rows with non-default parameters, by their full name
  Table() {
    for (Activation& a : detail::builtin_activations()) rows.push_back(std::move(a));
  }
};

Table& table() {
  static Table instance;
  return instance;
}

const Activation* find(const std::deque<Activation>& rows, const std::string& name) {
  for (const Activation& a : rows) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::string trim(const std::string& s) {
  const size_t first = s.find_first_not_of(" \t"), last = s.find_last_not_of(" \t");
  return first == std::string::npos ? "" : s.substr(first, last - first + 1);
}

// "leaky_relu(slope = 0.01)", "hardtanh(min_val = -1, max_val = 1)", "relu()": what a row accepts.
std::string signature(const Activation& a) {
  std::string out = a.name + "(";
  for (size_t i = 0; i < a.parameters.size(); ++i) {
    out += (i ? ", " : "") + a.parameters[i].name + " = " + detail::format_parameter(a.parameters[i].value);
  }
  return out + ")";
}

[[noreturn]] void bad_parameters(const std::string& spec, const Activation& row, const std::string& what) {
  const std::string takes = row.parameters.empty() ? row.name + " takes no parameters"
                                                   : row.name + " takes " + signature(row);
  throw std::invalid_argument("activation '" + spec + "': " + what + "; " + takes);
}

const Activation& base_row(const std::string& name) {
  if (const Activation* a = find(table().rows, name)) return *a;
  std::string known;
  for (const Activation& a : table().rows) known += (known.empty() ? "" : ", ") + a.name;
  throw std::invalid_argument("unknown activation '" + name + "'; known: " + known +
                              " (register your own with register_activation)");
}

// The row `base` with `values` (one per parameter); the caller holds the table's lock.
const Activation& instance(const std::string& spec, const Activation& base, const std::vector<double>& values) {
  bool defaults = true;
  std::string name = base.name + "(";
  for (size_t i = 0; i < values.size(); ++i) {
    defaults = defaults && values[i] == base.parameters[i].value;
    name += (i ? ", " : "") + base.parameters[i].name + "=" + detail::format_parameter(values[i]);
  }
  name += ")";
  if (defaults) return base;
  if (const Activation* a = find(table().instances, name)) return *a;
  if (!base.with_parameters) bad_parameters(spec, base, "its parameters cannot be changed");
  Activation made;
  try {
    made = base.with_parameters(values);
  } catch (const std::invalid_argument& e) {
    bad_parameters(spec, base, e.what());
  }
  made.name = name;
  made.builtin = base.builtin;
  table().instances.push_back(std::move(made));
  return table().instances.back();
}

double parse_number(const std::string& spec, const Activation& row, const std::string& text) {
  const std::string t = trim(text);
  char* end = nullptr;
  const double v = t.empty() ? NAN : std::strtod(t.c_str(), &end);
  if (t.empty() || end != t.c_str() + t.size() || !std::isfinite(v)) {
    bad_parameters(spec, row, "'" + t + "' is not a number");
  }
  return v;
}

}  // namespace

std::string Activation::base_name() const { return name.substr(0, name.find('(')); }

double Activation::domain_edge() const { return domain == Domain::AllReals ? NAN : 0.0; }

std::string to_string(Domain d) {
  switch (d) {
    case Domain::AllReals: return "all reals";
    case Domain::NonNegative: return "x >= 0";
    case Domain::Positive: return "x > 0";
  }
  return "?";
}

std::string to_string(InitFamily family) {
  switch (family) {
    case InitFamily::Derived: return "derived";
    case InitFamily::Glorot: return "glorot";
    case InitFamily::He: return "he";
    case InitFamily::LeCun: return "lecun";
  }
  return "?";
}

const Activation& activation(const std::string& text) {
  const std::string spec = trim(text);
  const size_t open = spec.find('(');
  std::lock_guard lock(table().mutex);
  if (open == std::string::npos) return base_row(trim(spec));
  const Activation& row = base_row(trim(spec.substr(0, open)));
  if (spec.back() != ')') bad_parameters(spec, row, "expected ')' at the end");
  const std::string inside = trim(spec.substr(open + 1, spec.size() - open - 2));
  std::vector<double> values;
  for (const ActivationParameter& p : row.parameters) values.push_back(p.value);
  if (inside.empty()) return instance(spec, row, values);
  if (row.parameters.empty()) {
    throw std::invalid_argument("activation '" + spec + "': " + row.name + " takes no parameters");
  }
  // Split on ',': value, value, ... or name=value, ... (positional ones first).
  std::vector<bool> set(values.size(), false);
  size_t position = 0, start = 0;
  bool named_seen = false;
  while (true) {
    const size_t comma = inside.find(',', start);
    const std::string item = inside.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const size_t equals = item.find('=');
    size_t index;
    if (equals == std::string::npos) {
      if (named_seen) bad_parameters(spec, row, "a value by position after one by name");
      if (position >= values.size()) {
        bad_parameters(spec, row, "too many values (" + std::to_string(position + 1) + ")");
      }
      index = position++;
    } else {
      named_seen = true;
      const std::string key = trim(item.substr(0, equals));
      index = values.size();
      for (size_t i = 0; i < row.parameters.size(); ++i) {
        if (row.parameters[i].name == key) index = i;
      }
      if (index == values.size()) bad_parameters(spec, row, "no parameter named '" + key + "'");
    }
    if (set[index]) bad_parameters(spec, row, row.parameters[index].name + " given twice");
    set[index] = true;
    values[index] = parse_number(spec, row, equals == std::string::npos ? item : item.substr(equals + 1));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return instance(spec, row, values);
}

const Activation& activation(const std::string& name, const ParameterValues& given) {
  std::lock_guard lock(table().mutex);
  const Activation& row = base_row(name);
  std::string spec = name + "(";
  for (size_t i = 0; i < given.size(); ++i) {
    spec += (i ? ", " : "") + given[i].first + "=" + detail::format_parameter(given[i].second);
  }
  spec += ")";
  std::vector<double> values;
  for (const ActivationParameter& p : row.parameters) values.push_back(p.value);
  std::vector<bool> set(values.size(), false);
  for (const auto& [key, value] : given) {
    size_t index = values.size();
    for (size_t i = 0; i < row.parameters.size(); ++i) {
      if (row.parameters[i].name == key) index = i;
    }
    if (index == values.size()) bad_parameters(spec, row, "no parameter named '" + key + "'");
    if (set[index]) bad_parameters(spec, row, key + " given twice");
    if (!std::isfinite(value)) bad_parameters(spec, row, key + " is not a finite number");
    set[index] = true;
    values[index] = value;
  }
  return instance(spec, row, values);
}

bool has_activation(const std::string& spec) {
  const std::string name = trim(spec.substr(0, spec.find('(')));
  std::lock_guard lock(table().mutex);
  return find(table().rows, name) != nullptr;
}

std::vector<std::string> activation_names() {
  std::lock_guard lock(table().mutex);
  std::vector<std::string> names;
  for (const Activation& a : table().rows) names.push_back(a.name);
  return names;
}

InitFamily derive_init_family(const Activation& a) {
  if (!a.apply) return InitFamily::Glorot;
  // f and f' at 0, 4 and -4, in float64, through the activation's own backward.
  AutoGradMode recording(true);  // also when registered under a NoGradGuard
  const Tensor x = tensor({0.0, 4.0, -4.0}, kFloat64).requires_grad_();
  const Tensor y = a(x);
  if (!y.requires_grad()) return InitFamily::Glorot;  // a constant: nothing to keep
  const std::vector<double> f = y.to_vector();
  const std::vector<double> df = autograd::grad({y}, {x}, {ones_like(y)})[0].to_vector();
  const bool relu_like = std::abs(f[0]) < 1e-12 && df[1] >= 0.5 && df[1] <= 2.0 && std::abs(df[2]) < 0.5;
  return relu_like ? InitFamily::He : InitFamily::Glorot;
}

const Activation& register_activation(Activation row) {
  if (row.name.empty()) throw std::invalid_argument("register_activation: the activation needs a name");
  if (row.name.find_first_of("(),= ") != std::string::npos) {
    throw std::invalid_argument("register_activation: the name '" + row.name +
                                "' may not contain spaces, parentheses, '=' or ','");
  }
  if (!row.apply) throw std::invalid_argument("register_activation: '" + row.name + "' has no function");
  if (row.init == InitFamily::Derived) row.init = derive_init_family(row);  // outside the lock: runs f
  std::lock_guard lock(table().mutex);
  if (find(table().rows, row.name)) {
    throw std::invalid_argument("register_activation: the name '" + row.name + "' is already taken");
  }
  row.builtin = false;
  table().rows.push_back(std::move(row));
  return table().rows.back();
}

Tensor apply_activation(const std::string& spec, const Tensor& x) { return activation(spec)(x); }

}  // namespace nabla
