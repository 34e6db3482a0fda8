#pragma once
// Progress of a run on stderr: a redrawn bar on a terminal, plain lines (one
// per simulated year) when stderr is a file or pipe, so logs stay readable.
#include <chrono>
#include <cstdio>

#include "sim/core/record.hpp"

namespace sim::cli {

class Progress {
 public:
  explicit Progress(bool enabled);
  void operator()(const StepRecord& record);
  void done();

 private:
  bool enabled_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace sim::cli
