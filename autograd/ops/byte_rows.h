#pragma once
// Filling a tensor from rows of bytes picked by index, through a table of 256 values: how a
// data set held as bytes (datasets/mnist.h) becomes a batch without a float copy of itself.
#include <array>
#include <cstdint>
#include <span>

#include "autograd/tensor.h"

namespace nabla {

// out[b, ...] = table[source[indices[b] * row + k]], k < row, where row = out.numel() /
// indices.size() and out's first dimension is indices.size(). Written in place: out's version
// is bumped, so a graph that saved it refuses to backward. out must be float32 for a float
// table, int64 for an int64 one (DtypeError); a row past the end of source, or an out of
// another length, is a ShapeError.
void gather_byte_rows_(const Tensor& out, std::span<const uint8_t> source, std::span<const int64_t> indices,
                       const std::array<float, 256>& table);
void gather_byte_rows_(const Tensor& out, std::span<const uint8_t> source, std::span<const int64_t> indices,
                       const std::array<int64_t, 256>& table);

}  // namespace nabla
