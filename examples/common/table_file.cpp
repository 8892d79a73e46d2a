#include "examples/common/table_file.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace examples {
namespace {

std::string line_of(const std::vector<std::string>& cells) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += '\t';
    for (char c : cells[i]) line += (c == '\t' || c == '\n' || c == '\r') ? ' ' : c;
  }
  return line + '\n';
}

std::vector<std::string> cells_of(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, '\t');) cells.push_back(cell);
  if (!line.empty() && line.back() == '\t') cells.emplace_back();  // a last empty cell
  return cells;
}

}  // namespace

void write_table(const std::filesystem::path& path, const TableFile& table) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << line_of(table.header);
  for (const auto& row : table.rows) out << line_of(row);
  out.close();
  if (!out) throw std::runtime_error("cannot write '" + path.string() + "'");
}

std::optional<TableFile> read_table(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  TableFile table;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cells = cells_of(line);
    if (number == 1) {
      table.header = std::move(cells);
    } else if (cells.size() != table.header.size()) {
      throw std::runtime_error("'" + path.string() + "' line " + std::to_string(number) + ": " +
                               std::to_string(cells.size()) + " cells under a header of " +
                               std::to_string(table.header.size()));
    } else {
      table.rows.push_back(std::move(cells));
    }
  }
  return table;
}

}  // namespace examples
