// nn::ProgressBar, drawn into a string with a fake clock: what the line says, how often a
// terminal is redrawn, and how few lines a log gets.
#include "nn/progress.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace nabla {
namespace {

// A bar drawing into `out`, its time read from `now` (seconds), which the test advances.
struct FakeTerminal {
  explicit FakeTerminal(bool interactive, int64_t batch_size = 0) {
    options.stream = &out;
    options.interactive = interactive;
    options.batch_size = batch_size;
    options.clock = [this] { return now; };
  }
  std::ostringstream out;
  double now = 0;
  nn::ProgressOptions options;
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(Progress, LineShowsStepBarLossRateAndTimeLeft) {
  FakeTerminal term(false, /*batch_size=*/64);
  term.options.bar_width = 20;
  nn::ProgressBar bar(1000, "epoch 1", term.options);
  term.now = 10.0;
  bar.update(250, 1.234567, {{"acc", 0.91}});
  EXPECT_EQ(bar.line(), "epoch 1 [=====>              ]   250/1000   25%  loss 1.235  acc 0.91  1600 samples/s  ETA 0:30");
}

TEST(Progress, BarFillsWithTheSteps) {
  FakeTerminal term(false);
  term.options.bar_width = 10;
  nn::ProgressBar bar(4, "", term.options);
  EXPECT_EQ(bar.line().substr(0, 12), "[          ]");
  bar.update(1, 0);
  EXPECT_EQ(bar.line().substr(0, 12), "[==>       ]");
  bar.update(4, 0);
  EXPECT_EQ(bar.line().substr(0, 12), "[==========]");
  bar.update(99, 0);  // beyond the end counts as the end
  EXPECT_NE(bar.line().find("4/4  100%"), std::string::npos);
}

TEST(Progress, TimesAreFormattedAsClockTime) {
  FakeTerminal term(false);
  nn::ProgressBar bar(2, "", term.options);
  term.now = 3723.0;  // 1 h 2 min 3 s for the first half
  bar.update(1, 0.5);
  EXPECT_NE(bar.line().find("ETA 1:02:03"), std::string::npos) << bar.line();
  term.now = 3723.0 + 7.4;
  bar.update(2, 0.5);
  EXPECT_NE(bar.line().find("ETA 0:00"), std::string::npos) << bar.line();
}

TEST(Progress, TerminalRedrawsInPlaceAtMostTenTimesASecond) {
  FakeTerminal term(true);
  nn::ProgressBar bar(10000, "train", term.options);
  for (int64_t step = 1; step <= 10000; ++step) {  // 10,000 steps of 0.2 ms: two seconds
    term.now = static_cast<double>(step) * 0.0002;
    bar.update(step, 1.0 / static_cast<double>(step));
  }
  const std::string drawn = term.out.str();
  const auto redraws = std::count(drawn.begin(), drawn.end(), '\r');
  EXPECT_GE(redraws, 19);  // every 0.1 s for 2 s, plus the first and the last step
  EXPECT_LE(redraws, 22);
  EXPECT_EQ(drawn.find('\n'), std::string::npos);  // one line, redrawn
  EXPECT_NE(drawn.rfind("10000/10000  100%"), std::string::npos);  // the last step is always shown

  bar.finish();
  const std::string finished = term.out.str();
  EXPECT_EQ(finished.back(), '\n');
  const std::string last = finished.substr(finished.rfind('\r') + 1);
  EXPECT_NE(last.find("in 0:02"), std::string::npos) << last;
  EXPECT_EQ(last.find("ETA"), std::string::npos);
}

TEST(Progress, TerminalClearsWhatALongerLineLeft) {
  FakeTerminal term(true);
  nn::ProgressBar bar(10, "", term.options);
  bar.update(1, 123456789.0, {{"metric_with_a_long_name", 1.0}});
  term.now = 1.0;
  bar.update(2, 1.0);
  const std::string drawn = term.out.str();
  const size_t second = drawn.rfind('\r');
  const std::string first_line = drawn.substr(1, second - 1);
  const std::string second_line = drawn.substr(second + 1);
  EXPECT_EQ(second_line.size(), first_line.size());  // padded with spaces
  EXPECT_EQ(second_line.find("metric"), std::string::npos);
  EXPECT_EQ(second_line.back(), ' ');
}

TEST(Progress, LogGetsALinePerTenthAndOneAtTheEnd) {
  FakeTerminal term(false);
  nn::ProgressBar bar(1000, "train", term.options);
  for (int64_t step = 1; step <= 1000; ++step) {
    term.now = static_cast<double>(step) * 0.001;
    bar.update(step, 0.5);
  }
  bar.finish();
  const std::string log = term.out.str();
  EXPECT_EQ(log.find('\r'), std::string::npos);
  const auto lines = lines_of(log);
  ASSERT_EQ(lines.size(), 10u);  // 10%, 20%, ..., 90%, and finish()'s
  for (size_t i = 0; i < 9; ++i) {
    const std::string step = std::to_string((i + 1) * 100) + "/1000";
    EXPECT_NE(lines[i].find(step), std::string::npos) << lines[i];
  }
  EXPECT_NE(lines.back().find("1000/1000  100%"), std::string::npos);
  EXPECT_NE(lines.back().find("in 0:01"), std::string::npos);
}

TEST(Progress, SlowLogGetsALineAtLeastEveryInterval) {
  FakeTerminal term(false);
  term.options.log_interval = 30;
  nn::ProgressBar bar(100, "", term.options);
  std::vector<int64_t> logged_at;
  for (int64_t step = 1; step <= 100; ++step) {
    term.now = static_cast<double>(step) * 7.0;  // 7 s per step
    const size_t before = term.out.str().size();
    bar.update(step, 0.5);
    if (term.out.str().size() != before) logged_at.push_back(step);
  }
  // A line for every 30 s (5 steps of 7 s) without a tenth in between; never two at once.
  ASSERT_FALSE(logged_at.empty());
  EXPECT_LE(logged_at.front(), 5);
  for (size_t i = 1; i < logged_at.size(); ++i) EXPECT_LE(logged_at[i] - logged_at[i - 1], 5);
  EXPECT_LE(logged_at.size(), 100u / 4);
}

TEST(Progress, FinishIsFinal) {
  FakeTerminal term(false);
  nn::ProgressBar bar(3, "", term.options);
  bar.update(3, 0.25);
  term.now = 5.0;
  bar.finish();
  const std::string once = term.out.str();
  bar.update(3, 0.5);
  bar.finish();
  EXPECT_EQ(term.out.str(), once);
  EXPECT_EQ(lines_of(once).size(), 1u);
  EXPECT_NE(once.find("loss 0.25"), std::string::npos);
}

TEST(Progress, LeavingEarlyEndsTheLineWithoutSayingDone) {
  FakeTerminal terminal(true);
  FakeTerminal log(false);
  {
    nn::ProgressBar on_terminal(100, "", terminal.options);
    nn::ProgressBar in_log(100, "", log.options);
    on_terminal.update(42, 0.5);
    in_log.update(42, 0.5);
  }  // no finish(): as if an exception left the loop
  EXPECT_EQ(terminal.out.str().back(), '\n');
  const auto lines = lines_of(log.out.str());
  EXPECT_NE(lines.back().find("42/100"), std::string::npos);  // the log says where it stopped
  EXPECT_EQ(lines.back().find(" in "), std::string::npos);
}

TEST(Progress, RealClockByDefault) {
  std::ostringstream out;
  nn::ProgressBar bar(3, "real", {.stream = &out});
  for (int64_t step = 1; step <= 3; ++step) bar.update(step, 0.1);
  bar.finish();
  EXPECT_EQ(out.str().find('\r'), std::string::npos);  // a string stream is not a terminal
  EXPECT_NE(out.str().find("real [" + std::string(30, '=') + "]  3/3  100%"), std::string::npos) << out.str();
}

TEST(Progress, RejectsAnEmptyRun) {
  testing::expect_error<std::invalid_argument>([] { nn::ProgressBar bar(0, "x"); }, "total must be positive");
}

}  // namespace
}  // namespace nabla
