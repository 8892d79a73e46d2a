#pragma once
// The check every example's command-line test makes: a bad argument is refused with one
// line naming it, the right exit code, and no abort.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/examples/run_program.h"

namespace testing_examples {

struct BadRun {
  std::vector<std::string> arguments;
  std::string phrase;  // a key part of the expected message
  std::vector<std::string> environment = {};
  int exit_code = 2;  // 2: usage error; 1: runtime error
};

inline std::string describe(const std::vector<std::string>& arguments, const std::vector<std::string>& environment) {
  std::string text;
  for (const std::string& e : environment) text += e + " ";
  text += "<program>";
  for (const std::string& a : arguments) text += " '" + a + "'";
  return text;
}

// Usage errors must be found before any work: nothing may have been printed on stdout.
inline void expect_rejected(const std::string& program, const std::string& name, const std::vector<BadRun>& runs) {
  for (const BadRun& run : runs) {
    SCOPED_TRACE(describe(run.arguments, run.environment));
    const ProgramResult r = run_program(program, run.arguments, run.environment);
    ASSERT_TRUE(r.exited()) << "signal " << r.signal << (r.timed_out ? ", timed out" : "") << "\n" << r.err;
    EXPECT_EQ(r.exit_code, run.exit_code) << r.err;
    EXPECT_EQ(r.err.rfind(name + ": error: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(run.phrase), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("terminate called"), std::string::npos) << r.err;
    if (run.exit_code == 2) {
      EXPECT_EQ(r.out, "") << "work started before the arguments were checked";
    }
  }
}

// --help prints the usage on stdout, does nothing else, and exits 0.
inline void expect_help_only_prints(const std::string& program, const std::string& name) {
  for (const std::vector<std::string>& arguments : {std::vector<std::string>{"--help"}, {"-h"}, {"--bogus", "--help"}}) {
    SCOPED_TRACE(describe(arguments, {}));
    const ProgramResult r = run_program(program, arguments, {}, std::chrono::seconds(60));
    ASSERT_TRUE(r.exited()) << r.err;
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("usage: " + name + " [options]\n", 0), 0u) << r.out;
    EXPECT_EQ(r.err, "");
  }
}

}  // namespace testing_examples
