#pragma once
// A table saved as text: one line of tab-separated column names, then one line per row.
// The experiments write their results this way (mnist_collapse: results.tsv and
// collapse.tsv; depth: accuracy.tsv) beside their pictures, so that a report can show
// them later without running anything (examples/activations --html), and so that a
// spreadsheet or `column -t -s $'\t'` reads them too.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace examples {

struct TableFile {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each as long as the header
};

// Writes `table` to `path`; a tab or line break inside a cell becomes a space. Throws
// std::runtime_error naming the path if it cannot be written.
void write_table(const std::filesystem::path& path, const TableFile& table);

// The table in `path`, or nothing if there is no such file. Throws std::runtime_error
// naming the path and line if a row has a different number of cells than the header.
std::optional<TableFile> read_table(const std::filesystem::path& path);

}  // namespace examples
