#pragma once
// How every picture and page of nn/plot reaches the disk: written beside its target and
// renamed into place. A rename within one directory is atomic, so a reader (or a crash)
// never finds a half-written file under the target's name.
#include <string>

namespace nabla::plot {

// Writes `document` to `path`; on failure removes the temporary file and throws
// std::runtime_error("<who>: cannot write '<path>': <reason>").
void save_file_atomically(const std::string& path, const std::string& document, const std::string& who);

}  // namespace nabla::plot
