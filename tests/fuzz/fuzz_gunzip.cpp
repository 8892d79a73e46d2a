// libFuzzer target: gzip and raw DEFLATE decoding (datasets/gzip.h, datasets/inflate.h).
// Any input must decode or throw FormatError; a crash, leak, hang or sanitizer report is a
// bug. gunzip_prefix must agree with gunzip on the bytes both produce.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "datasets/error.h"
#include "datasets/gzip.h"
#include "datasets/inflate.h"

namespace {
// Far above what a small input can honestly hold, far below the fuzzer's memory limit.
constexpr std::size_t kMaxOutput = std::size_t{64} << 20;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace nabla::datasets;
  const std::span<const uint8_t> input(data, size);
  std::vector<uint8_t> whole;
  bool whole_ok = false;
  try {
    whole = gunzip(input, "fuzz.gz", kMaxOutput);
    whole_ok = true;
  } catch (const FormatError&) {
  }
  try {
    const std::size_t wanted = size % 1024;
    const std::vector<uint8_t> prefix = gunzip_prefix(input, "fuzz.gz", wanted);
    if (prefix.size() > wanted) std::abort();
    if (whole_ok) {
      // Exactly min(wanted, all) bytes, and they are the start of the data.
      if (prefix.size() != std::min(wanted, whole.size())) std::abort();
      if (!std::equal(prefix.begin(), prefix.end(), whole.begin())) std::abort();
    }
  } catch (const FormatError&) {
    if (whole_ok && size % 1024 > 0) std::abort();  // the whole decodes, so its start must too
  }
  try {
    (void)inflate(input, "fuzz.deflate", kMaxOutput);
  } catch (const FormatError&) {
  }
  return 0;
}
