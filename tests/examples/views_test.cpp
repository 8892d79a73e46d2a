// Tour step 11, examples/11_views.cpp: the views it shows share x's storage with the strides
// and offsets it prints, its writes through two of them reach x, and the packed copy is a copy.
#include <gtest/gtest.h>

#include <string>

#include "tests/examples/expect_rejected.h"

namespace {

using namespace testing_examples;

// The line of `text` that starts with `start`.
std::string line_starting(const std::string& text, const std::string& start) {
  const size_t at = text.find("\n" + start);
  if (at == std::string::npos) return "";
  const size_t end = text.find('\n', at + 1);
  return text.substr(at + 1, end - at - 1);
}

TEST(ViewsExample, EachWindowSharesXsStorageWithTheStridesAndOffsetItPrints) {
  const ProgramResult r = run_program(VIEWS_PROGRAM, {"--size", "64"});
  ASSERT_TRUE(r.exited()) << r.err;
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string t = line_starting(r.out, "x.t() ");
  EXPECT_NE(t.find("sizes [3, 2]   strides [1, 3]   offset 0"), std::string::npos) << t;
  EXPECT_NE(t.find("not contiguous"), std::string::npos) << t;
  EXPECT_NE(t.find("shares x's storage"), std::string::npos) << t;
  EXPECT_NE(line_starting(r.out, "x[1] ").find("offset 3"), std::string::npos) << r.out;
  const std::string column = line_starting(r.out, "x.select(1, 2) ");
  EXPECT_NE(column.find("strides [3]"), std::string::npos) << column;
  EXPECT_NE(column.find("offset 2"), std::string::npos) << column;
  const std::string packed = line_starting(r.out, "x.t().contiguous() ");
  EXPECT_NE(packed.find("a copy"), std::string::npos) << packed;
  EXPECT_NE(packed.find(" contiguous"), std::string::npos) << packed;
  // The program checks x after the writes and exits 1 if they did not reach it.
  EXPECT_NE(r.out.find("both writes reached x"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tensor([[  0.,  10., -10.],"), std::string::npos) << r.out;
}

TEST(ViewsExample, BadOptionsAreOneLineAndExitTwo) {
  expect_rejected(VIEWS_PROGRAM, "views",
                  {{{"--size", "0"}, "--size"}, {{"--size", "many"}, "--size"}, {{"--stride"}, "--stride"}});
}

}  // namespace
