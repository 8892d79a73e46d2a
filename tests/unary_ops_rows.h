#pragma once
// The rows of autograd/ops/unary_ops.def as values, for the tests that go over every row: a
// row added to the table is tested by each of them, or fails the one that finds no case for it.
#include <stdexcept>
#include <string>
#include <vector>

#include "autograd/autograd.h"

namespace nabla::testing {

struct UnaryRow {
  std::string name;
  Tensor (*function)(const Tensor&);
  Tensor (Tensor::*method)() const;
};

inline const std::vector<UnaryRow>& unary_rows() {
  static const std::vector<UnaryRow> rows = {
#define NABLA_UNARY(name, ...) {#name, [](const Tensor& x) { return nabla::name(x); }, &Tensor::name},
#include "autograd/ops/unary_ops.def"
#undef NABLA_UNARY
  };
  return rows;
}

inline std::vector<std::string> unary_row_names() {
  std::vector<std::string> names;
  for (const UnaryRow& row : unary_rows()) names.push_back(row.name);
  return names;
}

inline const UnaryRow& unary_row(const std::string& name) {
  for (const UnaryRow& row : unary_rows()) {
    if (row.name == name) return row;
  }
  throw std::invalid_argument("unary_ops.def has no row " + name);
}

}  // namespace nabla::testing
