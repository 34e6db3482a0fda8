#include "sim/cli/progress.hpp"

#include <unistd.h>

#include <string>

namespace sim::cli {

Progress::Progress(bool enabled)
    : enabled_(enabled), terminal_(isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()) {}

void Progress::operator()(const StepRecord& r) {
  if (!enabled_) return;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const unsigned done = r.info.step + 1;
  const double remaining = elapsed / done * (r.info.steps - done);
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

void Progress::done() {
  if (enabled_ && terminal_) std::fprintf(stderr, "\n");
}

}  // namespace sim::cli
