#pragma once
// The HDF5 recorder: one file per run, written by a single writer thread.
//
// The simulation thread hands over each step's StepRecord (and, on panel
// steps, a gathered copy of the sampled household rows) through a bounded
// queue; the writer appends them to chunked, shuffled and gzip-compressed
// datasets that grow by one step at a time, so a run is never held whole in
// memory. The file is made as NAME.partial.new, appears as NAME.partial once
// its first year is on disk, and is renamed to NAME only when complete, with
// the attribute complete=1; an interrupted or failed run leaves NAME.partial
// with complete=0 and a status attribute saying why. A run killed at any
// moment leaves a NAME.partial whose datasets read back up to steps_written
// (recorder.cpp says how), or none.
//
// Layout (docs/output.md):
//   /                      attributes: metadata of the run (RunMetadata),
//                          the model description as JSON (model_description)
//   /time/{step,year,month}                 [T]
//   /<level>/<indicator>                    [T, groups]   per level of OutputSpec
//   /static/<table>/<column>                [n]           written once
//   /panel/<column>                         [S, samples]  every `every` steps
//   /panel/agent_id [samples], /panel/step [S]
//   /events/{step,agent,kind}               [E]
// Every dataset carries `units` and `description` attributes; indicators add
// `yearly` (and `formula` for derived ones).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/columns.hpp"
#include "sim/core/record.hpp"
#include "sim/io/h5.hpp"

namespace sim::io {

struct RunMetadata {
  std::string model;
  std::string model_version;
  std::string model_description;  // JSON (sim/model/description_text.hpp)
  std::string engine_version;
  std::string git_commit;
  std::string scenario_name;
  std::string scenario_source;
  std::string scenario_yaml;  // the resolved scenario, every key
  std::uint64_t seed = 0;
  std::uint32_t replicate = 0;
  int threads = 1;
  std::uint32_t steps = 0;
  int start_year = 0;
  int start_month = 1;
  std::string command_line;
  std::string started_at;  // ISO 8601 UTC
};

struct PanelSpec {
  const AgentTable* table = nullptr;   // e.g. households
  std::vector<std::uint32_t> agents;   // sampled agent ids, ascending
  std::uint32_t every = 12;            // record after steps every-1, 2*every-1, ...
  std::vector<std::string> columns;    // empty: every numeric column of the table
};

struct RecorderOptions {
  bool force = false;            // replace an existing NAME (never silently)
  std::size_t queue_capacity = 4;
  int gzip_level = 4;
};

class Recorder {
 public:
  // Creates NAME.partial.new (refusing if NAME exists and !force: Error(output_exists)).
  Recorder(std::filesystem::path path, const OutputSpec& spec, const RunMetadata& meta, RecorderOptions options = {});
  ~Recorder();  // if finish() was not called: closes the file as incomplete
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Writes /static/<name>/<column> for every column of `table` (strings
  // too), or for the given columns (all of one length) of agents of `kind`.
  void write_table(const std::string& name, const AgentTable& table);
  void write_table(const std::string& name, const std::string& kind, const std::vector<const ColumnRef*>& columns);
  void set_panel(PanelSpec panel);

  // Queues one step. Gathers panel rows on the calling thread when this is a
  // panel step, since the state changes once the call returns. Rethrows a
  // writer-thread error.
  void push(const StepRecord& record);
  // As push(), for a step replayed from a checkpoint: on a panel step,
  // `panel` holds the sampled rows (one buffer per panel_columns() entry,
  // in the columns' own types) that the run had recorded.
  void replay(const StepRecord& record, std::vector<std::vector<unsigned char>> panel);
  std::vector<std::string> panel_columns() const;  // empty without a panel

  // Writes the output so far (time, every level, events, panel: the rows of
  // every step pushed) as plain datasets into a group of another open file.
  using HistoryCopy = std::function<void(hid_t group)>;
  // Runs `job` with that copier on the writer thread once every step pushed
  // so far is written, and waits for it, so that HDF5 is never called from
  // two threads: how a checkpoint is written. Rethrows job's error.
  void with_history(const std::function<void(const HistoryCopy&)>& job);

  // Drains the queue, writes end metadata, sets complete=1 and renames to NAME.
  void finish(const std::string& ended_at);
  // Drains and closes as incomplete with status `why` (e.g. "interrupted"),
  // keeping NAME.partial. Also called by the destructor with "aborted".
  // Throws a writer error that push() has not reported yet.
  void abandon(const std::string& why, const std::string& ended_at);

  const std::filesystem::path& path() const;          // final name
  const std::filesystem::path& partial_path() const;  // NAME.partial

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A short human-readable summary of an output file for `ruralsim info`:
// metadata, completeness, every dataset with shape and units, and the last
// step's values of level 0. Throws Error(io/invalid_input).
std::string describe_file(const std::string& path);

// A hash of the contents of every dataset (names, shapes and bytes) and of the
// attributes that do not record wall-clock time or thread count, so that two
// runs that must be identical can be compared with one value. With
// HashScope::data only the datasets count (path, type, shape, values): two
// builds that compute the same numbers agree even if their metadata (commit,
// descriptions, added attributes) differs.
enum class HashScope { everything, data };
std::string content_hash(const std::string& path, HashScope scope = HashScope::everything);

}  // namespace sim::io
