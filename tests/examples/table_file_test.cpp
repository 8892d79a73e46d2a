// examples/common/table_file.h: results tables written and read back as tab-separated text.
#include "examples/common/table_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>

#include "tests/examples/run_program.h"

namespace {

namespace fs = std::filesystem;

TEST(TableFile, ReadsBackWhatItWroteWithEmptyCellsKept) {
  const fs::path path = fs::path(testing_examples::make_temporary_directory("nabla_table_")) / "t.tsv";
  const examples::TableFile table{{"model", "acc", "stopped"}, {{"relu", "88.0%", ""}, {"", "", "NaN at epoch 2"}}};
  examples::write_table(path, table);
  const auto back = examples::read_table(path);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->header, table.header);
  EXPECT_EQ(back->rows, table.rows);
}

TEST(TableFile, TabsAndLineBreaksInACellBecomeSpaces) {
  const fs::path path = fs::path(testing_examples::make_temporary_directory("nabla_table_")) / "t.tsv";
  examples::write_table(path, {{"a", "b"}, {{"x\ty", "line\nbreak"}}});
  const auto back = examples::read_table(path);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->rows, (std::vector<std::vector<std::string>>{{"x y", "line break"}}));
}

TEST(TableFile, AMissingFileIsNothingAndARaggedRowIsAnErrorNamingTheLine) {
  const fs::path directory = testing_examples::make_temporary_directory("nabla_table_");
  EXPECT_FALSE(examples::read_table(directory / "none.tsv").has_value());
  std::ofstream(directory / "ragged.tsv") << "a\tb\n1\t2\n3\n";
  try {
    examples::read_table(directory / "ragged.tsv");
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("ragged.tsv' line 3: 1 cells under a header of 2"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(examples::write_table("/proc/nabla/no.tsv", {{"a"}, {}}), std::runtime_error);
}

}  // namespace
