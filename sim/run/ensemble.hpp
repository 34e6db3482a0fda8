#pragma once
// Replicate ensembles: one scenario run with several replicate indices, each
// to its own HDF5 file, plus an index (ensemble.json) naming them. Replicate k
// uses the same random streams in every scenario with the same seed (common
// random numbers), so differences between scenarios are paired.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "sim/run/simulation.hpp"

namespace sim {

struct EnsembleOptions {
  std::filesystem::path directory;       // created if missing
  std::vector<std::uint32_t> replicates;  // replicate indices to run
  int jobs = 0;                           // replicates run at once (0: as many as cores, at most all)
  int threads = 0;                        // worker threads shared by all replicates (0: all cores)
  bool force = false;
  std::string command_line;
  const std::atomic<bool>* stop = nullptr;
  // Checkpoints of every replicate (RunOptions), and where replicate k
  // continues from (empty function or path: from the start).
  std::uint32_t checkpoint_every = 0;
  bool keep_checkpoints = false;
  std::function<std::filesystem::path(std::uint32_t replicate)> resume_from;
  // Called (from any thread, serialised) when a replicate finishes or fails.
  std::function<void(std::uint32_t replicate, const std::string& status, const std::string& detail)> on_done;
};

struct EnsembleMember {
  std::uint32_t replicate = 0;
  std::filesystem::path file;
  std::string status;  // complete, interrupted, failed
  std::string error;
  double seconds = 0;
};

struct EnsembleResult {
  std::filesystem::path index;
  std::vector<EnsembleMember> members;
  bool all_complete() const;
};

// Name of replicate k's file inside an ensemble directory.
std::string replicate_file_name(const std::string& scenario, std::uint32_t replicate);

EnsembleResult run_ensemble(const ModelDescription& model, const scenario::Scenario& scenario,
                            const EnsembleOptions& options);

}  // namespace sim
