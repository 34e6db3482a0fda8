#pragma once
// What a run of a scenario will need, estimated from the numbers of
// households, villages and counties its population section implies, before
// any agent exists: the resident memory (agent columns from their declared
// types, the set-up's and the steps' transient buffers, the output) and, from
// the measured figures of bench/README.md, the time on the reference machine.
// The population generator refuses a run that cannot fit in the memory this
// process may use (sim/core/memory_limit.hpp) and notes a large one on stderr.
#include <cstddef>
#include <string>

#include "models/transition/params.hpp"
#include "sim/core/memory_limit.hpp"

namespace transition {

struct RunEstimate {
  double households = 0, villages = 0, counties = 0;
  double state_bytes = 0;       // agent columns (households, villages, counties)
  double peak_bytes = 0;        // peak resident memory of the whole run, output included
  bool copies_state = false;    // the calibration fits in a copy of the starting state (keys shaping 2020 differ)
  // Wall time on 2 cores of the reference machine (bench/README.md): set-up,
  // and each simulated month with the output written.
  double setup_seconds = 0, seconds_per_month = 0;
};

// Runs estimated above this many bytes are noted on stderr before set-up.
inline constexpr double kLargeRunBytes = 2.0 * 1024 * 1024 * 1024;

// The estimate for the parameters `p` with `counties` counties (the rows of
// the county file).
RunEstimate estimate_run(const Params& p, std::size_t counties);

// Throws sim::Error(invalid_input) naming the estimate, the limit and the
// keys to change when the estimate exceeds what `limit` leaves usable;
// otherwise returns the one-line note for a run estimated above
// kLargeRunBytes, or "" for a smaller one.
std::string check_run_memory(const Params& p, std::size_t counties, const sim::MemoryLimit& limit);

}  // namespace transition
