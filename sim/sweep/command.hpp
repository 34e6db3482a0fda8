#pragma once
// `ruralsim sweep plan|run|collect|slurm`: batch parameter sweeps
// (docs/sweeps.md).
#include "sim/cli/app.hpp"

namespace sim::sweep {

void add_sweep_command(cli::App& app);

}  // namespace sim::sweep
