#pragma once
// Progress of a run on stderr: first the set-up (building the model and the
// output file), its own phase, with its elapsed time; then the steps, a
// redrawn bar on a terminal, plain lines (one per simulated year) when stderr
// is a file or pipe, so logs stay readable. The estimate of the time left
// counts stepping alone.
#include <atomic>
#include <chrono>
#include <cstdio>
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
  void setup_done();
  void operator()(const StepRecord& record);
  void done();

 private:
  void stop_ticker();

  bool enabled_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_, stepping_;
  std::atomic<bool> in_setup_{true};
  std::thread ticker_;  // redraws the set-up's elapsed time on a terminal
};

}  // namespace sim::cli
