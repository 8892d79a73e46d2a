#include "datasets/inflate.h"

#include <algorithm>
#include <array>
#include <limits>
#include <string>

#include "datasets/error.h"

// Section numbers below refer to RFC 1951. The Huffman decoding follows the canonical-code
// construction of section 3.2.2 directly (count the codes of each length, hand them out in
// symbol order), the same plan as Mark Adler's reference decoder "puff": slower than
// zlib's lookup tables, but short enough to check against the specification line by line.

namespace nabla::datasets {
namespace {

constexpr int kMaxCodeBits = 15;            // 3.2.7: code lengths are 0..15
constexpr int kLiteralLengthSymbols = 288;  // 3.2.5: 0..285 used, 286 and 287 never appear
constexpr int kMaxDynamicLiteralLength = 286;
constexpr int kDistanceSymbols = 32;  // 3.2.6: 0..29 used, 30 and 31 never appear
constexpr int kMaxDynamicDistance = 30;
constexpr int kCodeLengthSymbols = 19;  // 3.2.7: the code that compresses the code lengths
constexpr int kEndOfBlock = 256;

// 3.2.5: base value and number of extra bits for length symbols 257..285 and distance
// symbols 0..29.
constexpr std::array<uint16_t, 29> kLengthBase = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                                  31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr std::array<uint8_t, 29> kLengthExtraBits = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr std::array<uint16_t, 30> kDistanceBase = {1,    2,    3,    4,    5,    7,    9,    13,    17,    25,
                                                    33,   49,   65,   97,   129,  193,  257,  385,   513,   769,
                                                    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr std::array<uint8_t, 30> kDistanceExtraBits = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                                        6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

// 3.2.7: the order in which the code-length code's own lengths are stored.
constexpr std::array<uint8_t, kCodeLengthSymbols> kCodeLengthOrder = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                                                      11, 4,  12, 3, 13, 2, 14, 1, 15};

// A canonical Huffman code (3.2.2), kept as: how many codes have each length, and the
// symbols sorted by (code length, symbol value), which is the order codes are assigned in.
struct HuffmanCode {
  std::array<uint16_t, kMaxCodeBits + 1> count{};
  std::array<uint16_t, kLiteralLengthSymbols> symbol{};
  int num_codes = 0;
};

HuffmanCode build_code(std::span<const uint8_t> lengths) {
  HuffmanCode code;
  for (uint8_t length : lengths) ++code.count[length];
  code.num_codes = static_cast<int>(lengths.size()) - code.count[0];
  std::array<uint16_t, kMaxCodeBits + 2> next_slot{};
  for (int len = 1; len <= kMaxCodeBits; ++len) next_slot[len + 1] = next_slot[len] + code.count[len];
  for (std::size_t s = 0; s < lengths.size(); ++s) {
    if (lengths[s] != 0) code.symbol[next_slot[lengths[s]]++] = static_cast<uint16_t>(s);
  }
  return code;
}

// How much of the code space is left unused, in codes of the longest length: 0 for a
// complete code (every bit string decodes), > 0 incomplete, < 0 over-subscribed (the
// lengths ask for more codes than exist, so they describe no prefix code at all).
int unused_code_space(const HuffmanCode& code) {
  int left = 1;
  for (int len = 1; len <= kMaxCodeBits; ++len) {
    left = 2 * left - code.count[len];
    if (left < 0) return left;
  }
  return left;
}

struct FixedCodes {
  HuffmanCode literal_length;
  HuffmanCode distance;
};

// 3.2.6: the code lengths of the fixed Huffman codes.
const FixedCodes& fixed_codes() {
  static const FixedCodes codes = [] {
    std::array<uint8_t, kLiteralLengthSymbols> literal_length{};
    for (int s = 0; s < kLiteralLengthSymbols; ++s) literal_length[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
    std::array<uint8_t, kDistanceSymbols> distance{};
    distance.fill(5);
    return FixedCodes{build_code(literal_length), build_code(distance)};
  }();
  return codes;
}

class Inflater {
 public:
  // Decoding stops early, between two symbols, once `output` holds `stop_at` bytes.
  Inflater(std::span<const uint8_t> input, std::size_t start, std::vector<uint8_t>& output, std::size_t max_output,
           std::string_view name, std::size_t stop_at = std::numeric_limits<std::size_t>::max())
      : input_(input),
        pos_(start),
        output_(output),
        output_start_(output.size()),
        max_output_(max_output),
        stop_at_(stop_at),
        name_(name) {}

  // True once decoding stopped at `stop_at` bytes, before the end of the stream.
  bool stopped_early() const { return stopped_early_; }

  // 3.2.3: a stream is a sequence of blocks; the last one has BFINAL set.
  std::size_t run() {
    bool final_block = false;
    while (!final_block) {
      if (output_.size() >= stop_at_) {
        stopped_early_ = true;
        return pos_;
      }
      final_block = bits(1) == 1;
      switch (const uint32_t type = bits(2)) {
        case 0: stored_block(); break;
        case 1: huffman_block(fixed_codes().literal_length, fixed_codes().distance); break;
        case 2: dynamic_block(); break;
        default: fail("invalid block type " + std::to_string(type));
      }
      if (stopped_early_) return pos_;
    }
    return pos_;  // the unused bits of the last byte are padding (3.2.3)
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw FormatError(std::string(name_) + ": corrupt DEFLATE data: " + problem + " (near byte " +
                      std::to_string(pos_) + ")");
  }

  [[noreturn]] void fail_truncated() const {
    throw FormatError(std::string(name_) + ": truncated: the DEFLATE stream ends early (input has " +
                      std::to_string(input_.size()) + " bytes)");
  }

  // 3.1.1: data elements are packed starting with the least significant bit of each byte.
  uint32_t bits(int count) {
    while (bit_count_ < count) {
      if (pos_ == input_.size()) fail_truncated();
      bit_buffer_ |= static_cast<uint32_t>(input_[pos_++]) << bit_count_;
      bit_count_ += 8;
    }
    const uint32_t value = bit_buffer_ & ((1u << count) - 1);
    bit_buffer_ >>= count;
    bit_count_ -= count;
    return value;
  }

  // Only the partly read current byte can be in the buffer, so dropping it lands on the
  // next byte boundary.
  void align_to_byte() {
    bit_buffer_ = 0;
    bit_count_ = 0;
  }

  void reserve_output(std::size_t count) {
    if (count > max_output_ - output_.size()) {
      throw FormatError(std::string(name_) + ": decompressed data exceeds the limit of " + std::to_string(max_output_) +
                        " bytes; refusing to inflate it further (a gzip bomb?)");
    }
  }

  // 3.2.4: byte-aligned LEN, its ones' complement NLEN, then LEN raw bytes.
  void stored_block() {
    align_to_byte();
    const uint32_t length = bits(16);
    const uint32_t complement = bits(16);
    if (length != (~complement & 0xFFFFu)) {
      fail("stored block length " + std::to_string(length) + " does not match its complement");
    }
    if (length > input_.size() - pos_) fail_truncated();
    reserve_output(length);
    output_.insert(output_.end(), input_.begin() + static_cast<std::ptrdiff_t>(pos_),
                   input_.begin() + static_cast<std::ptrdiff_t>(pos_ + length));
    pos_ += length;
  }

  // Huffman codes are packed starting with their most significant bit (3.1.1), so the
  // code grows one bit at a time; codes of each length are consecutive integers (3.2.2).
  int decode(const HuffmanCode& code) {
    int value = 0;  // the bits read so far
    int first = 0;  // the first code of the current length
    int index = 0;  // where that code's symbol sits in code.symbol
    for (int len = 1; len <= kMaxCodeBits; ++len) {
      value |= static_cast<int>(bits(1));
      const int count = code.count[len];
      if (value - first < count) return code.symbol[index + (value - first)];
      index += count;
      first = (first + count) << 1;
      value <<= 1;
    }
    fail("bit sequence that is no Huffman code");
  }

  // 3.2.5: literals, length/distance pairs that copy earlier output, end of block.
  void huffman_block(const HuffmanCode& literal_length, const HuffmanCode& distance) {
    for (;;) {
      if (output_.size() >= stop_at_) {
        stopped_early_ = true;
        return;
      }
      const int symbol = decode(literal_length);
      if (symbol < kEndOfBlock) {
        reserve_output(1);
        output_.push_back(static_cast<uint8_t>(symbol));
      } else if (symbol == kEndOfBlock) {
        return;
      } else {
        const int length_symbol = symbol - (kEndOfBlock + 1);
        if (length_symbol >= static_cast<int>(kLengthBase.size())) {
          fail("invalid literal/length symbol " + std::to_string(symbol));
        }
        const std::size_t length = kLengthBase[length_symbol] + bits(kLengthExtraBits[length_symbol]);
        const int distance_symbol = decode(distance);
        if (distance_symbol >= static_cast<int>(kDistanceBase.size())) {
          fail("invalid distance symbol " + std::to_string(distance_symbol));
        }
        const std::size_t back = kDistanceBase[distance_symbol] + bits(kDistanceExtraBits[distance_symbol]);
        copy_match(length, back);
      }
    }
  }

  // The copy may overlap what it writes (distance < length repeats a pattern), so it
  // goes byte by byte, as 3.2.3 describes.
  void copy_match(std::size_t length, std::size_t distance) {
    const std::size_t produced = output_.size() - output_start_;
    if (distance > produced) {
      fail("distance " + std::to_string(distance) + " too far back (only " + std::to_string(produced) +
           " bytes decoded so far)");
    }
    reserve_output(length);
    const std::size_t from = output_.size() - distance;
    for (std::size_t i = 0; i < length; ++i) {
      const uint8_t byte = output_[from + i];
      output_.push_back(byte);
    }
  }

  // 3.2.7: the two codes of the block, sent as code lengths that are themselves
  // Huffman coded, with run-length symbols 16, 17 and 18.
  void dynamic_block() {
    const int num_literal_length = static_cast<int>(bits(5)) + 257;
    const int num_distance = static_cast<int>(bits(5)) + 1;
    const int num_code_length = static_cast<int>(bits(4)) + 4;
    if (num_literal_length > kMaxDynamicLiteralLength) {
      fail("dynamic block declares " + std::to_string(num_literal_length) + " literal/length codes (at most 286)");
    }
    if (num_distance > kMaxDynamicDistance) {
      fail("dynamic block declares " + std::to_string(num_distance) + " distance codes (at most 30)");
    }

    std::array<uint8_t, kCodeLengthSymbols> code_length_lengths{};
    for (int i = 0; i < num_code_length; ++i) code_length_lengths[kCodeLengthOrder[i]] = static_cast<uint8_t>(bits(3));
    const HuffmanCode code_length_code = build_code(code_length_lengths);
    require_usable(code_length_code, "code length code", /*single_code_ok=*/false);

    std::array<uint8_t, kMaxDynamicLiteralLength + kMaxDynamicDistance> lengths{};
    read_code_lengths(code_length_code, std::span(lengths).first(num_literal_length + num_distance));
    if (lengths[kEndOfBlock] == 0) fail("dynamic block has no code for end-of-block");

    const auto literal_length_lengths = std::span(lengths).first(num_literal_length);
    const auto distance_lengths = std::span(lengths).subspan(num_literal_length, num_distance);
    const HuffmanCode literal_length = build_code(literal_length_lengths);
    require_usable(literal_length, "literal/length code", /*single_code_ok=*/true);
    const HuffmanCode distance = build_code(distance_lengths);
    // A block of literals only needs no distance code at all (as zlib accepts).
    if (distance.num_codes > 0) require_usable(distance, "distance code", /*single_code_ok=*/true);
    huffman_block(literal_length, distance);
  }

  void read_code_lengths(const HuffmanCode& code_length_code, std::span<uint8_t> lengths) {
    std::size_t index = 0;
    while (index < lengths.size()) {
      const int symbol = decode(code_length_code);
      if (symbol < 16) {
        lengths[index++] = static_cast<uint8_t>(symbol);
        continue;
      }
      uint8_t value = 0;
      std::size_t repeat = 0;
      if (symbol == 16) {
        if (index == 0) fail("code length repeat (symbol 16) with no previous length");
        value = lengths[index - 1];
        repeat = 3 + bits(2);
      } else if (symbol == 17) {
        repeat = 3 + bits(3);
      } else {
        repeat = 11 + bits(7);
      }
      if (repeat > lengths.size() - index) fail("code length repeat runs past the number of codes");
      for (std::size_t i = 0; i < repeat; ++i) lengths[index++] = value;
    }
  }

  // The lengths must describe a prefix code that fills the code space exactly; a lone
  // code of one bit is the single exception allowed (as in zlib), since a Huffman code
  // cannot be shorter.
  void require_usable(const HuffmanCode& code, const char* what, bool single_code_ok) const {
    const int unused = unused_code_space(code);
    if (unused < 0) fail(std::string("invalid Huffman code lengths: ") + what + " is over-subscribed");
    const bool single_code = code.num_codes == 1 && code.count[1] == 1;
    if (unused > 0 && !(single_code_ok && single_code)) {
      fail(std::string("invalid Huffman code lengths: ") + what + " is incomplete");
    }
  }

  std::span<const uint8_t> input_;
  std::size_t pos_;
  uint32_t bit_buffer_ = 0;
  int bit_count_ = 0;
  std::vector<uint8_t>& output_;
  const std::size_t output_start_;
  const std::size_t max_output_;
  const std::size_t stop_at_;
  bool stopped_early_ = false;
  std::string_view name_;
};

}  // namespace

std::size_t inflate_into(std::span<const uint8_t> input, std::size_t start, std::vector<uint8_t>& output,
                         std::size_t max_output, std::string_view name) {
  if (start > input.size()) start = input.size();              // nothing to read: reports truncation
  if (output.size() > max_output) max_output = output.size();  // already full: no room, no wrap-around
  return Inflater(input, start, output, max_output, name).run();
}

std::optional<std::size_t> inflate_prefix_into(std::span<const uint8_t> input, std::size_t start,
                                               std::vector<uint8_t>& output, std::size_t wanted,
                                               std::string_view name) {
  if (start > input.size()) start = input.size();
  const std::size_t stop_at = output.size() + std::min(wanted, std::numeric_limits<std::size_t>::max() - output.size());
  Inflater inflater(input, start, output, std::numeric_limits<std::size_t>::max(), name, stop_at);
  const std::size_t end = inflater.run();
  if (inflater.stopped_early()) return std::nullopt;
  return end;
}

std::vector<uint8_t> inflate(std::span<const uint8_t> stream, std::string_view name, std::size_t max_output) {
  std::vector<uint8_t> output;
  const std::size_t end = inflate_into(stream, 0, output, max_output, name);
  if (end != stream.size()) {
    throw FormatError(std::string(name) + ": " + std::to_string(stream.size() - end) +
                      " unexpected bytes after the end of the DEFLATE stream");
  }
  return output;
}

}  // namespace nabla::datasets
