#include "examples/common/args.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <system_error>

#include "nn/activations/activation.h"

namespace examples {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string join(const std::vector<std::string>& parts, const std::string& separator = ", ") {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : separator) + part;
  return out;
}

std::string in_quotes(const std::string& s) { return "'" + s + "'"; }

// "a,b,,c" -> {"a", "b", "", "c"}: empty parts are kept, so that they can be reported.
// Commas inside parentheses do not split: "hardtanh(-2, 2),relu" -> {"hardtanh(-2, 2)", "relu"}.
std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts(1);
  int depth = 0;
  for (char c : text) {
    depth += c == '(' ? 1 : (c == ')' ? -1 : 0);
    if (c == ',' && depth <= 0) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  if (text.empty()) parts.clear();
  return parts;
}

// The whole of `text` as an integer in `range`, or a UsageError that says what was wrong.
int64_t parse_int(const std::string& name, const std::string& text, IntRange range) {
  int64_t n = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (error == std::errc::result_out_of_range) throw UsageError(name + " is out of range, got " + in_quotes(text));
  if (error != std::errc() || end != text.data() + text.size()) {
    throw UsageError(name + " expects a whole number, got " + in_quotes(text));
  }
  if (n < range.min || n > range.max) {
    throw UsageError(name + " must be from " + std::to_string(range.min) + " to " + std::to_string(range.max) +
                     ", got " + text);
  }
  return n;
}

std::string format_real(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", x);
  return buffer;
}

double parse_real(const std::string& name, const std::string& text, RealRange range) {
  char* end = nullptr;
  const double x = text.empty() ? NAN : std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || std::isspace(static_cast<unsigned char>(text[0]))) {
    throw UsageError(name + " expects a number, got " + in_quotes(text));
  }
  const bool too_low = range.min_exclusive ? !(x > range.min) : !(x >= range.min);
  if (!std::isfinite(x) || too_low || x > range.max) {
    throw UsageError(name + " must be " + (range.min_exclusive ? "> " : ">= ") + format_real(range.min) +
                     " and <= " + format_real(range.max) + ", got " + text);
  }
  return x;
}

// The entry of `choices` equal to `text` ignoring case.
// A choice may carry parameters in parentheses, "leaky_relu(0.2)": only activations take
// them, so they are checked here by nabla::activation(), before any work starts.
std::string match_choice(const std::string& name, const std::string& text, const std::vector<std::string>& choices) {
  const size_t open = text.find('(');
  const std::string base = text.substr(0, open), parameters = open == std::string::npos ? "" : text.substr(open);
  for (const std::string& c : choices) {
    if (lower(c) != lower(base)) continue;
    if (parameters.empty()) return c;
    if (!nabla::has_activation(c)) throw UsageError(name + ": " + c + " takes no parameters; got " + in_quotes(text));
    try {
      nabla::activation(c + parameters);
    } catch (const std::invalid_argument& e) {
      throw UsageError(name + ": " + e.what());
    }
    return c + parameters;
  }
  throw UsageError(name + " must be one of " + join(choices) + "; got " + in_quotes(text));
}

}  // namespace

Arguments::Arguments(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)) {}

void Arguments::add(Spec spec) { specs_.push_back(std::move(spec)); }

void Arguments::option(const std::string& name, int& value, const std::string& metavar, const std::string& help,
                       IntRange range) {
  range.min = std::max<int64_t>(range.min, INT32_MIN), range.max = std::min<int64_t>(range.max, INT32_MAX);
  add({name, metavar, help, std::to_string(value),
       [=, &value](const std::string& text) { value = static_cast<int>(parse_int(name, text, range)); }, {}});
}

void Arguments::option(const std::string& name, int64_t& value, const std::string& metavar, const std::string& help,
                       IntRange range) {
  add({name, metavar, help, std::to_string(value),
       [=, &value](const std::string& text) { value = parse_int(name, text, range); }, {}});
}

void Arguments::option(const std::string& name, uint64_t& value, const std::string& metavar, const std::string& help,
                       IntRange range) {
  range.min = std::max<int64_t>(range.min, 0);
  add({name, metavar, help, std::to_string(value),
       [=, &value](const std::string& text) { value = static_cast<uint64_t>(parse_int(name, text, range)); }, {}});
}

void Arguments::option(const std::string& name, double& value, const std::string& metavar, const std::string& help,
                       RealRange range) {
  add({name, metavar, help, format_real(value),
       [=, &value](const std::string& text) { value = parse_real(name, text, range); }, {}});
}

void Arguments::option(const std::string& name, std::string& value, const std::string& metavar,
                       const std::string& help) {
  add({name, metavar, help, value, [&value](const std::string& text) { value = text; }, {}});
}

void Arguments::option(const std::string& name, std::vector<int64_t>& value, const std::string& metavar,
                       const std::string& help, IntRange range) {
  std::vector<std::string> shown;
  for (int64_t v : value) shown.push_back(std::to_string(v));
  add({name, metavar, help, join(shown, ","), [=, &value](const std::string& text) {
         if (text.empty()) throw UsageError(name + " needs at least one value, like " + metavar + "; got ''");
         value.clear();
         for (const std::string& part : split_commas(text)) value.push_back(parse_int(name, part, range));
       }, {}});
}

void Arguments::choice(const std::string& name, std::string& value, std::vector<std::string> choices,
                       const std::string& help) {
  add({name, "NAME", help + " (" + join(choices, ", ") + ")", value,
       [=, &value](const std::string& text) { value = match_choice(name, text, choices); }, {}});
}

void Arguments::choices(const std::string& name, std::vector<std::string>& value, std::vector<std::string> choices,
                        const std::string& help) {
  add({name, "A,B,...", help + " (any of: " + join(choices, ", ") + ")", join(value, ","),
       [=, &value](const std::string& text) {
         if (text.empty()) throw UsageError(name + " needs at least one name; got ''");
         value.clear();
         for (const std::string& part : split_commas(text)) value.push_back(match_choice(name, part, choices));
       }, {}});
}

void Arguments::flag(const std::string& name, bool& value, bool set_to, const std::string& help) {
  add({name, "", help, "", {}, [&value, set_to] { value = set_to; }});
}

void Arguments::output_directory(const std::string& name, std::filesystem::path& value, const std::string& help) {
  add({name, "DIR", help, value.string(), [&value](const std::string& text) { value = text; }, {}});
  checks_after_parsing_.push_back([name, &value] { require_writable_directory(value, name); });
}

std::string Arguments::usage() const {
  std::ostringstream out;
  out << "usage: " << program_ << " [options]\n" << summary_ << "\n\noptions:\n";
  for (const Spec& s : specs_) {
    std::string left = "  " + s.name + (s.metavar.empty() ? "" : " " + s.metavar);
    out << left << std::string(left.size() < 26 ? 26 - left.size() : 1, ' ') << s.help;
    if (!s.default_text.empty() && s.help.find("(default") == std::string::npos) out << " (default " << s.default_text << ")";
    out << "\n";
  }
  out << "  --help                  print this and exit\n";
  return out.str();
}

bool Arguments::parse(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << usage() << std::flush;
      return false;
    }
  }
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::optional<std::string> inline_value;  // --name=value
    if (const size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      inline_value = arg.substr(eq + 1);
      arg.resize(eq);
    }
    const auto spec = std::find_if(specs_.begin(), specs_.end(), [&](const Spec& s) { return s.name == arg; });
    if (spec == specs_.end()) {
      std::vector<std::string> names;
      for (const Spec& s : specs_) names.push_back(s.name);
      names.push_back("--help");
      if (arg.rfind("-", 0) != 0) throw UsageError("unexpected argument " + in_quotes(arg) + "; options are " + join(names));
      throw UsageError("unknown option " + in_quotes(arg) + "; options are " + join(names));
    }
    if (!spec->set) {
      if (inline_value) throw UsageError(arg + " takes no value, got " + in_quotes(*inline_value));
      spec->on_flag();
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= argc) throw UsageError(arg + " needs a value (" + spec->metavar + ")");
      inline_value = argv[++i];
    }
    spec->set(*inline_value);
  }
  for (const auto& check : checks_after_parsing_) check();
  return true;
}

void require_writable_directory(const std::filesystem::path& directory, const std::string& option) {
  const std::string where = option + " " + in_quotes(directory.string());
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) throw UsageError(where + ": cannot create the directory (" + error.message() + ")");
  if (!std::filesystem::is_directory(directory, error)) throw UsageError(where + " is not a directory");
  const std::filesystem::path probe = directory / ".write_probe";
  bool written = false;
  {
    std::ofstream file(probe);
    written = file && (file << "probe") && file.flush();
  }
  std::filesystem::remove(probe, error);
  if (!written) throw UsageError(where + ": cannot write files there");
}

void check_thread_environment() {
  const char* text = std::getenv("NABLA_NUM_THREADS");
  if (!text) return;
  parse_int("NABLA_NUM_THREADS", text, {.min = 1, .max = kMaxThreads});
}

int run(const std::string& program, const std::function<int()>& body) {
  auto fail = [&](const std::string& message, int code) {
    std::cout.flush();
    std::fflush(stdout);
    std::cerr << program << ": error: " << message << (code == 2 ? " (see " + program + " --help)" : "") << "\n";
    return code;
  };
  try {
    check_thread_environment();
    const int code = body();
    std::cout.flush();
    return code;
  } catch (const UsageError& e) {
    return fail(e.what(), 2);
  } catch (const std::exception& e) {
    return fail(e.what(), 1);
  }
}

}  // namespace examples
