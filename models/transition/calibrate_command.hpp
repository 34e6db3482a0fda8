#pragma once
// `ruralsim calibrate [SCENARIO]`: builds the population of a scenario and
// prints each calibration target (docs/ODD.md, section 1) with the generated
// value and the relative error.
#include "sim/cli/app.hpp"

namespace transition {

void add_calibrate_command(sim::cli::App& app);

}  // namespace transition
