#pragma once
// Rows of bytes, picked by index and turned into numbers through a table of 256 values: how a
// data set held as bytes (an image's pixels, a label) becomes a batch.
#include <cstdint>

namespace nabla::kernels {

// out[b, p] = table[source[indices[b] * row_size + p]] for b < count, p < row_size. The rows
// are at random places in a source far larger than the caches, so a copy waits on memory
// more than it computes: each chunk of rows prefetches the rows a few ahead of the one it
// converts, and on two threads the chunks' waits overlap. Indices are not checked.
// Instantiated for float and int64_t.
template <class T>
void gather_byte_rows(const uint8_t* source, int64_t row_size, const int64_t* indices, int64_t count, const T* table,
                      T* out);

}  // namespace nabla::kernels
