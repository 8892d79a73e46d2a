#pragma once
// Exporting tensors as NumPy .npy files, to inspect or plot trained weights in Python:
//
//   nn::export_npy(model, "weights");          // weights/0.weight.npy, weights/0.bias.npy, ...
//   >>> w = numpy.load("weights/0.weight.npy") # shape (256, 784), as in the model
//
// The .npy format, version 1.0 (numpy.lib.format), as written here:
//
//   bytes  field
//   6      magic: 0x93 'N' 'U' 'M' 'P' 'Y'
//   2      format version: 0x01 0x00
//   2      header length H, uint16 little-endian
//   H      header: a Python dict literal in ASCII,
//            {'descr': '<f4', 'fortran_order': False, 'shape': (256, 784), }
//          then spaces and a final '\n', so that 10 + H is a multiple of 64 (NumPy aligns
//          the data this way so it can be memory-mapped)
//   ...    the elements, row-major ('fortran_order': False), each little-endian
//
// descr is '<f4' for float32, '<f8' for float64 and '<i8' for int64. A shape is written as
// Python writes a tuple: () for a scalar, (5,) for one dimension, (2, 3) for more.
#include <string>

#include "autograd/tensor.h"
#include "nn/module.h"

namespace nabla::nn {

// Writes one tensor to `path` as a .npy file. Throws std::runtime_error naming the path.
void save_npy(const Tensor& tensor, const std::string& path);

// Writes every parameter of `model` to `directory` (created if missing) as
// "<dotted name>.npy", e.g. "0.weight.npy". std::runtime_error naming the directory or
// file that cannot be made; std::invalid_argument for a parameter name that is not a file name.
void export_npy(const Module& model, const std::string& directory);

// The bytes that come before the data in save_npy's file: magic, version, length, header.
std::string npy_header(const Tensor& tensor);

}  // namespace nabla::nn
