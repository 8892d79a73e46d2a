#include "datasets/idx.h"

#include <limits>
#include <string>
#include <utility>

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

// The checked header of an IDX file whose first bytes (at least the whole header, or
// all of a shorter file) are `bytes`.
struct IdxHeader {
  std::vector<std::size_t> dims;
  std::size_t header_bytes = 0;
  std::size_t data_bytes = 0;
};

IdxHeader parse_header(std::span<const uint8_t> bytes, std::string_view name, std::size_t max_data_bytes) {
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
  IdxHeader header;
  header.dims = read_dims(bytes, name);
  header.header_bytes = kMagicBytes + header.dims.size() * kBytesPerDim;
  header.data_bytes = checked_data_bytes(header.dims, max_data_bytes, name);
  return header;
}

// Checks that the data after the header is exactly as long as the header declares.
void check_data_length(const IdxHeader& header, std::size_t file_bytes, std::string_view name) {
  const std::size_t expected = header.data_bytes;
  const std::size_t actual = file_bytes - header.header_bytes;
  if (actual < expected) {
    fail(name, "truncated: IDX dimensions " + dims_to_string(header.dims) + " need " + std::to_string(expected) +
                   " bytes of data, the file has " + std::to_string(actual));
  }
  if (actual > expected) {
    fail(name, std::to_string(actual - expected) + " trailing bytes after the " + std::to_string(expected) +
                   " bytes of data that IDX dimensions " + dims_to_string(header.dims) + " declare");
  }
}

}  // namespace

IdxArray parse_idx(std::vector<uint8_t>&& bytes, std::string_view name, std::size_t max_data_bytes) {
  IdxHeader header = parse_header(bytes, name, max_data_bytes);
  check_data_length(header, bytes.size(), name);
  IdxArray array;
  array.dims = std::move(header.dims);
  array.data = std::move(bytes);
  array.data.erase(array.data.begin(), array.data.begin() + static_cast<std::ptrdiff_t>(header.header_bytes));
  return array;
}

IdxArray parse_idx(std::span<const uint8_t> bytes, std::string_view name, std::size_t max_data_bytes) {
  IdxHeader header = parse_header(bytes, name, max_data_bytes);
  check_data_length(header, bytes.size(), name);
  IdxArray array;
  array.dims = std::move(header.dims);
  array.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(header.header_bytes), bytes.end());
  return array;
}

std::size_t IdxFile::max_file_bytes(std::size_t max_data_bytes) {
  constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();
  if (max_data_bytes > kNoLimit / 2) return kNoLimit;  // saturate rather than wrap around
  const std::size_t contents = max_data_bytes + kLargestHeader;
  return contents + contents / 1024 + 1024;
}

IdxFile::IdxFile(const std::string& path, std::size_t max_data_bytes)
    : IdxFile(read_file(path, max_file_bytes(max_data_bytes)), path, max_data_bytes) {}

IdxFile::IdxFile(std::vector<uint8_t> file_bytes, std::string name, std::size_t max_data_bytes)
    : path_(std::move(name)), file_(std::move(file_bytes)), max_data_bytes_(max_data_bytes) {
  is_gzip_ = is_gzip(file_);
  // Only the header is inflated here: its dimensions say how much data there should be.
  const IdxHeader header = is_gzip_ ? parse_header(gunzip_prefix(file_, path_, kLargestHeader), path_, max_data_bytes)
                                    : parse_header(file_, path_, max_data_bytes);
  dims_ = header.dims;
  header_bytes_ = header.header_bytes;
  data_bytes_ = header.data_bytes;
}

IdxArray IdxFile::read() && {
  if (!is_gzip_) return parse_idx(std::move(file_), path_, max_data_bytes_);
  // No more than the header declares is inflated: a bomb stops at that limit.
  std::vector<uint8_t> bytes = gunzip(file_, path_, header_bytes_ + data_bytes_);
  file_ = {};
  return parse_idx(std::move(bytes), path_, max_data_bytes_);
}

IdxArray read_idx(const std::string& path, std::size_t max_data_bytes) {
  return IdxFile(path, max_data_bytes).read();
}

}  // namespace nabla::datasets
