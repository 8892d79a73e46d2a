#pragma once
// The exceptions nabla throws. Every message names the operation and what was wrong
// with its input, e.g. "add: shapes [2, 3] and [4] cannot be broadcast".
//
// Bad arguments are std::invalid_argument (ShapeError, DtypeError), misuse of the graph is
// std::logic_error (AutogradError, and AnomalyError under it), running out of memory is
// std::bad_alloc (OutOfMemoryError): catch the standard base to handle a whole family.
// A plain value at the bottom of the engine, like dtype.h and shape.h. The data set readers
// add their own (datasets/error.h), and nn::load its ModelFileError (nn/serialize.h).
#include <new>
#include <stdexcept>
#include <string>
#include <utility>

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

// A NaN or inf found while a DetectAnomalyGuard is alive (anomaly_mode.h): names the op,
// its shapes and, in a backward, the forward op whose derivative produced it.
struct AnomalyError : AutogradError {
  using AutogradError::AutogradError;
};

// Memory for a tensor could not be had: what() names the op, the shape, the dtype and the
// bytes asked for. It derives from std::bad_alloc, so code that handles running out of
// memory the standard way keeps working, and from nothing else: it is not a bad argument.
class OutOfMemoryError : public std::bad_alloc {
 public:
  explicit OutOfMemoryError(std::string message) : message_(std::move(message)) {}
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

}  // namespace nabla
