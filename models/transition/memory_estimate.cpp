#include "models/transition/memory_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "models/transition/state.hpp"
#include "sim/core/error.hpp"
#include "sim/scenario/format.hpp"

namespace transition {

namespace {

// Measured peak resident memory (/usr/bin/time -v) of `ruralsim run ... -o
// FILE` on 2 threads, 60 months, output written: 236,440 kB at
// population.scale=0.1 (1 million households, 3,043 villages and sites),
// 458,204 kB at 3 million households in 3,043 villages (scale 0.1,
// population.households=3e7), 502,436 kB at scale 0.3 (9,043) and
// 1,351,672 kB at scale 1.0 (10 million, 30,043), fitted by least squares
// (within 4 %) as
//   steps:  fixed + households x (agent state + extra) + villages x per_village.
// The extra per household is the year-end inequality's sorted incomes and
// merges, the labour rounds' scratch and what the allocator keeps; per
// village: its records, the writer's chunk caches of the village datasets and
// the step's per-village scratch. The set-up peaks apart, at
//   set-up: setup_fixed + households x (agent state x (1 or 2) + setup_extra):
// the calibration's 2020 incomes and productivity (about 14 bytes a
// household), and a whole second copy of the starting state when the
// calibration fits in a copy (513,544 kB at scale 0.3 with
// labour.migrant_wage=5000 and 1 month, against about 280 MB of set-up
// without). tests/models/memory_estimate_test.cpp holds the estimate to
// these measurements. Resident memory grows through a run (at scale 0.02
// over 240 months, steadily from about 68 to 165 MB), so a run much longer
// than 60 months may need more than this.
constexpr double kFixedBytes = 125e6;
constexpr double kStepExtraPerHousehold = 32.5;
constexpr double kPerVillage = 5700;
constexpr double kSetupFixedBytes = 30e6;
constexpr double kSetupExtraPerHousehold = 14;
// Measurements vary by a few per cent between runs: the estimate errs on the
// safe side by this much (4-8 % above every measurement above).
constexpr double kMargin = 1.04;

// Reference times (bench/README.md, 2 cores, 10 million households): set-up
// 15.7 s, and 77.5 s for the whole 60-month run with output.
constexpr double kSetupSecondsPerHousehold = 15.7 / 10e6;
constexpr double kSecondsPerHouseholdMonth = (77.5 - 15.7) / 60.0 / 10e6;

template <class Table>
double bytes_per_agent() {
  Table t;
  sim::AgentTable table{"estimate"};
  t.bind(table);
  return static_cast<double>(table.bytes_per_agent());
}

std::string households_text(double n) {
  char buf[64];
  if (n >= 1e6) std::snprintf(buf, sizeof buf, "%.3g million", n / 1e6);
  else std::snprintf(buf, sizeof buf, "%.0f", n);
  return buf;
}

std::string seconds_text(double s) {
  char buf[64];
  if (s < 120) std::snprintf(buf, sizeof buf, "%.0f s", s);
  else if (s < 7200) std::snprintf(buf, sizeof buf, "%.0f min", s / 60);
  else std::snprintf(buf, sizeof buf, "%.1f h", s / 3600);
  return buf;
}

std::string number_text(double v) { return sim::scenario::format_real(v); }

// Peak bytes for `households` and `villages` with the other terms of `e`.
double peak_for(const RunEstimate& e, double households, double villages, double household_bytes) {
  const double steps = kFixedBytes + households * (household_bytes + kStepExtraPerHousehold) + villages * kPerVillage;
  const double setup =
      kSetupFixedBytes + households * (household_bytes * (e.copies_state ? 2.0 : 1.0) + kSetupExtraPerHousehold);
  return kMargin * std::max(steps, setup);
}

}  // namespace

RunEstimate estimate_run(const Params& p, std::size_t counties) {
  const auto& pop = p.population;
  RunEstimate e;
  const double n = static_cast<double>(std::max<std::size_t>(counties, 1));
  e.counties = n;
  // As the generator apportions them: the scaled total, at least one
  // household per county; villages at the scenario's mean size, at least one
  // per county, and a large site in at most one village per county.
  e.households = std::max(std::round(pop.households * pop.scale), n);
  const double mean_village = pop.households / pop.villages;
  e.villages = std::max(std::round(e.households / mean_village), n) + std::min(std::floor(pop.large_sites), n);
  const double household_bytes = bytes_per_agent<Households>();
  e.state_bytes = e.households * household_bytes + e.villages * bytes_per_agent<Villages>() +
                  e.counties * bytes_per_agent<Counties>();
  e.copies_state = !pop.recalibrate && !keys_shaping_2020_that_differ(p, calibration_params(p)).empty();
  e.peak_bytes = peak_for(e, e.households, e.villages, household_bytes);
  e.setup_seconds = kSetupSecondsPerHousehold * e.households;
  e.seconds_per_month = kSecondsPerHouseholdMonth * e.households;
  return e;
}

std::string check_run_memory(const Params& p, std::size_t counties, const sim::MemoryLimit& limit) {
  const RunEstimate e = estimate_run(p, counties);
  const auto& pop = p.population;
  const std::string what = "population.households=" + number_text(pop.households) +
                           " at population.scale=" + number_text(pop.scale) + " (" + households_text(e.households) +
                           " households, " + households_text(e.villages) + " villages)";
  if (e.peak_bytes > limit.usable()) {
    // The most households that fit, villages following them at the
    // scenario's mean size (the estimate grows with households).
    const double household_bytes = bytes_per_agent<Households>();
    const double mean_village = pop.households / pop.villages;
    const double sites = e.villages - std::max(std::round(e.households / mean_village), e.counties);
    double lo = 0, hi = e.households;
    for (int i = 0; i < 64; ++i) {
      const double mid = 0.5 * (lo + hi);
      (peak_for(e, mid, std::max(mid / mean_village, e.counties) + sites, household_bytes) <= limit.usable() ? lo : hi) = mid;
    }
    const double fits = std::floor(lo);
    std::string message = what + " needs about " + sim::format_bytes(e.peak_bytes) + " of memory (" +
                          sim::format_bytes(e.state_bytes) + " of agent state";
    if (e.copies_state) message += ", twice during set-up: the income calibration fits in a copy of it";
    message += "); this process may use " + sim::format_bytes(limit.bytes) + " (" + limit.what;
    if (limit.reserved > 0) message += "; " + sim::format_bytes(limit.reserved) + " of it already reserved";
    message += ")";
    const double scale = std::floor(fits / pop.households * 1e4) / 1e4;  // population.scale moves in steps of 1e-4
    if (fits >= e.counties) {
      message += ": about " + households_text(fits) + " households fit: lower ";
      if (scale >= 1e-4) message += "population.scale to " + number_text(scale) + " or less, or ";
      message += "population.households, or run where more memory is available";
    } else {
      message += ": no population of these counties fits; run where more memory is available";
    }
    throw sim::Error(sim::Status::invalid_input, message);
  }
  if (e.peak_bytes <= kLargeRunBytes) return {};
  std::string note = "note: " + what + ": about " + sim::format_bytes(e.peak_bytes) + " of memory (this process may use " +
                     sim::format_bytes(limit.bytes) + ")";
  note += "; on 2 cores of the reference machine about " + seconds_text(e.setup_seconds) + " of set-up and " +
          seconds_text(60 * e.seconds_per_month) + " for 60 months (bench/README.md)";
  return note;
}

}  // namespace transition
