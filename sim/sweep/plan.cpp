#include "sim/sweep/plan.hpp"

#include <limits>

#include "sim/io/sha256.hpp"
#include "sim/rng/stream.hpp"
#include "sim/scenario/format.hpp"
#include "sim/version.hpp"

namespace sim::sweep {

namespace {

constexpr std::uint16_t kPointSeed = 0x5053;

std::string real_text(double v) { return scenario::format_real(v); }

std::string indent(const std::string& text, const std::string& pad) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += pad + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

// 1234567 -> "1,234,567".
std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// What sets the size of a design, for the advice when it is too large.
const char* sizes_of(DesignType t) {
  switch (t) {
    case DesignType::grid: return "values or design.levels";
    case DesignType::list: return "values";
    case DesignType::lhs:
    case DesignType::sobol: return "design.samples";
    case DesignType::morris: return "design.trajectories";
  }
  return "points";
}

}  // namespace

Plan::Plan(const ModelDescription& model, const scenario::Schema& schema, SweepSpec spec)
    : spec_(std::move(spec)) {
  base_ = scenario::load(spec_.base, schema, {}, model.embedded);
  for (const auto& f : spec_.fixed) base_.set(f.key, f.value, f.at.origin());
  // Count before making: a design is held whole, so one too large to hold
  // is refused with its size instead of growing until memory runs out.
  const std::uint64_t points = design_points(spec_);
  const std::uint64_t replicates = spec_.replicates;
  const std::uint64_t tasks = replicates > 0 && points > std::numeric_limits<std::uint64_t>::max() / replicates
                                  ? std::numeric_limits<std::uint64_t>::max()
                                  : points * replicates;
  if (tasks > kMaxPlanTasks)
    throw Error(Status::invalid_input,
                spec_.file + ": the sweep would have " + grouped(tasks) + " tasks (" + grouped(points) + " points x " +
                    grouped(spec_.replicates) + " replicate" + (spec_.replicates == 1 ? "" : "s") + "), more than the " +
                    grouped(kMaxPlanTasks) +
                    " one sweep folder may hold (planning keeps every point and task in memory, and each task is a file "
                    "under tasks/); use fewer " + sizes_of(spec_.design.type) +
                    " or replicates, or split it into several sweep files (per-point seeds keep their runs independent)");
  design_ = make_design(spec_);

  // Every point's values against the schema, on one scratch scenario (each
  // point sets the same keys, so the last point's values never leak).
  scenario::Scenario scratch = base_;
  months_.resize(design_.points);
  for (std::size_t p = 0; p < design_.points; ++p) {
    for (std::size_t j = 0; j < design_.dims; ++j) {
      const Parameter& par = spec_.parameters[j];
      try {
        scratch.set(par.key, design_.value(p, j), par.at.origin());
      } catch (const Error& e) {
        throw Error(Status::invalid_input, std::string(e.what()) + " (at point " + std::to_string(p) + " of the " +
                                               name_of(spec_.design.type) + " design)");
      }
    }
    months_[p] = scratch.integer("run.months");
  }

  program_ = "engine " + std::string(version()) + ", model " + model.name + " " + model.version;
  std::string r = "# ruralsim resolved sweep, format 1: everything that determines the task files\n";
  r += "program: \"" + program_ + "\"\n";
  r += "base_name: \"" + base_.name() + "\"\n";
  r += "base_source: \"" + base_.source() + "\"\n";
  std::string yaml = base_.to_yaml();
  yaml.erase(0, yaml.find('\n') + 1);  // the comment names the source, given above
  r += "base: |\n" + indent(yaml, "  ");
  r += "parameters:\n";
  for (const auto& p : spec_.parameters) {
    r += "  - key: " + p.key + "\n    name: " + p.name + "\n    type: " + scenario::type_name(p.type) + "\n";
    if (!p.ranged) {
      r += "    values: [";
      for (std::size_t k = 0; k < p.values.size(); ++k) r += (k ? ", " : "") + scenario::format_value(p.values[k]);
      r += "]\n";
    } else {
      r += "    distribution: " + std::string(name_of(p.distribution)) + "\n    min: " + real_text(p.min) +
           "\n    max: " + real_text(p.max) + "\n";
      if (p.distribution == Distribution::normal) r += "    mean: " + real_text(p.mean) + "\n    sd: " + real_text(p.sd) + "\n";
    }
  }
  const Design& d = spec_.design;
  r += "design:\n  type: " + std::string(name_of(d.type)) + "\n  samples: " + std::to_string(d.samples) +
       "\n  levels: " + std::to_string(d.levels) + "\n  trajectories: " + std::to_string(d.trajectories) +
       "\n  seed: " + std::to_string(d.seed) + "\n";
  r += "replicates: " + std::to_string(spec_.replicates) + "\n";
  r += "seed_rule: " + std::string(name_of(spec_.seed_rule)) + "\n";
  // Only when set, so that the hashes of sweeps without it stay as they were.
  if (spec_.from_year > 0) r += "from_year: " + std::to_string(spec_.from_year) + "\n";
  r += "points: " + std::to_string(design_.points) + "\n";
  resolved_ = std::move(r);
  io::Sha256 h;
  h.update(resolved_);
  hash_ = "sha256:" + h.hex();
}

std::uint64_t Plan::seed_of(std::uint64_t point) const {
  const auto base = static_cast<std::uint64_t>(base_.integer("run.seed"));
  if (spec_.seed_rule == SeedRule::same) {
    // A varied run.seed is the point's own seed.
    for (std::size_t j = 0; j < design_.dims; ++j)
      if (spec_.parameters[j].key == "run.seed")
        return static_cast<std::uint64_t>(std::get<std::int64_t>(design_.value(point, j)));
    return base;
  }
  rng::Stream s({base, 0, static_cast<std::uint32_t>(point), static_cast<std::uint16_t>(point >> 32), kPointSeed});
  return s.next_u64() >> 2;  // within run.seed's range [0, 9.2e18]
}

Task Plan::task(std::uint64_t index) const {
  Task t;
  t.index = index;
  t.point = index / spec_.replicates;
  t.replicate = static_cast<std::uint32_t>(index % spec_.replicates);
  t.seed = seed_of(t.point);
  return t;
}

scenario::Scenario Plan::scenario_for(std::uint64_t point) const {
  scenario::Scenario sc = base_;
  for (std::size_t j = 0; j < design_.dims; ++j) {
    const Parameter& par = spec_.parameters[j];
    sc.set(par.key, design_.value(point, j), par.at.origin());
  }
  if (spec_.seed_rule == SeedRule::per_point)
    sc.set("run.seed", static_cast<std::int64_t>(seed_of(point)), {spec_.file, 0, 0});
  return sc;
}

std::int64_t Plan::months_of(std::uint64_t point) const { return months_[point]; }

}  // namespace sim::sweep
