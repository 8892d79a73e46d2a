#pragma once
// Making tensors: from values, filled, ranges and random. Named as in libtorch.
//
// These are the leaves of every graph: a created tensor records no op, and takes part in
// autograd only once asked (requires_grad in the options, or x.requires_grad_()). The
// options default to float32 without gradient; a negative size in a shape is a ShapeError.
// The random functions draw from a Generator (below), the default one unless given, so
// manual_seed(n) makes a whole program repeatable.
#include <cstdint>
#include <initializer_list>
#include <random>
#include <vector>

#include "autograd/tensor.h"

namespace nabla {

// libtorch's shorthands for options: zeros({2}, nabla::dtype(kFloat64).requires_grad(true)),
// ones({3}, nabla::requires_grad()).
inline TensorOptions dtype(ScalarType type) { return TensorOptions(type); }
inline TensorOptions requires_grad(bool on = true) { return TensorOptions().requires_grad(on); }

// A tensor of `shape` filled with 0, 1 or `value` (converted to the options' dtype).
Tensor zeros(const Shape& shape, TensorOptions options = {});
Tensor ones(const Shape& shape, TensorOptions options = {});
Tensor full(const Shape& shape, double value, TensorOptions options = {});
// [start, end) in steps of `step`, 1-D; arange(end) starts at 0. A step of 0 or a
// non-finite bound is std::invalid_argument.
Tensor arange(double end, TensorOptions options = {});
Tensor arange(double start, double end, double step = 1.0, TensorOptions options = {});
// `steps` points evenly from start to end, both included (steps < 0: std::invalid_argument).
Tensor linspace(double start, double end, int64_t steps, TensorOptions options = {});
// A 1-D tensor of the given values: nabla::tensor({1.0, 2.0}).
Tensor tensor(std::initializer_list<double> values, TensorOptions options = {});
// The values laid out row-major in `shape`.
Tensor tensor(const std::vector<double>& values, const Shape& shape, TensorOptions options = {});
// Nested lists give 2-D and 3-D tensors: nabla::tensor({{1, 2}, {3, 4}}); every row must have
// the same length (a ShapeError otherwise). Values are float32 unless the options say
// otherwise (libtorch would make integer literals int64: write kInt64 for labels). A column
// of one-element rows, tensor({{1}, {2}}), is ambiguous in C++ (each {1} is also a double):
// write tensor({1, 2}).reshape({2, 1}).
Tensor tensor(std::initializer_list<std::initializer_list<double>> rows, TensorOptions options = {});
Tensor tensor(std::initializer_list<std::initializer_list<std::initializer_list<double>>> blocks,
              TensorOptions options = {});
// A zero-dimensional tensor (shape []) holding `value`.
Tensor scalar_tensor(double value, TensorOptions options = {});
// A tensor of `shape` on the elements at `data` (of the options' dtype, float32 by default),
// row-major, without copying, as libtorch's: writes through either are seen by the other, and
// the caller keeps the buffer alive while the tensor (or any view of it) lives. For a copy,
// from_blob(...).clone().
Tensor from_blob(void* data, const Shape& shape, TensorOptions options = {});
// The n x n identity matrix (n < 0: ShapeError).
Tensor eye(int64_t n, TensorOptions options = {});

// Same shape and dtype as t, never requiring grad: uninitialised, 0, 1 or `value`.
Tensor empty_like(const Tensor& t);
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);
Tensor full_like(const Tensor& t, double value);

// --- random ---------------------------------------------------------------------
// A seedable source of random numbers. The stream depends only on the seed: the same seed
// gives the same tensors on every run and every machine.
class Generator {
 public:
  explicit Generator(uint64_t seed = 0) : engine_(seed) {}
  void manual_seed(uint64_t seed) { engine_.seed(seed); }
  double uniform();   // [0, 1)
  double normal();    // mean 0, standard deviation 1
  uint64_t next() { return engine_(); }

 private:
  std::mt19937_64 engine_;
  double spare_normal_ = 0;
  bool has_spare_ = false;
};

// The generator the functions below use when none is given.
Generator& default_generator();
// Seeds the default generator.
void manual_seed(uint64_t seed);

Tensor rand(const Shape& shape, TensorOptions options = {}, Generator* gen = nullptr);    // U[0, 1)
Tensor randn(const Shape& shape, TensorOptions options = {}, Generator* gen = nullptr);   // N(0, 1)
// rand / randn with t's shape and dtype, from the default generator.
Tensor rand_like(const Tensor& t);
Tensor randn_like(const Tensor& t);
// Integers uniform in [low, high), as int64 unless told otherwise; low >= high is std::invalid_argument.
Tensor randint(int64_t low, int64_t high, const Shape& shape, TensorOptions options = kInt64,
               Generator* gen = nullptr);
// A random permutation of 0 .. n-1 (int64).
Tensor randperm(int64_t n, Generator* gen = nullptr);

}  // namespace nabla
