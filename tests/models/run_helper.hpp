#pragma once
// Shared helper of the mechanism tests: runs the transition model in-process
// (no output file) for a scenario plus `--set` overrides, and keeps what the
// tests compare: yearly values per indicator at the total and county levels
// (by the engine's yearly aggregator, as `compare` and `sweep collect` read
// them), the events with their dates, and a digest of every step's complete
// record (all levels and events) for exact common-random-number comparisons.
//
// Runs are cached per process, keyed by scenario + overrides + replicate: the
// model tests run as one program (one CTest test), so a baseline shared by
// several tests is run once per test run.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/transition/events.hpp"
#include "models/transition/transition_model.hpp"
#include "sim/core/record.hpp"
#include "sim/model/yearly.hpp"
#include "sim/scenario/scenario.hpp"

namespace models_test {

// Scale used by most mechanism tests: 1 % of the population (about 100,000
// households, 300 villages); a 60-month run takes about a second on 2 cores.
inline constexpr const char* kScale = "population.scale=0.01";

struct DatedEvent {
  int year = 0;
  int month = 0;
  std::uint32_t agent = 0;
  std::uint16_t kind = 0;
};

struct RunData {
  std::string key;  // what was run, for messages
  std::uint64_t seed = 0;
  std::uint32_t replicate = 0;
  int first_year = 0;
  std::vector<int> years;  // calendar years the run covered
  std::size_t counties = 0;
  // Monthly values of the total and county levels.
  sim::LevelSeries total_series, county_series;
  // One digest per step over every value of every level and every event.
  std::vector<std::uint64_t> step_digest;
  std::vector<DatedEvent> events;

  // Yearly value of a total-level indicator; throws on an unknown name or year.
  double total(const std::string& indicator, int year) const;
  // Sum of the yearly values over [from, to].
  double total_sum(const std::string& indicator, int from, int to) const;
  double county(const std::string& indicator, int year, std::size_t c) const;
  // Index of the first step of `year` and one past its last step.
  std::size_t first_step(int year) const;
  std::size_t end_step(int year) const;
  // True if every step of [from, to] (years) has the same digest in both runs.
  bool identical_through(const RunData& other, int from, int to) const;
};

// Runs (or returns the cached run of) `scenario` ("withdrawal" for the
// built-in scenarios/withdrawal.yaml) with `overrides`.
const RunData& run(const std::string& scenario, const std::vector<std::string>& overrides = {kScale},
                   std::uint32_t replicate = 0);

// Mean over replicates 0..n-1 of the yearly total of `indicator` summed over
// [from, to]: cuts the noise of single small-scale runs.
double mean_total_sum(const std::string& scenario, const std::vector<std::string>& overrides,
                      const std::string& indicator, int from, int to, std::uint32_t replicates);

// The scenario as sim::run sees it (for building a TransitionModel directly).
sim::scenario::Scenario load(const std::string& scenario, const std::vector<std::string>& overrides);

// The generated population (and everything else the constructor builds) of
// one replicate; the same population sim::run starts from.
std::unique_ptr<transition::TransitionModel> build_model(const std::string& scenario,
                                                         const std::vector<std::string>& overrides,
                                                         std::uint32_t replicate = 0);

// Records a measured value as a property of the running test (it appears in
// the --gtest_output=xml report), so the numbers behind each range can be
// read off any CI run.
void record(const std::string& name, double value);

}  // namespace models_test
