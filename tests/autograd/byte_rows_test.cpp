// gather_byte_rows_ (autograd/ops/byte_rows.h): rows of bytes through a table into a tensor,
// in place, past the threading grain; its errors.
#include "autograd/ops/byte_rows.h"

#include <gtest/gtest.h>

#include <vector>

#include "autograd/autograd.h"
#include "tests/test_util.h"

namespace nabla {
namespace {

using testing::expect_error;

TEST(ByteRows, PicksRowsThroughTheTable) {
  const int64_t row = 300, rows_in_source = 50, count = 400;  // 400 rows of 300: split across threads
  std::vector<uint8_t> source(static_cast<size_t>(row * rows_in_source));
  for (size_t i = 0; i < source.size(); ++i) source[i] = static_cast<uint8_t>(i * 7 % 256);
  std::vector<int64_t> indices(count);
  for (int64_t b = 0; b < count; ++b) indices[static_cast<size_t>(b)] = (b * 13) % rows_in_source;
  std::array<float, 256> table{};
  for (int k = 0; k < 256; ++k) table[static_cast<size_t>(k)] = 0.5f * static_cast<float>(k) - 3.0f;
  const int threads_before = get_num_threads();
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    const Tensor out = empty({count, row});
    gather_byte_rows_(out, source, indices, table);
    const auto a = out.accessor<float, 2>();
    for (int64_t b = 0; b < count; ++b) {
      for (int64_t p = 0; p < row; ++p) {
        const uint8_t byte = source[static_cast<size_t>(indices[static_cast<size_t>(b)] * row + p)];
        ASSERT_EQ(a[b][p], table[byte]) << b << ", " << p << ", " << threads << " threads";
      }
    }
  }
  set_num_threads(threads_before);
}

TEST(ByteRows, LabelsAsInt64AndTheWriteIsSeenByTheGraph) {
  const std::vector<uint8_t> labels = {3, 1, 4, 1, 5};
  std::array<int64_t, 256> identity{};
  for (int k = 0; k < 256; ++k) identity[static_cast<size_t>(k)] = k;
  const Tensor out = empty({3}, kInt64);
  gather_byte_rows_(out, labels, std::vector<int64_t>{4, 0, 2}, identity);
  EXPECT_EQ(out.to_vector(), (std::vector<double>{5, 3, 4}));
  // A graph that saved a float tensor refuses to backward once the tensor is refilled.
  const Tensor images = zeros({1, 2});
  const Tensor w = ones({1, 2}).requires_grad_();
  const Tensor y = (w * images).sum();
  gather_byte_rows_(images, std::vector<uint8_t>{1, 2}, std::vector<int64_t>{0}, std::array<float, 256>{});
  expect_error<AutogradError>([&] { y.backward(); }, "");
}

TEST(ByteRows, RefusesWrongDtypeShapeAndRows) {
  const std::vector<uint8_t> source(10);
  const std::vector<int64_t> indices = {0, 1};
  expect_error<DtypeError>([&] { gather_byte_rows_(empty({2, 5}, kFloat64), source, indices, std::array<float, 256>{}); },
                           "gather_byte_rows_: a table of float32 values fills a float32 tensor, got float64");
  expect_error<ShapeError>([&] { gather_byte_rows_(empty({3, 5}), source, indices, std::array<float, 256>{}); },
                           "gather_byte_rows_: 2 rows do not fill a tensor of shape [3, 5]");
  expect_error<ShapeError>(
      [&] { gather_byte_rows_(empty({2, 5}), source, std::vector<int64_t>{0, 2}, std::array<float, 256>{}); },
      "gather_byte_rows_: row 2 of 5 bytes is outside a source of 10 bytes");
}

}  // namespace
}  // namespace nabla
