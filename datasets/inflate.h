#pragma once
// DEFLATE decompression, written from RFC 1951 ("DEFLATE Compressed Data Format
// Specification version 1.3"). gzip (gzip.h) wraps this format in a header and a trailer.
//
// Robust on any input: corrupt or truncated data throws FormatError, no read ever leaves
// the input, and the output never grows past a caller-given limit (a few kilobytes of
// DEFLATE can claim gigabytes: a "gzip bomb").
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace nabla::datasets {

// Decodes the DEFLATE stream that starts at input[start] and appends its bytes to
// `output`. Back references reach only bytes this stream produced, not what `output`
// held before. Throws FormatError, whose message starts with `name`, on corrupt or
// truncated data or if `output` would grow beyond `max_output` bytes in total.
// Returns the offset just past the stream's last byte.
std::size_t inflate_into(std::span<const uint8_t> input, std::size_t start, std::vector<uint8_t>& output,
                         std::size_t max_output, std::string_view name);

// Decodes only the start of the DEFLATE stream at input[start], appending to `output`
// until `wanted` more bytes are there or the stream ends; it may append a little more (at
// most the rest of one stored block, under 64 KiB). Meant for reading a file's header
// before deciding how much of it to inflate. Returns the offset just past the stream if
// it ended, std::nullopt if decoding stopped early. Throws FormatError on corrupt data met
// on the way.
std::optional<std::size_t> inflate_prefix_into(std::span<const uint8_t> input, std::size_t start,
                                               std::vector<uint8_t>& output, std::size_t wanted,
                                               std::string_view name);

// The bytes of one DEFLATE stream that fills `stream` exactly. FormatError naming `name` for
// trailing bytes, corrupt or truncated data, or output beyond `max_output` bytes.
std::vector<uint8_t> inflate(std::span<const uint8_t> stream, std::string_view name, std::size_t max_output);

}  // namespace nabla::datasets
