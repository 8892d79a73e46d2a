#pragma once
// Runs a program as a user would, from a test: its own process, its arguments, extra
// environment variables, and a time limit. Nothing goes through a shell.
#include <chrono>
#include <string>
#include <vector>

namespace testing_examples {

struct ProgramResult {
  int exit_code = -1;  // -1 when the program did not exit by itself
  int signal = 0;      // the signal that ended it (SIGABRT = 6 for an uncaught exception), else 0
  bool timed_out = false;
  std::string out, err;  // what it wrote to stdout and stderr

  // Exited by itself, neither killed by a signal nor by the time limit.
  bool exited() const { return exit_code >= 0 && signal == 0 && !timed_out; }
};

// Runs `program` with `arguments`, and with `environment` ("NAME=value") added to this
// process's environment. Kills it after `limit`.
ProgramResult run_program(const std::string& program, const std::vector<std::string>& arguments,
                          const std::vector<std::string>& environment = {},
                          std::chrono::seconds limit = std::chrono::seconds(120));

// A fresh empty directory under the system's temporary directory.
std::string make_temporary_directory(const std::string& prefix);

}  // namespace testing_examples
