#include "sim/run/simulation.hpp"

#include <ctime>
#include <optional>

#include <tbb/global_control.h>
#include <tbb/info.h>

#include "sim/io/recorder.hpp"
#include "sim/model/description_text.hpp"
#include "sim/model/instance.hpp"
#include "sim/model/output_layout.hpp"
#include "sim/model/yearly.hpp"
#include "sim/rng/stream.hpp"
#include "sim/version.hpp"

namespace sim {

scenario::Schema full_schema(const ModelDescription& model) {
  const Calendar& c = model.calendar;
  const std::string panel = model.panel_table.empty() ? std::string("agent") : model.panel_table;
  scenario::Schema s;
  s.integer("run.seed", c.seed, 0, 9.2e18, "",
            "Seed of every random stream; with the replicate index it keys all draws of a run.")
      .integer("run.start_year", c.start_year, 1900, 2200, "year", "Calendar year of the first step.")
      .integer("run.start_month", c.start_month, 1, 12, "month", "Calendar month of the first step.")
      .integer("run.months", c.months, 1, 1200, "months",
               "Number of monthly steps" + (c.period.empty() ? std::string(".") : "; " + c.period + "."))
      .real("output.panel.fraction", 0.01, 0.0, 1.0, "1",
            "Share of " + panel + " agents kept in the agent panel; the same agents in every scenario and replicate.")
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

// The fixed columns of each hierarchy table that has any, with the number of
// agents of every finer table in each row: written once to /static/<table>.
struct StaticTable {
  std::string kind;
  AgentTable counts{"counts"};
  std::vector<std::vector<std::uint32_t>> count_values;
  std::vector<const ColumnRef*> columns;
};

std::vector<std::unique_ptr<StaticTable>> static_tables(const ModelDescription& model, const Hierarchy& hierarchy,
                                                        const std::vector<const AgentTable*>& tables) {
  std::vector<std::unique_ptr<StaticTable>> out;
  for (std::size_t depth = 0; depth < model.hierarchy.size(); ++depth) {
    std::size_t t = 0;
    while (model.tables[t].kind != model.hierarchy[depth]) ++t;
    auto st = std::make_unique<StaticTable>();
    st->kind = model.tables[t].kind;
    for (const auto& c : tables[t]->columns())
      if (c->info().fixed) st->columns.push_back(c.get());
    if (st->columns.empty()) continue;
    st->count_values.resize(model.hierarchy.size());
    for (std::size_t finer = depth + 1; finer < model.hierarchy.size(); ++finer) {
      const TableDecl& f = model.table(model.hierarchy[finer]);
      auto& counts = st->count_values[finer];
      for (std::size_t g = 0; g < hierarchy.count(depth); ++g)
        counts.push_back(static_cast<std::uint32_t>(hierarchy.descendants(depth, g, finer).size()));
      st->counts.bind(counts, f.plural, f.plural, "Number of " + f.plural, true);
    }
    for (const auto& c : st->counts.columns()) st->columns.push_back(c.get());
    out.push_back(std::move(st));
  }
  return out;
}

}  // namespace

RunResult run(const ModelDescription& model, const scenario::Scenario& sc, const RunOptions& options) {
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
  const std::vector<const AgentTable*> tables = instance->tables();
  for (const AgentTable* t : tables) {
    t->check_consistent();
    result.agents.emplace_back(t->kind(), t->size());
    result.state_bytes += t->size() * t->bytes_per_agent();
  }
  const OutputLayout layout(model, instance->hierarchy(), tables);
  instance->start(layout);
  const OutputSpec& spec = layout.spec();

  std::optional<io::Recorder> recorder;
  if (!options.output.empty()) {
    io::RunMetadata meta;
    meta.model = model.name;
    meta.model_version = model.version;
    meta.model_description = to_json(model);
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
    for (const auto& st : static_tables(model, instance->hierarchy(), tables)) recorder->write_table(st->kind, st->kind, st->columns);
    for (std::size_t t = 0; t < tables.size(); ++t) {
      if (model.tables[t].kind != model.panel_table) continue;
      io::PanelSpec ps;
      ps.table = tables[t];
      ps.agents = panel_sample(tables[t]->size(), sc.real("output.panel.fraction"));
      ps.every = static_cast<std::uint32_t>(sc.integer("output.panel.every_months"));
      if (!ps.agents.empty()) recorder->set_panel(std::move(ps));
    }
  }

  if (options.on_start) options.on_start(spec);
  LevelSeries whole(spec.levels[0]);
  StepRecord record;
  try {
    for (std::uint32_t step = 0; step < result.steps; ++step) {
      if (options.stop && options.stop->load()) break;
      const StepInfo info = step_info(step, result.steps, start_year, start_month);
      instance->schedule().run_step(info);
      record.reset(spec, info);
      instance->record(record);
      layout.complete(record);
      instance->recorded(record);
      for (const auto& observe : options.observers) observe(record);
      if (recorder) recorder->push(record);
      whole.append(info, record.levels[0]);
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
  const YearlyAggregator yearly(model, whole);
  result.summary_level = model.levels[0].label.empty() ? model.levels[0].name : model.levels[0].label;
  for (const Window& w : whole.years()) {
    result.summary_years.push_back(w.year);
    result.summary_full_years.push_back(w.full);
  }
  for (const IndicatorDecl& ind : model.indicators) {
    if (!ind.summary) continue;
    RunResult::SummaryRow row{ind.name, ind.yearly_unit(), ind.format, {}};
    for (const Window& w : whole.years()) row.values.push_back(yearly.value(ind.name, 0, w));
    result.summary.push_back(std::move(row));
  }
  for (const Phase& p : instance->schedule().phases()) result.phases.push_back({p.name, p.seconds});
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  return result;
}

}  // namespace sim
