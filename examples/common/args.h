#pragma once
// The command line of every example, declared in a few lines and checked before any work:
//
//   int main(int argc, char** argv) {
//     return examples::run("spirals", [&] {
//       int steps = 1000;
//       examples::Arguments args("spirals", "Two interleaved spirals.");
//       args.option("--steps", steps, "N", "training steps", {.min = 5, .max = 1'000'000});
//       if (!args.parse(argc, argv)) return 0;  // --help was printed
//       ...
//     });
//   }
//
// Numbers are read whole ("16x" is an error, not 16) and checked against their range;
// choices match case-insensitively and an error lists them; an unknown option is an error
// that lists the known ones; an output directory is created and test-written up front, so
// a run never ends by failing to save its results.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "autograd/threads.h"

namespace examples {

// A mistake on the command line (or in the environment): exit code 2.
struct UsageError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

struct IntRange {
  int64_t min = INT64_MIN;
  int64_t max = INT64_MAX;
};

// A range of reals; min_exclusive makes it (min, max], as a learning rate needs.
struct RealRange {
  double min = -1e300;
  double max = 1e300;
  bool min_exclusive = false;
};

class Arguments {
 public:
  Arguments(std::string program, std::string summary);

  void option(const std::string& name, int& value, const std::string& metavar, const std::string& help, IntRange range);
  void option(const std::string& name, int64_t& value, const std::string& metavar, const std::string& help,
              IntRange range);
  void option(const std::string& name, uint64_t& value, const std::string& metavar, const std::string& help,
              IntRange range);  // range.min is raised to 0: "-1" is an error, not 2^64 - 1
  void option(const std::string& name, double& value, const std::string& metavar, const std::string& help,
              RealRange range);
  void option(const std::string& name, std::string& value, const std::string& metavar, const std::string& help);
  // A comma-separated, non-empty list of whole numbers, each in `range`: "256,256".
  void option(const std::string& name, std::vector<int64_t>& value, const std::string& metavar,
              const std::string& help, IntRange range);
  // One of `choices`, matched case-insensitively and stored as spelled in `choices`.
  void choice(const std::string& name, std::string& value, std::vector<std::string> choices,
              const std::string& help);
  // A comma-separated, non-empty list of `choices`.
  void choices(const std::string& name, std::vector<std::string>& value, std::vector<std::string> choices,
               const std::string& help);
  // A switch without a value: present means `value = set_to`.
  void flag(const std::string& name, bool& value, bool set_to, const std::string& help);
  // A directory the program writes to: created and test-written when parsing ends.
  void output_directory(const std::string& name, std::filesystem::path& value, const std::string& help);

  // Reads argv. Returns false after printing the usage for --help / -h (the caller then
  // exits 0 without doing anything); throws UsageError for anything it cannot accept.
  bool parse(int argc, const char* const* argv);
  std::string usage() const;

 private:
  struct Spec {
    std::string name, metavar, help, default_text;
    std::function<void(const std::string&)> set;  // empty for a flag
    std::function<void()> on_flag;
  };
  void add(Spec spec);

  std::string program_, summary_;
  std::vector<Spec> specs_;
  std::vector<std::function<void()>> checks_after_parsing_;
};

// Creates `directory` if needed and writes and removes a probe file in it; throws
// UsageError naming `option` and the reason if either fails.
void require_writable_directory(const std::filesystem::path& directory, const std::string& option);

// NABLA_NUM_THREADS, if set, must be a whole number from 1 to kMaxThreads: throws UsageError.
inline constexpr int kMaxThreads = nabla::kMaxThreads;
void check_thread_environment();

// Runs an example's main body and turns what it throws into one line on stderr,
// "program: error: ...", and an exit code: 2 for a UsageError, 1 for anything else (nabla's
// errors included). Standard output is flushed first, so nothing printed is lost. Checks
// NABLA_NUM_THREADS before the body runs.
int run(const std::string& program, const std::function<int()>& body);

}  // namespace examples
