#pragma once
// A resolved sweep: the base scenario, every point's values and scenario,
// and the tasks, one per (point, replicate), numbered point-major:
//   task = point * replicates + replicate.
// The plan's hash identifies everything that determines the task files
// (program version, base scenario values, parameters, design, replicates,
// seed rule); a sweep folder refuses to mix tasks of plans with different
// hashes.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/model/description.hpp"
#include "sim/sweep/design.hpp"
#include "sim/sweep/spec.hpp"

namespace sim::sweep {

// The most tasks (points x replicates) a plan may have. Planning and the
// sweep folder hold every point and every task in memory at once (the design,
// plan.h5's task table, the index's status and results: `sweep plan -o
// --no-trial` of 1,000,000 tasks peaked at 194 MB, about 190 bytes a task),
// and each task is a file under tasks/; past this bound a sweep is refused
// before anything is generated, with its count.
inline constexpr std::uint64_t kMaxPlanTasks = 1'000'000;

struct Task {
  std::uint64_t index = 0;
  std::uint64_t point = 0;
  std::uint32_t replicate = 0;
  std::uint64_t seed = 0;
};

class Plan {
 public:
  // Loads the base scenario and builds and checks the scenario of every point
  // (Scenario::set of every varied key, so a value out of range is reported
  // with the point and the file:line:col it came from). The schema and the
  // model must outlive the plan. A sweep of more than kMaxPlanTasks tasks is
  // refused (Error(invalid_input)) before its points are made.
  Plan(const ModelDescription& model, const scenario::Schema& schema, SweepSpec spec);

  const SweepSpec& spec() const { return spec_; }
  const DesignPoints& design() const { return design_; }
  const scenario::Scenario& base() const { return base_; }
  std::size_t points() const { return design_.points; }
  std::size_t tasks() const { return design_.points * spec_.replicates; }
  Task task(std::uint64_t index) const;
  std::uint64_t seed_of(std::uint64_t point) const;
  // The scenario of a point: base, fixed keys, the point's values, its seed.
  scenario::Scenario scenario_for(std::uint64_t point) const;
  // Months each point runs (run.months of its scenario), for estimates.
  std::int64_t months_of(std::uint64_t point) const;

  // The resolved sweep as text, and its SHA-256 ("sha256:<hex>").
  const std::string& resolved() const { return resolved_; }
  const std::string& hash() const { return hash_; }
  // "engine 0.1.0, model transition 0.2.0": part of the hash.
  const std::string& program() const { return program_; }

 private:
  SweepSpec spec_;
  scenario::Scenario base_;
  DesignPoints design_;
  std::vector<std::int64_t> months_;
  std::string resolved_;
  std::string hash_;
  std::string program_;
};

}  // namespace sim::sweep
