// libFuzzer target: IDX files, plain or gzip-compressed (datasets/idx.h), through the same
// path MNIST takes: header first, then the data, inflated no further than declared.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "datasets/error.h"
#include "datasets/idx.h"

namespace {
constexpr std::size_t kMaxData = std::size_t{64} << 20;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace nabla::datasets;
  try {
    IdxFile file(std::vector<uint8_t>(data, data + size), "fuzz.idx", kMaxData);
    const std::vector<std::size_t> dims = file.dims();
    const IdxArray array = std::move(file).read();
    if (array.dims != dims) std::abort();  // read() must give what the header said
    std::size_t product = 1;
    for (std::size_t d : dims) product *= d;
    if (array.data.size() != product) std::abort();
  } catch (const FormatError&) {
  }
  try {
    (void)parse_idx(std::span<const uint8_t>(data, size), "fuzz.idx", kMaxData);
  } catch (const FormatError&) {
  }
  return 0;
}
