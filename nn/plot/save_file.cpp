#include "nn/plot/save_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace nabla::plot {

void save_file_atomically(const std::string& path, const std::string& document, const std::string& who) {
  const std::string temporary = path + ".tmp";
  auto fail = [&](const std::string& reason) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw std::runtime_error(who + ": cannot write '" + path + "': " + reason);
  };
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) fail(std::strerror(errno));
    out.write(document.data(), static_cast<std::streamsize>(document.size()));
    out.close();
    if (!out) fail("write error");
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) fail(error.message());
}

}  // namespace nabla::plot
