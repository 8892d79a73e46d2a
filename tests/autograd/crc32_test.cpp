#include "autograd/crc32.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace nabla {
namespace {

std::vector<uint8_t> ascii(std::string_view text) { return {text.begin(), text.end()}; }

TEST(Crc32, MatchesTheStandardCheckValue) {
  // The check value every CRC-32 (ISO 3309 / gzip) implementation publishes.
  EXPECT_EQ(crc32(ascii("123456789")), 0xCBF43926u);
}

TEST(Crc32, OfNothingIsZero) { EXPECT_EQ(crc32({}), 0u); }

TEST(Crc32, KnownValueOfAPhrase) {
  EXPECT_EQ(crc32(ascii("The quick brown fox jumps over the lazy dog")), 0x414FA339u);
}

TEST(Crc32, ContinuesAcrossPieces) {
  const auto whole = ascii("gradients flow backwards through the graph");
  const std::span<const uint8_t> bytes(whole);
  for (std::size_t cut = 0; cut <= whole.size(); ++cut) {
    EXPECT_EQ(crc32(bytes.subspan(cut), crc32(bytes.first(cut))), crc32(bytes)) << "cut at " << cut;
  }
}

}  // namespace
}  // namespace nabla
