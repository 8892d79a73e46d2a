#include "autograd/crc32.h"

#include <array>

namespace nabla {
namespace {

// RFC 1952 section 8: the table-driven CRC of the sample code, with the reflected
// polynomial 0xEDB88320 (bits are taken least significant first, as DEFLATE does).
constexpr std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}

constexpr std::array<uint32_t, 256> kCrcTable = make_crc_table();

}  // namespace

uint32_t crc32(std::span<const uint8_t> bytes, uint32_t crc) {
  // The register starts at all ones and is inverted at the end (RFC 1952, update_crc),
  // so a continued CRC first undoes the final inversion of the previous call.
  uint32_t c = crc ^ 0xFFFFFFFFu;
  for (uint8_t b : bytes) c = kCrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

}  // namespace nabla
