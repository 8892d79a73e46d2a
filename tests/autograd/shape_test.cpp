#include "autograd/shape.h"

#include <gtest/gtest.h>

#include "autograd/error.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

TEST(Shape, NumelIsTheProductOfSizes) {
  EXPECT_EQ(Shape({2, 3, 4}).numel(), 24);
  EXPECT_EQ(Shape({}).numel(), 1);
  EXPECT_EQ(Shape({5, 0}).numel(), 0);
}

TEST(Shape, PrintsLikeAList) { EXPECT_EQ(to_string(Shape({2, 3})), "[2, 3]"); }

TEST(Shape, BroadcastingAlignsTrailingDimensions) {
  EXPECT_EQ(broadcast_shapes({4, 3}, {3}, "t"), Shape({4, 3}));
  EXPECT_EQ(broadcast_shapes({4, 1}, {1, 5}, "t"), Shape({4, 5}));
  EXPECT_EQ(broadcast_shapes({2, 1, 3}, {4, 1}, "t"), Shape({2, 4, 3}));
  EXPECT_EQ(broadcast_shapes({}, {2, 2}, "t"), Shape({2, 2}));
}

TEST(Shape, IncompatibleShapesNameTheOpAndBothShapes) {
  testing::expect_error<ShapeError>([] { broadcast_shapes({2, 3}, {4}, "add"); },
                                    "add: shapes [2, 3] and [4] cannot be broadcast");
}

TEST(Shape, NegativeDimensionsCountFromTheEnd) {
  EXPECT_EQ(wrap_dim(-1, 3, "t"), 2);
  EXPECT_EQ(wrap_dim(0, 3, "t"), 0);
  testing::expect_error<ShapeError>([] { wrap_dim(3, 3, "sum"); }, "sum: dimension 3 is out of range");
}

TEST(Shape, MoreThanEightDimensionsIsAnError) {
  testing::expect_error<ShapeError>([] { Shape({1, 1, 1, 1, 1, 1, 1, 1, 1}); }, "at most 8 dimensions");
}

TEST(Shape, CheckedNumelCountsElements) {
  EXPECT_EQ(checked_numel({2, 3, 4}, "t"), 24);
  EXPECT_EQ(checked_numel({}, "t"), 1);
  EXPECT_EQ(checked_numel({int64_t{1} << 62, 0}, "t"), 0);  // a zero anywhere: no elements, however large the rest
}

TEST(Shape, CheckedNumelRefusesCountsThatOverflow) {
  testing::expect_error<ShapeError>([] { checked_numel({int64_t{1} << 32, int64_t{1} << 32}, "zeros"); },
                                    "zeros: shape [4294967296, 4294967296] has more elements than a 64-bit count");
  testing::expect_error<ShapeError>([] { checked_numel({(int64_t{1} << 61) + 1, 8}, "view"); },
                                    "view: shape [2305843009213693953, 8] has more elements");
}

TEST(Shape, CheckedNumelRefusesNegativeSizes) {
  testing::expect_error<ShapeError>([] { checked_numel({2, -3}, "zeros"); }, "zeros: negative size -3 in shape [2, -3]");
}

TEST(Shape, BroadcastingToMoreElementsThanInt64CountsIsAnError) {
  testing::expect_error<ShapeError>(
      [] { broadcast_shapes({int64_t{1} << 32, 1}, {1, int64_t{1} << 32}, "add"); },
      "add: shape [4294967296, 4294967296] has more elements");
}

}  // namespace
}  // namespace nabla
