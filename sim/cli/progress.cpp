#include "sim/cli/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <string>

namespace sim::cli {

namespace {
double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}
}  // namespace

Progress::Progress(bool enabled)
    : enabled_(enabled), terminal_(isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()),
      stepping_(start_) {
  if (!enabled_) return;
  if (!terminal_) {
    std::fprintf(stderr, "set-up: building the model and the output file\n");
    return;
  }
  ticker_ = std::thread([this] {
    while (in_setup_.load()) {
      std::fprintf(stderr, "\rset-up: building the model and the output file  %.1f s ", seconds_since(start_));
      std::fflush(stderr);
      for (int i = 0; i < 5 && in_setup_.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
}

Progress::~Progress() { stop_ticker(); }

void Progress::stop_ticker() {
  in_setup_.store(false);
  if (ticker_.joinable()) ticker_.join();
}

void Progress::setup_done(std::uint32_t resumed) {
  resumed_ = resumed;
  stop_ticker();
  stepping_ = std::chrono::steady_clock::now();
  if (enabled_) std::fprintf(stderr, "%sset-up: done in %.1f s\n", terminal_ ? "\r" : "", seconds_since(start_));
}

void Progress::operator()(const StepRecord& r) {
  if (!enabled_) return;
  const double elapsed = seconds_since(start_);
  const double stepping = seconds_since(stepping_);
  const unsigned done = r.info.step + 1;
  const double remaining = stepping / std::max(1u, done - std::min(done, resumed_)) * (r.info.steps - done);
  if (terminal_) {
    constexpr int width = 30;
    const int filled = static_cast<int>(width * done / r.info.steps);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(width - filled), '-');
    std::fprintf(stderr, "\r[%s] step %u/%u  %04d-%02d  elapsed %.1f s  remaining %.1f s ", bar.c_str(), done,
                 r.info.steps, r.info.year, r.info.month, elapsed, remaining);
  } else if (r.info.year_end()) {
    std::fprintf(stderr, "step %u/%u  %04d-%02d  elapsed %.1f s  remaining %.1f s\n", done, r.info.steps,
                 r.info.year, r.info.month, elapsed, remaining);
  }
  std::fflush(stderr);
}

void Progress::note(const std::string& line) {
  if (!enabled_) return;
  std::fprintf(stderr, "%s%s\n", terminal_ ? "\r\033[K" : "", line.c_str());
  std::fflush(stderr);
}

void Progress::done() {
  stop_ticker();
  if (enabled_ && terminal_) std::fprintf(stderr, "\n");
}

}  // namespace sim::cli
