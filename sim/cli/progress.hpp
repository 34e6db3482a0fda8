#pragma once
// Progress of a run on stderr: first the set-up (building the model and the
// output file), its own phase, with its elapsed time; then the steps, a
// redrawn bar on a terminal, plain lines (one per simulated year) when stderr
// is a file or pipe, so logs stay readable. The estimate of the time left
// counts stepping alone.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>

#include "sim/core/record.hpp"

namespace sim::cli {

class Progress {
 public:
  explicit Progress(bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // The set-up has ended and stepping starts (RunOptions::on_start).
  // `resumed` steps came from a checkpoint: the estimate counts the rest.
  void setup_done(std::uint32_t resumed = 0);
  void operator()(const StepRecord& record);
  // A line of its own between the redrawn bars (e.g. "checkpoint: PATH").
  void note(const std::string& line);
  void done();

 private:
  void stop_ticker();

  bool enabled_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_, stepping_;
  std::atomic<bool> in_setup_{true};
  std::uint32_t resumed_ = 0;
  std::thread ticker_;  // redraws the set-up's elapsed time on a terminal
};

}  // namespace sim::cli
