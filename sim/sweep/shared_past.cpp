#include "sim/sweep/shared_past.hpp"

#include <unistd.h>

#include <mutex>
#include <thread>

#include "sim/core/error.hpp"
#include "sim/run/branch.hpp"
#include "sim/run/simulation.hpp"

namespace sim::sweep {
namespace fs = std::filesystem;

namespace {

// The base scenario of replicate tasks' shared past: the tasks' seed, run
// to the last month before from_year.
scenario::Scenario shared_scenario(const Plan& plan) {
  scenario::Scenario sc = plan.scenario_for(0);
  const scenario::Scenario& base = plan.base();
  for (const std::string& key : base.differing_keys(sc))
    if (key != "run.seed") sc.set(key, base.get(key), base.origin_of(key));
  sc.set("run.months", scenario::Value{static_cast<std::int64_t>(shared_months(plan))});
  return sc;
}

}  // namespace

std::uint32_t shared_months(const Plan& plan) {
  const scenario::Scenario& base = plan.base();
  const std::int64_t months =
      (plan.spec().from_year - base.integer("run.start_year")) * 12 - (base.integer("run.start_month") - 1);
  return months > 0 ? static_cast<std::uint32_t>(months) : 0;
}

void check_shared_past(const ModelDescription& model, const Plan& plan) {
  const SweepSpec& spec = plan.spec();
  if (spec.from_year <= 0) return;
  const scenario::Scenario& base = plan.base();
  const std::int64_t start = base.integer("run.start_year");
  const std::uint32_t months = shared_months(plan);
  const auto fail = [&](const std::string& why) {
    throw Error(Status::invalid_input, spec.from_year_at.text() + ": from_year: " + why);
  };
  if (months == 0) fail(std::to_string(spec.from_year) + " leaves no shared months: the runs start in " + std::to_string(start));
  const scenario::Scenario past = shared_scenario(plan);
  io::CheckpointHeader header;
  header.step = header.steps = months;
  header.start_year = static_cast<int>(start);
  header.start_month = static_cast<int>(base.integer("run.start_month"));
  for (std::uint64_t p = 0; p < plan.points(); ++p) {
    const scenario::Scenario sc = plan.scenario_for(p);
    const std::vector<std::string> conflicts = branch_conflicts(model, past, sc, header);
    if (conflicts.empty()) continue;
    std::string lines;
    for (const std::string& c : conflicts) lines += "\n  " + c;
    fail("point " + std::to_string(p) + " differs from the base scenario before " + std::to_string(spec.from_year) +
         ", so it cannot share those months:" + lines);
  }
}

fs::path shared_checkpoint(const Layout& layout, std::uint32_t replicate) {
  return layout.dir / "shared" / ("r" + std::to_string(replicate) + ".ckpt");
}

fs::path ensure_shared_past(const ModelDescription& model, const Plan& plan, const Layout& layout,
                            std::uint32_t replicate, int threads, const std::atomic<bool>* stop,
                            const std::string& command_line) {
  const fs::path target = shared_checkpoint(layout, replicate);
  // One maker per replicate in this process; other shards may race, and
  // their copies are identical.
  static std::mutex making;
  std::lock_guard lock(making);
  std::error_code ec;
  if (fs::exists(target, ec)) return target;
  fs::create_directories(target.parent_path(), ec);
  std::hash<std::thread::id> thread_hash;
  const fs::path output = layout.dir / "shared" /
                          ("r" + std::to_string(replicate) + ".run-" + std::to_string(::getpid()) + "-" +
                           std::to_string(thread_hash(std::this_thread::get_id()) % 100000) + ".h5");
  const scenario::Scenario sc = shared_scenario(plan);
  RunOptions ro;
  ro.output = output;
  ro.force = true;
  ro.threads = threads;
  ro.replicate = replicate;
  ro.command_line = command_line + " [shared past of replicate " + std::to_string(replicate) + "]";
  ro.stop = stop;
  ro.checkpoint_every = shared_months(plan);
  const RunResult r = run(model, sc, ro);
  fs::remove(r.output, ec);
  if (!r.complete) return {};
  fs::rename(r.checkpoint, target, ec);
  if (ec) throw Error(Status::io, "cannot rename '" + r.checkpoint.string() + "' to '" + target.string() + "': " + ec.message());
  return target;
}

}  // namespace sim::sweep
