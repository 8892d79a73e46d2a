#pragma once
// The IDX format of the MNIST files (described on yann.lecun.com/exdb/mnist, "THE IDX
// FILE FORMAT"): a magic number 0x00 0x00 <element type> <number of dimensions>, one
// big-endian uint32 size per dimension, then the elements in row-major order.
// nabla reads unsigned-byte files (type 0x08), which is what MNIST and Fashion-MNIST use.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nabla::datasets {

// Refuse data beyond 2 GiB: MNIST needs 47 MB, so larger sizes come from a corrupt header.
inline constexpr std::size_t kMaxIdxDataBytes = std::size_t{1} << 31;
// More dimensions than any tensor of nabla can have (Shape::kMaxDims) is not a data set.
inline constexpr std::size_t kMaxIdxDims = 8;

// An n-dimensional array of bytes read from an IDX file, row-major like a tensor.
struct IdxArray {
  std::vector<std::size_t> dims;
  std::vector<uint8_t> data;
};

// Reads an IDX file, plain or gzip-compressed; gzip is recognised by its magic bytes,
// whatever the file is called. Throws FileNotFoundError if `path` does not exist and
// FormatError for wrong contents; every message names the file.
IdxArray read_idx(const std::string& path, std::size_t max_data_bytes = kMaxIdxDataBytes);

// Parses the bytes of an (uncompressed) IDX file; `name` is the file name to report.
// The data must be exactly as long as the dimensions declare: a truncated file or one
// with trailing bytes is an error, not something to guess around.
IdxArray parse_idx(std::span<const uint8_t> bytes, std::string_view name,
                   std::size_t max_data_bytes = kMaxIdxDataBytes);

}  // namespace nabla::datasets
