#pragma once
// TensorAccessor: element access by [i][j]... for hand-written loops, as in libtorch:
//
//   auto a = x.accessor<float, 2>();          // x is a 2-D float32 tensor
//   for (int64_t i = 0; i < a.size(0); ++i)
//     for (int64_t j = 0; j < a.size(1); ++j) a[i][j] *= 2;
//
// Each [] fixes one index and leaves an accessor of one dimension less; the last one gives
// the element itself. There are no bounds checks (that is the point of an accessor: a
// loop as fast as on a raw pointer), and writes through it bypass the version counter,
// as writes through data_ptr() do: use it on tensors that are not part of a graph.
// Included at the end of autograd/tensor.h.
#include <array>
#include <cstdint>
#include <string>

#include "autograd/error.h"

namespace nabla {

template <class T, int N>
class TensorAccessor {
 public:
  static_assert(N >= 1, "an accessor needs at least one dimension");
  TensorAccessor(T* data, const int64_t* sizes, const int64_t* strides) : data_(data) {
    for (int d = 0; d < N; ++d) {
      sizes_[d] = sizes[d];
      strides_[d] = strides[d];
    }
  }

  // The slice at index i of the first dimension (N > 1), or the element itself (N == 1).
  decltype(auto) operator[](int64_t i) const {
    if constexpr (N == 1) {
      return static_cast<T&>(data_[i * strides_[0]]);
    } else {
      return TensorAccessor<T, N - 1>(data_ + i * strides_[0], sizes_.data() + 1, strides_.data() + 1);
    }
  }
  int64_t size(int d) const { return sizes_[d]; }      // d in [0, N), unchecked
  int64_t stride(int d) const { return strides_[d]; }  // in elements
  T* data() const { return data_; }                    // the first element of this slice

 private:
  T* data_;
  std::array<int64_t, N> sizes_{}, strides_{};
};

template <class T, int N>
TensorAccessor<T, N> Tensor::accessor() const {
  if (dim() != N) {
    throw ShapeError("accessor: asked for " + std::to_string(N) + " dimensions, the tensor has shape " +
                     to_string(sizes()));
  }
  if (scalar_type_of<T>() != dtype()) {
    throw DtypeError("accessor: tensor holds " + std::string(to_string(dtype())) + ", asked for " +
                     std::string(to_string(scalar_type_of<T>())));
  }
  // Through the tensor's own strides: an accessor reads and writes a view where it lies.
  T* data = static_cast<T*>(impl().storage->data()) + storage_offset();
  return TensorAccessor<T, N>(data, sizes().begin(), strides().begin());
}

}  // namespace nabla
