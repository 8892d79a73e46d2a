#include "datasets/idx.h"

#include <string>

#include "datasets/error.h"
#include "datasets/gzip.h"
#include "datasets/read_file.h"

namespace nabla::datasets {
namespace {

constexpr uint8_t kUnsignedByte = 0x08;
constexpr std::size_t kMagicBytes = 4;
constexpr std::size_t kBytesPerDim = 4;
// The magic number's fourth byte can declare up to 255 dimensions.
constexpr std::size_t kLargestHeader = kMagicBytes + 255 * kBytesPerDim;

std::string element_type_name(uint8_t type) {
  switch (type) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0B: return "int16";
    case 0x0C: return "int32";
    case 0x0D: return "float32";
    case 0x0E: return "float64";
    default: return "unknown";
  }
}

std::string hex_byte(uint8_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return std::string("0x") + kDigits[value >> 4] + kDigits[value & 0xF];
}

std::string dims_to_string(const std::vector<std::size_t>& dims) {
  std::string text = "[";
  for (std::size_t d = 0; d < dims.size(); ++d) text += (d ? ", " : "") + std::to_string(dims[d]);
  return text + "]";
}

[[noreturn]] void fail(std::string_view name, const std::string& problem) {
  throw FormatError(std::string(name) + ": " + problem);
}

uint32_t read_big_endian_u32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 | static_cast<uint32_t>(p[2]) << 8 |
         static_cast<uint32_t>(p[3]);
}

// The product of the dimensions, checked against `limit` before each multiplication
// so that a hostile header cannot overflow it.
std::size_t checked_data_bytes(const std::vector<std::size_t>& dims, std::size_t limit, std::string_view name) {
  for (std::size_t d : dims) {
    if (d == 0) return 0;
  }
  std::size_t product = 1;
  for (std::size_t d : dims) {
    if (product > limit / d) {
      fail(name, "IDX dimensions " + dims_to_string(dims) + " describe more than the limit of " +
                     std::to_string(limit) + " bytes");
    }
    product *= d;
  }
  return product;
}

std::vector<std::size_t> read_dims(std::span<const uint8_t> bytes, std::string_view name) {
  const std::size_t num_dims = bytes[3];
  if (num_dims == 0) fail(name, "the IDX header declares zero dimensions");
  if (num_dims > kMaxIdxDims) {
    fail(name, "the IDX header declares " + std::to_string(num_dims) + " dimensions, more than the " +
                   std::to_string(kMaxIdxDims) + " supported");
  }
  const std::size_t header_bytes = kMagicBytes + num_dims * kBytesPerDim;
  if (bytes.size() < header_bytes) {
    fail(name, "truncated: the IDX header declares " + std::to_string(num_dims) + " dimensions but the file has only " +
                   std::to_string(bytes.size()) + " bytes");
  }
  std::vector<std::size_t> dims(num_dims);
  for (std::size_t d = 0; d < num_dims; ++d) dims[d] = read_big_endian_u32(&bytes[kMagicBytes + d * kBytesPerDim]);
  return dims;
}

}  // namespace

IdxArray parse_idx(std::span<const uint8_t> bytes, std::string_view name, std::size_t max_data_bytes) {
  if (bytes.size() < kMagicBytes) {
    fail(name, "truncated: " + std::to_string(bytes.size()) + " bytes is too short for an IDX header");
  }
  if (bytes[0] != 0 || bytes[1] != 0) {
    fail(name, "not an IDX file: it starts with " + hex_byte(bytes[0]) + " " + hex_byte(bytes[1]) +
                   ", an IDX magic number starts with 0x00 0x00");
  }
  const uint8_t type = bytes[2];
  if (type != kUnsignedByte) {
    fail(name, "unsupported IDX element type " + hex_byte(type) + " (" + element_type_name(type) +
                   "); only 0x08 (unsigned byte) is supported");
  }

  IdxArray array;
  array.dims = read_dims(bytes, name);
  const std::size_t header_bytes = kMagicBytes + array.dims.size() * kBytesPerDim;
  const std::size_t expected = checked_data_bytes(array.dims, max_data_bytes, name);
  const std::size_t actual = bytes.size() - header_bytes;
  if (actual < expected) {
    fail(name, "truncated: IDX dimensions " + dims_to_string(array.dims) + " need " + std::to_string(expected) +
                   " bytes of data, the file has " + std::to_string(actual));
  }
  if (actual > expected) {
    fail(name, std::to_string(actual - expected) + " trailing bytes after the " + std::to_string(expected) +
                   " bytes of data that IDX dimensions " + dims_to_string(array.dims) + " declare");
  }
  array.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(header_bytes), bytes.end());
  return array;
}

IdxArray read_idx(const std::string& path, std::size_t max_data_bytes) {
  const std::size_t max_file_bytes = max_data_bytes + kLargestHeader;
  // A compressed file can be a little larger than its contents (stored blocks add 5 bytes
  // per 64 KiB), hence the margin.
  const std::vector<uint8_t> file = read_file(path, max_file_bytes + max_file_bytes / 1024 + 1024);
  if (is_gzip(file)) return parse_idx(gunzip(file, path, max_file_bytes), path, max_data_bytes);
  return parse_idx(file, path, max_data_bytes);
}

}  // namespace nabla::datasets
