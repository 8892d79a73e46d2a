#pragma once
// CRC-32 as gzip uses it (RFC 1952 section 8; the polynomial of ISO 3309 / ITU-T V.42).
// gzip stores it after each member so that a corrupt decompression cannot go unnoticed,
// and nn's model files end with it. It lives here, in the lowest layer, so that datasets
// and nn share one copy.
#include <cstdint>
#include <span>

namespace nabla {

// The CRC-32 of `bytes`. Pass a previous result as `crc` to continue over more bytes:
// crc32(b, crc32(a)) == crc32(a followed by b).
uint32_t crc32(std::span<const uint8_t> bytes, uint32_t crc = 0);

}  // namespace nabla
