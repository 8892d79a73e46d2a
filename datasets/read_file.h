#pragma once
// Whole-file reading for the data set loaders: the files are small enough to hold in
// memory (MNIST's largest is 47 MB) and every format here is parsed from memory.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nabla::datasets {

// The bytes of the file at `path`. Throws FileNotFoundError if it does not exist or is not
// a regular file, FormatError if it is larger than `max_bytes`, std::runtime_error if it
// cannot be read. Every message names `path`.
std::vector<uint8_t> read_file(const std::string& path, std::size_t max_bytes);

}  // namespace nabla::datasets
