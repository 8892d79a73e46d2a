// gzip (RFC 1952): files made by the system's /bin/gzip at several levels, hand-made
// headers with every optional field, and each way a file can be corrupt.
#include "datasets/gzip.h"

#include <gtest/gtest.h>

#include "datasets/error.h"
#include "tests/datasets/dataset_files.h"
#include "tests/test_util.h"

namespace nabla::datasets {
namespace {

using testing::Bytes;
using testing::expect_error;

Bytes gunzip_all(const Bytes& file, std::size_t max_output = kDefaultMaxGunzipBytes) {
  return gunzip(file, "data.gz", max_output);
}

void expect_corrupt(const Bytes& file, const std::string& problem) {
  expect_error<FormatError>([&] { gunzip_all(file); }, problem);
  expect_error<FormatError>([&] { gunzip_all(file); }, "data.gz: ");  // names the file
}

// BTYPE of the first block, for a file gzip wrote with -n (a bare 10-byte header).
int first_block_type(const Bytes& gz) { return (gz.at(10) >> 1) & 3; }

constexpr int kStored = 0;
constexpr int kFixedHuffman = 1;
constexpr int kDynamicHuffman = 2;

struct Payload {
  const char* name;
  Bytes bytes;
};

class SystemGzip : public ::testing::TestWithParam<int> {};

TEST_P(SystemGzip, DecodesWhatGzipWrote) {
  const int level = GetParam();
  const Payload payloads[] = {
      {"empty", {}},
      {"one byte", {'x'}},
      {"short text", testing::text_bytes(60)},
      {"text", testing::text_bytes(300'000)},
      {"random", testing::random_bytes(200'000)},
      {"zeros", Bytes(100'000, 0)},
  };
  for (const Payload& payload : payloads) {
    const Bytes gz = testing::gzip_bytes(payload.bytes, level);
    EXPECT_EQ(gunzip_all(gz), payload.bytes) << payload.name << " at level " << level;
  }
}

INSTANTIATE_TEST_SUITE_P(Levels, SystemGzip, ::testing::Values(1, 6, 9),
                         [](const auto& info) { return "level" + std::to_string(info.param); });

TEST(Gzip, SystemGzipUsesEveryBlockType) {
  // The round trips above decode all three block kinds: check that gzip really wrote them.
  EXPECT_EQ(first_block_type(testing::gzip_bytes(testing::random_bytes(100'000), 9)), kStored);
  EXPECT_EQ(first_block_type(testing::gzip_bytes(testing::text_bytes(60), 9)), kFixedHuffman);
  EXPECT_EQ(first_block_type(testing::gzip_bytes(testing::text_bytes(100'000), 1)), kDynamicHuffman);
  EXPECT_EQ(first_block_type(testing::gzip_bytes(testing::text_bytes(100'000), 9)), kDynamicHuffman);
}

TEST(Gzip, HeaderWithTheOriginalFileName) {
  testing::TempDir dir;
  const Bytes payload = testing::text_bytes(5000);
  testing::write_bytes(dir.file("named.txt"), payload);
  const Bytes gz = testing::read_bytes(testing::gzip_file(dir.file("named.txt")));
  ASSERT_TRUE(gz[3] & 0x08) << "gzip stored no FNAME";
  EXPECT_EQ(gunzip_all(gz), payload);
}

TEST(Gzip, HandBuiltStoredBlock) {
  const Bytes data = {'n', 'a', 'b', 'l', 'a'};
  EXPECT_EQ(gunzip_all(testing::gzip_member(testing::stored_block(data), data)), data);
}

TEST(Gzip, EveryOptionalHeaderField) {
  const Bytes data = {'o', 'k'};
  Bytes file = {0x1f, 0x8b, 8, 0x02 | 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 3};
  const Bytes extra = {3, 0, 'a', 'b', 'c'};        // FEXTRA: XLEN = 3, then 3 bytes
  const Bytes name = {'f', '.', 't', 'x', 't', 0};  // FNAME
  const Bytes comment = {'h', 'i', 0};              // FCOMMENT
  for (const Bytes* field : {&extra, &name, &comment}) file.insert(file.end(), field->begin(), field->end());
  const uint32_t header_crc = crc32(file) & 0xFFFF;
  file.push_back(static_cast<uint8_t>(header_crc));  // FHCRC
  file.push_back(static_cast<uint8_t>(header_crc >> 8));
  const Bytes rest = testing::gzip_member(testing::stored_block(data), data);
  file.insert(file.end(), rest.begin() + 10, rest.end());
  EXPECT_EQ(gunzip_all(file), data);

  file[file.size() - rest.size() + 10 - 1] ^= 1;  // break the header CRC
  expect_corrupt(file, "header CRC mismatch");
}

TEST(Gzip, ConcatenatedMembers) {
  const Bytes first = testing::text_bytes(10'000, 1);
  const Bytes second = testing::random_bytes(3'000, 2);
  Bytes file = testing::gzip_bytes(first);
  const Bytes more = testing::gzip_bytes(second);
  file.insert(file.end(), more.begin(), more.end());
  Bytes expected = first;
  expected.insert(expected.end(), second.begin(), second.end());
  EXPECT_EQ(gunzip_all(file), expected);
}

TEST(Gzip, IsGzipLooksAtTheMagicBytes) {
  EXPECT_TRUE(is_gzip(Bytes{0x1f, 0x8b}));
  EXPECT_FALSE(is_gzip(Bytes{0x1f}));
  EXPECT_FALSE(is_gzip(Bytes{0x00, 0x00, 0x08, 0x03}));
  EXPECT_FALSE(is_gzip(Bytes{}));
}

TEST(Gzip, BadMagic) {
  expect_corrupt({'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0}, "not a gzip file: it starts with 0x50 0x4b");
}

TEST(Gzip, EmptyFile) { expect_corrupt({}, "not a gzip file: the file is empty"); }

TEST(Gzip, UnsupportedMethod) {
  Bytes file = testing::gzip_bytes({'a'});
  file[2] = 7;
  expect_corrupt(file, "unsupported gzip compression method 7");
}

TEST(Gzip, ReservedFlags) {
  Bytes file = testing::gzip_bytes({'a'});
  file[3] = 0x20;
  expect_corrupt(file, "reserved flag bits");
}

TEST(Gzip, BadBlockType) {
  Bytes file = testing::gzip_member({0x07}, {});
  expect_corrupt(file, "invalid block type 3");
}

TEST(Gzip, CorruptDeflateData) {
  // A distance that reaches before the data: the inflater's message comes through.
  expect_corrupt(testing::gzip_member({0x03, 0x02, 0x00, 0x00}, {}), "too far back");
}

TEST(Gzip, CrcMismatch) {
  Bytes file = testing::gzip_bytes(testing::text_bytes(1000));
  file[file.size() - 8] ^= 0xFF;
  expect_corrupt(file, "CRC-32 mismatch");
}

TEST(Gzip, CorruptDataCaughtByTheCrc) {
  // A flipped bit inside a stored block still decodes, to the wrong bytes: only the CRC sees it.
  const Bytes data = testing::random_bytes(500);
  Bytes file = testing::gzip_member(testing::stored_block(data), data);
  file[10 + 5 + 100] ^= 0x10;
  expect_corrupt(file, "CRC-32 mismatch");
}

TEST(Gzip, LengthMismatch) {
  Bytes file = testing::gzip_bytes(testing::text_bytes(1000));
  file[file.size() - 4] ^= 0x01;
  expect_corrupt(file, "length mismatch");
}

TEST(Gzip, TrailingGarbage) {
  Bytes file = testing::gzip_bytes(testing::text_bytes(1000));
  for (uint8_t b : {0, 0, 0}) file.push_back(b);
  expect_corrupt(file, "3 bytes of trailing garbage");
}

TEST(Gzip, TruncatedAtEveryBytePositionFailsCleanly) {
  const Bytes file = testing::gzip_bytes(testing::text_bytes(3000), 9);
  for (std::size_t length = 0; length < file.size(); ++length) {
    const Bytes prefix(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(length));
    try {
      gunzip_all(prefix);
      ADD_FAILURE() << "a prefix of " << length << " bytes decoded without error";
    } catch (const FormatError& e) {
      const std::string message = e.what();
      const bool says_why =
          message.find("truncated") != std::string::npos || message.find("not a gzip file") != std::string::npos;
      EXPECT_TRUE(says_why) << "prefix of " << length << " bytes: " << message;
    }
  }
}

TEST(Gzip, RefusesAGzipBomb) {
  const Bytes bomb = testing::gzip_bytes(Bytes(4 << 20, 0), 9);  // 4 MiB of zeros in ~4 KiB
  ASSERT_LT(bomb.size(), 10'000u);
  expect_error<FormatError>([&] { gunzip_all(bomb, 1 << 20); }, "exceeds the limit of 1048576 bytes");
  EXPECT_EQ(gunzip_all(bomb, 4 << 20).size(), std::size_t{4} << 20);
}

TEST(GzipPrefix, InflatesOnlyTheStartOfABomb) {
  const Bytes bomb = testing::gzip_bytes(Bytes(4 << 20, 0), 9);
  EXPECT_EQ(gunzip_prefix(bomb, "data.gz", 16), Bytes(16, 0));
}

TEST(GzipPrefix, ShortDataComesWhole) {
  const Bytes data = testing::text_bytes(100);
  EXPECT_EQ(gunzip_prefix(testing::gzip_bytes(data), "data.gz", 1000), data);
  EXPECT_EQ(gunzip_prefix(testing::gzip_bytes(data), "data.gz", 10), Bytes(data.begin(), data.begin() + 10));
}

TEST(GzipPrefix, CrossesIntoTheNextMember) {
  const Bytes first = {'a', 'b'};
  const Bytes second = testing::text_bytes(50);
  Bytes file = testing::gzip_member(testing::stored_block(first), first);
  const Bytes member = testing::gzip_bytes(second);
  file.insert(file.end(), member.begin(), member.end());
  Bytes expected = first;
  expected.insert(expected.end(), second.begin(), second.begin() + 8);
  EXPECT_EQ(gunzip_prefix(file, "data.gz", 10), expected);
}

TEST(GzipPrefix, ReportsWhatIsNotGzip) {
  expect_error<FormatError>([] { gunzip_prefix(Bytes{0, 0, 8, 1}, "data.gz", 4); }, "data.gz: not a gzip file");
  expect_error<FormatError>([] { gunzip_prefix(Bytes{}, "data.gz", 4); }, "data.gz: not a gzip file");
  expect_error<FormatError>([] { gunzip_prefix(Bytes{0x1f, 0x8b, 8, 0, 0}, "data.gz", 4); }, "truncated");
}

TEST(Gzip, LyingLengthDoesNotMakeItReserveMemory) {
  // ISIZE claims 4 GiB - 1 for a 1-byte payload: the output size guess must not trust it.
  Bytes file = testing::gzip_member(testing::stored_block({'a'}), {'a'});
  for (std::size_t i = file.size() - 4; i < file.size(); ++i) file[i] = 0xFF;
  expect_corrupt(file, "length mismatch");
}

TEST(Gzip, CorruptedBytesNeverCrash) {
  // Flip random bytes of a valid file: each result is a FormatError or (if the change hit
  // a field nobody checks, like MTIME) the original data.
  const Bytes data = testing::text_bytes(4000);
  const Bytes file = testing::gzip_bytes(data, 9);
  std::mt19937 rng(7);
  for (int trial = 0; trial < 2000; ++trial) {
    Bytes damaged = file;
    const int flips = 1 + static_cast<int>(rng() % 3);
    for (int f = 0; f < flips; ++f) damaged[rng() % damaged.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
    try {
      EXPECT_EQ(gunzip_all(damaged, 1 << 20), data) << "trial " << trial;
    } catch (const FormatError&) {
    }
  }
}

}  // namespace
}  // namespace nabla::datasets
