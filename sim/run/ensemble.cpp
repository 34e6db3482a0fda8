#include "sim/run/ensemble.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "sim/core/error.hpp"
#include "sim/core/json.hpp"
#include "sim/io/data_file.hpp"
#include "sim/run/memory_gate.hpp"
#include "sim/version.hpp"

namespace sim {

namespace {

void write_index(const std::filesystem::path& path, const ModelDescription& model, const scenario::Scenario& sc,
                 const std::vector<EnsembleMember>& members, const std::string& started, const std::string& ended) {
  std::ostringstream o;
  o << "{\n  \"format\": \"ruralsim-ensemble\",\n  \"format_version\": 1,\n"
    << "  \"model\": " << json_string(model.name) << ",\n  \"model_version\": " << json_string(model.version) << ",\n"
    << "  \"engine_version\": " << json_string(version()) << ",\n  \"git_commit\": " << json_string(git_commit()) << ",\n"
    << "  \"scenario\": " << json_string(sc.name()) << ",\n  \"scenario_source\": " << json_string(sc.source()) << ",\n"
    << "  \"seed\": " << sc.integer("run.seed") << ",\n  \"started_at\": " << json_string(started) << ",\n"
    << "  \"ended_at\": " << json_string(ended) << ",\n  \"members\": [\n";
  for (std::size_t i = 0; i < members.size(); ++i) {
    const EnsembleMember& m = members[i];
    o << "    {\"replicate\": " << m.replicate << ", \"file\": " << json_string(m.file.filename().string())
      << ", \"status\": " << json_string(m.status) << ", \"error\": " << json_string(m.error)
      << ", \"seconds\": " << m.seconds << "}" << (i + 1 < members.size() ? "," : "") << "\n";
  }
  o << "  ]\n}\n";
  // Written whole and renamed, so a reader never sees half an index.
  const std::filesystem::path tmp = path.string() + ".partial";
  io::write_new_text_file(tmp, o.str());
  std::filesystem::rename(tmp, path);
}

}  // namespace

bool EnsembleResult::all_complete() const {
  for (const auto& m : members)
    if (m.status != "complete") return false;
  return !members.empty();
}

std::string replicate_file_name(const std::string& scenario, std::uint32_t replicate) {
  return scenario + "-r" + std::to_string(replicate) + ".h5";
}

EnsembleResult run_ensemble(const ModelDescription& model, const scenario::Scenario& sc, const EnsembleOptions& options) {
  if (options.replicates.empty()) throw Error(Status::usage, "an ensemble needs at least one replicate");
  std::error_code ec;
  std::filesystem::create_directories(options.directory, ec);
  if (ec) throw Error(Status::io, "cannot create " + options.directory.string() + ": " + ec.message());
  EnsembleResult result;
  result.index = options.directory / "ensemble.json";
  if (std::filesystem::exists(result.index) && !options.force)
    throw Error(Status::output_exists, "ensemble '" + result.index.string() + "' exists; use --force to replace it");

  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  const int jobs = std::max(1, std::min<int>(options.jobs > 0 ? options.jobs : threads,
                                             static_cast<int>(options.replicates.size())));

  result.members.resize(options.replicates.size());
  for (std::size_t i = 0; i < options.replicates.size(); ++i) {
    result.members[i].replicate = options.replicates[i];
    result.members[i].file = options.directory / replicate_file_name(sc.name(), options.replicates[i]);
    result.members[i].status = "pending";
  }
  const std::string started = utc_now();
  std::mutex mutex;
  std::atomic<std::size_t> next{0};
  MemoryGate gate(memory_limit(), "replicates");
  double peak = 0;  // every replicate runs the same scenario
  if (jobs > 1 && model.peak_memory) {
    try {
      peak = model.peak_memory(sc);
    } catch (const std::exception&) {
      // Each replicate's run reports what is wrong with the scenario.
    }
  }
  // Each worker takes the next replicate; their parallel loops share one
  // TBB thread pool, so the machine is used whatever the mix.
  auto worker = [&] {
    for (std::size_t i = next++; i < result.members.size(); i = next++) {
      EnsembleMember& m = result.members[i];
      const MemoryGate::Ticket ticket = gate.admit(peak, options.stop);
      if (!ticket.admitted()) {
        m.status = "interrupted";
        continue;
      }
      RunOptions ro;
      ro.output = m.file;
      ro.force = options.force;
      ro.threads = threads;
      ro.replicate = m.replicate;
      ro.command_line = options.command_line;
      ro.stop = options.stop;
      ro.checkpoint_every = options.checkpoint_every;
      ro.keep_checkpoints = options.keep_checkpoints;
      ro.checkpoint_on_stop = options.checkpoint_every > 0;
      try {
        if (options.resume_from) ro.resume_from = options.resume_from(m.replicate);
        const RunResult r = run(model, sc, ro);
        m.status = r.complete ? "complete" : "interrupted";
        m.seconds = r.seconds;
        if (!r.complete) m.file = r.output;
      } catch (const std::exception& e) {
        m.status = "failed";
        m.error = e.what();
      }
      std::lock_guard lock(mutex);
      if (options.on_done) options.on_done(m.replicate, m.status, m.status == "failed" ? m.error : m.file.string());
    }
  };
  std::vector<std::thread> pool;
  for (int j = 0; j < jobs; ++j) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  write_index(result.index, model, sc, result.members, started, utc_now());
  return result;
}

}  // namespace sim
