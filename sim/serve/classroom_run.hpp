#pragma once
// One student's run in the classroom: a Simulation stepped by its own thread
// on request (set up, go, step, pause, reset), each month kept as the message
// the page receives and as numbers for the CSV download.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sim/core/record.hpp"
#include "sim/model/description.hpp"
#include "sim/model/yearly.hpp"
#include "sim/serve/levers.hpp"

namespace sim {
class Simulation;
}

namespace sim::serve {

// What every month's message carries: the same for all runs of the model.
struct MonthLayout {
  std::vector<std::string> total;        // level 0's indicators, in record order
  std::size_t map_level = 0;             // index among the recorded levels
  std::vector<std::string> map_level_indicators;  // all indicators of that level, in record order
  std::vector<std::size_t> map_indices;  // the map's indicators among them
  std::vector<std::string> map_names;    // and their names
  std::vector<std::string> area_names;   // one per group of the map level
};

class ClassroomRun {
 public:
  enum class State { idle, setting_up, ready, running, paused, done, failed };
  using Clock = std::chrono::steady_clock;

  ClassroomRun(std::string id, std::string label, const ModelDescription& model, const Levers& levers,
               const MonthLayout& layout, Choice choice, std::filesystem::path folder);
  ~ClassroomRun();  // stops the thread; removes the run's files
  ClassroomRun(const ClassroomRun&) = delete;
  ClassroomRun& operator=(const ClassroomRun&) = delete;

  const std::string& id() const { return id_; }
  const std::string& label() const { return label_; }
  // "setup", "go", "step", "pause", "reset" or "speed"; `choice` (levers,
  // scale, seed) only with setup and reset. Throws BadRequest(400/409).
  void control(const std::string& action, const std::optional<Choice>& choice, std::optional<int> speed_ms);
  std::string status_json() const;
  Choice choice() const;  // the levers, scale and seed the run is (or will be) set up with

  // Server-sent events after `cursor`, waiting up to `wait` for something new;
  // empty when nothing came. Each stream keeps its own cursor.
  struct Cursor {
    std::size_t next = 0;  // the next month to send
    std::uint64_t generation = UINT64_MAX, version = UINT64_MAX, state_version = UINT64_MAX;
  };
  std::string events(Cursor& cursor, std::chrono::milliseconds wait, const std::atomic<bool>& closing);

  // The months so far as CSV: the whole, then each area, one row per month.
  std::string csv() const;
  // The run's HDF5 output once it is done; throws BadRequest(409) before.
  std::filesystem::path output() const;

  Clock::time_point last_active() const;
  void touch();
  int listeners() const { return listeners_.load(); }
  std::atomic<int>& listener_count() { return listeners_; }

 private:
  void work();
  // A month's message; at a year's end it also carries the year's values by
  // each indicator's yearly rule (what `ruralsim run` and `compare` print).
  std::string month_json(const StepRecord& r);
  static const char* name(State s);

  const std::string id_, label_;
  const ModelDescription& model_;
  const Levers& levers_;
  const MonthLayout& layout_;
  const std::filesystem::path folder_;

  mutable std::mutex m_;
  std::condition_variable cv_;
  Choice choice_;
  State state_ = State::idle;
  std::string error_;
  int speed_ms_ = 100;
  bool want_setup_ = false, going_ = false, reset_ = false, closing_ = false;
  // A month is being computed (the lock is released meanwhile): a pause then waits for it to end,
  // so that a run said to be paused sends no further month.
  bool in_month_ = false;
  int steps_wanted_ = 0;
  std::uint32_t steps_ = 0;
  std::uint64_t generation_ = 0, version_ = 0, state_version_ = 0;
  std::vector<std::string> messages_;                    // one per month
  std::vector<std::vector<double>> totals_, areas_;      // per month: level 0, map level (indicator-major)
  std::vector<StepInfo> infos_;
  std::filesystem::path output_;                         // set when done
  std::optional<LevelSeries> whole_, map_series_;        // the worker's: the months so far, for yearly values
  Clock::time_point last_active_ = Clock::now();
  std::atomic<int> listeners_{0};
  std::thread worker_;
};

}  // namespace sim::serve
