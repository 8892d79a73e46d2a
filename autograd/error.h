#pragma once
// The exceptions nabla throws. Every message names the operation and what was wrong
// with its input, e.g. "add: shapes [2, 3] and [4] cannot be broadcast".
#include <stdexcept>
#include <string>

namespace nabla {

// Tensors whose shapes do not fit the operation (mismatch, not broadcastable, bad dim).
struct ShapeError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// Tensors of different element types mixed without an explicit .to(dtype).
struct DtypeError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// Misuse of the autograd graph: backward on a non-scalar without a gradient,
// backward twice through a freed graph, in-place change of a tensor that needs grad.
struct AutogradError : std::logic_error {
  using std::logic_error::logic_error;
};

}  // namespace nabla
