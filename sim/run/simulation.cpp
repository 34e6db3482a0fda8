#include "sim/run/simulation.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <optional>

#include <tbb/global_control.h>
#include <tbb/info.h>

#include "sim/core/error.hpp"
#include "sim/io/checkpoint.hpp"
#include "sim/io/recorder.hpp"
#include "sim/model/description_text.hpp"
#include "sim/model/instance.hpp"
#include "sim/model/output_layout.hpp"
#include "sim/model/yearly.hpp"
#include "sim/rng/stream.hpp"
#include "sim/run/branch.hpp"
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

// The checkpoint a run continues from, checked against the run: the same
// model and version, the same replicate, and a scenario that leaves its
// past unchanged.
io::CheckpointHeader open_checkpoint(const ModelDescription& model, const scenario::Scenario& sc,
                                     const RunOptions& options) {
  const std::string path = options.resume_from.string();
  io::CheckpointHeader h = io::read_checkpoint_header(path);
  const auto refuse = [&](const std::string& why) {
    throw Error(Status::invalid_input, "checkpoint '" + path + "': " + why);
  };
  if (h.model != model.name) refuse("written by the model '" + h.model + "', not by '" + model.name + "'");
  if (h.model_version != model.version)
    refuse("written by " + model.name + " " + h.model_version + "; this is " + model.version +
           ", and a checkpoint continues only on the model version that wrote it");
  if (h.replicate != options.replicate)
    refuse("holds replicate " + std::to_string(h.replicate) + "; this run is replicate " +
           std::to_string(options.replicate));
  if (options.output.empty()) throw Error(Status::usage, "continuing from a checkpoint needs an output file");
  check_branch(model, sc, h, path);
  if (h.git_commit != git_commit() || h.engine_version != version())
    std::fprintf(stderr,
                 "warning: checkpoint '%s' was written by another build (engine %s, commit %s); the result is exact "
                 "only on the build that wrote it\n",
                 path.c_str(), h.engine_version.c_str(), h.git_commit.c_str());
  return h;
}

}  // namespace

std::filesystem::path checkpoint_path(const std::filesystem::path& output, int year, int month) {
  char when[24];
  std::snprintf(when, sizeof when, ".%04d-%02d.ckpt", year, month);
  std::filesystem::path p = output;
  if (p.extension() == ".h5") p.replace_extension();
  p += when;
  return p;
}

struct Simulation::State {
  const ModelDescription& model;
  RunOptions options;
  std::chrono::steady_clock::time_point start;
  int threads;
  tbb::global_control limit;
  int start_year, start_month;
  std::unique_ptr<ModelInstance> instance;
  std::vector<const AgentTable*> tables;
  std::optional<OutputLayout> layout;
  std::optional<io::Recorder> recorder;
  std::optional<LevelSeries> whole;
  StepRecord record;
  bool finished = false;
  io::RunMetadata meta;
  int gzip_level = 4;
  const AgentTable* panel_table = nullptr;
  std::size_t panel_samples = 0;
  std::uint32_t panel_every = 0;
  std::uint32_t checkpoint_step = 0;  // steps covered by the last checkpoint written

  void restore(const io::CheckpointHeader& header, RunResult& result);

  State(const ModelDescription& m, const RunOptions& o, int t)
      : model(m), options(o), start(std::chrono::steady_clock::now()), threads(t),
        limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(t)) {}
};

Simulation::Simulation(const ModelDescription& model, const scenario::Scenario& sc, const RunOptions& options) {
  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  s_ = std::make_unique<State>(model, options, threads);
  result_.threads = threads;
  result_.steps = static_cast<std::uint32_t>(sc.integer("run.months"));
  s_->start_year = static_cast<int>(sc.integer("run.start_year"));
  s_->start_month = static_cast<int>(sc.integer("run.start_month"));
  const RunIdentity id{static_cast<std::uint64_t>(sc.integer("run.seed")), options.replicate};
  std::optional<io::CheckpointHeader> resume;
  if (!options.resume_from.empty()) resume = open_checkpoint(model, sc, options);

  s_->instance = model.create(sc, id);
  result_.setup_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - s_->start).count();
  s_->tables = s_->instance->tables();
  for (const AgentTable* t : s_->tables) {
    t->check_consistent();
    result_.agents.emplace_back(t->kind(), t->size());
    result_.state_bytes += t->size() * t->bytes_per_agent();
  }
  s_->layout.emplace(model, s_->instance->hierarchy(), s_->tables);
  s_->instance->start(*s_->layout);
  const OutputSpec& spec = s_->layout->spec();

  s_->gzip_level = static_cast<int>(sc.integer("output.compression"));
  if (resume) {
    // The columns and the model's own state as they were after the
    // checkpoint's last step, before any output is written from them.
    std::vector<AgentTable*> writable;
    for (const AgentTable* t : s_->tables) writable.push_back(const_cast<AgentTable*>(t));
    ModelState state;
    io::read_checkpoint_state(options.resume_from.string(), writable, state);
    s_->instance->restore(state);
  }
  if (!options.output.empty()) {
    io::RunMetadata& meta = s_->meta;
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
    meta.steps = result_.steps;
    meta.start_year = s_->start_year;
    meta.start_month = s_->start_month;
    meta.command_line = options.command_line;
    meta.started_at = utc_now();
    io::RecorderOptions ro;
    ro.force = options.force;
    ro.gzip_level = static_cast<int>(sc.integer("output.compression"));
    s_->recorder.emplace(options.output, spec, meta, ro);
    for (const auto& st : static_tables(model, s_->instance->hierarchy(), s_->tables))
      s_->recorder->write_table(st->kind, st->kind, st->columns);
    for (std::size_t t = 0; t < s_->tables.size(); ++t) {
      if (model.tables[t].kind != model.panel_table) continue;
      io::PanelSpec ps;
      ps.table = s_->tables[t];
      ps.agents = panel_sample(s_->tables[t]->size(), sc.real("output.panel.fraction"));
      ps.every = static_cast<std::uint32_t>(sc.integer("output.panel.every_months"));
      if (ps.agents.empty()) continue;
      s_->panel_table = ps.table;
      s_->panel_samples = ps.agents.size();
      s_->panel_every = ps.every;
      s_->recorder->set_panel(std::move(ps));
    }
  }
  s_->whole.emplace(spec.levels[0]);
  if (resume) s_->restore(*resume, result_);
  if (options.on_start) options.on_start(spec);
}

Simulation::~Simulation() {
  // A run dropped before finish() (an exception, a closed classroom
  // session) keeps an honest partial file.
  if (s_ && !s_->finished && s_->recorder) {
    try {
      s_->recorder->abandon("abandoned", utc_now());
    } catch (...) {
    }
  }
}

// The output of the checkpoint's steps, replayed into this run's output
// file and summary as the steps had recorded it.
void Simulation::State::restore(const io::CheckpointHeader& header, RunResult& result) {
  const OutputSpec& spec = layout->spec();
  std::vector<io::PanelColumnType> panel_columns;
  if (recorder)
    for (const std::string& name : recorder->panel_columns())
      panel_columns.push_back({name, panel_table->find(name)->info().type});
  const io::CheckpointHistory h = io::read_checkpoint_history(options.resume_from.string(), spec, panel_columns);
  const std::string where = "checkpoint '" + options.resume_from.string() + "'";
  if (h.steps != header.step)
    throw Error(Status::invalid_input, where + " says " + std::to_string(header.step) + " steps but holds the output of " +
                                           std::to_string(h.steps));
  std::size_t event = 0, snapshot = 0;
  for (std::uint32_t t = 0; t < h.steps; ++t) {
    const StepInfo info = step_info(t, result.steps, start_year, start_month);
    record.reset(spec, info);
    for (std::size_t l = 0; l < spec.levels.size(); ++l) {
      LevelFrame& frame = record.levels[l];
      for (std::size_t i = 0; i < frame.indicators; ++i) {
        const double* row = h.levels[l][i].data() + static_cast<std::size_t>(t) * frame.groups;
        std::copy(row, row + frame.groups, frame.values.begin() + static_cast<std::ptrdiff_t>(i * frame.groups));
      }
    }
    for (; event < h.event_step.size() && h.event_step[event] == t; ++event)
      record.events.push_back({h.event_agent[event], h.event_kind[event]});
    std::vector<std::vector<unsigned char>> rows;
    if (!panel_columns.empty() && (t + 1) % panel_every == 0) {
      if (snapshot >= h.panel_step.size() || h.panel_step[snapshot] != t)
        throw Error(Status::invalid_input, where + " lacks the agent panel of step " + std::to_string(t));
      for (std::size_t c = 0; c < panel_columns.size(); ++c) {
        const std::size_t bytes = panel_samples * dtype_size(panel_columns[c].type);
        const auto first = h.panel[c].begin() + static_cast<std::ptrdiff_t>(snapshot * bytes);
        if (h.panel[c].size() < (snapshot + 1) * bytes)
          throw Error(Status::invalid_input, where + ": the agent panel of step " + std::to_string(t) + " is short");
        rows.emplace_back(first, first + static_cast<std::ptrdiff_t>(bytes));
      }
      ++snapshot;
    }
    if (recorder) recorder->replay(record, std::move(rows));
    whole->append(info, record.levels[0]);
  }
  if (event != h.event_step.size())
    throw Error(Status::invalid_input, where + " holds events after its last step");
  result.steps_run = h.steps;
  result.resumed_at = h.steps;
  checkpoint_step = h.steps;
}

std::filesystem::path Simulation::checkpoint() {
  State& s = *s_;
  if (!s.recorder) throw Error(Status::usage, "a checkpoint needs an output file");
  if (result_.steps_run == 0) throw Error(Status::failure, "checkpoint: no step has run yet");
  const StepInfo last = step_info(result_.steps_run - 1, result_.steps, s.start_year, s.start_month);
  const std::filesystem::path output = std::filesystem::absolute(s.options.output);
  const std::filesystem::path path = checkpoint_path(s.options.output, last.year, last.month);
  io::CheckpointHeader h;
  h.model = s.meta.model;
  h.model_version = s.meta.model_version;
  h.engine_version = s.meta.engine_version;
  h.git_commit = s.meta.git_commit;
  h.scenario_name = s.meta.scenario_name;
  h.scenario_source = s.meta.scenario_source;
  h.scenario_yaml = s.meta.scenario_yaml;
  h.seed = s.meta.seed;
  h.replicate = s.meta.replicate;
  h.step = result_.steps_run;
  h.steps = result_.steps;
  h.start_year = s.start_year;
  h.start_month = s.start_month;
  h.output = output.string();
  h.command_line = s.options.command_line;
  h.created_at = utc_now();
  ModelState state;
  s.instance->save(state);
  // gzip level 1: a checkpoint is written while a pre-empted job's grace
  // time runs, and level 1 writes it several times faster than the output's
  // level for a little more space.
  io::write_checkpoint(path, h, s.tables, state, *s.recorder, std::min(s.gzip_level, 1));
  if (!s.options.keep_checkpoints && !result_.checkpoint.empty() && result_.checkpoint != path) {
    std::error_code ec;
    std::filesystem::remove(result_.checkpoint, ec);
  }
  result_.checkpoint = path;
  s.checkpoint_step = result_.steps_run;
  if (s.options.on_checkpoint) s.options.on_checkpoint(path);
  return path;
}

std::uint32_t Simulation::checkpointed_steps() const { return s_->checkpoint_step; }

const OutputSpec& Simulation::spec() const { return s_->layout->spec(); }

std::vector<const AgentTable*> Simulation::tables() const { return s_->tables; }

const StepRecord& Simulation::step() {
  if (done()) throw Error(Status::failure, "Simulation::step: the run has no steps left");
  const std::uint32_t step = result_.steps_run;
  const StepInfo info = step_info(step, result_.steps, s_->start_year, s_->start_month);
  const OutputSpec& spec = s_->layout->spec();
  try {
    s_->instance->schedule().run_step(info);
    s_->record.reset(spec, info);
    s_->instance->record(s_->record);
    s_->layout->complete(s_->record);
    s_->instance->recorded(s_->record);
    for (const auto& observe : s_->options.observers) observe(s_->record);
    if (s_->recorder) s_->recorder->push(s_->record);
    s_->whole->append(info, s_->record.levels[0]);
  } catch (...) {
    if (s_->recorder) s_->recorder->abandon("failed", utc_now());
    s_->finished = true;
    throw;
  }
  result_.steps_run = step + 1;
  const std::uint32_t every = s_->options.checkpoint_every;
  if (every > 0 && result_.steps_run % every == 0) {
    try {
      checkpoint();
    } catch (...) {
      if (s_->recorder) s_->recorder->abandon("failed", utc_now());
      s_->finished = true;
      throw;
    }
  }
  return s_->record;
}

RunResult Simulation::finish() {
  RunResult result = result_;
  result.complete = result.steps_run == result.steps;
  if (s_->recorder && !s_->finished) {
    if (result.complete) {
      s_->recorder->finish(utc_now());
      result.output = s_->recorder->path();
    } else {
      s_->recorder->abandon("interrupted", utc_now());
      result.output = s_->recorder->partial_path();
    }
  }
  s_->finished = true;
  const ModelDescription& model = s_->model;
  const YearlyAggregator yearly(model, *s_->whole);
  result.summary_level = model.levels[0].label.empty() ? model.levels[0].name : model.levels[0].label;
  for (const Window& w : s_->whole->years()) {
    result.summary_years.push_back(w.year);
    result.summary_full_years.push_back(w.full);
  }
  for (const IndicatorDecl& ind : model.indicators) {
    if (!ind.summary) continue;
    RunResult::SummaryRow row{ind.name, ind.yearly_unit(), ind.format, {}};
    for (const Window& w : s_->whole->years()) row.values.push_back(yearly.value(ind.name, 0, w));
    result.summary.push_back(std::move(row));
  }
  for (const Phase& p : s_->instance->schedule().phases()) result.phases.push_back({p.name, p.seconds});
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - s_->start).count();
  return result;
}

RunResult run(const ModelDescription& model, const scenario::Scenario& sc, const RunOptions& options) {
  Simulation sim(model, sc, options);
  bool stopped = false;
  while (!sim.done()) {
    if (options.stop && options.stop->load()) {
      stopped = true;
      break;
    }
    sim.step();
  }
  // A pre-empted job keeps its state, to continue where it stopped.
  if (stopped && options.checkpoint_on_stop && sim.steps_run() > sim.checkpointed_steps()) sim.checkpoint();
  return sim.finish();
}

}  // namespace sim
