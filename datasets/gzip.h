#pragma once
// gzip decompression, written from RFC 1952 ("GZIP file format specification version
// 4.3"): the header, the DEFLATE data (inflate.h) and the CRC-32 and length checks.
// The MNIST files come gzipped; idx.h recognises them by their magic bytes and calls this.
// Written for untrusted input: it is fuzzed (tests/fuzz/fuzz_gunzip.cpp).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace nabla::datasets {

// The default cap on decompressed output: 2 GiB, far above any data set nabla reads
// (MNIST's training images are 47 MB) and far below what a hostile file could claim.
inline constexpr std::size_t kDefaultMaxGunzipBytes = std::size_t{1} << 31;

// True if `bytes` starts with gzip's magic number 0x1f 0x8b (RFC 1952 section 2.3.1).
bool is_gzip(std::span<const uint8_t> bytes);

// The decompressed contents of a gzip file. Several concatenated members (section 2.2)
// decompress to the concatenation of their contents. Every problem (not gzip, unknown
// method, corrupt or truncated data, CRC or length mismatch, trailing garbage, output
// larger than `max_output` bytes) throws FormatError with a message that starts with
// `name`, the file name to report.
std::vector<uint8_t> gunzip(std::span<const uint8_t> compressed, std::string_view name,
                            std::size_t max_output = kDefaultMaxGunzipBytes);

// The first `count` bytes of the decompressed contents (all of them if there are fewer),
// decoding no further than that (plus under 64 KiB): enough to check a file's header
// before deciding how much of it is worth inflating. The CRC-32 and length in the
// trailers cover whole members, so they are not checked; corrupt data met on the way
// throws FormatError like gunzip().
std::vector<uint8_t> gunzip_prefix(std::span<const uint8_t> compressed, std::string_view name, std::size_t count);

}  // namespace nabla::datasets
