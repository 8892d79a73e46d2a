#include "datasets/read_file.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "datasets/error.h"

namespace nabla::datasets {

std::vector<uint8_t> read_file(const std::string& path, std::size_t max_bytes) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error && error != std::errc::no_such_file_or_directory) {
    throw std::runtime_error(path + ": cannot access the file: " + error.message());
  }
  if (!std::filesystem::exists(status)) throw FileNotFoundError(path + ": no such file");
  if (!std::filesystem::is_regular_file(status)) throw FileNotFoundError(path + ": not a regular file");
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) throw std::runtime_error(path + ": cannot read the file size: " + error.message());
  if (size > max_bytes) {
    throw FormatError(path + ": the file is " + std::to_string(size) + " bytes, more than the limit of " +
                      std::to_string(max_bytes));
  }

  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error(path + ": cannot open the file for reading");
  std::vector<uint8_t> bytes(static_cast<std::size_t>(size));
  file.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  // A file that shrank since file_size() reads short: report it rather than parse zeros.
  if (file.gcount() != static_cast<std::streamsize>(bytes.size())) {
    throw std::runtime_error(path + ": read " + std::to_string(file.gcount()) + " of " + std::to_string(size) +
                             " bytes (did the file change while being read?)");
  }
  return bytes;
}

}  // namespace nabla::datasets
