#pragma once
// Sweeps whose points differ only from some year on (`from_year`): the
// months before it are run once per replicate, from the base scenario, and
// every task of that replicate branches from that run's checkpoint
// (sim/run/branch.hpp) instead of running them again:
//   DIR/shared/r<k>.ckpt    replicate k's checkpoint at December of from_year - 1
// Each task file still holds the whole period (the shared months replayed).
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>

#include "sim/model/description.hpp"
#include "sim/sweep/plan.hpp"
#include "sim/sweep/store.hpp"

namespace sim::sweep {

// Months from the base scenario's start to December of from_year - 1.
std::uint32_t shared_months(const Plan& plan);

// Checks that every point may branch from the shared past: from_year inside
// the run, and no point varying a key that would have changed it. Throws
// Error(invalid_input) at the sweep file's from_year naming the point and
// the keys. Does nothing without from_year.
void check_shared_past(const ModelDescription& model, const Plan& plan);

std::filesystem::path shared_checkpoint(const Layout& layout, std::uint32_t replicate);

// The checkpoint of `replicate`, made first if no shard or job has made it
// yet (a run of the base scenario written under a unique name and renamed
// into place, so that shards that race make identical copies). Empty if
// `stop` ended that run first.
std::filesystem::path ensure_shared_past(const ModelDescription& model, const Plan& plan, const Layout& layout,
                                         std::uint32_t replicate, int threads, const std::atomic<bool>* stop,
                                         const std::string& command_line);

}  // namespace sim::sweep
