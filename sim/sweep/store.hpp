#pragma once
// The sweep folder. Nothing in it is ever written by two processes at once:
//
//   DIR/sweep.hash           hash of the resolved sweep and the program (created once)
//   DIR/sweep.resolved.yaml  the resolved sweep the hash is of (created once)
//   DIR/sweep.yaml           copy of the sweep file last run into DIR (replaced whole)
//   DIR/plan.h5              parameters, points, design layout, tasks (created once)
//   DIR/tasks/<t>.h5         task t's output (sim::run; NAME.partial until complete)
//   DIR/tasks/<t>.failed     task t's error text, when it failed
//   DIR/sweep.h5             the index: plan + status of every task + collected
//                            results; rebuilt whole by collect (one writer)
//
// "Created once" files are written under a unique name and hard-linked into
// place, which fails if another shard got there first (atomic on local
// filesystems and NFS); the content is deterministic, so either copy serves.
// A task's status is read off its own files: complete when tasks/<t>.h5
// exists (the recorder renames it there only with complete=1), failed when
// tasks/<t>.failed exists, pending otherwise (possibly with a .partial file
// left by an interrupted run).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/model/description.hpp"
#include "sim/sweep/plan.hpp"

namespace sim::sweep {

struct Layout {
  std::filesystem::path dir;
  std::filesystem::path tasks() const { return dir / "tasks"; }
  std::filesystem::path task_file(std::uint64_t t) const { return tasks() / (std::to_string(t) + ".h5"); }
  std::filesystem::path partial_file(std::uint64_t t) const { return tasks() / (std::to_string(t) + ".h5.partial"); }
  std::filesystem::path failed_file(std::uint64_t t) const { return tasks() / (std::to_string(t) + ".failed"); }
  std::filesystem::path plan() const { return dir / "plan.h5"; }
  std::filesystem::path index() const { return dir / "sweep.h5"; }
  std::filesystem::path sweep_copy() const { return dir / "sweep.yaml"; }
  std::filesystem::path hash_file() const { return dir / "sweep.hash"; }
  std::filesystem::path resolved_file() const { return dir / "sweep.resolved.yaml"; }
};

// Creates the folder (or checks that it holds this sweep) and writes the
// start files. Throws Error(invalid_input) if DIR holds another sweep's tasks.
// Returns warnings for the user (e.g. a different git commit than the one
// that started the sweep).
std::vector<std::string> prepare(const Plan& plan, const Layout& layout);

// Refuses a folder started by another sweep; true if the folder has been
// prepared at all. Read-only.
bool check_folder(const Plan& plan, const Layout& layout);

enum class TaskState { pending, complete, failed };
struct TaskStatus {
  TaskState state = TaskState::pending;
  std::string detail;  // failed: the error; pending: "interrupted (partial file)" if one is left
};
TaskStatus task_status(const Layout& layout, std::uint64_t task);
const char* name_of(TaskState s);

// Checks that a complete task file is the output of this plan's task (its
// seed, replicate and resolved scenario); throws Error(invalid_input) if not.
void verify_task_file(const Plan& plan, const Layout& layout, std::uint64_t task);

// Writes a small text file atomically (unique temporary name, then rename).
void write_text_atomically(const std::filesystem::path& path, const std::string& text);

struct CollectOptions {
  std::vector<std::string> outputs;  // override the sweep file's outputs (empty: use them)
};
struct CollectSummary {
  std::filesystem::path index;
  std::size_t tasks = 0, complete = 0, failed = 0, pending = 0;
  std::vector<std::string> indicators;
  std::vector<std::pair<std::uint64_t, std::string>> failures;  // task, error
};
// Rebuilds DIR/sweep.h5 from DIR/plan.h5 and the task files: each output
// indicator's value per task and year, and for the whole run, as the yearly
// aggregator reads them off level 0 of the task file (sim/model/yearly.hpp),
// the same numbers `compare` reports. Only one process may collect a folder
// at a time.
CollectSummary collect(const ModelDescription& model, const Layout& layout, const CollectOptions& options = {});

}  // namespace sim::sweep
