#include "nn/export_npy.h"

#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <type_traits>
#include <vector>

namespace nabla::nn {
namespace {

// NumPy's type string: byte order ('<' little-endian), kind (f float, i signed int), size.
std::string numpy_descr(ScalarType t) {
  switch (t) {
    case kFloat32: return "<f4";
    case kFloat64: return "<f8";
    case kInt64: return "<i8";
  }
  throw std::logic_error("save_npy: unknown dtype");
}

// A shape as Python prints a tuple: (), (5,), (2, 3).
std::string python_tuple(const Shape& shape) {
  std::string out = "(";
  for (int d = 0; d < shape.dim(); ++d) out += (d > 0 ? ", " : "") + std::to_string(shape[d]);
  return out + (shape.dim() == 1 ? ",)" : ")");
}

// The elements, least significant byte first whatever the machine (NumPy reads '<' types
// as little-endian everywhere).
template <class T>
void append_little_endian(std::vector<char>& out, const T* values, int64_t n) {
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  out.reserve(out.size() + static_cast<size_t>(n) * sizeof(T));
  for (int64_t i = 0; i < n; ++i) {
    const Bits bits = std::bit_cast<Bits>(values[i]);
    for (size_t b = 0; b < sizeof(T); ++b) out.push_back(static_cast<char>(static_cast<uint8_t>(bits >> (8 * b))));
  }
}

std::vector<char> element_bytes(const Tensor& t) {
  std::vector<char> out;
  dispatch_all(t.dtype(), [&]<class T>() { append_little_endian(out, t.data_ptr<T>(), t.numel()); });
  return out;
}

}  // namespace

std::string npy_header(const Tensor& tensor) {
  std::string dict = "{'descr': '" + numpy_descr(tensor.dtype()) + "', 'fortran_order': False, 'shape': " +
                     python_tuple(tensor.sizes()) + ", }";
  constexpr size_t kPrefix = 10;  // magic (6) + version (2) + header length (2)
  constexpr size_t kAlign = 64;
  // Spaces, then the closing newline, up to the next multiple of 64.
  const size_t unpadded = kPrefix + dict.size() + 1;
  dict.append((kAlign - unpadded % kAlign) % kAlign, ' ');
  dict += '\n';
  if (dict.size() > 0xFFFF) throw std::length_error("save_npy: header too long for .npy version 1.0");
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(dict.size() & 0xFF);
  out += static_cast<char>(dict.size() >> 8);
  return out + dict;
}

void save_npy(const Tensor& tensor, const std::string& path) {
  const std::string header = npy_header(tensor);
  const std::vector<char> data = element_bytes(tensor);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("save_npy: cannot write " + path + ": " + std::strerror(errno));
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out) throw std::runtime_error("save_npy: cannot write " + path + ": write error");
}

void export_npy(const Module& model, const std::string& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) throw std::runtime_error("export_npy: cannot create directory " + directory + ": " + error.message());
  for (const auto& [name, p] : model.named_parameters()) {
    // The name becomes a file name: it must not lead out of the directory.
    if (name.empty() || name.find('/') != std::string::npos || name.find('\\') != std::string::npos) {
      throw std::invalid_argument("export_npy: parameter name '" + name + "' cannot be a file name");
    }
    save_npy(p, (std::filesystem::path(directory) / (name + ".npy")).string());
  }
}

}  // namespace nabla::nn
