#pragma once
// Where the first NaN or infinity in a buffer is: anomaly detection (anomaly_mode.h)
// scans every output and gradient with it.
#include <cstdint>

namespace nabla::kernels {

// The index of the first element of x[0, n) that is NaN or +-inf, or -1 if all are finite.
template <class T>
int64_t first_nonfinite(const T* x, int64_t n);

}  // namespace nabla::kernels
