#pragma once
// Running a sweep's tasks: in one process (several tasks at once sharing one
// TBB pool, as sim::run_ensemble does), as one shard of N (Slurm arrays: task
// t belongs to shard t mod N), or under MPI (rank 0 hands out task indices
// from a work queue; the other ranks run them with their own TBB threads).
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/model/description.hpp"
#include "sim/sweep/plan.hpp"
#include "sim/sweep/store.hpp"

namespace sim::sweep {

struct TaskOutcome {
  std::uint64_t task = 0;
  std::string status;  // complete, interrupted, failed
  std::string error;
  double seconds = 0;  // wall time of the task (sim::run)
  int worker = 0;      // MPI rank or local job slot
};

using TaskCallback = std::function<void(const TaskOutcome&)>;

// Runs one task into DIR/tasks/<t>.h5 and never throws for a failure of the
// task itself: a failed task leaves DIR/tasks/<t>.failed with its error.
TaskOutcome run_task(const ModelDescription& model, const Plan& plan, const Layout& layout, std::uint64_t task,
                     int threads, const std::atomic<bool>* stop, const std::string& command_line);

// The tasks of shard `shard` of `shards` that are not complete, in order.
// Complete task files are checked to belong to this plan (verify_task_file).
std::vector<std::uint64_t> tasks_to_run(const Plan& plan, const Layout& layout, int shard, int shards,
                                        std::size_t* already_complete);

struct LocalOptions {
  int jobs = 0;     // tasks at once (0: as many as threads, at most the tasks)
  int threads = 0;  // worker threads shared by all tasks (0: all cores)
  std::string command_line;
  const std::atomic<bool>* stop = nullptr;
};

// Runs `todo` in this process; on_done is called (serialised) after each task.
std::vector<TaskOutcome> run_local(const ModelDescription& model, const Plan& plan, const Layout& layout,
                                   const std::vector<std::uint64_t>& todo, const LocalOptions& options,
                                   const TaskCallback& on_done);

// True if this process was started by mpirun/mpiexec/srun with an MPI world
// (OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_RANK in the environment); `size` is
// the world size when known.
bool mpi_launched(int* size = nullptr);
bool mpi_available();  // built with RURALSIM_WITH_MPI

struct MpiOptions {
  int threads = 0;  // per worker rank (0: the node's cores shared among its worker ranks)
  std::string command_line;
  const std::atomic<bool>* stop = nullptr;
  bool quiet = false;
};

struct MpiResult {
  bool root = false;  // this is rank 0 (the others return after their last task)
  int ranks = 1;
  std::vector<TaskOutcome> outcomes;  // rank 0: every task it handed out
};

// Under MPI: initialises MPI, prepares the folder (rank 0), hands out or runs
// tasks, and finalises MPI. `prepare_root` runs on rank 0 before any task is
// handed out and returns the tasks to run; `on_done` is called on rank 0.
// A single rank runs every task itself.
MpiResult run_mpi(const ModelDescription& model, const Plan& plan, const Layout& layout,
                  const std::function<std::vector<std::uint64_t>()>& prepare_root, const MpiOptions& options,
                  const TaskCallback& on_done, const std::function<void()>& finish_root);

}  // namespace sim::sweep
