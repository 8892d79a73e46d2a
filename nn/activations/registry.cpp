#include <deque>
#include <mutex>
#include <stdexcept>

#include "nn/activations/activation.h"

namespace nabla {

namespace detail {
std::vector<Activation> builtin_activations();
}

namespace {

// A deque, so that references handed out stay valid as custom rows are added.
struct Table {
  std::mutex mutex;
  std::deque<Activation> rows;
  Table() {
    for (Activation& a : detail::builtin_activations()) rows.push_back(std::move(a));
  }
};

Table& table() {
  static Table instance;
  return instance;
}

const Activation* find(const std::string& name) {
  for (const Activation& a : table().rows) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

}  // namespace

std::string to_string(Domain d) {
  switch (d) {
    case Domain::AllReals: return "all reals";
    case Domain::NonNegative: return "x >= 0";
    case Domain::Positive: return "x > 0";
  }
  return "?";
}

const Activation& activation(const std::string& name) {
  std::lock_guard lock(table().mutex);
  if (const Activation* a = find(name)) return *a;
  std::string known;
  for (const Activation& a : table().rows) known += (known.empty() ? "" : ", ") + a.name;
  throw std::invalid_argument("unknown activation '" + name + "'; known: " + known +
                              " (register your own with register_activation)");
}

bool has_activation(const std::string& name) {
  std::lock_guard lock(table().mutex);
  return find(name) != nullptr;
}

std::vector<std::string> activation_names() {
  std::lock_guard lock(table().mutex);
  std::vector<std::string> names;
  for (const Activation& a : table().rows) names.push_back(a.name);
  return names;
}

const Activation& register_activation(Activation row) {
  if (row.name.empty()) throw std::invalid_argument("register_activation: the activation needs a name");
  if (!row.apply) throw std::invalid_argument("register_activation: '" + row.name + "' has no function");
  std::lock_guard lock(table().mutex);
  if (find(row.name)) {
    throw std::invalid_argument("register_activation: the name '" + row.name + "' is already taken");
  }
  row.builtin = false;
  table().rows.push_back(std::move(row));
  return table().rows.back();
}

Tensor apply_activation(const std::string& name, const Tensor& x) { return activation(name)(x); }

}  // namespace nabla
