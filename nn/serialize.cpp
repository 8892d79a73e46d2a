#include "nn/serialize.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <span>
#include <type_traits>
#include <vector>

#if __has_include(<unistd.h>)
#include <unistd.h>  // fsync
#endif

#include "autograd/autograd.h"
#include "autograd/crc32.h"

namespace nabla::nn {
namespace {

// The layout is described byte by byte in serialize.h.
constexpr std::array<uint8_t, 8> kMagic = {'N', 'A', 'B', 'L', 'A', 0x00, 0x0D, 0x0A};
constexpr uint32_t kVersion = 1;


// --- dtypes -------------------------------------------------------------------------
// The codes are part of the format, so they are spelled out rather than taken from the
// enum's values, which may change.
uint8_t dtype_code(ScalarType t) {
  switch (t) {
    case kFloat32: return 0;
    case kFloat64: return 1;
    case kInt64: return 2;
  }
  throw std::logic_error("save: unknown dtype");
}

bool dtype_from_code(uint8_t code, ScalarType& out) {
  switch (code) {
    case 0: out = kFloat32; return true;
    case 1: out = kFloat64; return true;
    case 2: out = kInt64; return true;
    default: return false;
  }
}

// The unsigned integer with the same bytes as T: elements travel through it, so that
// their byte order is set by shifts, not by the machine.
template <class T>
using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;

// --- writing ------------------------------------------------------------------------
// Appends little-endian fields to a byte buffer: the least significant byte first.
class Writer {
 public:
  void u8(uint8_t v) { bytes_.push_back(v); }
  void u32(uint32_t v) { unsigned_le(v); }
  void i64(int64_t v) { unsigned_le(static_cast<uint64_t>(v)); }  // two's complement
  void text(const std::string& s) { bytes_.insert(bytes_.end(), s.begin(), s.end()); }
  void raw(std::span<const uint8_t> b) { bytes_.insert(bytes_.end(), b.begin(), b.end()); }

  template <class T>
  void elements(const T* values, int64_t n) {
    bytes_.reserve(bytes_.size() + static_cast<size_t>(n) * sizeof(T));
    for (int64_t i = 0; i < n; ++i) unsigned_le(std::bit_cast<Bits<T>>(values[i]));
  }

  std::vector<uint8_t>& bytes() { return bytes_; }

 private:
  template <class U>
  void unsigned_le(U v) {
    for (size_t b = 0; b < sizeof(U); ++b) bytes_.push_back(static_cast<uint8_t>(v >> (8 * b)));
  }
  std::vector<uint8_t> bytes_;
};

std::vector<uint8_t> encode(const Module& model) {
  const auto params = model.named_parameters();
  if (params.size() > std::numeric_limits<uint32_t>::max()) throw std::length_error("save: too many parameters");
  Writer w;
  w.raw(kMagic);
  w.u32(kVersion);
  w.u32(static_cast<uint32_t>(params.size()));
  for (const auto& [name, parameter] : params) {
    const Tensor& p = parameter;  // a lambda cannot capture a structured binding before C++20's P1091 (clang 14)
    if (name.size() > std::numeric_limits<uint32_t>::max()) throw std::length_error("save: name too long");
    w.u32(static_cast<uint32_t>(name.size()));
    w.text(name);
    w.u8(dtype_code(p.dtype()));
    w.u8(static_cast<uint8_t>(p.dim()));
    for (int64_t size : p.sizes()) w.i64(size);
    dispatch_all(p.dtype(), [&]<class T>() { w.elements(static_cast<const T*>(p.raw_data()), p.numel()); });
  }
  const uint32_t checksum = crc32(w.bytes());
  w.u32(checksum);
  return std::move(w.bytes());
}

// Writes `bytes` to `path` so that `path` holds either its old content or all the new
// content, never a mixture: write a temporary file, push it to the disk, then rename it
// over `path` (a rename within one directory replaces the target atomically).
void write_file_replacing(const std::string& path, const std::vector<uint8_t>& bytes) {
  const std::string temporary = path + ".tmp";
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) {
    throw std::runtime_error("save: cannot write " + path + ": cannot create " + temporary + ": " +
                             std::strerror(errno));
  }
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  ok = std::fflush(file) == 0 && ok;
#if __has_include(<unistd.h>)
  // Without this the rename may reach the disk before the data does, and a power cut
  // would leave an empty file where the previous model was.
  ok = ::fsync(::fileno(file)) == 0 && ok;
#endif
  const int write_errno = errno;
  ok = std::fclose(file) == 0 && ok;
  std::error_code ignored;
  if (!ok) {
    std::filesystem::remove(temporary, ignored);
    throw std::runtime_error("save: cannot write " + path + ": writing " + temporary + " failed: " +
                             std::strerror(write_errno));
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::filesystem::remove(temporary, ignored);
    throw std::runtime_error("save: cannot write " + path + ": cannot rename " + temporary + " over it: " +
                             error.message());
  }
}

// --- reading ------------------------------------------------------------------------
std::vector<uint8_t> read_whole_file(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) throw ModelFileError("load: cannot read " + path + ": it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ModelFileError("load: cannot open " + path + ": " + std::strerror(errno));
  std::vector<uint8_t> bytes;
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) bytes.insert(bytes.end(), chunk, chunk + in.gcount());
  if (in.bad()) throw ModelFileError("load: cannot read " + path + ": read error");
  return bytes;
}

// One parameter as the file describes it; `data` points into the file's bytes.
struct StoredParameter {
  std::string name;
  ScalarType dtype = kFloat32;
  Shape shape;
  std::span<const uint8_t> data;
};

// Reads little-endian fields from the file's bytes, checking at every step that the file
// really has them: a truncated file is reported, never read past its end.
class Reader {
 public:
  Reader(std::span<const uint8_t> bytes, const std::string& path) : bytes_(bytes), path_(path) {}

  size_t position() const { return pos_; }
  size_t remaining() const { return bytes_.size() - pos_; }

  // The next n bytes; `what` says what they were to hold, for the error.
  std::span<const uint8_t> take(uint64_t n, const std::string& what) {
    if (n > remaining()) {
      throw ModelFileError("load: " + path_ + " is truncated: " + what + " needs " + std::to_string(n) +
                           " bytes at offset " + std::to_string(pos_) + ", but the file ends at byte " +
                           std::to_string(bytes_.size()));
    }
    auto out = bytes_.subspan(pos_, static_cast<size_t>(n));
    pos_ += out.size();
    return out;
  }
  uint8_t u8(const std::string& what) { return take(1, what)[0]; }
  uint32_t u32(const std::string& what) { return static_cast<uint32_t>(unsigned_le(take(4, what))); }
  int64_t i64(const std::string& what) { return static_cast<int64_t>(unsigned_le(take(8, what))); }

 private:
  static uint64_t unsigned_le(std::span<const uint8_t> b) {
    uint64_t v = 0;
    for (size_t i = 0; i < b.size(); ++i) v |= static_cast<uint64_t>(b[i]) << (8 * i);
    return v;
  }
  std::span<const uint8_t> bytes_;
  const std::string& path_;
  size_t pos_ = 0;
};

[[noreturn]] void corrupted(const std::string& path, const std::string& what) {
  throw ModelFileError("load: " + path + " is corrupted: " + what);
}

// Checks the whole file (magic, version, structure, checksum) and lists its parameters.
// Nothing here looks at the model.
std::vector<StoredParameter> parse(std::span<const uint8_t> file, const std::string& path) {
  // Magic first: for any other file this is the only honest message.
  const size_t prefix = std::min(file.size(), kMagic.size());
  if (!std::equal(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(prefix), kMagic.begin())) {
    throw ModelFileError("load: " + path + " is not a nabla model file (wrong magic bytes)");
  }
  Reader in(file, path);
  in.take(kMagic.size(), "the magic bytes");
  // The version next: a newer format may lay out everything after it differently.
  const uint32_t version = in.u32("the format version");
  if (version != kVersion) {
    throw ModelFileError("load: " + path + " has format version " + std::to_string(version) +
                         ", but this build of nabla reads version " + std::to_string(kVersion));
  }
  const uint32_t count = in.u32("the parameter count");
  std::vector<StoredParameter> stored;
  for (uint32_t i = 0; i < count; ++i) {
    StoredParameter p;
    const std::string index = "parameter #" + std::to_string(i);
    const uint32_t name_length = in.u32("the name length of " + index);
    auto name = in.take(name_length, "the name of " + index);
    p.name.assign(name.begin(), name.end());
    const std::string which = "parameter " + p.name;
    const uint8_t code = in.u8("the dtype of " + which);
    if (!dtype_from_code(code, p.dtype)) corrupted(path, which + " has unknown dtype code " + std::to_string(code));
    const uint8_t rank = in.u8("the rank of " + which);
    if (rank > Shape::kMaxDims) corrupted(path, which + " has rank " + std::to_string(rank));
    // The byte count is built up dimension by dimension, checking for overflow, so that a
    // corrupted size is reported rather than wrapped around into a small number.
    uint64_t nbytes = element_size(p.dtype);
    for (uint8_t d = 0; d < rank; ++d) {
      const int64_t size = in.i64("the sizes of " + which);
      if (size < 0) corrupted(path, which + " has negative size " + std::to_string(size));
      p.shape.push_back(size);
      if (size > 0 && nbytes > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(size)) {
        corrupted(path, which + " has sizes too large to address");
      }
      nbytes *= static_cast<uint64_t>(size);
    }
    // Only a view into the file's bytes: a huge size cannot make us allocate anything.
    p.data = in.take(nbytes, "the data of " + which + " " + to_string(p.shape));
    stored.push_back(std::move(p));
  }
  // The structure is walked before the checksum is compared so that the two commonest
  // accidents get their own message: a file cut short, and bytes appended after the end.
  const size_t checked_bytes = in.position();
  const uint32_t stored_crc = in.u32("the checksum");
  if (in.remaining() > 0) {
    throw ModelFileError("load: " + path + " has " + std::to_string(in.remaining()) +
                         " trailing bytes after its checksum");
  }
  const uint32_t actual_crc = crc32(file.first(checked_bytes));
  if (stored_crc != actual_crc) {
    char detail[80];
    std::snprintf(detail, sizeof detail, "checksum mismatch (stored 0x%08x, computed 0x%08x)", stored_crc, actual_crc);
    corrupted(path, detail);
  }
  return stored;
}

// Throws unless the file holds exactly the model's parameters: same names in the same
// order, same dtypes, same shapes. Names the first parameter that differs.
void check_matches(const std::vector<std::pair<std::string, Tensor>>& model,
                   const std::vector<StoredParameter>& file, const std::string& path) {
  const size_t common = std::min(model.size(), file.size());
  for (size_t i = 0; i < common; ++i) {
    const auto& [name, p] = model[i];
    const StoredParameter& s = file[i];
    if (name != s.name) {
      throw ModelFileError("load: parameter #" + std::to_string(i) + " is " + name + " in the model but " + s.name +
                           " in " + path);
    }
    if (p.dtype() != s.dtype) {
      throw ModelFileError("load: parameter " + name + " has dtype " + std::string(to_string(p.dtype())) +
                           " in the model but " + std::string(to_string(s.dtype)) + " in " + path);
    }
    if (!(p.sizes() == s.shape)) {
      throw ModelFileError("load: parameter " + name + " has shape " + to_string(p.sizes()) + " in the model but " +
                           to_string(s.shape) + " in " + path);
    }
  }
  if (model.size() != file.size()) {
    const std::string first_extra = model.size() > file.size()
                                        ? model[common].first + " is missing from the file"
                                        : file[common].name + " is not in the model";
    throw ModelFileError("load: the model has " + std::to_string(model.size()) + " parameters but " + path + " has " +
                         std::to_string(file.size()) + " (" + first_extra + ")");
  }
}

// A new tensor holding the stored elements, decoded from little-endian.
Tensor decode(const StoredParameter& s) {
  Tensor t = empty(s.shape, s.dtype);
  dispatch_all(s.dtype, [&]<class T>() {
    T* out = static_cast<T*>(t.raw_data());
    for (int64_t i = 0; i < t.numel(); ++i) {
      Bits<T> bits = 0;
      for (size_t b = 0; b < sizeof(T); ++b) {
        bits |= static_cast<Bits<T>>(s.data[static_cast<size_t>(i) * sizeof(T) + b]) << (8 * b);
      }
      out[i] = std::bit_cast<T>(bits);
    }
  });
  return t;
}

}  // namespace

void save(const Module& model, const std::string& path) { write_file_replacing(path, encode(model)); }

void load(Module& model, const std::string& path) {
  const std::vector<uint8_t> file = read_whole_file(path);
  const std::vector<StoredParameter> stored = parse(file, path);
  const auto params = model.named_parameters();
  check_matches(params, stored, path);
  // Decode everything before touching the model: if memory runs out here, the model is
  // still whole.
  std::vector<Tensor> values;
  values.reserve(stored.size());
  for (const StoredParameter& s : stored) values.push_back(decode(s));
  // Copy into the existing tensors rather than replacing them: an optimizer holding the
  // parameters keeps working on the loaded values. Nothing below can fail.
  NoGradGuard no_grad;
  for (size_t i = 0; i < params.size(); ++i) params[i].second.detach().copy_(values[i]);
}

}  // namespace nabla::nn
