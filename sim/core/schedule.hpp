#pragma once
// The step as data: an ordered list of named phases. Each phase says what it
// runs over (once, each group of a hierarchy level, or blocks of agents) and
// when it is active (every month, or on a calendar condition); the engine runs
// the phases in order, each one in parallel over its items, and times them.
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "sim/core/calendar.hpp"
#include "sim/core/parallel.hpp"

namespace sim {

struct Phase {
  enum class Over { once, each_index, blocks };
  std::string name;
  Over over = Over::once;
  std::size_t count = 0;        // items for each_index / blocks
  std::size_t grain = kDefaultGrain;
  std::function<bool(const StepInfo&)> active;  // empty: every step
  std::function<void(const StepInfo&)> run_once;
  std::function<void(std::size_t, const StepInfo&)> run_index;
  std::function<void(Range, const StepInfo&)> run_block;
  double seconds = 0.0;         // accumulated wall time
};

class Schedule {
 public:
  // A phase run once per step on the calling thread (it may start its own
  // parallel loops).
  Schedule& once(std::string name, std::function<void(const StepInfo&)> body,
                 std::function<bool(const StepInfo&)> active = {});
  // A phase run for each index in [0, count) in parallel: groups such as
  // counties or villages, each processed whole by one task.
  Schedule& each(std::string name, std::size_t count, std::function<void(std::size_t, const StepInfo&)> body,
                 std::function<bool(const StepInfo&)> active = {});
  // A phase over [0, count) cut into fixed blocks of `grain` agents.
  Schedule& blocks(std::string name, std::size_t count, std::function<void(Range, const StepInfo&)> body,
                   std::size_t grain = kDefaultGrain, std::function<bool(const StepInfo&)> active = {});

  void run_step(const StepInfo& info);
  const std::vector<Phase>& phases() const { return phases_; }

 private:
  std::vector<Phase> phases_;
};

// Calendar conditions for Phase::active.
inline bool every_month(const StepInfo&) { return true; }
inline bool at_year_start(const StepInfo& s) { return s.year_start(); }
inline bool at_year_end(const StepInfo& s) { return s.year_end(); }

}  // namespace sim
