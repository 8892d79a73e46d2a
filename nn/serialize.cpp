#include "nn/serialize.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

// POSIX: O_EXCL for a temporary file no other saver can share, fsync, fstat.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "autograd/autograd.h"
#include "autograd/crc32.h"

namespace nabla::nn {
namespace {

// The layout is described byte by byte in serialize.h.
constexpr std::array<uint8_t, 8> kMagic = {'N', 'A', 'B', 'L', 'A', 0x00, 0x0D, 0x0A};
constexpr uint32_t kVersion = 1;
// Magic, version and parameter count.
constexpr size_t kHeaderBytes = 16;
// The smallest record (a name length, an empty name, dtype, rank 0, no data) and the checksum.
constexpr uint64_t kSmallestRecordBytes = 4 + 1 + 1;
constexpr uint64_t kChecksumBytes = 4;


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

// The system's message for `error` (an errno value).
std::string describe(int error) { return std::strerror(error); }

// Closes a file descriptor when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  // Closes now, reporting the error: for a file just written, close() can be the call
  // that reveals a failed write (on NFS, say).
  int close() {
    const int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

// Creates a new, empty file beside `path`, named "<path>.<random hex>.tmp", with O_EXCL:
// the name belongs to this call alone, so two savers of the same path (threads or
// processes) never write into each other's temporary file. Returns the descriptor and
// sets `name`.
int create_temporary_beside(const std::string& path, std::string& name) {
  std::random_device entropy;  // fresh per call: a forked child must not repeat its parent's names
  for (int attempt = 0; attempt < 100; ++attempt) {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".%08x%08x.tmp", entropy(), entropy());
    name = path + suffix;
    // 0666 less the umask, the permissions a plain fopen() would give the model file.
    const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return fd;
    if (errno != EEXIST) {
      throw std::runtime_error("save: cannot write " + path + ": cannot create " + name + ": " + describe(errno));
    }
  }
  throw std::runtime_error("save: cannot write " + path + ": no unused temporary file name beside it");
}

// Writes all of `bytes` to `fd`, resuming after partial writes and interruptions.
// Returns 0, or the errno of the failure.
int write_all(int fd, std::span<const uint8_t> bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    bytes = bytes.subspan(static_cast<size_t>(written));
  }
  return 0;
}

// Pushes the directory holding `path` to the disk, so that a rename into it survives a
// power cut. Best effort: some file systems refuse fsync on a directory, and the new
// file is in place whatever happens here.
void sync_directory_of(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  const std::string directory = parent.empty() ? std::string(".") : parent.string();
  FileDescriptor dir(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
}

// Writes `bytes` to `path` so that `path` holds either its old content or all the new
// content, never a mixture, even with other savers of the same path running: write a
// temporary file of our own, push it to the disk, then rename it over `path` (a rename
// within one directory replaces the target atomically).
void write_file_replacing(const std::string& path, std::span<const uint8_t> bytes) {
  std::string temporary;
  FileDescriptor file(create_temporary_beside(path, temporary));
  // Every failure from here on removes our temporary file (and only ours).
  auto fail = [&](const std::string& problem, int error) {
    ::unlink(temporary.c_str());
    throw std::runtime_error("save: cannot write " + path + ": " + problem + ": " + describe(error));
  };
  if (const int error = write_all(file.get(), bytes)) fail("writing " + temporary + " failed", error);
  // Without this the rename may reach the disk before the data does, and a power cut
  // would leave an empty file where the previous model was.
  if (::fsync(file.get()) != 0) fail("flushing " + temporary + " to disk failed", errno);
  if (file.close() != 0) fail("closing " + temporary + " failed", errno);
  if (::rename(temporary.c_str(), path.c_str()) != 0) fail("cannot rename " + temporary + " over it", errno);
  sync_directory_of(path);
}

// --- reading ------------------------------------------------------------------------
// A string from the file as it may be printed: bytes outside printable ASCII (and the
// backslash) as \xNN, so that a NUL cannot cut a message short, nor a control byte
// garble a terminal.
std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F && byte != '\\') {
      out += c;
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    }
  }
  return out;
}

// Reads exactly bytes.size() bytes from `fd`. False if the file ends first.
bool read_exactly(int fd, std::span<uint8_t> bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t got = ::read(fd, bytes.data(), bytes.size());
    if (got < 0) {
      if (errno == EINTR) continue;
      throw ModelFileError("load: cannot read " + path + ": " + describe(errno));
    }
    if (got == 0) return false;
    bytes = bytes.subspan(static_cast<size_t>(got));
  }
  return true;
}

std::string file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "it is a directory";
  if (S_ISCHR(mode)) return "it is a character device";
  if (S_ISBLK(mode)) return "it is a block device";
  if (S_ISFIFO(mode)) return "it is a pipe";
  if (S_ISSOCK(mode)) return "it is a socket";
  return "it is not a regular file";
}

void check_header(std::span<const uint8_t> header, uint64_t file_size, const std::string& path);

// The bytes of the model file at `path`. Only a regular file is read (/dev/zero or a pipe
// would never end), its header is checked before anything else is read, and no more
// memory is taken than the file really holds.
std::vector<uint8_t> read_model_file(const std::string& path) {
  // O_NONBLOCK: opening a pipe with no writer would otherwise wait forever, before fstat
  // could say it is a pipe. It changes nothing for a regular file.
  FileDescriptor file(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (file.get() < 0) throw ModelFileError("load: cannot open " + path + ": " + describe(errno));
  struct stat info {};
  if (::fstat(file.get(), &info) != 0) throw ModelFileError("load: cannot read " + path + ": " + describe(errno));
  if (!S_ISREG(info.st_mode)) throw ModelFileError("load: cannot read " + path + ": " + file_kind(info.st_mode));
  const auto size = static_cast<uint64_t>(info.st_size);
  if (size > std::numeric_limits<size_t>::max()) throw ModelFileError("load: " + path + " is too large to read");

  // The header first: for a file that is not a model, or is cut short, nothing more is read.
  std::vector<uint8_t> bytes(static_cast<size_t>(std::min<uint64_t>(size, kHeaderBytes)));
  if (!read_exactly(file.get(), bytes, path)) {
    throw ModelFileError("load: " + path + " changed while being read (it became shorter)");
  }
  check_header(bytes, size, path);
  bytes.resize(static_cast<size_t>(size));
  if (!read_exactly(file.get(), std::span(bytes).subspan(kHeaderBytes), path)) {
    throw ModelFileError("load: " + path + " changed while being read (it became shorter)");
  }
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
  // `file_size` is the size of the whole file, of which `bytes` may be only the start.
  Reader(std::span<const uint8_t> bytes, const std::string& path, uint64_t file_size)
      : bytes_(bytes), path_(path), file_size_(file_size) {}

  size_t position() const { return pos_; }
  size_t remaining() const { return bytes_.size() - pos_; }

  // The next n bytes; `what` says what they were to hold, for the error.
  std::span<const uint8_t> take(uint64_t n, const std::string& what) {
    if (n > remaining()) {
      throw ModelFileError("load: " + path_ + " is truncated: " + what + " needs " + std::to_string(n) +
                           " bytes at offset " + std::to_string(pos_) + ", but the file ends at byte " +
                           std::to_string(file_size_));
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
  uint64_t file_size_;
  size_t pos_ = 0;
};

[[noreturn]] void corrupted(const std::string& path, const std::string& what) {
  throw ModelFileError("load: " + path + " is corrupted: " + what);
}

// Checks the first kHeaderBytes (or fewer, for a shorter file) of a file of `file_size`
// bytes: magic, version, and a parameter count the file has room for.
void check_header(std::span<const uint8_t> header, uint64_t file_size, const std::string& path) {
  // Magic first: for any other file this is the only honest message.
  const size_t prefix = std::min(header.size(), kMagic.size());
  if (!std::equal(header.begin(), header.begin() + static_cast<std::ptrdiff_t>(prefix), kMagic.begin())) {
    throw ModelFileError("load: " + path + " is not a nabla model file (wrong magic bytes)");
  }
  Reader in(header, path, file_size);
  in.take(kMagic.size(), "the magic bytes");
  // The version next: a newer format may lay out everything after it differently.
  const uint32_t version = in.u32("the format version");
  if (version != kVersion) {
    throw ModelFileError("load: " + path + " has format version " + std::to_string(version) +
                         ", but this build of nabla reads version " + std::to_string(kVersion));
  }
  const uint64_t count = in.u32("the parameter count");
  const uint64_t needed = kHeaderBytes + count * kSmallestRecordBytes + kChecksumBytes;
  if (needed > file_size) {
    throw ModelFileError("load: " + path + " is truncated: its header declares " + std::to_string(count) +
                         " parameters, which need at least " + std::to_string(needed) + " bytes, but the file has " +
                         std::to_string(file_size));
  }
}

// Checks the whole file (header, structure, checksum) and lists its parameters. Nothing
// here looks at the model. Until the checksum is verified, no string from the file goes
// into a message: parameters are named by their index.
std::vector<StoredParameter> parse(std::span<const uint8_t> file, const std::string& path) {
  check_header(file.first(std::min(file.size(), kHeaderBytes)), file.size(), path);
  Reader in(file, path, file.size());
  in.take(kMagic.size() + 4, "the magic bytes and version");
  const uint32_t count = in.u32("the parameter count");
  std::vector<StoredParameter> stored;
  stored.reserve(count);  // check_header saw that the file has room for them
  for (uint32_t i = 0; i < count; ++i) {
    StoredParameter p;
    const std::string which = "parameter #" + std::to_string(i);
    const uint32_t name_length = in.u32("the name length of " + which);
    auto name = in.take(name_length, "the name of " + which);
    p.name.assign(name.begin(), name.end());
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
      throw ModelFileError("load: parameter #" + std::to_string(i) + " is " + name + " in the model but " +
                           printable(s.name) + " in " + path);
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
                                        : printable(file[common].name) + " is not in the model";
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
  const std::vector<uint8_t> file = read_model_file(path);
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
