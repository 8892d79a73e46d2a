// DEFLATE (RFC 1951) on streams built by hand, bit by bit: the valid block kinds, and each
// way a stream can be corrupt. gzip_test.cpp covers streams made by the real gzip.
#include "datasets/inflate.h"

#include <gtest/gtest.h>

#include "datasets/error.h"
#include "tests/datasets/dataset_files.h"
#include "tests/test_util.h"

namespace nabla::datasets {
namespace {

using testing::BitWriter;
using testing::Bytes;
using testing::expect_error;

constexpr std::size_t kNoLimit = std::size_t{1} << 30;

Bytes inflate_all(const Bytes& stream, std::size_t max_output = kNoLimit) {
  return inflate(stream, "stream.deflate", max_output);
}

void expect_corrupt(const Bytes& stream, const std::string& problem) {
  expect_error<FormatError>([&] { inflate_all(stream); }, problem);
  expect_error<FormatError>([&] { inflate_all(stream); }, "stream.deflate: ");  // names the file
}

// RFC 1951 section 3.2.6: the fixed literal/length code.
void fixed_symbol(BitWriter& w, int symbol) {
  if (symbol < 144) {
    w.code(0x30 + symbol, 8);
  } else if (symbol < 256) {
    w.code(0x190 + symbol - 144, 9);
  } else if (symbol < 280) {
    w.code(symbol - 256, 7);
  } else {
    w.code(0xC0 + symbol - 280, 8);
  }
}

BitWriter fixed_block_header() {
  BitWriter w;
  w.bits(1, 1).bits(1, 2);  // BFINAL, BTYPE = 01
  return w;
}

// A dynamic block header (section 3.2.7) with HLIT = HDIST = 0 (257 + 1 code lengths)
// and the code length code's lengths for its first four symbols, 16, 17, 18 and 0.
BitWriter dynamic_block_header(int len16, int len17, int len18, int len0) {
  BitWriter w;
  w.bits(1, 1).bits(2, 2);             // BFINAL, BTYPE = 10
  w.bits(0, 5).bits(0, 5).bits(0, 4);  // HLIT, HDIST, HCLEN (+257, +1, +4)
  w.bits(len16, 3).bits(len17, 3).bits(len18, 3).bits(len0, 3);
  return w;
}

TEST(Inflate, StoredBlock) {
  const Bytes data = {'h', 'e', 'l', 'l', 'o'};
  EXPECT_EQ(inflate_all(testing::stored_block(data)), data);
}

TEST(Inflate, EmptyStoredBlockThenAnother) {
  Bytes stream = testing::stored_block({}, /*final_block=*/false);
  const Bytes rest = testing::stored_block({'x', 'y'});
  stream.insert(stream.end(), rest.begin(), rest.end());
  EXPECT_EQ(inflate_all(stream), (Bytes{'x', 'y'}));
}

TEST(Inflate, FixedHuffmanLiteralsAndAnOverlappingMatch) {
  BitWriter w = fixed_block_header();
  fixed_symbol(w, 'a');
  fixed_symbol(w, 'b');
  fixed_symbol(w, 257 + 2);  // length 5
  w.code(1, 5);              // distance symbol 1: distance 2, so the copy overlaps itself
  fixed_symbol(w, 256);
  EXPECT_EQ(inflate_all(w.bytes()), (Bytes{'a', 'b', 'a', 'b', 'a', 'b', 'a'}));
}

TEST(Inflate, LengthAndDistanceExtraBits) {
  BitWriter w = fixed_block_header();
  for (uint8_t c : {'0', '1', '2', '3', '4'}) fixed_symbol(w, c);
  fixed_symbol(w, 265);  // lengths 11..12: one extra bit
  w.bits(1, 1);          // length 12
  w.code(4, 5);          // distances 5..6: one extra bit
  w.bits(0, 1);          // distance 5
  fixed_symbol(w, 256);
  const Bytes expected = {'0', '1', '2', '3', '4', '0', '1', '2', '3', '4', '0', '1', '2', '3', '4', '0', '1'};
  EXPECT_EQ(inflate_all(w.bytes()), expected);
}

TEST(Inflate, DynamicHuffmanBlock) {
  // Literal/length code: 'A' -> 0, end-of-block -> 10, length symbol 257 -> 11; a single
  // distance code (distance 1) -> 0. Its lengths are sent with a code length code of
  // 18 (a run of zeros) -> 0, 1 -> 10, 2 -> 11.
  BitWriter w;
  w.bits(1, 1).bits(2, 2);                          // BFINAL, BTYPE = 10
  w.bits(258 - 257, 5).bits(0, 5).bits(18 - 4, 4);  // HLIT: 258 codes, HDIST: 1, HCLEN: 18
  // Code length code lengths in the order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1.
  for (int len : {0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2}) w.bits(len, 3);
  w.code(0, 1).bits(65 - 11, 7);   // symbols 0..64 unused
  w.code(2, 2);                    // 'A' (65): length 1
  w.code(0, 1).bits(138 - 11, 7);  // 66..203 unused
  w.code(0, 1).bits(52 - 11, 7);   // 204..255 unused
  w.code(3, 2).code(3, 2);         // 256 and 257: length 2
  w.code(2, 2);                    // distance symbol 0: length 1
  // The data: 'A', then (length 3, distance 1), then end-of-block.
  w.code(0, 1).code(3, 2).code(0, 1).code(2, 2);
  EXPECT_EQ(inflate_all(w.bytes()), (Bytes{'A', 'A', 'A', 'A'}));
}

TEST(Inflate, InvalidBlockType) { expect_corrupt({0x07}, "invalid block type 3"); }

TEST(Inflate, StoredLengthThatDoesNotMatchItsComplement) {
  expect_corrupt({0x01, 0x05, 0x00, 0x00, 0x00, 'a', 'b', 'c', 'd', 'e'}, "does not match its complement");
}

TEST(Inflate, OverSubscribedCodeLengths) {
  // Four code-length symbols of one bit each: more codes than one bit can hold.
  expect_corrupt(dynamic_block_header(1, 1, 1, 1).bytes(), "over-subscribed");
}

TEST(Inflate, IncompleteCodeLengths) { expect_corrupt(dynamic_block_header(2, 0, 2, 2).bytes(), "incomplete"); }

TEST(Inflate, RepeatWithNoPreviousLength) {
  BitWriter w = dynamic_block_header(1, 0, 0, 1);  // 0 -> code 0, 16 -> code 1
  w.code(1, 1).bits(0, 2);
  expect_corrupt(w.bytes(), "no previous length");
}

TEST(Inflate, RepeatPastTheEndOfTheCodeLengths) {
  BitWriter w = dynamic_block_header(0, 0, 1, 1);         // 0 -> code 0, 18 -> code 1
  for (int i = 0; i < 2; ++i) w.code(1, 1).bits(127, 7);  // 2 x 138 zeros > 258 lengths
  expect_corrupt(w.bytes(), "runs past");
}

TEST(Inflate, DynamicBlockWithoutEndOfBlockCode) {
  BitWriter w = dynamic_block_header(0, 0, 1, 1);
  w.code(1, 1).bits(127, 7);       // 138 zeros
  w.code(1, 1).bits(120 - 11, 7);  // 120 zeros: all 258 lengths are zero
  expect_corrupt(w.bytes(), "no code for end-of-block");
}

TEST(Inflate, TooManyLiteralLengthCodes) {
  BitWriter w;
  w.bits(1, 1).bits(2, 2).bits(30, 5).bits(0, 5).bits(0, 4);  // HLIT = 30: 287 codes
  expect_corrupt(w.bytes(), "287 literal/length codes");
}

TEST(Inflate, TooManyDistanceCodes) {
  BitWriter w;
  w.bits(1, 1).bits(2, 2).bits(0, 5).bits(30, 5).bits(0, 4);  // HDIST = 30: 31 codes
  expect_corrupt(w.bytes(), "31 distance codes");
}

TEST(Inflate, DistanceTooFarBack) {
  BitWriter w = fixed_block_header();
  fixed_symbol(w, 'a');
  fixed_symbol(w, 257);  // length 3
  w.code(1, 5);          // distance 2, but only 1 byte exists
  fixed_symbol(w, 256);
  expect_corrupt(w.bytes(), "distance 2 too far back");
}

TEST(Inflate, MatchAtTheVeryStart) {
  BitWriter w = fixed_block_header();
  fixed_symbol(w, 257);
  w.code(0, 5);  // distance 1 with nothing decoded yet
  expect_corrupt(w.bytes(), "too far back");
}

TEST(Inflate, LiteralLengthSymbolsThatNeverOccur) {
  for (int symbol : {286, 287}) {
    BitWriter w = fixed_block_header();
    fixed_symbol(w, symbol);
    expect_corrupt(w.bytes(), "invalid literal/length symbol " + std::to_string(symbol));
  }
}

TEST(Inflate, DistanceSymbolsThatNeverOccur) {
  for (int symbol : {30, 31}) {
    BitWriter w = fixed_block_header();
    fixed_symbol(w, 'a');
    fixed_symbol(w, 257);
    w.code(symbol, 5);
    expect_corrupt(w.bytes(), "invalid distance symbol " + std::to_string(symbol));
  }
}

TEST(Inflate, TruncatedStoredBlock) {
  Bytes stream = testing::stored_block({'a', 'b', 'c', 'd', 'e', 'f'});
  stream.resize(stream.size() - 2);
  expect_corrupt(stream, "truncated");
}

TEST(Inflate, StreamWithoutFinalBlock) {
  expect_corrupt(testing::stored_block({'a'}, /*final_block=*/false), "truncated");
}

TEST(Inflate, EmptyInput) { expect_corrupt({}, "truncated"); }

TEST(Inflate, BytesAfterTheStream) {
  Bytes stream = testing::stored_block({'a'});
  stream.push_back(0);
  expect_corrupt(stream, "1 unexpected bytes after the end");
}

TEST(Inflate, RefusesOutputBeyondTheLimit) {
  const Bytes stream = testing::stored_block(Bytes(100, 'z'));
  EXPECT_EQ(inflate_all(stream, 100).size(), 100u);
  expect_error<FormatError>([&] { inflate_all(stream, 99); }, "exceeds the limit of 99 bytes");
}

TEST(Inflate, RefusesAMatchBeyondTheLimit) {
  BitWriter w = fixed_block_header();
  fixed_symbol(w, 'a');
  for (int i = 0; i < 10; ++i) {
    fixed_symbol(w, 285);  // length 258
    w.code(0, 5);          // distance 1
  }
  fixed_symbol(w, 256);
  EXPECT_EQ(inflate_all(w.bytes()).size(), 1u + 10 * 258);
  expect_error<FormatError>([&] { inflate_all(w.bytes(), 1000); }, "exceeds the limit");
}

TEST(Inflate, AppendsAfterExistingOutputButNeverReferencesIt) {
  std::vector<uint8_t> output = {'o', 'l', 'd'};
  BitWriter w = fixed_block_header();
  fixed_symbol(w, 257);
  w.code(0, 5);  // distance 1: would copy 'd' if the old bytes counted
  fixed_symbol(w, 256);
  const Bytes stream = w.bytes();
  expect_error<FormatError>([&] { inflate_into(stream, 0, output, kNoLimit, "member"); }, "too far back");
}

TEST(Inflate, RandomStreamsFailCleanly) {
  // Random bits are mostly invalid DEFLATE: every outcome must be a FormatError or a
  // successful decode, never a crash, a hang or an out-of-bounds read.
  for (uint32_t seed = 0; seed < 3000; ++seed) {
    const Bytes stream = testing::random_bytes(1 + seed % 200, seed);
    try {
      inflate_all(stream, 1 << 20);
    } catch (const FormatError&) {
    }
  }
}

}  // namespace
}  // namespace nabla::datasets
