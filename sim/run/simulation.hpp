#pragma once
// Runs one model instance for one scenario: the engine's own scenario keys,
// thread control, the step loop, observers and the recorder.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/record.hpp"
#include "sim/model/description.hpp"
#include "sim/scenario/scenario.hpp"

namespace sim {

// The engine's keys (run.*, output.*), with the model's calendar as their
// defaults, plus the model's.
scenario::Schema full_schema(const ModelDescription& model);

using StepObserver = std::function<void(const StepRecord&)>;

struct RunOptions {
  std::filesystem::path output;      // empty: run without writing a file
  bool force = false;                // replace an existing output
  int threads = 0;                   // 0: all available cores
  std::uint32_t replicate = 0;
  std::string command_line;          // recorded in the output
  std::vector<StepObserver> observers;
  // Called once before the first step with the layout of the records the
  // observers will see (levels, their indicators, event kinds).
  std::function<void(const OutputSpec&)> on_start;
  const std::atomic<bool>* stop = nullptr;  // set from a signal handler to stop between steps

  // Checkpoints (sim/io/checkpoint.hpp), written next to the output as
  // checkpoint_path(output, year, month): after every `checkpoint_every`
  // steps (0: never), replacing the previous one unless `keep_checkpoints`;
  // and, with `checkpoint_on_stop`, once more when `stop` ends the run early
  // (a pre-empted job). Need an output file.
  std::uint32_t checkpoint_every = 0;
  bool keep_checkpoints = false;
  bool checkpoint_on_stop = false;
  std::function<void(const std::filesystem::path&)> on_checkpoint;  // after each is written
  // Continue from a checkpoint: its state, and its output so far replayed
  // into `output`. The scenario is the checkpoint's own (a restart, giving
  // the uninterrupted run's output bit for bit) or one that differs only in
  // what leaves the past unchanged (a branch; sim/run/branch.hpp), else
  // Error(invalid_input) names the keys.
  std::filesystem::path resume_from;
};

// Where a run writing `output` keeps its checkpoint after the step of
// `year`-`month`: "runs/a.h5" -> "runs/a.2022-12.ckpt".
std::filesystem::path checkpoint_path(const std::filesystem::path& output, int year, int month);

struct PhaseTiming {
  std::string name;
  double seconds = 0.0;
};

struct RunResult {
  bool complete = false;
  std::uint32_t steps_run = 0;
  std::uint32_t steps = 0;
  int threads = 0;
  double seconds = 0.0;            // whole run including set-up and output
  double setup_seconds = 0.0;      // building the agents
  std::filesystem::path output;    // final file, or the .partial file if incomplete
  std::uint32_t resumed_at = 0;    // steps taken from a checkpoint (0: none)
  std::filesystem::path checkpoint;  // the last checkpoint written, if any
  std::vector<PhaseTiming> phases;
  std::vector<std::pair<std::string, std::size_t>> agents;  // kind, count
  std::size_t state_bytes = 0;     // resident bytes of all agent columns
  // The model's key indicators at level 0, year by year as the yearly
  // aggregator reads them (the table printed after a run).
  struct SummaryRow {
    std::string name;
    std::string unit;            // the yearly unit
    std::string format;          // the indicator's display format
    std::vector<double> values;  // one per entry of summary_years
  };
  std::string summary_level;     // level 0's label
  std::vector<int> summary_years;
  std::vector<bool> summary_full_years;  // false for a year the run covers only in part
  std::vector<SummaryRow> summary;
};

RunResult run(const ModelDescription& model, const scenario::Scenario& scenario, const RunOptions& options);

// A run taken one step at a time (the classroom server steps it on request;
// run() steps it to the end): set-up in the constructor, then step() until
// done(), then finish(). Not thread-safe: one caller steps it. Its steps use
// at most `options.threads` worker threads while a step runs.
class Simulation {
 public:
  Simulation(const ModelDescription& model, const scenario::Scenario& scenario, const RunOptions& options);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  const OutputSpec& spec() const;
  std::uint32_t steps() const { return result_.steps; }
  std::uint32_t steps_run() const { return result_.steps_run; }
  bool done() const { return result_.steps_run == result_.steps; }
  // Runs the next step and returns its complete record (valid until the
  // next step).
  const StepRecord& step();
  // Ends the run: the output file is finished (complete) or kept as partial.
  RunResult finish();
  // The instance's tables, for reading agent state between steps.
  std::vector<const AgentTable*> tables() const;
  // Writes a checkpoint of the state after the steps run so far (see
  // RunOptions) and returns its path. Needs an output file.
  std::filesystem::path checkpoint();
  std::uint32_t checkpointed_steps() const;  // steps covered by the last checkpoint written or resumed from

 private:
  struct State;
  std::unique_ptr<State> s_;
  RunResult result_;
};

// ISO 8601 UTC timestamp of the current time, e.g. "2026-11-29T03:40:44Z".
std::string utc_now();

}  // namespace sim
