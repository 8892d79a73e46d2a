#include "autograd/ops/byte_rows.h"

#include <string>

#include "autograd/kernels/byte_rows.h"

namespace nabla {
namespace {

template <class T>
void gather(const Tensor& out, std::span<const uint8_t> source, std::span<const int64_t> indices,
            const std::array<T, 256>& table, ScalarType dtype) {
  if (out.dtype() != dtype) {
    throw DtypeError("gather_byte_rows_: a table of " + std::string(to_string(dtype)) + " values fills a " +
                     std::string(to_string(dtype)) + " tensor, got " + std::string(to_string(out.dtype())));
  }
  const auto count = static_cast<int64_t>(indices.size());
  if (out.dim() == 0 || out.size(0) != count) {
    throw ShapeError("gather_byte_rows_: " + std::to_string(count) + " rows do not fill a tensor of shape " +
                     to_string(out.sizes()));
  }
  const int64_t row = count > 0 ? out.numel() / count : 0;
  for (int64_t index : indices) {
    if (index < 0 || (index + 1) * row > static_cast<int64_t>(source.size())) {
      throw ShapeError("gather_byte_rows_: row " + std::to_string(index) + " of " + std::to_string(row) +
                       " bytes is outside a source of " + std::to_string(source.size()) + " bytes");
    }
  }
  kernels::gather_byte_rows(source.data(), row, indices.data(), count, table.data(), out.mutable_data_ptr<T>());
}

}  // namespace

void gather_byte_rows_(const Tensor& out, std::span<const uint8_t> source, std::span<const int64_t> indices,
                       const std::array<float, 256>& table) {
  gather(out, source, indices, table, kFloat32);
}

void gather_byte_rows_(const Tensor& out, std::span<const uint8_t> source, std::span<const int64_t> indices,
                       const std::array<int64_t, 256>& table) {
  gather(out, source, indices, table, kInt64);
}

}  // namespace nabla
