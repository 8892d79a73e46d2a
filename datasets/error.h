#pragma once
// The exceptions nabla's data loading throws. Every message starts with the file (or
// directory) it is about, then says what was wrong, e.g.
//   "train-images-idx3-ubyte.gz: corrupt DEFLATE data: invalid block type 3 (byte 10)".
#include <stdexcept>

namespace nabla::datasets {

// A file whose contents do not follow its format (gzip, DEFLATE, IDX, MNIST's layout),
// or follow it in a way we refuse (unsupported element type, absurd sizes, gzip bomb).
struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A file or directory that is not there (or cannot be read). The message says which path
// and, for the data sets, how to get the files.
struct FileNotFoundError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace nabla::datasets
