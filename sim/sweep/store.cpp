#include "sim/sweep/store.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "sim/io/data_file.hpp"
#include "sim/model/expression.hpp"
#include "sim/model/yearly.hpp"
#include "sim/run/simulation.hpp"
#include "sim/scenario/format.hpp"
#include "sim/version.hpp"

namespace sim::sweep {

namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string read_text(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Error(Status::io, "cannot read " + path.string());
  std::ostringstream o;
  o << f.rdbuf();
  return o.str();
}

std::string unique_suffix() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) std::strcpy(host, "host");
  return std::string(".tmp-") + host + "-" + std::to_string(::getpid());
}

// Writes `path` once: under a unique name, then hard-linked into place, which
// fails harmlessly if another process created it first.
template <class Write>
void create_once(const fs::path& path, Write write) {
  if (fs::exists(path)) return;
  const fs::path tmp = path.string() + unique_suffix();
  try {
    write(tmp);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);  // no half-written temporary file left behind
    throw;
  }
  if (::link(tmp.c_str(), path.c_str()) != 0 && errno != EEXIST) {
    // Filesystems without hard links: a rename (the race is only between
    // writers of identical content).
    std::error_code ec;
    if (!fs::exists(path)) fs::rename(tmp, path, ec);
    if (ec) throw Error(Status::io, "cannot create " + path.string() + ": " + ec.message());
  }
  std::error_code ec;
  fs::remove(tmp, ec);
}

void write_plan_file(const Plan& plan, const fs::path& path) {
  io::DataFile file = io::DataFile::create(path);
  const SweepSpec& spec = plan.spec();
  const DesignPoints& d = plan.design();
  {
    const auto attr = [&](const std::string& name, const auto& value) { file.set("/", name, value); };
    attr("format", std::string("ruralsim-sweep"));
    attr("format_version", std::int64_t{1});
    attr("sweep_hash", plan.hash());
    attr("program", plan.program());
    attr("engine_version", std::string(version()));
    attr("git_commit", std::string(git_commit()));
    attr("sweep_file", spec.file);
    attr("description", spec.description);
    attr("base_name", plan.base().name());
    attr("base_source", plan.base().source());
    attr("base_seed", static_cast<std::uint64_t>(plan.base().integer("run.seed")));
    attr("start_year", plan.base().integer("run.start_year"));
    attr("design", std::string(name_of(spec.design.type)));
    attr("samples", spec.design.samples);
    attr("levels", spec.design.levels);
    attr("trajectories", spec.design.trajectories);
    attr("design_seed", spec.design.seed);
    attr("replicates", static_cast<std::int64_t>(spec.replicates));
    attr("seed_rule", std::string(name_of(spec.seed_rule)));
    attr("parameters", static_cast<std::int64_t>(d.dims));
    attr("points", static_cast<std::int64_t>(d.points));
    attr("tasks", static_cast<std::int64_t>(plan.tasks()));
    attr("created_at", utc_now());
    attr("resolved", plan.resolved());
  }
  // Parameters.
  std::vector<std::string> key, name, type, distribution;
  std::vector<double> lo, hi, mean, sd;
  std::vector<std::int64_t> count;
  for (const auto& p : spec.parameters) {
    key.push_back(p.key);
    name.push_back(p.name);
    type.push_back(scenario::type_name(p.type));
    distribution.push_back(p.ranged ? name_of(p.distribution) : "values");
    lo.push_back(p.ranged ? p.min : kNaN);
    hi.push_back(p.ranged ? p.max : kNaN);
    mean.push_back(p.ranged && p.distribution == Distribution::normal ? p.mean : kNaN);
    sd.push_back(p.ranged && p.distribution == Distribution::normal ? p.sd : kNaN);
    count.push_back(static_cast<std::int64_t>(p.values.size()));
  }
  file.write("/parameters/key", key);
  file.describe("/parameters/key", "Scenario key varied by each parameter");
  file.write("/parameters/name", name);
  file.describe("/parameters/name", "Column name of each parameter");
  file.write("/parameters/type", type);
  file.describe("/parameters/type", "Type of the scenario key");
  file.write("/parameters/distribution", distribution);
  file.describe("/parameters/distribution", "uniform, loguniform, normal, or values (a discrete list)");
  file.write("/parameters/min", lo);
  file.describe("/parameters/min", "Lower end of the range (NaN for a list of values)");
  file.write("/parameters/max", hi);
  file.describe("/parameters/max", "Upper end of the range (NaN for a list of values)");
  file.write("/parameters/mean", mean);
  file.describe("/parameters/mean", "Mean of a normal distribution (NaN otherwise)");
  file.write("/parameters/sd", sd);
  file.describe("/parameters/sd", "Standard deviation of a normal distribution (NaN otherwise)");
  file.write("/parameters/values", count);
  file.describe("/parameters/values", "Number of discrete values (0 for a range)");

  // Points and their layout.
  const std::vector<std::size_t> pd = {d.points, d.dims};
  file.write("/points/unit", d.unit, pd);
  file.describe("/points/unit", "Unit hypercube coordinates of each point, one column per parameter", "1");
  file.write("/points/block", d.block);
  file.describe("/points/block", "Design block: grid, list, lhs; A, B, AB (Saltelli); morris");
  file.write("/points/sample", d.sample);
  file.describe("/points/sample", "Row of the Saltelli matrix (A, B, AB_i), Morris trajectory, or point ordinal");
  file.write("/points/factor", d.factor);
  file.describe("/points/factor", "AB_i: i; Morris: parameter changed on reaching this point; -1 otherwise");
  file.write("/points/step", d.step);
  file.describe("/points/step", "Morris: position within the trajectory (0..parameters); 0 otherwise");
  file.write("/points/delta", d.delta);
  file.describe("/points/delta", "Morris: signed change of the changed parameter in unit coordinates; 0 otherwise", "1");
  std::vector<std::string> text;
  text.reserve(d.values.size());
  for (const auto& v : d.values) text.push_back(scenario::format_value(v));
  file.write("/points/text", text, pd);
  file.describe("/points/text", "Each point's value of each parameter as YAML text");
  for (std::size_t j = 0; j < d.dims; ++j) {
    const Parameter& p = spec.parameters[j];
    const std::string column = "/points/values/" + p.name;
    const bool numeric = p.numeric() || p.type == scenario::Type::boolean;
    if (numeric) {
      std::vector<double> col(d.points);
      for (std::size_t i = 0; i < d.points; ++i) {
        const auto& v = d.value(i, j);
        if (const auto* x = std::get_if<double>(&v)) col[i] = *x;
        else if (const auto* n = std::get_if<std::int64_t>(&v)) col[i] = static_cast<double>(*n);
        else if (const auto* b = std::get_if<bool>(&v)) col[i] = *b ? 1.0 : 0.0;
      }
      file.write(column, col);
    } else {
      std::vector<std::string> col(d.points);
      for (std::size_t i = 0; i < d.points; ++i) {
        const auto& v = d.value(i, j);
        col[i] = std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : scenario::format_value(v);
      }
      file.write(column, col);
    }
    file.describe(column, "Value of " + p.key + " at each point");
  }

  // Tasks.
  const std::size_t n = plan.tasks();
  std::vector<std::int64_t> task(n), point(n), replicate(n);
  std::vector<std::uint64_t> seed(n);
  std::vector<std::string> file_name(n);
  for (std::size_t t = 0; t < n; ++t) {
    const Task k = plan.task(t);
    task[t] = static_cast<std::int64_t>(t);
    point[t] = static_cast<std::int64_t>(k.point);
    replicate[t] = k.replicate;
    seed[t] = k.seed;
    file_name[t] = "tasks/" + std::to_string(t) + ".h5";
  }
  file.write("/tasks/task", task);
  file.describe("/tasks/task", "Task index: point * replicates + replicate");
  file.write("/tasks/point", point);
  file.describe("/tasks/point", "Point of each task");
  file.write("/tasks/replicate", replicate);
  file.describe("/tasks/replicate", "Replicate index of each task (keys its random streams with the seed)");
  file.write("/tasks/seed", seed);
  file.describe("/tasks/seed", "run.seed of each task");
  file.write("/tasks/file", file_name);
  file.describe("/tasks/file", "Output file of each task, relative to the sweep folder");
  file.close();
}

std::string hash_file_text(const Plan& plan) { return plan.hash() + "\n" + plan.program() + "\n"; }

}  // namespace

const char* name_of(TaskState s) {
  switch (s) {
    case TaskState::pending: return "pending";
    case TaskState::complete: return "complete";
    case TaskState::failed: return "failed";
  }
  return "?";
}

void write_text_atomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + unique_suffix();
  io::write_new_text_file(tmp, text);
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw Error(Status::io, "cannot write " + path.string() + ": " + ec.message());
}

bool check_folder(const Plan& plan, const Layout& layout) {
  if (!fs::exists(layout.hash_file())) {
    if (fs::exists(layout.plan()))
      throw Error(Status::invalid_input, layout.dir.string() + " holds a plan.h5 but no sweep.hash; it was not written by this program's sweeps");
    return false;
  }
  std::istringstream in(read_text(layout.hash_file()));
  std::string hash, program;
  std::getline(in, hash);
  std::getline(in, program);
  if (program != plan.program())
    throw Error(Status::invalid_input,
                layout.dir.string() + " holds the tasks of a sweep run by another program version (" + program +
                    "; this is " + plan.program() + "). Results of two versions are not mixed: run into a new folder "
                    "with -o, or delete " + layout.dir.string() + " to start again.");
  if (hash != plan.hash())
    throw Error(Status::invalid_input,
                layout.dir.string() + " holds the tasks of a different sweep (" + hash + "); " + plan.spec().file +
                    " now resolves to " + plan.hash() + ". A changed sweep is not resumed, so results of two sweeps "
                    "are never mixed: run it into a new folder with -o, or delete " + layout.dir.string() +
                    " to start again (" + layout.sweep_copy().string() + " and " + layout.resolved_file().string() +
                    " show the sweep it holds).");
  return true;
}

// A folder that is not (yet) a sweep folder may hold only what a sweep being
// started there writes before its hash: the tasks folder, still empty, the
// resolved scenario, the plan and their temporary files. Anything else is
// someone's: nothing is written into such a folder.
void refuse_foreign_folder(const Layout& layout) {
  std::error_code ec;
  if (!fs::is_directory(layout.dir, ec) || fs::exists(layout.hash_file(), ec)) return;
  const std::string own[] = {layout.tasks().filename().string(), layout.resolved_file().filename().string(),
                             layout.plan().filename().string(), layout.hash_file().filename().string()};
  for (const auto& e : fs::directory_iterator(layout.dir, ec)) {
    const std::string name = e.path().filename().string();
    bool ours = false;
    for (const std::string& o : own)
      ours = ours || name == o || name.rfind(o + ".tmp-", 0) == 0;
    if (ours && name == own[0]) ours = fs::is_directory(e.path(), ec) && fs::is_empty(e.path(), ec);
    if (!ours)
      throw Error(Status::invalid_input,
                  layout.dir.string() + " is not a sweep folder (it has no sweep.hash) and holds other files, e.g. '" +
                      name + "'; a sweep writes only into a new or empty folder, or one it has started (choose another -o)");
  }
}

std::vector<std::string> prepare(const Plan& plan, const Layout& layout) {
  refuse_foreign_folder(layout);
  std::error_code ec;
  fs::create_directories(layout.tasks(), ec);
  if (ec) throw Error(Status::io, "cannot create " + layout.tasks().string() + ": " + ec.message());
  check_folder(plan, layout);
  std::vector<std::string> warnings;
  const auto write_file = [](const std::string& text) {
    return [text](const fs::path& p) { io::write_new_text_file(p, text); };
  };
  create_once(layout.resolved_file(), write_file(plan.resolved()));
  create_once(layout.plan(), [&](const fs::path& p) { write_plan_file(plan, p); });
  // The hash last: a folder with a hash file has its plan.
  create_once(layout.hash_file(), write_file(hash_file_text(plan)));
  check_folder(plan, layout);  // another shard may have won the race with another sweep
  write_text_atomically(layout.sweep_copy(), plan.spec().text);

  const io::DataFile f = io::DataFile::open(layout.plan());
  if (f.text("/", "sweep_hash") != plan.hash())
    throw Error(Status::invalid_input, layout.plan().string() + " belongs to another sweep; delete " + layout.dir.string());
  const std::string started_by = f.text("/", "git_commit");
  if (started_by != git_commit())
    warnings.push_back("the sweep in " + layout.dir.string() + " was started by a build of commit " + started_by +
                       ", this build is " + git_commit() + "; the program version (" + plan.program() +
                       ") is the same, so its tasks are kept");
  return warnings;
}

TaskStatus task_status(const Layout& layout, std::uint64_t task) {
  TaskStatus s;
  const fs::path file = layout.task_file(task);
  if (fs::exists(file)) {
    try {
      const io::DataFile f = io::DataFile::open(file);
      if (f.has("/", "complete") && f.integer("/", "complete") == 1) {
        s.state = TaskState::complete;
        return s;
      }
      s.detail = "task file not marked complete";
    } catch (const Error& e) {
      s.detail = std::string("unreadable task file: ") + e.what();
    }
    return s;
  }
  if (fs::exists(layout.failed_file(task))) {
    s.state = TaskState::failed;
    s.detail = read_text(layout.failed_file(task));
    while (!s.detail.empty() && s.detail.back() == '\n') s.detail.pop_back();
    return s;
  }
  if (fs::exists(layout.partial_file(task))) s.detail = "interrupted (partial file left)";
  return s;
}

void verify_task_file(const Plan& plan, const Layout& layout, std::uint64_t task) {
  const Task t = plan.task(task);
  const fs::path file = layout.task_file(task);
  const io::DataFile f = io::DataFile::open(file);
  std::string why;
  if (f.unsigned_integer("/", "seed") != t.seed) why = "its seed differs";
  else if (static_cast<std::uint64_t>(f.integer("/", "replicate")) != t.replicate) why = "its replicate differs";
  else if (f.text("/", "scenario") != plan.scenario_for(t.point).to_yaml()) why = "its scenario differs";
  if (!why.empty())
    throw Error(Status::invalid_input, file.string() + " is not the output of task " + std::to_string(task) +
                                           " of this sweep (" + why + "); remove it, or run into a new folder");
}

namespace {

// Does an indicator's formula use members_*() (the next finer level)?
bool needs_members(const ModelDescription& model, const std::string& indicator) {
  const IndicatorDecl& ind = model.indicator(indicator);
  bool members = false;
  if (!ind.formula.empty())
    expr::visit(expr::parse(ind.formula), [&](const expr::Node& n) {
      if (n.op != expr::Op::call) return;
      if (n.name == "members_mean" || n.name == "members_gini") members = true;
      if (n.name == "growth") members = members || needs_members(model, n.args.at(0).name);
    });
  return members;
}

// The recorded series of one level of a task file.
LevelSeries read_level(const io::DataFile& f, const std::string& level, std::vector<int> years, std::vector<int> months) {
  LevelSeries s;
  const std::size_t steps = years.size();
  for (const std::string& name : f.children("/" + level)) {
    std::vector<double> v = f.read_doubles("/" + level + "/" + name);
    if (steps == 0 || v.size() % steps != 0)
      throw Error(Status::invalid_input, "/" + level + "/" + name + " has " + std::to_string(v.size()) + " values for " +
                                             std::to_string(steps) + " steps");
    s.set_column(name, std::move(v));
  }
  s.set_calendar(std::move(years), std::move(months));
  return s;
}

std::vector<int> as_ints(const std::vector<double>& v) { return std::vector<int>(v.begin(), v.end()); }

std::string rule_text(const IndicatorDecl& ind, bool whole) {
  switch (ind.yearly) {
    case Yearly::sum: return whole ? "sum of all months" : "sum of the months";
    case Yearly::last: return "last month";
    case Yearly::mean: return whole ? "mean of all months" : "mean of the months";
    case Yearly::derived: return "recomputed from its components: " + ind.formula;
  }
  return "";
}

}  // namespace

CollectSummary collect(const ModelDescription& model, const Layout& layout, const CollectOptions& options) {
  if (!fs::exists(layout.plan()))
    throw Error(Status::invalid_input, layout.dir.string() + " is not a sweep folder (it has no plan.h5); start one with "
                                       "`ruralsim sweep run SWEEP -o DIR` or `ruralsim sweep plan SWEEP -o DIR`");
  const io::DataFile plan = io::DataFile::open(layout.plan());
  const auto tasks = static_cast<std::uint64_t>(plan.integer("/", "tasks"));
  const std::string sweep_file = plan.text("/", "sweep_file");
  const std::string whole_level = model.levels.at(0).name;
  std::vector<std::string> outputs = options.outputs;
  std::vector<Location> output_at;
  if (outputs.empty() && fs::exists(layout.sweep_copy())) {
    // The copy is verbatim, so line and column are the original file's.
    OutputsEntry entry = read_outputs(read_text(layout.sweep_copy()), sweep_file);
    outputs = std::move(entry.names);
    output_at = std::move(entry.at);
  }
  std::vector<std::string> known;
  for (const IndicatorDecl& ind : model.indicators) known.push_back(ind.name);
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    if (model.find_indicator(outputs[k])) continue;
    const auto s = scenario::suggest(outputs[k], known);
    std::string msg = (k < output_at.size() ? output_at[k].text() : sweep_file) + ": outputs: unknown indicator '" +
                      outputs[k] + "'";
    if (!s.empty()) msg += "; did you mean '" + s.front() + "'?";
    msg += " (`ruralsim describe` lists the " + std::to_string(known.size()) + " indicators)";
    throw Error(Status::invalid_input, msg);
  }

  CollectSummary summary;
  summary.tasks = tasks;
  summary.index = layout.index();
  std::vector<std::string> status(tasks), error(tasks);
  std::vector<std::string> indicators = outputs;
  bool members = false;
  for (const std::string& name : indicators) members = members || needs_members(model, name);
  // Per task: its years, and per indicator the yearly values and the whole run's.
  struct TaskResult {
    std::vector<std::int64_t> years;
    std::vector<std::vector<double>> yearly;  // [indicator][year]
    std::vector<double> period;
  };
  std::vector<TaskResult> results(tasks);
  std::set<std::int64_t> all_years;

  for (std::uint64_t t = 0; t < tasks; ++t) {
    TaskStatus st = task_status(layout, t);
    if (st.state == TaskState::complete) {
      try {
        const io::DataFile f = io::DataFile::open(layout.task_file(t));
        if (indicators.empty()) indicators = f.children("/" + whole_level);
        const std::vector<int> years = as_ints(f.read_doubles("/time/year"));
        const std::vector<int> months = as_ints(f.read_doubles("/time/month"));
        const LevelSeries whole = read_level(f, whole_level, years, months);
        LevelSeries finer;
        if (members && model.levels.size() > 1) finer = read_level(f, model.levels[1].name, years, months);
        const YearlyAggregator aggregator(model, whole, members && model.levels.size() > 1 ? &finer : nullptr);
        TaskResult& r = results[t];
        for (const Window& w : whole.years()) r.years.push_back(w.year);
        for (const std::string& name : indicators) {
          std::vector<double> values = aggregator.by_year(name, 0);
          r.period.push_back(values.back());
          values.pop_back();
          r.yearly.push_back(std::move(values));
        }
        all_years.insert(r.years.begin(), r.years.end());
      } catch (const Error& e) {
        st.state = TaskState::failed;
        st.detail = std::string("cannot read the task file: ") + e.what();
        results[t] = {};
      }
    }
    status[t] = name_of(st.state);
    error[t] = st.detail;
    switch (st.state) {
      case TaskState::complete: ++summary.complete; break;
      case TaskState::failed:
        ++summary.failed;
        summary.failures.emplace_back(t, st.detail);
        break;
      case TaskState::pending: ++summary.pending; break;
    }
  }
  summary.indicators = indicators;

  const std::vector<std::int64_t> years(all_years.begin(), all_years.end());
  const fs::path tmp = layout.index().string() + unique_suffix();
  try {
    io::DataFile out = io::DataFile::create(tmp);
    out.copy_attributes(plan, "/");
    for (const char* group : {"/parameters", "/points", "/tasks"}) out.copy(plan, group);
    out.set("/", "collected_at", utc_now());
    out.set("/", "collected_by", std::string("ruralsim ") + version() + " (" + git_commit() + ")");
    out.set("/", "complete", static_cast<std::int64_t>(summary.complete));
    out.set("/", "failed", static_cast<std::int64_t>(summary.failed));
    out.set("/", "pending", static_cast<std::int64_t>(summary.pending));
    out.set("/", "outputs_requested", static_cast<std::int64_t>(outputs.empty() ? 0 : 1));
    out.write("/tasks/status", status);
    out.describe("/tasks/status", "pending, complete or failed (read off the task files when collected)");
    out.write("/tasks/error", error);
    out.describe("/tasks/error", "Error of a failed task; for a pending one, whether a partial file is left");
    out.write("/results/years", years);
    out.describe("/results/years", "Calendar years of the yearly values", "year");
    out.write("/results/indicators", indicators);
    out.describe("/results/indicators", "Indicators collected, each read off level '" + whole_level + "' of every task file");
    const std::size_t ny = years.size();
    for (std::size_t k = 0; k < indicators.size(); ++k) {
      std::vector<double> yearly(tasks * ny, kNaN);
      std::vector<double> period(tasks, kNaN);
      for (std::uint64_t t = 0; t < tasks; ++t) {
        const TaskResult& r = results[t];
        if (r.yearly.empty()) continue;
        for (std::size_t y = 0; y < r.years.size(); ++y) {
          const auto at = std::lower_bound(years.begin(), years.end(), r.years[y]) - years.begin();
          yearly[t * ny + static_cast<std::size_t>(at)] = r.yearly[k][y];
        }
        period[t] = r.period[k];
      }
      const IndicatorDecl& ind = model.indicator(indicators[k]);
      const std::string base = "/results/" + indicators[k];
      out.write(base + "/yearly", yearly, {static_cast<std::size_t>(tasks), ny});
      out.describe(base + "/yearly", ind.description + " (per task and year: " + rule_text(ind, false) + ")", ind.yearly_unit());
      out.write(base + "/period", period);
      out.describe(base + "/period", ind.description + " (per task, whole run: " + rule_text(ind, true) + ")", ind.yearly_unit());
      out.set(base, "yearly", name_of(ind.yearly));
      out.set(base, "units", ind.yearly_unit());
      out.set(base, "description", ind.description);
      if (!ind.formula.empty()) out.set(base, "formula", ind.formula);
    }
    out.close();
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  std::error_code ec;
  fs::rename(tmp, layout.index(), ec);
  if (ec) throw Error(Status::io, "cannot write " + layout.index().string() + ": " + ec.message());
  return summary;
}

}  // namespace sim::sweep
