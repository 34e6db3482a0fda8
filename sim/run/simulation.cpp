#include "sim/run/simulation.hpp"

#include <ctime>
#include <optional>

#include <tbb/global_control.h>
#include <tbb/info.h>

#include "sim/io/recorder.hpp"
#include "sim/rng/stream.hpp"
#include "sim/version.hpp"

namespace sim {

scenario::Schema full_schema(const ModelDefinition& model) {
  scenario::Schema s;
  s.integer("run.seed", 20210101, 0, 9.2e18, "",
            "Seed of every random stream; with the replicate index it keys all draws of a run.")
      .integer("run.start_year", 2021, 1900, 2200, "year", "Calendar year of the first step.")
      .integer("run.start_month", 1, 1, 12, "month", "Calendar month of the first step.")
      .integer("run.months", 60, 1, 1200, "months",
               "Number of monthly steps; 60 covers the transition period 2021-2025.")
      .real("output.panel.fraction", 0.01, 0.0, 1.0, "1",
            "Share of agents kept in the household panel; the same agents in every scenario and replicate.")
      .integer("output.panel.every_months", 12, 1, 1200, "months",
               "A panel snapshot is written after every this many steps.")
      .integer("output.compression", 4, 0, 9, "", "gzip level of every dataset (0 = none).");
  if (model.declare_schema) model.declare_schema(s);
  return s;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

// Panel membership depends on the agent id alone (a fixed stream), so the
// same households are followed in every scenario, seed and replicate.
std::vector<std::uint32_t> panel_sample(std::size_t agents, double fraction) {
  std::vector<std::uint32_t> ids;
  if (fraction <= 0.0) return ids;
  for (std::size_t i = 0; i < agents; ++i) {
    rng::Stream s({0x70616e656cULL, 0, static_cast<std::uint32_t>(i), 0, 0});
    if (fraction >= 1.0 || s.uniform32() < fraction) ids.push_back(static_cast<std::uint32_t>(i));
  }
  return ids;
}

}  // namespace

RunResult run(const ModelDefinition& model, const scenario::Scenario& sc, const RunOptions& options) {
  const auto t_start = std::chrono::steady_clock::now();
  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));

  RunResult result;
  result.threads = threads;
  result.steps = static_cast<std::uint32_t>(sc.integer("run.months"));
  const int start_year = static_cast<int>(sc.integer("run.start_year"));
  const int start_month = static_cast<int>(sc.integer("run.start_month"));
  const RunIdentity id{static_cast<std::uint64_t>(sc.integer("run.seed")), options.replicate};

  std::unique_ptr<ModelInstance> instance = model.create(sc, id);
  result.setup_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  for (const AgentTable* t : instance->tables()) {
    t->check_consistent();
    result.agents.emplace_back(t->kind(), t->size());
    result.state_bytes += t->size() * t->bytes_per_agent();
  }
  const OutputSpec& spec = instance->output_spec();
  std::optional<std::size_t> total_level;
  std::vector<std::size_t> summary_index;
  for (std::size_t l = 0; l < spec.levels.size(); ++l)
    if (spec.levels[l].name == "total") total_level = l;
  if (total_level) {
    for (const std::string& name : spec.summary) {
      const std::size_t i = spec.levels[*total_level].indicator_index(name);
      summary_index.push_back(i);
      result.summary.push_back({name, spec.levels[*total_level].indicators[i].unit, {}});
    }
  }

  std::optional<io::Recorder> recorder;
  if (!options.output.empty()) {
    io::RunMetadata meta;
    meta.model = model.name;
    meta.model_version = model.version;
    meta.engine_version = version();
    meta.git_commit = git_commit();
    meta.scenario_name = sc.name();
    meta.scenario_source = sc.source();
    meta.scenario_yaml = sc.to_yaml();
    meta.seed = id.seed;
    meta.replicate = id.replicate;
    meta.threads = threads;
    meta.steps = result.steps;
    meta.start_year = start_year;
    meta.start_month = start_month;
    meta.command_line = options.command_line;
    meta.started_at = utc_now();
    io::RecorderOptions ro;
    ro.force = options.force;
    ro.gzip_level = static_cast<int>(sc.integer("output.compression"));
    recorder.emplace(options.output, spec, meta, ro);
    for (const auto& [name, table] : instance->static_tables()) recorder->write_table(name, *table);
    if (const AgentTable* panel = instance->panel_table()) {
      io::PanelSpec ps;
      ps.table = panel;
      ps.agents = panel_sample(panel->size(), sc.real("output.panel.fraction"));
      ps.every = static_cast<std::uint32_t>(sc.integer("output.panel.every_months"));
      if (!ps.agents.empty()) recorder->set_panel(std::move(ps));
    }
  }

  StepRecord record;
  try {
    for (std::uint32_t step = 0; step < result.steps; ++step) {
      if (options.stop && options.stop->load()) break;
      const StepInfo info = step_info(step, result.steps, start_year, start_month);
      instance->schedule().run_step(info);
      record.reset(spec, info);
      instance->record(record);
      for (const auto& observe : options.observers) observe(record);
      if (recorder) recorder->push(record);
      if (total_level && info.year_end()) {
        result.summary_years.push_back(info.year);
        for (std::size_t k = 0; k < summary_index.size(); ++k)
          result.summary[k].values.push_back(record.levels[*total_level].at(summary_index[k], 0));
      }
      result.steps_run = step + 1;
    }
  } catch (...) {
    if (recorder) recorder->abandon("failed", utc_now());
    throw;
  }

  result.complete = result.steps_run == result.steps;
  if (recorder) {
    if (result.complete) {
      recorder->finish(utc_now());
      result.output = recorder->path();
    } else {
      recorder->abandon("interrupted", utc_now());
      result.output = recorder->partial_path();
    }
  }
  for (const Phase& p : instance->schedule().phases()) result.phases.push_back({p.name, p.seconds});
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  return result;
}

}  // namespace sim
