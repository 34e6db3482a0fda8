#include "sim/sweep/runner.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "sim/run/memory_gate.hpp"
#include "sim/run/simulation.hpp"
#include "sim/sweep/shared_past.hpp"

namespace sim::sweep {

namespace {

// Checkpoints a pre-empted run of task t left (tasks/<t>.YYYY-MM.ckpt),
// oldest first.
std::vector<std::filesystem::path> task_checkpoints(const Layout& layout, std::uint64_t task) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  const std::string prefix = std::to_string(task) + ".";
  for (const auto& entry : std::filesystem::directory_iterator(layout.tasks(), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() == prefix.size() + 12 && name.rfind(prefix, 0) == 0 && name.ends_with(".ckpt"))
      out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The model's estimate of task t's peak memory; 0 if it has none or cannot
// make one (the task itself then fails with the reason).
double task_peak_memory(const ModelDescription& model, const Plan& plan, std::uint64_t task) {
  if (!model.peak_memory) return 0;
  try {
    return model.peak_memory(plan.scenario_for(plan.task(task).point));
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

TaskOutcome run_task(const ModelDescription& model, const Plan& plan, const Layout& layout, std::uint64_t task,
                     int threads, const std::atomic<bool>* stop, const std::string& command_line) {
  TaskOutcome o;
  o.task = task;
  const auto start = std::chrono::steady_clock::now();
  std::error_code ec;
  std::filesystem::remove(layout.failed_file(task), ec);
  try {
    const Task t = plan.task(task);
    const scenario::Scenario sc = plan.scenario_for(t.point);
    RunOptions ro;
    ro.output = layout.task_file(task);
    ro.force = true;  // only tasks that are not complete are run: replaces an unreadable leftover
    ro.threads = threads;
    ro.replicate = t.replicate;
    ro.command_line = command_line + " [sweep task " + std::to_string(task) + "]";
    ro.stop = stop;
    // Pre-emption (Slurm's SIGTERM before the time limit or a pre-empting
    // job): the task keeps its state and a rerun continues from it.
    ro.checkpoint_on_stop = true;
    const std::vector<std::filesystem::path> saved = task_checkpoints(layout, task);
    if (!saved.empty()) {
      ro.resume_from = saved.back();
      std::fprintf(stderr, "task %llu: continuing from %s\n", static_cast<unsigned long long>(task),
                   saved.back().filename().c_str());
    } else if (plan.spec().from_year > 0) {
      ro.resume_from = ensure_shared_past(model, plan, layout, t.replicate, threads, stop, command_line);
      if (ro.resume_from.empty()) {  // stopped while making it
        o.status = "interrupted";
        o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return o;
      }
    }
    RunResult r;
    try {
      r = run(model, sc, ro);
    } catch (const Error& e) {
      // A checkpoint this program cannot continue (another version): the
      // task starts afresh.
      if (ro.resume_from.empty() || e.status() != Status::invalid_input ||
          std::string(e.what()).rfind("checkpoint", 0) != 0)
        throw;
      std::fprintf(stderr, "sweep task %llu: %s; running it from the start\n", static_cast<unsigned long long>(task),
                   e.what());
      ro.resume_from.clear();
      r = run(model, sc, ro);
    }
    o.status = r.complete ? "complete" : "interrupted";
    if (r.complete)
      for (const auto& p : task_checkpoints(layout, task)) std::filesystem::remove(p, ec);
  } catch (const std::exception& e) {
    o.status = "failed";
    o.error = e.what();
    try {
      write_text_atomically(layout.failed_file(task), o.error + "\n");
    } catch (const std::exception&) {
      // The outcome is still reported; collect shows the task as pending.
    }
  }
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return o;
}

std::vector<std::uint64_t> tasks_to_run(const Plan& plan, const Layout& layout, int shard, int shards,
                                        std::size_t* already_complete) {
  std::vector<std::uint64_t> todo;
  std::size_t complete = 0;
  for (std::uint64_t t = static_cast<std::uint64_t>(shard); t < plan.tasks(); t += static_cast<std::uint64_t>(shards)) {
    if (task_status(layout, t).state == TaskState::complete) {
      verify_task_file(plan, layout, t);
      ++complete;
    } else {
      todo.push_back(t);
    }
  }
  if (already_complete) *already_complete = complete;
  return todo;
}

std::vector<TaskOutcome> run_local(const ModelDescription& model, const Plan& plan, const Layout& layout,
                                   const std::vector<std::uint64_t>& todo, const LocalOptions& options,
                                   const TaskCallback& on_done) {
  std::vector<TaskOutcome> outcomes(todo.size());
  if (todo.empty()) return outcomes;
  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  const int jobs = std::max(1, std::min<int>(options.jobs > 0 ? options.jobs : threads, static_cast<int>(todo.size())));
  std::mutex mutex;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> interrupted{false};
  MemoryGate gate(memory_limit(), "tasks");
  // Each job slot takes the next task; their parallel loops share one TBB
  // thread pool, so the cores stay busy whatever the mix of task sizes.
  auto worker = [&](int slot) {
    for (std::size_t i = next++; i < todo.size(); i = next++) {
      const auto stopped = [&] { return (options.stop && options.stop->load()) || interrupted.load(); };
      MemoryGate::Ticket ticket;
      if (!stopped()) ticket = gate.admit(jobs > 1 ? task_peak_memory(model, plan, todo[i]) : 0.0, options.stop);
      if (stopped() || !ticket.admitted()) {
        outcomes[i] = {todo[i], "interrupted", "", 0.0, slot};
        continue;
      }
      outcomes[i] = run_task(model, plan, layout, todo[i], threads, options.stop, options.command_line);
      outcomes[i].worker = slot;
      if (outcomes[i].status == "interrupted") interrupted = true;
      std::lock_guard lock(mutex);
      if (on_done) on_done(outcomes[i]);
    }
  };
  std::vector<std::thread> pool;
  for (int j = 0; j < jobs; ++j) pool.emplace_back(worker, j);
  for (auto& t : pool) t.join();
  return outcomes;
}

bool mpi_launched(int* size) {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS"}) {
    if (const char* v = std::getenv(var)) {
      if (size) *size = std::atoi(v);
      return true;
    }
  }
  if (std::getenv("PMIX_RANK")) {
    if (size) *size = 0;  // unknown
    return true;
  }
  return false;
}

bool mpi_available() {
#ifdef RURALSIM_WITH_MPI
  return true;
#else
  return false;
#endif
}

}  // namespace sim::sweep
