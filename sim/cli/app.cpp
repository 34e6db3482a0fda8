#include "sim/cli/app.hpp"
#include "sim/cli/interrupt.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <map>
#include <optional>

#include "sim/cli/progress.hpp"
#include "sim/cli/text.hpp"
#include "sim/io/checkpoint.hpp"
#include "sim/io/recorder.hpp"
#include "sim/model/description_text.hpp"
#include "sim/run/branch.hpp"
#include "sim/run/ensemble.hpp"
#include "sim/run/simulation.hpp"
#include "sim/version.hpp"

namespace sim::cli {

namespace {

std::string default_output(const std::string& scenario, std::uint64_t seed, unsigned replicate) {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
  return "runs/" + scenario + "-s" + std::to_string(seed) + "-r" + std::to_string(replicate) + "-" + stamp + ".h5";
}

// A value without a declared format: whole numbers as such, others with
// four significant digits (never "84.000" beside "236").
std::string format_number(double v) {
  char buf[64];
  const double a = v < 0 ? -v : v;
  if (a != 0.0 && (a >= 1e7 || a < 1e-2)) std::snprintf(buf, sizeof buf, "%.4g", v);
  else if (a >= 100 || v == std::round(v)) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// An integer option's check with a plain message ("must be at least 1"),
// not CLI11's range of doubles.
CLI::Validator at_least(long long lowest) {
  return CLI::Validator(
      [lowest](std::string& text) {
        char* end = nullptr;
        const long long v = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || *end != '\0') return "'" + text + "' is not a whole number";
        if (v < lowest) return "'" + text + "' is too small: it must be at least " + std::to_string(lowest);
        return std::string();
      },
      "INT>=" + std::to_string(lowest));
}

// A whole number in [lowest, highest] (highest a key's range, e.g. run.seed's
// 9.2e18): too large to read is too large, not the largest number read.
CLI::Validator whole_in(long long lowest, double highest, std::string key) {
  return CLI::Validator(
      [lowest, highest, key](std::string& text) {
        char* end = nullptr;
        errno = 0;
        const long long v = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || *end != '\0') return "'" + text + "' is not a whole number";
        char max[32];
        std::snprintf(max, sizeof max, "%.0f", highest);
        if (errno == ERANGE || static_cast<double>(v) > highest)
          return "'" + text + "' is too large: it must be at most " + max + " (the range of " + key + ")";
        if (v < lowest) return "'" + text + "' is too small: it must be at least " + std::to_string(lowest);
        return std::string();
      },
      "INT>=" + std::to_string(lowest));
}

// A yearly value as its indicator's format asks.
std::string format_value(double v, const std::string& format) {
  char buf[64];
  if (!std::isfinite(v)) return "-";
  if (format == "int" || format == "money") std::snprintf(buf, sizeof buf, "%.0f", v);
  else if (format == "pct") std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * v);
  else if (format == "ratio") std::snprintf(buf, sizeof buf, "%.3f", v);
  else if (format == "months") std::snprintf(buf, sizeof buf, "%.2f", v);
  else return format_number(v);
  return buf;
}

void print_summary(const RunResult& r, std::FILE* out) {
  std::fprintf(out, "\nagents:");
  for (const auto& [kind, n] : r.agents) std::fprintf(out, " %zu %s", n, kind.c_str());
  std::fprintf(out, "; %u of %s on %s in %.2f s (set-up %.2f s)\n", r.steps_run, count_of(r.steps, "step").c_str(),
               count_of(static_cast<std::size_t>(r.threads), "thread").c_str(), r.seconds, r.setup_seconds);
  if (r.summary.empty()) return;
  std::fprintf(out, "\n%-34s %-16s", ("yearly values, " + r.summary_level).c_str(), "unit");
  for (std::size_t y = 0; y < r.summary_years.size(); ++y)
    std::fprintf(out, " %10s", (std::to_string(r.summary_years[y]) + (r.summary_full_years[y] ? "" : "*")).c_str());
  std::fprintf(out, "\n");
  bool partial = false;
  for (bool full : r.summary_full_years) partial = partial || !full;
  for (const auto& row : r.summary) {
    const std::string unit = row.unit == "1" ? (row.format == "pct" ? "share" : "ratio") : row.unit;
    std::fprintf(out, "%-34s %-16s", row.name.c_str(), unit.c_str());
    for (double v : row.values) std::fprintf(out, " %10s", format_value(v, row.format).c_str());
    std::fprintf(out, "\n");
  }
  if (partial) std::fprintf(out, "* a year the run covers only in part\n");
}

}  // namespace

App::App(const ModelDescription& model, std::string program)
    : model_(model), program_(std::move(program)), schema_(full_schema(model)), app_(model.description, program_) {
  app_.require_subcommand(1);
  app_.set_version_flag("--version", program_ + ": ruralsim " + std::string(version()) + " (" + git_commit() +
                                         "), model " + model.name + " " + model.version);

  auto* run = app_.add_subcommand("run", "Run a scenario and write its trajectories to an HDF5 file");
  run->add_option("scenario", run_.scenario, "Scenario file or built-in name (default: the model's default scenario)");
  run->add_option("-o,--output", run_.output, "Output file (default: runs/<scenario>-s<seed>-r<rep>-<time>.h5)");
  run->add_option("--seed", run_.seed, "Seed (overrides run.seed)")
      ->check(whole_in(0, schema_.find("run.seed")->max, "run.seed"));
  run->add_option("--replicate", run_.replicate, "Replicate index: another independent set of random streams");
  run->add_option("--replicates", run_.replicates,
                  "Run an ensemble of N replicates (0..N-1) into the folder given by -o, with ensemble.json naming them")
      ->check(at_least(1));
  run->add_option("--replicate-list", run_.replicate_list, "Run an ensemble of exactly these replicate indices")
      ->delimiter(',');
  run->add_option("--jobs", run_.jobs, "Replicates run at once in an ensemble (default: as many as threads)")
      ->check(at_least(0));
  run->add_option("--threads", run_.threads, "Worker threads (default: all cores)")->check(at_least(0));
  run->add_option("--set", run_.sets, "Override a scenario key: --set path.to.key=value (repeatable)");
  run->add_flag("--force", run_.force, "Replace an existing output file");
  run->add_flag("-q,--quiet", run_.quiet, "No progress and no summary");
  run->add_flag("--profile", run_.profile, "Print time spent in each phase of the step");
  run->add_option("--checkpoint-every", run_.checkpoint_every,
                  "Write a checkpoint (OUTPUT without .h5 + .YYYY-MM.ckpt) after every N months, keeping the newest, "
                  "and one when interrupted")
      ->check(at_least(1));
  run->add_flag("--keep-checkpoints", run_.keep_checkpoints, "Keep every checkpoint, not only the newest");
  auto* restart = run->add_option("--restart", run_.restart,
                                  "Continue the run of a checkpoint; its output is the uninterrupted run's, bit for bit "
                                  "(default output: the file the run was writing)");
  run->add_option("--from", run_.from,
                  "Branch: run SCENARIO from a checkpoint's state (its months are shared, not re-run); refused if the "
                  "scenario differs in what would have changed them")
      ->excludes(restart);
  run->add_option("--from-month", run_.from_month,
                  "With --from FOLDER (an ensemble): the month of the checkpoints to branch from, YYYY-MM");
  run->callback([this] { exit_code_ = cmd_run(); });

  auto* validate = app_.add_subcommand("validate", "Check a scenario file without running it");
  validate->add_option("scenario", validate_.scenario, "Scenario file or built-in name")->required();
  validate->add_option("--set", validate_.sets, "Override a scenario key (as for run)");
  validate->add_flag("--print", validate_.print, "Print the resolved scenario, every key with its value");
  validate->callback([this] { exit_code_ = cmd_validate(); });

  auto* schema = app_.add_subcommand("schema", "List every scenario key with its type, default, range and meaning");
  schema->add_flag("--markdown", schema_markdown_, "As a Markdown table");
  schema->callback([this] { std::cout << scenario::describe(schema_, schema_markdown_); });

  auto* describe = app_.add_subcommand(
      "describe", "The model as declared: agent tables, levels, indicators with their yearly rules, events");
  auto* format = describe->add_option("--format", describe_format_, "markdown (default) or json")
                     ->check(CLI::IsMember({"markdown", "json"}));
  (void)format;
  describe->callback([this] {
    std::cout << (describe_format_ == "json" ? to_json(model_) : to_markdown(model_));
  });

  auto* scenarios = app_.add_subcommand("scenarios", "List the built-in scenarios with what each asks");
  scenarios->callback([this] { exit_code_ = cmd_scenarios(); });

  auto* info = app_.add_subcommand("info", "Summarise an output file");
  info->add_option("file", info_.file, "HDF5 output of a run")->required();
  info->add_flag("--hash", info_.hash, "Print only the content hash (equal for runs that must be identical)");
  info->add_flag("--data-hash", info_.data_hash,
                 "Print only the hash of the datasets (names, types, shapes, values), not of the metadata: equal for "
                 "two builds that compute the same numbers");
  info->callback([this] { exit_code_ = cmd_info(); });
}

std::vector<std::string> App::builtin_scenarios() const {
  std::vector<std::string> names;
  const std::string dir = "scenarios/";
  for (const auto& f : model_.embedded) {
    const std::string_view n = f.name;
    if (n.rfind(dir, 0) == 0 && n.size() > 5 && n.substr(n.size() - 5) == ".yaml" &&
        n.find('/', dir.size()) == std::string_view::npos)
      names.emplace_back(n.substr(dir.size(), n.size() - dir.size() - 5));
  }
  std::sort(names.begin(), names.end());
  return names;
}

scenario::Scenario App::load_scenario(const std::string& file, const std::vector<std::string>& overrides) const {
  const std::string chosen = file.empty() ? model_.default_scenario : file;
  // A name that is neither a file nor a built-in scenario: say what exists.
  std::error_code ec;
  const std::string stem = chosen.size() > 5 && chosen.substr(chosen.size() - 5) == ".yaml" ? chosen.substr(0, chosen.size() - 5)
                                                                                             : chosen;
  const auto builtins = builtin_scenarios();
  if (!scenario::is_builtin(chosen) && !std::filesystem::exists(chosen, ec) &&
      std::find(builtins.begin(), builtins.end(), stem) == builtins.end()) {
    const auto near = scenario::suggest(stem, builtins, 1);
    std::string list;
    for (const auto& b : builtins) list += (list.empty() ? "" : ", ") + b;
    throw Error(Status::io, "scenario '" + chosen + "': no such file and no built-in scenario of that name" +
                                (near.empty() ? "" : "; did you mean '" + near.front() + "'?") +
                                " (built-in scenarios: " + list + "; `" + program_ + " scenarios` describes them)");
  }
  return scenario::load(chosen, schema_, overrides, model_.embedded);
}

int App::cmd_scenarios() {
  std::printf("built-in scenarios (`%s run NAME`; a file of the same name on disk takes precedence):\n\n", program_.c_str());
  for (const auto& name : builtin_scenarios()) {
    const auto sc = scenario::load("builtin:scenarios/" + name + ".yaml", schema_, {}, model_.embedded);
    const bool is_default = "builtin:scenarios/" + name + ".yaml" == model_.default_scenario;
    std::printf("  %-22s %s%s\n", name.c_str(), sc.description().c_str(), is_default ? " (the default)" : "");
  }
  return 0;
}

int App::cmd_run() {
  CLI::App* command = app_.get_subcommand("run");
  const std::string& checkpoint = run_.restart.empty() ? run_.from : run_.restart;
  std::optional<io::CheckpointHeader> header;
  // An ensemble branches from a folder of checkpoints, one per replicate.
  const bool from_folder = !run_.from.empty() && std::filesystem::is_directory(run_.from);
  if (!checkpoint.empty() && !from_folder) header = io::read_checkpoint_header(checkpoint);
  std::optional<scenario::Scenario> loaded;
  if (!run_.restart.empty()) {
    // The checkpoint's own run: nothing about it may change.
    for (const char* option : {"scenario", "--set", "--seed", "--replicate", "--replicates", "--replicate-list"})
      if (command->count(option) > 0)
        throw Error(Status::usage, std::string("--restart continues the checkpoint's own run: ") +
                                       (option[0] == '-' ? option : "a scenario") +
                                       " cannot be given (to run another scenario from it, use --from)");
    loaded = checkpoint_scenario(model_, schema_, *header);
    run_.replicate = header->replicate;
    if (run_.output.empty()) run_.output = header->output;
  } else {
    std::vector<std::string> sets = run_.sets;
    if (run_.seed >= 0) sets.push_back("run.seed=" + std::to_string(run_.seed));
    loaded = load_scenario(run_.scenario, sets);
    if (header && command->count("--replicate") == 0) run_.replicate = header->replicate;
  }
  const scenario::Scenario& sc = *loaded;
  if (run_.replicates > 0 || !run_.replicate_list.empty()) {
    if (!run_.restart.empty()) throw Error(Status::usage, "--restart continues one run; an ensemble cannot be given");
    if (header)
      throw Error(Status::usage, "an ensemble branches from a folder of checkpoints, one per replicate (an ensemble "
                                 "run with --checkpoint-every), not from one checkpoint: --from FOLDER");
    return cmd_run_ensemble(sc);
  }
  if (from_folder)
    throw Error(Status::usage, "--from " + run_.from + ": a folder of checkpoints serves an ensemble (--replicates); "
                               "one run branches from one checkpoint file");
  const std::atomic<bool>& stop = catch_interrupts();

  RunOptions options;
  options.output = run_.output.empty()
                       ? default_output(sc.name(), static_cast<std::uint64_t>(sc.integer("run.seed")), run_.replicate)
                       : run_.output;
  options.force = run_.force;
  options.threads = run_.threads;
  options.replicate = run_.replicate;
  options.command_line = command_line_;
  options.stop = &stop;
  options.checkpoint_every = run_.checkpoint_every;
  options.keep_checkpoints = run_.keep_checkpoints;
  options.checkpoint_on_stop = run_.checkpoint_every > 0;
  if (!checkpoint.empty()) options.resume_from = checkpoint;
  Progress progress(!run_.quiet);
  const std::uint32_t resumed = header ? header->step : 0;
  options.on_start = [&progress, resumed](const OutputSpec&) { progress.setup_done(resumed); };
  options.observers.push_back([&progress](const StepRecord& r) { progress(r); });
  options.on_checkpoint = [&progress](const std::filesystem::path& p) { progress.note("checkpoint: " + p.string()); };

  const RunResult result = run(model_, sc, options);
  progress.done();

  if (!run_.quiet) {
    std::printf("scenario %s (%s), seed %lld, replicate %u\n", sc.name().c_str(), sc.source().c_str(),
                static_cast<long long>(sc.integer("run.seed")), run_.replicate);
    print_summary(result, stdout);
  }
  if (run_.profile) {
    std::printf("\n%-28s %10s\n", "phase", "seconds");
    for (const auto& p : result.phases) std::printf("%-28s %10.3f\n", p.name.c_str(), p.seconds);
    std::printf("%-28s %10zu\n", "state bytes", result.state_bytes);
  }
  if (!result.complete) {
    std::fprintf(stderr, "%s: interrupted after step %u of %u; partial output kept as %s\n", program_.c_str(),
                 result.steps_run, result.steps, result.output.string().c_str());
    if (!result.checkpoint.empty())
      std::fprintf(stderr, "%s: continue it with: %s run --restart %s\n", program_.c_str(), program_.c_str(),
                   result.checkpoint.string().c_str());
    return static_cast<int>(Status::interrupted);
  }
  std::printf("%soutput: %s\n", run_.quiet ? "" : "\n", result.output.string().c_str());
  return 0;
}

int App::cmd_run_ensemble(const scenario::Scenario& sc) {
  EnsembleOptions options;
  if (!run_.replicate_list.empty()) options.replicates.assign(run_.replicate_list.begin(), run_.replicate_list.end());
  for (unsigned k = 0; k < run_.replicates; ++k) options.replicates.push_back(k);
  // Run twice, a replicate would race itself for one file and be listed twice.
  for (std::size_t i = 0; i < options.replicates.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (options.replicates[i] == options.replicates[j])
        throw Error(Status::usage, "--replicate-list: replicate " + std::to_string(options.replicates[i]) +
                                       " is asked for twice" +
                                       (run_.replicates > 0 ? " (by --replicate-list and --replicates)" : ""));
  std::string dir = run_.output;
  if (dir.empty()) {
    dir = default_output(sc.name(), static_cast<std::uint64_t>(sc.integer("run.seed")), 0);
    dir = dir.substr(0, dir.size() - 3);  // the folder takes the file's name without .h5
  }
  options.directory = dir;
  options.jobs = run_.jobs;
  options.threads = run_.threads;
  options.force = run_.force;
  options.command_line = command_line_;
  options.checkpoint_every = run_.checkpoint_every;
  options.keep_checkpoints = run_.keep_checkpoints;
  if (!run_.from.empty()) {
    // Replicate k continues from the folder's checkpoint of replicate k (of
    // month --from-month when the folder keeps several).
    std::map<std::uint32_t, std::vector<std::filesystem::path>> found;
    for (const auto& entry : std::filesystem::directory_iterator(run_.from)) {
      if (entry.path().extension() != ".ckpt") continue;
      const io::CheckpointHeader h = io::read_checkpoint_header(entry.path().string());
      const std::string name = entry.path().filename().string();
      if (run_.from_month.empty() || name.find("." + run_.from_month + ".ckpt") != std::string::npos)
        found[h.replicate].push_back(entry.path());
    }
    std::map<std::uint32_t, std::filesystem::path> chosen;
    for (std::uint32_t k : options.replicates) {
      auto& files = found[k];
      if (files.empty())
        throw Error(Status::io, "--from " + run_.from + ": no checkpoint of replicate " + std::to_string(k) +
                                    (run_.from_month.empty() ? "" : " for " + run_.from_month));
      if (files.size() > 1) {
        std::sort(files.begin(), files.end());
        std::string names;
        for (const auto& f : files) names += " " + f.filename().string();
        throw Error(Status::usage, "--from " + run_.from + ": replicate " + std::to_string(k) +
                                       " has several checkpoints (" + names.substr(1) +
                                       "); choose one month with --from-month YYYY-MM");
      }
      chosen[k] = files.front();
      check_branch(model_, sc, io::read_checkpoint_header(files.front().string()), files.front().string());
    }
    options.resume_from = [chosen](std::uint32_t k) { return chosen.at(k); };
  }
  const std::atomic<bool>& stop = catch_interrupts();
  options.stop = &stop;
  const bool quiet = run_.quiet;
  options.on_done = [quiet](std::uint32_t replicate, const std::string& status, const std::string& detail) {
    if (!quiet || status != "complete")
      std::fprintf(stderr, "replicate %u: %s (%s)\n", replicate, status.c_str(), detail.c_str());
  };
  const EnsembleResult r = run_ensemble(model_, sc, options);
  std::size_t complete = 0;
  for (const auto& m : r.members) complete += m.status == "complete" ? 1 : 0;
  std::printf("ensemble: %zu of %s complete\noutput: %s\n", complete, count_of(r.members.size(), "replicate").c_str(),
              r.index.string().c_str());
  if (stop.load()) return static_cast<int>(Status::interrupted);
  return r.all_complete() ? 0 : static_cast<int>(Status::failure);
}

int App::cmd_validate() {
  const scenario::Scenario sc = load_scenario(validate_.scenario, validate_.sets);
  scenario::check_files(sc);  // data files such as a county table, read as a run reads them
  if (validate_.print) {
    std::cout << sc.to_yaml();
    return 0;
  }
  std::size_t set = 0;
  for (const auto& key : schema_.keys())
    if (sc.origin_of(key.path).file != "default") ++set;
  std::printf("%s: valid (%zu keys set, %zu defaults)\n", sc.source().c_str(), set, schema_.keys().size() - set);
  return 0;
}

int App::cmd_info() {
  if (info_.data_hash) std::cout << io::content_hash(info_.file, io::HashScope::data) << "\n";
  else if (info_.hash) std::cout << io::content_hash(info_.file) << "\n";
  else std::cout << io::describe_file(info_.file);
  return 0;
}

int App::main(int argc, char** argv) {
  for (int i = 0; i < argc; ++i) {
    if (i) command_line_ += ' ';
    command_line_ += argv[i];
  }
  // An unknown command: say so, with the nearest one, instead of CLI11's
  // "A subcommand is required".
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> names;
    for (const auto* sub : app_.get_subcommands({})) names.push_back(sub->get_name());
    if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
      const auto near = scenario::suggest(argv[1], names, 1);
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      std::fprintf(stderr, "%s: error: unknown command '%s'%s\ncommands: %s (`%s --help` describes them)\n",
                   program_.c_str(), argv[1], near.empty() ? "" : ("; did you mean '" + near.front() + "'?").c_str(),
                   list.c_str(), program_.c_str());
      return static_cast<int>(Status::usage);
    }
  }
  try {
    app_.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // a command's own failure status, already reported
  } catch (const CLI::ParseError& e) {
    const int rc = app_.exit(e);
    return rc == 0 ? 0 : static_cast<int>(Status::usage);
  } catch (const Error& e) {
    std::fprintf(stderr, "%s: error: %s\n", program_.c_str(), e.what());
    return static_cast<int>(e.status());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: internal error: %s\n", program_.c_str(), e.what());
    return static_cast<int>(Status::failure);
  }
  return exit_code_;
}

}  // namespace sim::cli
