// Printing a tensor in PyTorch's layout: tensor([[1., 2.], [3., 4.]], dtype=float64,
// grad_fn=<mul>). Apart from tensor.cpp because it names the op that made the tensor, which
// is a node of the graph: the Tensor handle itself knows nothing of nodes.
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "autograd/node.h"
#include "autograd/tensor.h"

namespace nabla {
namespace {

// Large tensors show their first and last kEdge entries per dimension, like PyTorch.
constexpr int64_t kSummariseAbove = 1000;
constexpr int64_t kEdge = 3;

std::string format_value(double v, ScalarType dtype, int precision) {
  if (dtype == kInt64) return std::to_string(static_cast<int64_t>(v));
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::ostringstream s;
  const double mag = std::abs(v);
  if (mag != 0 && (mag >= 1e8 || mag < 1e-4)) {
    s << std::scientific << std::setprecision(4) << v;
  } else if (precision == 0) {
    s << std::fixed << std::setprecision(0) << v << '.';  // whole numbers as PyTorch shows them: "1."
  } else {
    s << std::fixed << std::setprecision(precision) << v;
  }
  return s.str();
}

void print_dims(std::ostream& os, const Tensor& t, const std::vector<std::string>& cells, size_t width, int dim,
                int64_t offset, int indent, bool summarise) {
  const Shape& shape = t.sizes();
  int64_t stride = 1;
  for (int d = dim + 1; d < shape.dim(); ++d) stride *= shape[d];
  const int64_t n = shape[dim];
  os << '[';
  for (int64_t i = 0; i < n; ++i) {
    if (summarise && n > 2 * kEdge && i == kEdge) {
      os << "...";
      i = n - kEdge - 1;
      os << (dim + 1 == shape.dim() ? ", " : ",\n" + std::string(indent + 1, ' '));
      continue;
    }
    if (dim + 1 == shape.dim()) {
      const std::string& cell = cells[offset + i];
      os << std::string(width - cell.size(), ' ') << cell;
    } else {
      print_dims(os, t, cells, width, dim + 1, offset + i * stride, indent + 1, summarise);
    }
    if (i + 1 < n) {
      os << ',';
      if (dim + 1 == shape.dim()) {
        os << ' ';
      } else {
        os << std::string(shape.dim() - dim - 1, '\n') << std::string(indent + 1, ' ');
      }
    }
  }
  os << ']';
}

}  // namespace

std::ostream& operator<<(std::ostream& os, ScalarType t) { return os << to_string(t); }

std::ostream& operator<<(std::ostream& os, const Tensor& t) {
  if (!t.defined()) return os << "tensor(undefined)";
  const std::vector<double> values = t.to_vector();
  bool all_integers = true;
  for (double v : values) all_integers = all_integers && std::isfinite(v) && v == std::round(v);
  const int precision = all_integers ? 0 : 4;
  std::vector<std::string> cells;
  size_t width = 0;
  for (int64_t i = 0; i < t.numel(); ++i) {
    // int64 straight from memory: through double, values above 2^53 would print rounded.
    cells.push_back(t.dtype() == kInt64 ? std::to_string(t.data_ptr<int64_t>()[i])
                                        : format_value(values[i], t.dtype(), precision));
    width = std::max(width, cells.back().size());
  }
  os << "tensor(";
  if (t.dim() == 0) {
    os << cells[0];
  } else {
    print_dims(os, t, cells, width, 0, 0, 7, t.numel() > kSummariseAbove);
  }
  if (t.dtype() != kFloat32) os << ", dtype=" << to_string(t.dtype());
  if (t.grad_fn()) {
    os << ", grad_fn=<" << t.grad_fn()->name() << ">";
  } else if (t.requires_grad()) {
    os << ", requires_grad=true";
  }
  return os << ')';
}

void print(const Tensor& t) { std::cout << t << '\n'; }

}  // namespace nabla
