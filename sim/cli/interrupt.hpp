#pragma once
// Graceful interruption shared by every long-running command: the first
// SIGINT/SIGTERM sets a flag that runs check between steps (partial output is
// kept and marked); a second one ends the process at once.
#include <atomic>

namespace sim::cli {

// Installs the handlers (once is enough; again is harmless) and returns the
// flag to pass as RunOptions::stop and the like.
const std::atomic<bool>& catch_interrupts();

}  // namespace sim::cli
