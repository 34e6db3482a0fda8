#pragma once
// A sweep file: which scenario keys vary, over what values or ranges, by
// which design, with how many replicates. Checked as strictly as a scenario
// (docs/sweeps.md): a schema of its own (sweep_schema()), unknown keys with
// "did you mean", duplicate keys refused, every complaint at file:line:col.
//
//   base: baseline            # scenario file (relative to this file) or built-in
//   set: {population.scale: 0.005}   # scenario keys fixed for every point
//   parameters:
//     - key: land.quota_mu     # a real scenario key
//       values: [0, 300, 600]  # discrete values, or:
//     - key: labour.migrant_wage
//       min: 4000
//       max: 5000
//       distribution: uniform  # uniform | loguniform | normal (mean, sd; min/max truncate)
//   design: {type: grid}       # grid | list | lhs | sobol | morris (samples, levels, trajectories, seed)
//   replicates: 2
//   seed_rule: same            # same: common random numbers across points; per_point
//   outputs: [income_per_capita, gini]   # indicators collected into the index (default: all)
//   from_year: 2023            # points differ from 2023 on; 2021-2022 run once per replicate
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace sim::sweep {

// Where something was written, for messages.
struct Location {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
  std::string text() const;  // "file:line:col" (or "file")
  scenario::Origin origin() const { return {file, line, column}; }
};

enum class Distribution { uniform, loguniform, normal };
enum class DesignType { grid, list, lhs, sobol, morris };
enum class SeedRule { same, per_point };

const char* name_of(Distribution d);
const char* name_of(DesignType d);
const char* name_of(SeedRule r);

struct Parameter {
  std::string key;   // scenario key path
  std::string name;  // column name in the index (default: the key)
  scenario::Type type = scenario::Type::real;  // the scenario key's type
  std::vector<scenario::Value> values;          // discrete values (may be empty)
  std::vector<Location> value_at;
  bool ranged = false;  // min/max (or mean/sd) given
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  Distribution distribution = Distribution::uniform;
  double mean = std::numeric_limits<double>::quiet_NaN();
  double sd = std::numeric_limits<double>::quiet_NaN();
  Location at;  // the entry

  bool numeric() const { return type == scenario::Type::real || type == scenario::Type::integer; }
  // The value at unit coordinate u in [0, 1]: inverse CDF of the
  // distribution for a range, or values[floor(u * n)] for a list.
  scenario::Value at_unit(double u) const;
  // The k-th of n grid levels: values[k], or n levels spread over the range
  // (evenly, or geometrically for loguniform), ends included.
  scenario::Value at_level(std::size_t k, std::size_t n) const;
};

struct Design {
  DesignType type = DesignType::grid;
  std::int64_t samples = 1;       // lhs: points; sobol: base samples N (N * (d + 2) points)
  std::int64_t levels = 4;        // morris: grid levels p; grid: levels of a min/max parameter
  std::int64_t trajectories = 10; // morris: trajectories r (r * (d + 1) points)
  std::uint64_t seed = 1;         // lhs, sobol (digital shift), morris
};

struct SweepSpec {
  std::string file;         // the sweep file, absolute
  std::string text;         // its text as read
  std::string description;
  std::string base;         // resolved base scenario (path or builtin:...)
  struct Fixed {
    std::string key;
    scenario::Value value;
    Location at;
  };
  std::vector<Fixed> fixed;  // `set:` in file order
  std::vector<Parameter> parameters;
  Design design;
  std::uint32_t replicates = 1;
  SeedRule seed_rule = SeedRule::same;
  std::vector<std::string> outputs;  // empty: every indicator of the total level
  std::vector<Location> output_at;
  // > 0: every task branches from one run of the base scenario to December
  // of from_year - 1 (sim/sweep/shared_past.hpp).
  std::int64_t from_year = 0;
  Location from_year_at;
};

// The sweep file's own schema (its scalar keys; `set`, `parameters` and
// `outputs` are declared too, for listings and suggestions).
const scenario::Schema& sweep_schema();
// Keys of one `parameters` entry.
const scenario::Schema& parameter_schema();

// Reads and checks a sweep file against the scenario schema its keys must
// belong to. Values and ranges are checked against their keys here; whole
// points are checked when the plan is built. Throws Error(invalid_input)
// with "file:line:col: path: message", or Error(io).
SweepSpec load_spec(const std::string& file, const scenario::Schema& scenario_schema,
                    std::span<const scenario::EmbeddedFile> embedded, const std::string& default_base);
SweepSpec load_spec_text(const std::string& text, const std::string& file, const scenario::Schema& scenario_schema,
                         std::span<const scenario::EmbeddedFile> embedded, const std::string& default_base);

// Only the `outputs:` list of a sweep file's text (for `collect`, which has
// the copy in the sweep folder but not the scenarios it names).
struct OutputsEntry {
  std::vector<std::string> names;
  std::vector<Location> at;
};
OutputsEntry read_outputs(const std::string& text, const std::string& file);

}  // namespace sim::sweep
