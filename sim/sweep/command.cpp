#include "sim/sweep/command.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <regex>
#include <thread>

#include "sim/cli/interrupt.hpp"
#include "sim/cli/text.hpp"
#include "sim/run/simulation.hpp"
#include "sim/scenario/format.hpp"
#include "sim/sweep/runner.hpp"
#include "sim/sweep/shared_past.hpp"

namespace sim::sweep {

namespace fs = std::filesystem;

namespace {

struct Args {
  std::string sweep;
  std::string dir;
  int jobs = 0;
  int threads = 0;
  std::string shard;
  bool quiet = false;
  bool no_collect = false;
  int trial_months = 12;
  bool no_trial = false;
  std::vector<std::string> outputs;
  // slurm
  int shards = 0;
  std::string time = "04:00:00";
  int cpus = 1;
  std::string partition, account, mem, job_name;
  int max_running = 0;
};

Plan load_plan(const cli::App& app, const std::string& file) {
  SweepSpec spec = load_spec(file, app.schema(), app.model().embedded, app.model().default_scenario);
  Plan plan(app.model(), app.schema(), std::move(spec));
  check_shared_past(app.model(), plan);
  return plan;
}

std::string quote(const std::string& s) {
  if (!s.empty() && s.find_first_of(" \t\n'\"\\$`*?[]{}()<>|&;!#~") == std::string::npos) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string absolute(const std::string& p) {
  std::error_code ec;
  const fs::path a = fs::absolute(p, ec);
  return ec ? p : a.lexically_normal().string();
}

std::string seconds_text(double s) {
  char buf[64];
  if (s < 120) std::snprintf(buf, sizeof buf, "%.2f s", s);
  else if (s < 7200) std::snprintf(buf, sizeof buf, "%.1f min", s / 60);
  else std::snprintf(buf, sizeof buf, "%.1f h", s / 3600);
  return buf;
}

std::string parameter_text(const Parameter& p) {
  std::string out;
  if (!p.ranged) {
    out = "values [";
    for (std::size_t k = 0; k < p.values.size(); ++k) {
      if (k == 6 && p.values.size() > 8) {
        out += ", ... (" + std::to_string(p.values.size()) + " values)";
        break;
      }
      out += (k ? ", " : "") + scenario::format_value(p.values[k]);
    }
    return out + "]";
  }
  out = std::string(name_of(p.distribution));
  if (p.distribution == Distribution::normal)
    out += "(mean " + scenario::format_real(p.mean) + ", sd " + scenario::format_real(p.sd) + ")";
  if (std::isfinite(p.min) || std::isfinite(p.max))
    out += " [" + scenario::format_real(p.min) + ", " + scenario::format_real(p.max) + "]";
  return out;
}

void print_plan(const Plan& plan) {
  const SweepSpec& s = plan.spec();
  std::printf("sweep: %s\n", s.file.c_str());
  if (!s.description.empty()) std::printf("  %s\n", s.description.c_str());
  std::printf("base scenario: %s (%s)", plan.base().name().c_str(), plan.base().source().c_str());
  if (!s.fixed.empty()) {
    std::printf(" with");
    for (std::size_t i = 0; i < s.fixed.size(); ++i)
      std::printf("%s %s=%s", i ? "," : "", s.fixed[i].key.c_str(), scenario::format_value(s.fixed[i].value).c_str());
  }
  std::printf("\nparameters (%zu):\n", s.parameters.size());
  for (const auto& p : s.parameters)
    std::printf("  %-36s %s\n", (p.name == p.key ? p.key : p.name + " (" + p.key + ")").c_str(), parameter_text(p).c_str());
  std::printf("design: %s, %zu points", name_of(s.design.type), plan.points());
  switch (s.design.type) {
    case DesignType::sobol:
      std::printf(" (Saltelli: N=%lld base samples x (%zu parameters + 2); seed %llu)", static_cast<long long>(s.design.samples),
                  s.parameters.size(), static_cast<unsigned long long>(s.design.seed));
      break;
    case DesignType::morris:
      std::printf(" (%lld trajectories x (%zu parameters + 1), %lld levels; seed %llu)",
                  static_cast<long long>(s.design.trajectories), s.parameters.size(), static_cast<long long>(s.design.levels),
                  static_cast<unsigned long long>(s.design.seed));
      break;
    case DesignType::lhs: std::printf(" (seed %llu)", static_cast<unsigned long long>(s.design.seed)); break;
    default: break;
  }
  std::printf("\nreplicates: %u per point, seed rule %s", s.replicates, name_of(s.seed_rule));
  if (s.seed_rule == SeedRule::same)
    std::printf(" (seed %lld at every point: replicate k has the same random streams everywhere)",
                static_cast<long long>(plan.base().integer("run.seed")));
  else
    std::printf(" (each point its own seed, derived from %lld)", static_cast<long long>(plan.base().integer("run.seed")));
  std::printf("\ntasks: %zu (%zu points x %u replicate%s)\nhash: %s\n", plan.tasks(), plan.points(), s.replicates,
              s.replicates == 1 ? "" : "s", plan.hash().c_str());
}

// Runs task 0 for a few months on one thread and extrapolates; checks the
// sweep's outputs against the indicators the trial recorded.
void trial(const cli::App& app, const Plan& plan, int trial_months) {
  scenario::Scenario sc = plan.scenario_for(0);
  const std::int64_t months0 = plan.months_of(0);
  const std::int64_t months = std::min<std::int64_t>(months0, std::max(1, trial_months));
  sc.set("run.months", months, {"trial", 0, 0});
  const fs::path out = fs::temp_directory_path() / ("ruralsim-sweep-trial-" + std::to_string(::getpid()) + ".h5");
  RunOptions ro;
  ro.output = out;
  ro.force = true;
  ro.threads = 1;
  ro.replicate = plan.task(0).replicate;
  ro.command_line = app.program() + " sweep plan (trial)";
  ro.stop = &cli::catch_interrupts();
  std::error_code ec;
  RunResult r;
  try {
    r = run(app.model(), sc, ro);
  } catch (...) {
    fs::remove(out.string() + ".partial", ec);
    throw;
  }
  fs::remove(r.output, ec);
  if (!r.complete) throw Error(Status::interrupted, "the trial run was interrupted");
  // The step loop scales with the months; set-up and writing the file's
  // static tables and end metadata do not.
  double stepping = 0;
  for (const auto& phase : r.phases) stepping += phase.seconds;
  stepping = std::min(stepping, r.seconds - r.setup_seconds);
  const double per_month = r.steps_run > 0 ? stepping / r.steps_run : 0.0;
  const double fixed = r.seconds - stepping;
  double total = 0;
  for (std::uint64_t p = 0; p < plan.points(); ++p)
    total += (fixed + per_month * static_cast<double>(plan.months_of(p))) * plan.spec().replicates;
  const double per_task = fixed + per_month * static_cast<double>(months0);
  std::printf("trial: task 0 run for %lld of its %lld months on 1 thread in %s (%s set-up and output, %.4f s per month)\n",
              static_cast<long long>(months), static_cast<long long>(months0), seconds_text(r.seconds).c_str(),
              seconds_text(fixed).c_str(), per_month);
  std::printf("estimate: %s per task on one core; %zu tasks = %.3g core-hours\n", seconds_text(per_task).c_str(),
              plan.tasks(), total / 3600.0);
  std::printf(
      "  (extrapolated linearly from the trial: set-up and output + months x time per month, on this machine;\n"
      "   tasks whose parameters change the population or the run length take correspondingly longer or shorter,\n"
      "   and running a task on several threads costs more core-hours than on one)\n");
  const SweepSpec& s = plan.spec();
  std::vector<std::string> known;
  for (const IndicatorDecl& ind : app.model().indicators) known.push_back(ind.name);
  for (std::size_t k = 0; k < s.outputs.size(); ++k) {
    if (app.model().find_indicator(s.outputs[k])) continue;
    const auto suggestions = scenario::suggest(s.outputs[k], known);
    throw Error(Status::invalid_input, s.output_at[k].text() + ": outputs: unknown indicator '" + s.outputs[k] + "'" +
                                           (suggestions.empty() ? std::string() : "; did you mean '" + suggestions.front() + "'?"));
  }
}

void print_collect(const CollectSummary& c) {
  std::printf("sweep: %zu of %s complete, %zu failed, %zu pending\n", c.complete, cli::count_of(c.tasks, "task").c_str(),
              c.failed, c.pending);
  for (std::size_t i = 0; i < c.failures.size() && i < 20; ++i)
    std::printf("  task %llu failed: %s\n", static_cast<unsigned long long>(c.failures[i].first), c.failures[i].second.c_str());
  if (c.failures.size() > 20) std::printf("  ... and %zu more failed tasks\n", c.failures.size() - 20);
  std::printf("index: %s\n", c.index.string().c_str());
}

// A whole number of digits alone (no sign, no spaces), within int.
std::optional<int> plain_count(std::string_view text) {
  int v = 0;
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// Shard I/N from --shard, else from a Slurm array's environment.
std::pair<int, int> shard_of(const std::string& text) {
  std::string s = text;
  std::string from = "--shard";
  if (s.empty()) {
    const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
    const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
    if (!id || !count) return {0, 1};
    const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
    const auto i = plain_count(id), lowest = plain_count(min ? min : "0");
    from = "the shard from SLURM_ARRAY_TASK_ID, _MIN and _COUNT";
    s = (i && lowest && *i >= *lowest ? std::to_string(*i - *lowest) : std::string(id)) + "/" + count;
  }
  const auto slash = s.find('/');
  const auto i = slash == std::string::npos ? std::nullopt : plain_count(std::string_view(s).substr(0, slash));
  const auto n = slash == std::string::npos ? std::nullopt : plain_count(std::string_view(s).substr(slash + 1));
  if (!i || !n || *n < 1 || *i >= *n)
    throw Error(Status::usage, from + ": expected I/N with 0 <= I < N (whole numbers, N at most " +
                                   std::to_string(std::numeric_limits<int>::max()) + "), e.g. --shard 0/3, found '" + s +
                                   "'");
  return {*i, *n};
}

std::string self_path() {
  std::error_code ec;
  const fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("ruralsim") : p.string();
}

// Slurm's time formats: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S (digits only).
CLI::Validator slurm_time() {
  return CLI::Validator(
      [](std::string& text) {
        const std::regex form(R"(^(\d+|\d+:\d+|\d+:\d+:\d+|\d+-\d+|\d+-\d+:\d+|\d+-\d+:\d+:\d+)$)");
        if (std::regex_match(text, form)) return std::string();
        return "'" + text + "' is not a Slurm time (minutes, minutes:seconds, hours:minutes:seconds, days-hours, "
               "days-hours:minutes or days-hours:minutes:seconds, e.g. 04:00:00 or 1-12:00:00)";
      },
      "TIME");
}

int exit_status(const std::vector<TaskOutcome>& outcomes, const std::atomic<bool>& stop) {
  bool failed = false;
  for (const auto& o : outcomes) {
    if (o.status == "interrupted" || stop.load()) return static_cast<int>(Status::interrupted);
    failed = failed || o.status == "failed";
  }
  return failed ? static_cast<int>(Status::failure) : 0;
}

int cmd_run(const cli::App& app, const Args& a) {
  const Plan plan = load_plan(app, a.sweep);
  const Layout layout{a.dir};
  // Plain variables, not a structured binding: the lambdas below capture them
  // (clang before 16 cannot capture bindings).
  const std::pair<int, int> shard_pair = shard_of(a.shard);
  const int shard = shard_pair.first, shards = shard_pair.second;
  std::string command_line = app.program() + " sweep run " + quote(plan.spec().file) + " -o " + quote(absolute(a.dir));
  if (shards > 1) command_line += " --shard " + std::to_string(shard) + "/" + std::to_string(shards);
  const std::atomic<bool>& stop = cli::catch_interrupts();

  const std::size_t total = plan.tasks();
  std::size_t done_count = 0;
  std::size_t assigned = 0;
  const bool quiet = a.quiet;
  auto report = [&](const TaskOutcome& o) {
    ++done_count;
    const Task t = plan.task(o.task);
    if (o.status == "failed")
      std::fprintf(stderr, "task %llu (point %llu, replicate %u) failed: %s\n", static_cast<unsigned long long>(o.task),
                   static_cast<unsigned long long>(t.point), t.replicate, o.error.c_str());
    else if (!quiet || o.status != "complete")
      std::fprintf(stderr, "[%zu/%zu] task %llu (point %llu, replicate %u): %s in %s\n", done_count, assigned,
                   static_cast<unsigned long long>(o.task), static_cast<unsigned long long>(t.point), t.replicate,
                   o.status.c_str(), seconds_text(o.seconds).c_str());
  };
  auto start = [&](const std::string& how) {
    for (const auto& w : prepare(plan, layout)) std::fprintf(stderr, "%s: warning: %s\n", app.program().c_str(), w.c_str());
    std::size_t complete = 0;
    std::vector<std::uint64_t> todo = tasks_to_run(plan, layout, shard, shards, &complete);
    assigned = todo.size();
    std::printf("sweep %s: %s (%s x %s)", plan.hash().substr(0, 19).c_str(), cli::count_of(total, "task").c_str(),
                cli::count_of(plan.points(), "point").c_str(), cli::count_of(plan.spec().replicates, "replicate").c_str());
    if (shards > 1) std::printf("; shard %d/%d holds %zu", shard, shards, todo.size() + complete);
    std::printf("; %zu already complete, %zu to run%s\n", complete, todo.size(), how.c_str());
    std::fflush(stdout);
    return todo;
  };
  std::vector<TaskOutcome> outcomes;
  bool collect_here = shards == 1 && !a.no_collect;
  auto finish = [&] {
    if (!collect_here) {
      // What happened to this shard's tasks, by outcome (an interrupted
      // task is not counted as run).
      std::size_t complete = 0, failed = 0, interrupted = 0;
      for (const auto& o : outcomes) {
        complete += o.status == "complete" ? 1 : 0;
        failed += o.status == "failed" ? 1 : 0;
        interrupted += o.status == "interrupted" ? 1 : 0;
      }
      std::printf("shard %d/%d: %zu of %s complete, %zu failed, %zu interrupted, %zu not started; when every shard is "
                  "done: %s sweep collect %s\n",
                  shard, shards, complete, cli::count_of(assigned, "task").c_str(), failed, interrupted,
                  assigned - std::min(assigned, complete + failed + interrupted), app.program().c_str(), a.dir.c_str());
      return;
    }
    print_collect(collect(app.model(), layout));
  };

  int world = 1;
  if (mpi_launched(&world) && world != 1) {
    MpiOptions mo;
    mo.threads = a.threads;
    mo.command_line = command_line;
    mo.stop = &stop;
    mo.quiet = a.quiet;
    const MpiResult r = run_mpi(
        app.model(), plan, layout,
        [&] {
          return start(" under MPI on " + cli::count_of(static_cast<std::size_t>(world), "rank") + " (" +
                       cli::count_of(static_cast<std::size_t>(world - 1), "worker") + ")");
        },
        mo,
        [&](const TaskOutcome& o) {
          outcomes.push_back(o);
          report(o);
        },
        finish);
    // Workers exit as the root does when interrupted, so mpirun's status is
    // the documented 130 whichever rank it reports.
    if (!r.root) return stop.load() ? static_cast<int>(Status::interrupted) : 0;
    return exit_status(r.outcomes, stop);
  }
  LocalOptions lo;
  lo.jobs = a.jobs;
  lo.threads = a.threads;
  lo.command_line = command_line;
  lo.stop = &stop;
  const int threads = a.threads > 0 ? a.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const std::vector<std::uint64_t> todo = start("");
  if (!todo.empty()) {
    const int jobs = std::max(1, std::min<int>(a.jobs > 0 ? a.jobs : threads, static_cast<int>(todo.size())));
    std::printf("running %s at once on %s\n", cli::count_of(static_cast<std::size_t>(jobs), "task").c_str(),
                cli::count_of(static_cast<std::size_t>(threads), "thread").c_str());
    std::fflush(stdout);
  }
  outcomes = run_local(app.model(), plan, layout, todo, lo, report);
  finish();
  return exit_status(outcomes, stop);
}

void write_script(const fs::path& path, const std::string& text) {
  write_text_atomically(path, text);
  fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec, fs::perm_options::add);
}

int cmd_slurm(const cli::App& app, const Args& a) {
  const Plan plan = load_plan(app, a.sweep);
  const Layout layout{absolute(a.dir)};
  for (const auto& w : prepare(plan, layout)) std::fprintf(stderr, "%s: warning: %s\n", app.program().c_str(), w.c_str());
  const int shards = static_cast<int>(std::min<std::size_t>(a.shards > 0 ? static_cast<std::size_t>(a.shards) : 64, plan.tasks()));
  const fs::path dir = layout.dir / "slurm";
  fs::create_directories(dir);
  const std::string exe = quote(self_path());
  // Named after the sweep file, so that two sweeps on one base scenario
  // are told apart in squeue.
  const std::string name = a.job_name.empty() ? "sweep-" + fs::path(plan.spec().file).stem().string() : a.job_name;
  std::string common;
  if (!a.partition.empty()) common += "#SBATCH --partition=" + a.partition + "\n";
  if (!a.account.empty()) common += "#SBATCH --account=" + a.account + "\n";
  std::string array = "#!/bin/bash\n"
                      "# Slurm array job of the sweep " + plan.spec().file + " (" + plan.hash() + "), written by\n"
                      "# `ruralsim sweep slurm`. Shard I of N runs the tasks t with t mod N = I; each task\n"
                      "# writes its own file under tasks/, so the shards never write the same file.\n"
                      "#SBATCH --job-name=" + name + "\n"
                      "#SBATCH --array=0-" + std::to_string(shards - 1) + (a.max_running > 0 ? "%" + std::to_string(a.max_running) : "") + "\n"
                      "#SBATCH --ntasks=1\n"
                      "#SBATCH --cpus-per-task=" + std::to_string(a.cpus) + "\n"
                      "#SBATCH --time=" + a.time + "\n" +
                      (a.mem.empty() ? "" : "#SBATCH --mem=" + a.mem + "\n") + common +
                      "#SBATCH --output=" + (dir / "%A_%a.out").string() + "\n"
                      "# Pre-emption and the time limit: Slurm sends SIGTERM to this script (which is\n"
                      "# ruralsim, by exec) 120 s before it stops the job; the running tasks then write a\n"
                      "# checkpoint (tasks/<t>.YYYY-MM.ckpt) and a requeued or resubmitted shard continues\n"
                      "# them from it, to the output an uninterrupted run gives.\n"
                      "#SBATCH --signal=B:TERM@120\n"
                      "#SBATCH --requeue\n"
                      "set -eu\n"
                      "# NFS and Lustre often lack the POSIX locks HDF5 takes by default.\n"
                      "export HDF5_USE_FILE_LOCKING=FALSE\n"
                      "# The shard comes from SLURM_ARRAY_TASK_ID, _MIN and _COUNT, so an\n"
                      "# `sbatch --array=...` of another size still splits every task once.\n"
                      "exec " + exe + " sweep run " + quote(plan.spec().file) + " -o " + quote(layout.dir.string()) +
                      " --threads " + std::to_string(a.cpus) + " -q\n";
  std::string collect_job = "#!/bin/bash\n"
                            "# Builds the index sweep.h5 once every shard of the array job has ended.\n"
                            "#SBATCH --job-name=" + name + "-collect\n"
                            "#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n#SBATCH --time=01:00:00\n" + common +
                            "#SBATCH --output=" + (dir / "collect_%j.out").string() + "\n"
                            "set -eu\nexport HDF5_USE_FILE_LOCKING=FALSE\n"
                            "exec " + exe + " sweep collect " + quote(layout.dir.string()) + "\n";
  std::string submit = "#!/bin/sh\n"
                       "# Submits the array job and the collect step, which runs after every shard has ended\n"
                       "# (afterany: failed tasks are listed in the index; rerun the array to retry them).\n"
                       "set -eu\n"
                       "jid=$(sbatch --parsable " + quote((dir / "sweep.sbatch").string()) + ")\n"
                       "jid=${jid%%;*}\n"
                       "sbatch --dependency=afterany:$jid " + quote((dir / "collect.sbatch").string()) + "\n"
                       "echo \"submitted array job $jid (" + std::to_string(shards) + " shards) and its collect step\"\n";
  write_script(dir / "sweep.sbatch", array);
  write_script(dir / "collect.sbatch", collect_job);
  write_script(dir / "submit.sh", submit);
  std::printf("%zu tasks in %d shards (about %zu tasks each), %d cpus and %s per shard\n", plan.tasks(), shards,
              (plan.tasks() + static_cast<std::size_t>(shards) - 1) / static_cast<std::size_t>(shards), a.cpus, a.time.c_str());
  std::printf("wrote %s\n      %s\n      %s\nsubmit with: sh %s\n", (dir / "sweep.sbatch").c_str(),
              (dir / "collect.sbatch").c_str(), (dir / "submit.sh").c_str(), quote((dir / "submit.sh").string()).c_str());
  return 0;
}

}  // namespace

void add_sweep_command(cli::App& app) {
  auto args = std::make_shared<Args>();
  auto* sweep = app.cli().add_subcommand("sweep", "Batch parameter sweeps: plan, run (locally, under MPI or as Slurm shards), collect");
  sweep->require_subcommand(1);

  auto* plan = sweep->add_subcommand("plan", "Check a sweep file, count its tasks and estimate core-hours from a timed trial");
  plan->add_option("sweep", args->sweep, "Sweep file (YAML; see docs/sweeps.md)")->required();
  plan->add_option("-o,--output", args->dir, "Also prepare this sweep folder and write its index (all tasks pending)");
  plan->add_option("--trial-months", args->trial_months, "Months of the timed trial run (default 12)")->check(CLI::PositiveNumber);
  plan->add_flag("--no-trial", args->no_trial, "Skip the timed trial (and the check of outputs against the model)");
  plan->callback([&app, args] {
    const Plan p = load_plan(app, args->sweep);
    print_plan(p);
    std::fflush(stdout);
    if (!args->no_trial) trial(app, p, args->trial_months);
    if (!args->dir.empty()) {
      const Layout layout{args->dir};
      for (const auto& w : prepare(p, layout)) std::fprintf(stderr, "%s: warning: %s\n", app.program().c_str(), w.c_str());
      print_collect(collect(app.model(), layout));
    }
  });

  auto* run = sweep->add_subcommand(
      "run", "Run a sweep's tasks into a folder; rerunning resumes (skips complete tasks, reruns failed or interrupted ones)");
  run->add_option("sweep", args->sweep, "Sweep file")->required();
  run->add_option("-o,--output", args->dir, "Sweep folder (created; tasks/<t>.h5, sweep.h5)")->required();
  run->add_option("--jobs", args->jobs, "Tasks run at once (default: as many as threads)")->check(CLI::NonNegativeNumber);
  run->add_option("--threads", args->threads,
                  "Worker threads (default: all cores; under MPI: per rank, the node's cores shared among its ranks)")
      ->check(CLI::NonNegativeNumber);
  run->add_option("--shard", args->shard,
                  "Run only shard I of N (tasks t with t mod N = I), e.g. 0/3; default from SLURM_ARRAY_TASK_ID and "
                  "SLURM_ARRAY_TASK_COUNT");
  run->add_flag("--no-collect", args->no_collect, "Do not rebuild the index at the end");
  run->add_flag("-q,--quiet", args->quiet, "Report only failed and interrupted tasks");
  run->callback([&app, args] {
    if (const int rc = cmd_run(app, *args); rc != 0) throw CLI::RuntimeError(rc);
  });

  auto* coll = sweep->add_subcommand("collect", "Rebuild a sweep folder's index (sweep.h5) from its task files");
  coll->add_option("dir", args->dir, "Sweep folder")->required();
  coll->add_option("--outputs", args->outputs, "Indicators to collect (default: the sweep file's outputs, else all)")
      ->delimiter(',');
  coll->callback([&app, args] {
    CollectOptions o;
    o.outputs = args->outputs;
    print_collect(collect(app.model(), Layout{args->dir}, o));
  });

  auto* slurm = sweep->add_subcommand("slurm", "Write a Slurm array job (and its collect step) that runs a sweep as shards");
  slurm->add_option("sweep", args->sweep, "Sweep file")->required();
  slurm->add_option("-o,--output", args->dir, "Sweep folder on a filesystem every node sees")->required();
  slurm->add_option("--shards", args->shards, "Array size (default: 64, at most the number of tasks)")->check(CLI::PositiveNumber);
  slurm->add_option("--time", args->time, "Time limit per shard (default 04:00:00; see `sweep plan` for an estimate)")
      ->check(slurm_time());
  slurm->add_option("--cpus", args->cpus, "CPUs per shard, used as its threads (default 1)")->check(CLI::PositiveNumber);
  slurm->add_option("--mem", args->mem, "Memory per shard, e.g. 4G");
  slurm->add_option("--partition", args->partition, "Slurm partition");
  slurm->add_option("--account", args->account, "Slurm account");
  slurm->add_option("--job-name", args->job_name, "Job name (default sweep-<base scenario>)");
  slurm->add_option("--max-running", args->max_running, "At most this many shards at once (array throttle %N)")
      ->check(CLI::PositiveNumber);
  slurm->callback([&app, args] { cmd_slurm(app, *args); });
}

}  // namespace sim::sweep
