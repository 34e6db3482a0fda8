#pragma once
// Checkpoint files: the whole state of a run after some step, to continue it
// exactly (`run --restart`) or to branch another scenario from it
// (`run SCENARIO --from`). One HDF5 file (docs/output.md, "Checkpoints"):
//   /                  attributes: format "ruralsim checkpoint", format_version,
//                      model, model_version, engine_version, git_commit, the
//                      scenario (name, source, resolved YAML), seed, replicate,
//                      step (steps run), steps, start_year, start_month,
//                      output, command_line, created_at
//   /tables/<kind>/<column>   every numeric column of every agent table
//   /model/<name>             the model's own state (ModelState), as bytes
//   /history/...              the output so far: /history/time/{step,year,month},
//                             /history/<level>/<indicator> [steps, groups],
//                             /history/events/{step,agent,kind},
//                             /history/panel/{step,<column>}
// Random numbers need no state: streams are keyed by the step.
// Written as NAME.new (created exclusively, never through a link), synced
// and renamed over NAME: a kill at any moment leaves the previous
// checkpoint or the new one, whole.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/core/columns.hpp"
#include "sim/core/record.hpp"
#include "sim/io/recorder.hpp"
#include "sim/model/instance.hpp"

namespace sim::io {

inline constexpr const char* kCheckpointFormat = "ruralsim checkpoint";
inline constexpr int kCheckpointFormatVersion = 1;

struct CheckpointHeader {
  int format_version = kCheckpointFormatVersion;
  std::string model, model_version, engine_version, git_commit;
  std::string scenario_name, scenario_source, scenario_yaml;
  std::uint64_t seed = 0;
  std::uint32_t replicate = 0;
  std::uint32_t step = 0;   // steps run: the run continues with this step
  std::uint32_t steps = 0;  // the run's length
  int start_year = 0, start_month = 1;
  std::string output;       // the run's output file, absolute
  std::string command_line, created_at;
};

// Writes the checkpoint through the recorder's writer thread (the recorder
// copies the output so far). `tables` are read while the caller waits.
void write_checkpoint(const std::filesystem::path& path, const CheckpointHeader& header,
                      const std::vector<const AgentTable*>& tables, const ModelState& model_state, Recorder& recorder,
                      int gzip_level);

// The header of a checkpoint; throws Error(invalid_input) for a file that
// is not a checkpoint or is of another format version, Error(io) if it
// cannot be read.
CheckpointHeader read_checkpoint_header(const std::string& path);

// Overwrites every numeric column of `tables` and fills `model_state`;
// throws Error(invalid_input) naming what does not match (a table of
// another size, a missing column).
void read_checkpoint_state(const std::string& path, const std::vector<AgentTable*>& tables, ModelState& model_state);

// The output of the steps before the checkpoint, to be replayed into a new
// output file.
struct CheckpointHistory {
  std::uint32_t steps = 0;
  std::vector<std::vector<std::vector<double>>> levels;  // [level][indicator]: steps x groups values
  std::vector<std::uint32_t> event_step, event_agent;
  std::vector<std::uint16_t> event_kind;
  std::vector<std::uint32_t> panel_step;
  std::vector<std::vector<unsigned char>> panel;  // per panel column: snapshots x samples, native bytes
};
struct PanelColumnType {
  std::string name;
  DType type;
};
CheckpointHistory read_checkpoint_history(const std::string& path, const OutputSpec& spec,
                                          const std::vector<PanelColumnType>& panel_columns);

}  // namespace sim::io
