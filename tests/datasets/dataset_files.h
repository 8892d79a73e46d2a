#pragma once
// What the datasets tests share: temporary directories, files written byte by byte, IDX
// and MNIST files built in memory, gzip through the system's /bin/gzip, and a bit writer
// for DEFLATE streams made by hand. Nothing here needs the network or a data set on disk.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <span>
#include <string>
#include <vector>

#include "autograd/crc32.h"
#include "tests/test_util.h"

namespace nabla::testing {

using Bytes = std::vector<uint8_t>;


inline void write_bytes(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

inline Bytes read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Compresses `path` into path + ".gz" with the system's gzip at `level` (1..9), keeping the
// original. `store_name` = false passes -n, so the header is the bare 10 bytes.
inline std::string gzip_file(const std::string& path, int level = 6, bool store_name = true) {
  const std::string gz = path + ".gz";
  const std::string command =
      "/bin/gzip -c -" + std::to_string(level) + (store_name ? " '" : " -n '") + path + "' > '" + gz + "'";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("gzip failed: " + command);
  return gz;
}

// `data` as /bin/gzip compresses it, with no file name in the header (-n).
inline Bytes gzip_bytes(const Bytes& data, int level = 6) {
  TempDir dir;
  const std::string path = dir.file("payload");
  write_bytes(path, data);
  return read_bytes(gzip_file(path, level, /*store_name=*/false));
}

// Incompressible: gzip stores it in stored blocks.
inline Bytes random_bytes(std::size_t n, uint32_t seed = 1) {
  std::mt19937 rng(seed);
  Bytes bytes(n);
  for (auto& b : bytes) b = static_cast<uint8_t>(rng());
  return bytes;
}

// Text-like: repeats with variation, so gzip uses dynamic Huffman blocks and back references.
inline Bytes text_bytes(std::size_t n, uint32_t seed = 2) {
  static const char* const kWords[] = {"gradient ", "tensor ",  "backward ", "loss ", "the ",   "of ",
                                       "a ",        "descent ", "layer ",    "\n",    "epoch ", "batch "};
  std::mt19937 rng(seed);
  Bytes bytes;
  while (bytes.size() < n) {
    const std::string word = kWords[rng() % std::size(kWords)];
    bytes.insert(bytes.end(), word.begin(), word.end());
  }
  bytes.resize(n);
  return bytes;
}

inline void append_u32_le(Bytes& bytes, uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

inline void append_u32_be(Bytes& bytes, uint32_t value) {
  for (int i = 3; i >= 0; --i) bytes.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

// A minimal gzip member (RFC 1952): a 10-byte header without optional fields, the given
// DEFLATE stream, and the trailer computed from `original`.
inline Bytes gzip_member(const Bytes& deflate, const Bytes& original) {
  Bytes member = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255};
  member.insert(member.end(), deflate.begin(), deflate.end());
  append_u32_le(member, crc32(original));
  append_u32_le(member, static_cast<uint32_t>(original.size()));
  return member;
}

// One final stored block (RFC 1951 section 3.2.4) holding `data` (at most 65535 bytes).
inline Bytes stored_block(const Bytes& data, bool final_block = true) {
  const auto length = static_cast<uint16_t>(data.size());
  const auto complement = static_cast<uint16_t>(~length);
  Bytes block;
  block.reserve(5 + data.size());
  for (int byte : {final_block ? 1 : 0, length & 0xFF, length >> 8, complement & 0xFF, complement >> 8}) {
    block.push_back(static_cast<uint8_t>(byte));
  }
  block.insert(block.end(), data.begin(), data.end());
  return block;
}

// Packs DEFLATE fields (RFC 1951 section 3.1.1): plain values least significant bit
// first, Huffman codes most significant bit first.
class BitWriter {
 public:
  BitWriter& bits(uint32_t value, int count) {
    for (int i = 0; i < count; ++i) put((value >> i) & 1);
    return *this;
  }
  BitWriter& code(uint32_t code, int length) {
    for (int i = length - 1; i >= 0; --i) put((code >> i) & 1);
    return *this;
  }
  Bytes bytes() const { return bytes_; }

 private:
  void put(uint32_t bit) {
    if (used_ == 0) bytes_.push_back(0);
    bytes_.back() = static_cast<uint8_t>(bytes_.back() | bit << used_);
    used_ = (used_ + 1) % 8;
  }
  Bytes bytes_;
  int used_ = 0;
};

// A gzip member holding `head` followed by `zeros` zero bytes, built directly (in
// milliseconds, and never holding the zeros): one fixed-Huffman block (RFC 1951 section
// 3.2.6) of literals, then matches of 258 bytes at distance 1, 13 bits each, a ratio of
// about 160:1. With `break_crc` the trailer's CRC-32 is wrong, so that a reader which
// inflates it all fails only at the very end.
inline Bytes gzip_bomb(const Bytes& head, std::size_t zeros, bool break_crc) {
  BitWriter deflate;
  deflate.bits(1, 1).bits(1, 2);  // BFINAL, fixed Huffman codes
  auto literal = [&](uint8_t byte) {
    if (byte < 144) {
      deflate.code(0x30 + byte, 8);
    } else {
      deflate.code(0x190 + (byte - 144), 9);
    }
  };
  for (uint8_t byte : head) literal(byte);
  std::size_t left = zeros;
  if (left > 0) {
    literal(0);
    --left;
  }
  for (; left >= 258; left -= 258) deflate.code(0xC5, 8).code(0, 5);  // length 258 (symbol 285), distance 1
  for (; left > 0; --left) literal(0);
  deflate.code(0, 7);  // end of block (symbol 256)

  Bytes member = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255};
  const Bytes stream = deflate.bytes();
  member.insert(member.end(), stream.begin(), stream.end());
  uint32_t crc = crc32(head);
  const Bytes chunk(1 << 16, 0);
  for (std::size_t done = 0; done < zeros; done += chunk.size()) {
    crc = crc32(std::span(chunk).first(std::min(chunk.size(), zeros - done)), crc);
  }
  append_u32_le(member, break_crc ? ~crc : crc);
  append_u32_le(member, static_cast<uint32_t>(head.size() + zeros));
  return member;
}

// An IDX file (the MNIST format): magic 0 0 type ndims, big-endian sizes, data.
inline Bytes idx_bytes(const std::vector<uint32_t>& dims, const Bytes& data, uint8_t type = 0x08) {
  Bytes bytes = {0, 0, type, static_cast<uint8_t>(dims.size())};
  for (uint32_t d : dims) append_u32_be(bytes, d);
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

// The synthetic examples of write_mnist: a pixel pattern and a label every test can recompute.
inline uint8_t synthetic_pixel(std::size_t example, std::size_t pixel) {
  return static_cast<uint8_t>((example * 31 + pixel * 7) % 256);
}
inline uint8_t synthetic_label(std::size_t example) { return static_cast<uint8_t>((example * 3) % 10); }

enum class Compression { None, Gzip };
enum class Naming { Official, Dotted };  // train-images-idx3-ubyte / train-images.idx3-ubyte

// Writes the images and labels files of one split ("train" or "t10k") into `dir`.
inline void write_mnist(const TempDir& dir, const std::string& prefix, std::size_t count, std::size_t rows,
                        std::size_t cols, Compression compression = Compression::None,
                        Naming naming = Naming::Official) {
  Bytes pixels;
  Bytes labels;
  for (std::size_t i = 0; i < count; ++i) {
    for (std::size_t p = 0; p < rows * cols; ++p) pixels.push_back(synthetic_pixel(i, p));
    labels.push_back(synthetic_label(i));
  }
  const char separator = naming == Naming::Official ? '-' : '.';
  const std::string images = dir.file(prefix + "-images" + separator + "idx3-ubyte");
  const std::string labels_path = dir.file(prefix + "-labels" + separator + "idx1-ubyte");
  const auto n = static_cast<uint32_t>(count);
  write_bytes(images, idx_bytes({n, static_cast<uint32_t>(rows), static_cast<uint32_t>(cols)}, pixels));
  write_bytes(labels_path, idx_bytes({n}, labels));
  if (compression == Compression::Gzip) {
    gzip_file(images);
    gzip_file(labels_path);
    std::filesystem::remove(images);
    std::filesystem::remove(labels_path);
  }
}

}  // namespace nabla::testing
