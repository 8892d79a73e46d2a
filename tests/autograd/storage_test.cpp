#include "autograd/storage.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace nabla {
namespace {

TEST(Storage, LargeBuffersAreAlignedForVectorLoads) {
  Storage s(100000);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(s.data()) % 64, 0u);
  EXPECT_EQ(s.nbytes(), 100000u);
}

TEST(Storage, AFreedBufferIsReusedForTheSameSize) {
  void* first;
  {
    Storage s(12345);
    first = s.data();
  }
  Storage again(12345);
  EXPECT_EQ(again.data(), first);
}

TEST(Storage, EmptyCacheReturnsMemory) {
  { Storage s(1 << 20); }
  EXPECT_GE(cached_bytes(), std::size_t{1} << 20);
  empty_cache();
  EXPECT_EQ(cached_bytes(), 0u);
}

}  // namespace
}  // namespace nabla
