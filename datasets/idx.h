#pragma once
// The IDX format of the MNIST files (described on yann.lecun.com/exdb/mnist, "THE IDX
// FILE FORMAT"): a magic number 0x00 0x00 <element type> <number of dimensions>, one
// big-endian uint32 size per dimension, then the elements in row-major order.
// nabla reads unsigned-byte files (type 0x08), which is what MNIST and Fashion-MNIST use.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nabla::datasets {

// Refuse data beyond 2 GiB: MNIST needs 47 MB, so larger sizes come from a corrupt header.
inline constexpr std::size_t kMaxIdxDataBytes = std::size_t{1} << 31;
// More dimensions than any tensor of nabla can have (Shape::kMaxDims) is not a data set.
inline constexpr std::size_t kMaxIdxDims = 8;

// An n-dimensional array of bytes read from an IDX file, row-major like a tensor.
struct IdxArray {
  std::vector<std::size_t> dims;
  std::vector<uint8_t> data;
};

// An IDX file whose header has been read but whose data has not (for a gzip file: has not
// been inflated yet), so that the dimensions can be checked against what the caller
// expects before the data costs any time or memory: a few kilobytes of gzip can inflate
// to gigabytes.
//
//   IdxFile labels("train-labels-idx1-ubyte.gz");
//   if (labels.dims().size() != 1) ...;   // only the header was inflated
//   IdxArray array = std::move(labels).read();
class IdxFile {
 public:
  // Reads the file, plain or gzip-compressed (recognised by its magic bytes, whatever the
  // file is called), and checks its header. Throws FileNotFoundError if `path` does not
  // exist and FormatError for a wrong header; every message names the file.
  explicit IdxFile(const std::string& path, std::size_t max_data_bytes = kMaxIdxDataBytes);
  // The same for a file already in memory; `name` is the file name to report.
  IdxFile(std::vector<uint8_t> file_bytes, std::string name, std::size_t max_data_bytes = kMaxIdxDataBytes);

  const std::string& path() const { return path_; }               // the name errors report
  const std::vector<std::size_t>& dims() const { return dims_; }  // from the header, checked

  // The data, exactly as long as the dimensions declare: inflating stops there, and a
  // truncated file or one with trailing bytes throws FormatError. Called once: the file's
  // bytes become the array's (moved, not copied).
  IdxArray read() &&;

 private:
  std::string path_;
  // The margin a compressed file may need beyond its contents (stored blocks add 5 bytes
  // per 64 KiB).
  static std::size_t max_file_bytes(std::size_t max_data_bytes);

  std::vector<uint8_t> file_;  // as read from disk: compressed if is_gzip_
  bool is_gzip_ = false;
  std::vector<std::size_t> dims_;
  std::size_t header_bytes_ = 0;
  std::size_t data_bytes_ = 0;
  std::size_t max_data_bytes_ = 0;
};

// Reads a whole IDX file, plain or gzip-compressed: IdxFile(path).read(), for callers with
// no expectations about its dimensions.
IdxArray read_idx(const std::string& path, std::size_t max_data_bytes = kMaxIdxDataBytes);

// Parses the bytes of an (uncompressed) IDX file; `name` is the file name to report.
// The data must be exactly as long as the dimensions declare: a truncated file or one
// with trailing bytes is an error, not something to guess around.
IdxArray parse_idx(std::span<const uint8_t> bytes, std::string_view name,
                   std::size_t max_data_bytes = kMaxIdxDataBytes);
// The same, taking over `bytes` (the header is cut off in place, the data never copied).
IdxArray parse_idx(std::vector<uint8_t>&& bytes, std::string_view name,
                   std::size_t max_data_bytes = kMaxIdxDataBytes);

}  // namespace nabla::datasets
