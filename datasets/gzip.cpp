#include "datasets/gzip.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "autograd/crc32.h"
#include "datasets/error.h"
#include "datasets/inflate.h"

// Section numbers below refer to RFC 1952.

namespace nabla::datasets {
namespace {

constexpr uint8_t kMagic1 = 0x1f;
constexpr uint8_t kMagic2 = 0x8b;
constexpr uint8_t kMethodDeflate = 8;
// 2.3.1: the FLG bits.
constexpr uint8_t kFlagHeaderCrc = 0x02;
constexpr uint8_t kFlagExtra = 0x04;
constexpr uint8_t kFlagName = 0x08;
constexpr uint8_t kFlagComment = 0x10;
constexpr uint8_t kFlagReserved = 0xE0;
constexpr std::size_t kTrailerBytes = 8;
// DEFLATE expands at most about 1032:1 (a 258-byte match costs at least 2 bits), so an
// output size guess beyond that is a lie not worth reserving memory for.
constexpr std::size_t kMaxDeflateRatio = 1032;

std::string hex(uint32_t value, int digits = 2) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%0*x", digits, static_cast<unsigned>(value));
  return text;
}

// "0x50 0x4b": what a file starts with instead of the gzip magic.
std::string first_bytes(std::span<const uint8_t> bytes) {
  std::string text = hex(bytes[0]);
  if (bytes.size() > 1) {
    text += ' ';
    text += hex(bytes[1]);
  }
  return text;
}

// Reads the byte-aligned little-endian fields of a gzip header or trailer (2.1), with
// every read checked against the end of the file.
class FieldReader {
 public:
  FieldReader(std::span<const uint8_t> bytes, std::size_t pos, std::string_view name, const char* part)
      : bytes_(bytes), pos_(pos), name_(name), part_(part) {}

  std::size_t pos() const { return pos_; }

  uint8_t u8() {
    if (pos_ == bytes_.size()) truncated();
    return bytes_[pos_++];
  }
  uint32_t u16() {
    const uint32_t low = u8();
    return low | static_cast<uint32_t>(u8()) << 8;
  }
  uint32_t u32() {
    const uint32_t low = u16();
    return low | u16() << 16;
  }

  void skip(std::size_t count) {
    if (count > bytes_.size() - pos_) truncated();
    pos_ += count;
  }
  void skip_zero_terminated() {
    while (u8() != 0) {
    }
  }

 private:
  [[noreturn]] void truncated() const {
    throw FormatError(std::string(name_) + ": truncated: the file ends inside a gzip " + part_);
  }

  std::span<const uint8_t> bytes_;
  std::size_t pos_;
  std::string_view name_;
  const char* part_;
};

[[noreturn]] void fail(std::string_view name, const std::string& problem) {
  throw FormatError(std::string(name) + ": " + problem);
}

// 2.3.1: ID1 ID2 CM FLG MTIME(4) XFL OS, then the optional fields FLG announces.
// Returns the offset of the compressed data.
std::size_t read_header(std::span<const uint8_t> file, std::size_t start, std::string_view name) {
  FieldReader header(file, start, name, "header");
  header.skip(2);  // the magic bytes, checked by the caller
  const uint8_t method = header.u8();
  if (method != kMethodDeflate) {
    fail(name, "unsupported gzip compression method " + std::to_string(method) + " (only 8, deflate, is defined)");
  }
  const uint8_t flags = header.u8();
  if (flags & kFlagReserved) fail(name, "gzip header has reserved flag bits set (FLG = " + hex(flags) + ")");
  header.skip(4 + 1 + 1);  // MTIME, XFL, OS: nothing we need
  if (flags & kFlagExtra) header.skip(header.u16());
  if (flags & kFlagName) header.skip_zero_terminated();
  if (flags & kFlagComment) header.skip_zero_terminated();
  if (flags & kFlagHeaderCrc) {
    // The two low bytes of the CRC-32 of the header up to here.
    const uint32_t expected = crc32(file.subspan(start, header.pos() - start)) & 0xFFFF;
    if (header.u16() != expected) fail(name, "gzip header CRC mismatch");
  }
  return header.pos();
}

// 2.3.1: CRC32 and ISIZE (the length modulo 2^32) of the member's uncompressed data.
std::size_t check_trailer(std::span<const uint8_t> file, std::size_t pos, std::span<const uint8_t> data,
                          std::string_view name) {
  FieldReader trailer(file, pos, name, "trailer (CRC-32 and length)");
  const uint32_t stored_crc = trailer.u32();
  const uint32_t stored_size = trailer.u32();
  const uint32_t actual_crc = crc32(data);
  if (stored_crc != actual_crc) {
    fail(name, "CRC-32 mismatch: the trailer says " + hex(stored_crc, 8) + ", the data gives " + hex(actual_crc, 8) +
                   " (the data is corrupt)");
  }
  const auto actual_size = static_cast<uint32_t>(data.size());  // modulo 2^32, as ISIZE
  if (stored_size != actual_size) {
    fail(name, "length mismatch: the trailer says " + std::to_string(stored_size) + " bytes, decoded " +
                   std::to_string(data.size()));
  }
  return trailer.pos();
}

std::size_t decode_member(std::span<const uint8_t> file, std::size_t start, std::vector<uint8_t>& output,
                          std::size_t max_output, std::string_view name) {
  const std::size_t data_start = read_header(file, start, name);
  const std::size_t output_start = output.size();
  const std::size_t data_end = inflate_into(file, data_start, output, max_output, name);
  return check_trailer(file, data_end, std::span(output).subspan(output_start), name);
}

// The last member's ISIZE is a good guess of the output size; growing the vector by
// doubling instead would copy it several times over.
std::size_t output_size_guess(std::span<const uint8_t> file, std::size_t max_output) {
  if (file.size() < kTrailerBytes) return 0;
  FieldReader last(file, file.size() - 4, "", "");
  const std::size_t claimed = last.u32();
  return std::min({claimed, max_output, file.size() * kMaxDeflateRatio});
}

}  // namespace

bool is_gzip(std::span<const uint8_t> bytes) { return bytes.size() >= 2 && bytes[0] == kMagic1 && bytes[1] == kMagic2; }

std::vector<uint8_t> gunzip(std::span<const uint8_t> compressed, std::string_view name, std::size_t max_output) {
  if (compressed.empty()) fail(name, "not a gzip file: the file is empty");
  std::vector<uint8_t> output;
  output.reserve(output_size_guess(compressed, max_output));
  std::size_t pos = 0;
  while (pos < compressed.size()) {  // 2.2: members simply follow one another
    const auto rest = compressed.subspan(pos);
    if (!is_gzip(rest)) {
      if (pos == 0) fail(name, "not a gzip file: it starts with " + first_bytes(rest) + ", not 0x1f 0x8b");
      fail(name, std::to_string(rest.size()) + " bytes of trailing garbage after the gzip data (from byte " +
                     std::to_string(pos) + ")");
    }
    pos = decode_member(compressed, pos, output, max_output, name);
  }
  return output;
}

std::vector<uint8_t> gunzip_prefix(std::span<const uint8_t> compressed, std::string_view name, std::size_t count) {
  if (compressed.empty()) fail(name, "not a gzip file: the file is empty");
  if (!is_gzip(compressed)) {
    fail(name, "not a gzip file: it starts with " + first_bytes(compressed) + ", not 0x1f 0x8b");
  }
  std::vector<uint8_t> output;
  std::size_t pos = 0;
  // A header split across members is unlikely but legal (2.2), hence the loop.
  while (output.size() < count && pos < compressed.size() && is_gzip(compressed.subspan(pos))) {
    const std::size_t data_start = read_header(compressed, pos, name);
    const auto end = inflate_prefix_into(compressed, data_start, output, count - output.size(), name);
    if (!end) break;
    pos = *end + kTrailerBytes;  // the trailer is checked by gunzip(), which sees the whole member
  }
  if (output.size() > count) output.resize(count);
  return output;
}

}  // namespace nabla::datasets
