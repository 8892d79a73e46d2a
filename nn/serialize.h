#pragma once
// Saving a trained model's parameters to a file and loading them back.
//
//   nn::save(model, "mnist.nbl");            // after training
//   nn::Sequential model = nn::mlp({784, 256, 10});
//   nn::load(model, "mnist.nbl");            // same architecture, trained values
//
// Only the parameter values are stored, not the architecture: the code builds the model,
// the file fills it in (as with PyTorch's state_dict). Loading checks that every name,
// dtype and shape matches the model exactly, and changes nothing unless the whole file is
// valid.
//
// The file format (version 1). Every integer is little-endian, whatever the machine:
//
//   offset  bytes  field
//   0       8      magic: 'N' 'A' 'B' 'L' 'A' 0x00 0x0D 0x0A. The \r\n pair, as in PNG,
//                  reveals a file mangled by a text-mode transfer that rewrote line endings.
//   8       4      format version, uint32 (= 1)
//   12      4      parameter count, uint32
//   16      ...    one record per parameter, in named_parameters() order:
//                    4      name length in bytes, uint32
//                    n      name, UTF-8, no terminator ("0.weight")
//                    1      dtype code, uint8: 0 = float32, 1 = float64, 2 = int64
//                    1      rank, uint8 (0 .. 8)
//                    8*r    sizes, int64 each, outermost first
//                    e*N    the N = product-of-sizes elements, row-major, each little-endian
//                           (IEEE 754 binary32 / binary64, or two's complement int64);
//                           e = 4 for float32, 8 otherwise
//   end-4   4      CRC-32 (the zlib / PNG / gzip polynomial) of every byte before it, uint32
//
// The file ends right after the checksum: trailing bytes are an error, as is a file that
// ends early.
#include <stdexcept>
#include <string>

#include "nn/module.h"

namespace nabla::nn {

// A model file that cannot be read, is corrupted, or does not fit the model.
struct ModelFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Writes the parameters of `model` to `path`. The file is written beside the target, under
// a temporary name no other saver can share ("<path>.<random hex>.tmp", created with
// O_EXCL), flushed to disk and renamed over `path`, and the directory is flushed too. So a
// crash, a failed write or another thread or process saving to the same path never leaves
// `path` holding anything but one complete model file. Throws std::runtime_error naming the
// path on failure, after removing its temporary file. (A process killed mid-save leaves
// its temporary file behind; `path` itself is intact.)
void save(const Module& model, const std::string& path);

// Reads a file written by save() into the parameters of `model`, in place: tensors held
// elsewhere (by an optimizer, say) see the new values. Throws ModelFileError naming the
// path and the problem; on any error the model is left unchanged. Only a regular file is
// read, its header is checked before the rest is read, and memory is bounded by the file's
// real size whatever its fields claim. Names from the file appear in messages only once
// the checksum has been verified, with unprintable bytes escaped as \xNN.
void load(Module& model, const std::string& path);

}  // namespace nabla::nn
