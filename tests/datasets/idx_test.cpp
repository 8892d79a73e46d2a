// The IDX format: files written here byte by byte, plain and gzip-compressed, valid and not.
#include "datasets/idx.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "datasets/error.h"
#include "tests/datasets/dataset_files.h"
#include "tests/test_util.h"

namespace nabla::datasets {
namespace {

using testing::Bytes;
using testing::expect_error;
using testing::idx_bytes;

void expect_invalid(const Bytes& file, const std::string& problem) {
  expect_error<FormatError>([&] { parse_idx(file, "images.idx"); }, problem);
  expect_error<FormatError>([&] { parse_idx(file, "images.idx"); }, "images.idx: ");  // names the file
}

TEST(Idx, ParsesDimensionsAndData) {
  const Bytes data = testing::random_bytes(2 * 3 * 4);
  const IdxArray array = parse_idx(idx_bytes({2, 3, 4}, data), "a.idx");
  EXPECT_EQ(array.dims, (std::vector<std::size_t>{2, 3, 4}));
  EXPECT_EQ(array.data, data);
}

TEST(Idx, DimensionsAreBigEndian) {
  const IdxArray array = parse_idx(idx_bytes({0x0102}, Bytes(0x0102, 7)), "a.idx");
  EXPECT_EQ(array.dims, (std::vector<std::size_t>{258}));
}

TEST(Idx, AZeroSizedDimensionHoldsNoData) {
  const IdxArray array = parse_idx(idx_bytes({0, 28, 28}, {}), "a.idx");
  EXPECT_EQ(array.dims, (std::vector<std::size_t>{0, 28, 28}));
  EXPECT_TRUE(array.data.empty());
}

TEST(Idx, RoundTripThroughAPlainFile) {
  testing::TempDir dir;
  const Bytes data = testing::random_bytes(5 * 7);
  testing::write_bytes(dir.file("x-idx2-ubyte"), idx_bytes({5, 7}, data));
  const IdxArray array = read_idx(dir.file("x-idx2-ubyte"));
  EXPECT_EQ(array.dims, (std::vector<std::size_t>{5, 7}));
  EXPECT_EQ(array.data, data);
}

TEST(Idx, RoundTripThroughAGzipFile) {
  testing::TempDir dir;
  const Bytes data = testing::text_bytes(10 * 28 * 28);
  testing::write_bytes(dir.file("x-idx3-ubyte"), idx_bytes({10, 28, 28}, data));
  const IdxArray array = read_idx(testing::gzip_file(dir.file("x-idx3-ubyte")));
  EXPECT_EQ(array.dims, (std::vector<std::size_t>{10, 28, 28}));
  EXPECT_EQ(array.data, data);
}

TEST(Idx, GzipIsRecognisedByContentNotByName) {
  testing::TempDir dir;
  const Bytes data = testing::random_bytes(12);
  testing::write_bytes(dir.file("plain"), idx_bytes({12}, data));
  std::filesystem::rename(testing::gzip_file(dir.file("plain")), dir.file("no-extension"));
  EXPECT_EQ(read_idx(dir.file("no-extension")).data, data);
  std::filesystem::rename(dir.file("plain"), dir.file("not-really.gz"));
  EXPECT_EQ(read_idx(dir.file("not-really.gz")).data, data);
}

TEST(Idx, WrongMagic) {
  expect_invalid({0x01, 0x00, 0x08, 0x01, 0, 0, 0, 0}, "not an IDX file: it starts with 0x01 0x00");
}

TEST(Idx, UnsupportedElementTypeIsNamed) {
  expect_invalid(idx_bytes({1}, {0, 0, 0, 0}, 0x0D), "unsupported IDX element type 0x0d (float32)");
  expect_invalid(idx_bytes({1}, {0, 0}, 0x0B), "0x0b (int16)");
  expect_invalid(idx_bytes({1}, {0}, 0x42), "0x42 (unknown)");
}

TEST(Idx, ZeroDimensions) { expect_invalid({0, 0, 8, 0}, "zero dimensions"); }

TEST(Idx, TooManyDimensions) {
  expect_invalid(idx_bytes(std::vector<uint32_t>(9, 1), {0}), "declares 9 dimensions, more than the 8 supported");
}

TEST(Idx, TruncatedHeader) {
  expect_invalid({0, 0}, "truncated");
  Bytes file = idx_bytes({2, 2, 2}, Bytes(8, 1));
  file.resize(9);  // only 1 byte of the sizes
  expect_invalid(file, "truncated: the IDX header declares 3 dimensions");
}

TEST(Idx, TruncatedData) {
  Bytes file = idx_bytes({4, 5}, Bytes(20, 1));
  file.pop_back();
  expect_invalid(file, "truncated: IDX dimensions [4, 5] need 20 bytes of data, the file has 19");
}

TEST(Idx, TrailingBytes) {
  Bytes file = idx_bytes({4, 5}, Bytes(20, 1));
  file.push_back(0);
  file.push_back(0);
  expect_invalid(file, "2 trailing bytes");
}

TEST(Idx, SizesThatDisagreeWithTheData) {
  // A header copied from a bigger file: the sizes say 60000 images, the data holds 3.
  expect_invalid(idx_bytes({60000, 28, 28}, Bytes(3 * 28 * 28, 0)), "need 47040000 bytes of data");
}

TEST(Idx, AbsurdDimensionsAreRefusedBeforeAllocating) {
  expect_invalid(idx_bytes({65535, 65535, 65535}, {}), "more than the limit of 2147483648 bytes");
}

TEST(Idx, DimensionsWhoseProductOverflowsAreRefused) {
  // 2^32 - 1 to the 8th power overflows 64 bits many times over.
  expect_invalid(idx_bytes(std::vector<uint32_t>(8, 0xFFFFFFFF), {}), "more than the limit");
}

TEST(Idx, ALowerLimitCanBeGiven) {
  const Bytes file = idx_bytes({10, 10}, Bytes(100, 0));
  EXPECT_EQ(parse_idx(file, "a.idx", 100).data.size(), 100u);
  expect_error<FormatError>([&] { parse_idx(file, "a.idx", 99); }, "more than the limit of 99 bytes");
}

TEST(Idx, MissingFileNamesThePath) {
  testing::TempDir dir;
  expect_error<FileNotFoundError>([&] { read_idx(dir.file("nope-idx1-ubyte")); }, dir.file("nope-idx1-ubyte"));
}

TEST(Idx, ADirectoryIsNotAFile) {
  testing::TempDir dir;
  expect_error<FileNotFoundError>([&] { read_idx(dir.path()); }, "not a regular file");
}

TEST(Idx, ErrorsInAFileNameIt) {
  testing::TempDir dir;
  const std::string path = dir.file("bad-idx1-ubyte");
  testing::write_bytes(path, idx_bytes({3}, {1, 2}));
  expect_error<FormatError>([&] { read_idx(path); }, path + ": truncated");
}

TEST(Idx, CorruptGzipFileNamesIt) {
  testing::TempDir dir;
  const std::string path = dir.file("labels-idx1-ubyte");
  testing::write_bytes(path, idx_bytes({100}, Bytes(100, 3)));
  const std::string gz = testing::gzip_file(path);
  Bytes bytes = testing::read_bytes(gz);
  bytes.resize(bytes.size() - 3);
  testing::write_bytes(gz, bytes);
  expect_error<FormatError>([&] { read_idx(gz); }, gz + ": truncated");
}

TEST(IdxFile, GivesTheDimensionsBeforeInflatingTheData) {
  // 64 MiB of zeros behind a header that declares 8 bytes: the header comes from the first
  // inflated bytes, and read() inflates no further than 8 bytes past it.
  testing::TempDir dir;
  const std::string gz = dir.file("bomb-idx2-ubyte.gz");
  testing::write_bytes(gz,
                       testing::gzip_bomb(testing::idx_bytes({2, 4}, {}), std::size_t{64} << 20, /*break_crc=*/false));
  IdxFile file(gz);
  EXPECT_EQ(file.dims(), (std::vector<std::size_t>{2, 4}));
  expect_error<FormatError>([&] { std::move(file).read(); }, gz + ": decompressed data exceeds the limit of 20 bytes");
}

TEST(IdxFile, ReadsPlainAndGzipFilesAlike) {
  testing::TempDir dir;
  const Bytes data = testing::random_bytes(3 * 5 * 7);
  testing::write_bytes(dir.file("x-idx3-ubyte"), testing::idx_bytes({3, 5, 7}, data));
  const std::string gz = testing::gzip_file(dir.file("x-idx3-ubyte"));
  for (const std::string& path : {dir.file("x-idx3-ubyte"), gz}) {
    IdxFile file(path);
    EXPECT_EQ(file.dims(), (std::vector<std::size_t>{3, 5, 7})) << path;
    const IdxArray array = std::move(file).read();
    EXPECT_EQ(array.dims, (std::vector<std::size_t>{3, 5, 7})) << path;
    EXPECT_EQ(array.data, data) << path;
  }
}

TEST(IdxFile, HeaderErrorsComeFromTheConstructor) {
  testing::TempDir dir;
  testing::write_bytes(dir.file("bad-idx1-ubyte"), testing::idx_bytes({3}, {1, 2, 3}, 0x0D));
  const std::string gz = testing::gzip_file(dir.file("bad-idx1-ubyte"));
  expect_error<FormatError>([&] { IdxFile file(gz); }, gz + ": unsupported IDX element type 0x0d");
}

}  // namespace
}  // namespace nabla::datasets
