// The MPI work queue: rank 0 hands out task indices one at a time to whichever
// worker asks next (MPI_Send/MPI_Recv), so fast and slow tasks balance out;
// the workers run them with their own TBB threads and report each outcome
// with their next request. Only rank 0 touches the folder's shared files.
//
// Interruption. mpirun (Open MPI 4.1) catches SIGINT/SIGTERM itself: it sends
// its ranks SIGCONT, a second later SIGTERM and another second later SIGKILL
// (odls_base_sigkill_timeout), and exits 1 whatever they return. SIGTERM sets
// the interrupt flag: tasks stop after their current step, leaving their
// files marked interrupted, and the ranks then meet at a barrier (rank 0 has
// written the index) and end with 130 without MPI_Finalize, which an mpirun
// that is tearing the job down never completes. A rank whose launcher is gone
// (mpirun killed with SIGKILL) notices within 20 ms: its task stops after the
// current step, marked interrupted, no new one starts, and the rank ends with
// 130, touching neither MPI nor its output (a pipe to the dead mpirun); Open
// MPI itself would end such a rank about a second later, leaving its task
// file as it was.
#include "sim/sweep/runner.hpp"

#ifdef RURALSIM_WITH_MPI

#include <mpi.h>
#include <tbb/info.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

namespace sim::sweep {

namespace {

constexpr int kTagReport = 1;  // worker -> root: outcome of the last task (or none) and a request for the next
constexpr int kTagTask = 2;    // root -> worker: a task index
constexpr int kTagStop = 3;    // root -> worker: no more tasks

std::string encode(const TaskOutcome& o, bool any) {
  if (!any) return "-";
  return std::to_string(o.task) + "\t" + o.status + "\t" + std::to_string(o.seconds) + "\t" + o.error;
}

bool decode(const std::string& s, TaskOutcome& o) {
  if (s == "-") return false;
  const std::size_t a = s.find('\t');
  const std::size_t b = s.find('\t', a + 1);
  const std::size_t c = s.find('\t', b + 1);
  o.task = std::stoull(s.substr(0, a));
  o.status = s.substr(a + 1, b - a - 1);
  o.seconds = std::stod(s.substr(b + 1, c - b - 1));
  o.error = s.substr(c + 1);
  return true;
}

void mpi_check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw Error(Status::failure, std::string("MPI: ") + what + " failed");
}

constexpr int kInterruptedStatus = static_cast<int>(Status::interrupted);  // 130, as the command returns it

struct Session {
  Session() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) {
      int provided = 0;
      mpi_check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    }
  }
  ~Session() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Every rank calls this once its part is done (rank 0 after the index). An
  // interrupted rank then ends at once with 130 rather than in MPI_Finalize,
  // which an mpirun that is tearing the job down never completes (it would
  // SIGKILL the rank waiting there); an mpirun that is not reports the 130.
  void end(bool interrupted) {
    MPI_Barrier(MPI_COMM_WORLD);  // point to point between the ranks: works while mpirun tears down
    if (!interrupted) {
      MPI_Finalize();
      return;
    }
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(kInterruptedStatus);
  }
};

// What stops this rank's tasks between steps: the interrupt flag, or the loss
// of the process that started the rank (mpirun, orted or slurmstepd), checked
// every 20 ms. With the launcher gone nothing else can be relied on (MPI, the
// output pipes), so the rank ends with 130 as soon as no task is running.
class Watch {
 public:
  explicit Watch(const std::atomic<bool>* stop)
      : stop_(stop), parent_(::getppid()), halt_(stop && stop->load()), thread_([this] { loop(); }) {}
  ~Watch() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;

  const std::atomic<bool>* flag() const { return &halt_; }
  bool halted() const { return halt_.load() || (stop_ && stop_->load()); }
  // Bracket a task (false: do not start it) or rank 0's index, which is
  // written even when interrupted.
  bool begin_task() {
    busy_ = true;
    if (!halted()) return true;
    busy_ = false;
    return false;
  }
  void end_work() { busy_ = false; }
  void begin_index() { busy_ = true; }

 private:
  void loop() {
    std::unique_lock lock(mutex_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(20), [this] { return done_; })) {
      if (stop_ && stop_->load()) halt_ = true;
      if (::getppid() != parent_) {
        halt_ = true;
        // The running task stops after its current step and marks its file
        // (or the index is written).
        while (busy_.load()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
        std::_Exit(kInterruptedStatus);
      }
    }
  }

  const std::atomic<bool>* stop_;
  const pid_t parent_;
  std::atomic<bool> halt_;
  std::atomic<bool> busy_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;  // last: starts once the rest is set up
};

// Worker ranks on this node, to share its cores among them by default.
int workers_on_node(int rank) {
  MPI_Comm local;
  mpi_check(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &local), "MPI_Comm_split_type");
  int local_size = 1;
  MPI_Comm_size(local, &local_size);
  int root_here = rank == 0 ? 1 : 0;
  int roots = 0;
  MPI_Allreduce(&root_here, &roots, 1, MPI_INT, MPI_SUM, local);
  MPI_Comm_free(&local);
  return std::max(1, local_size - roots);
}

}  // namespace

MpiResult run_mpi(const ModelDescription& model, const Plan& plan, const Layout& layout,
                  const std::function<std::vector<std::uint64_t>()>& prepare_root, const MpiOptions& options,
                  const TaskCallback& on_done, const std::function<void()>& finish_root) {
  Session session;
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  MpiResult result;
  result.root = rank == 0;
  result.ranks = size;
  const int node_workers = workers_on_node(rank);
  const int threads = options.threads > 0 ? options.threads
                                          : std::max(1, tbb::info::default_concurrency() / (size == 1 ? 1 : node_workers));

  // Rank 0 checks and prepares the folder; every rank learns whether it may go on.
  std::vector<std::uint64_t> todo;
  int ok = 1;
  std::exception_ptr failure;
  if (rank == 0) {
    try {
      todo = prepare_root();
    } catch (...) {
      failure = std::current_exception();
      ok = 0;
    }
  }
  MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (!ok) {
    if (failure) std::rethrow_exception(failure);  // rank 0 reports; Session finalises
    result.root = false;
    return result;
  }

  Watch watch(options.stop);
  // Rank 0 ends after the index is written, even if writing it fails, so that
  // the others are not left waiting at the final barrier.
  auto end_root = [&] {
    try {
      watch.begin_index();
      if (finish_root) finish_root();
      watch.end_work();
    } catch (...) {
      watch.end_work();
      MPI_Barrier(MPI_COMM_WORLD);  // where the others wait
      throw;                        // the command reports it; Session finalises
    }
    session.end(watch.halted());
  };

  if (size == 1) {
    for (std::uint64_t t : todo) {
      if (!watch.begin_task()) break;
      TaskOutcome o = run_task(model, plan, layout, t, threads, watch.flag(), options.command_line);
      watch.end_work();
      if (on_done) on_done(o);
      result.outcomes.push_back(std::move(o));
    }
    end_root();
    return result;
  }

  if (rank == 0) {
    std::size_t next = 0;
    int active = size - 1;
    bool stopping = false;
    std::vector<char> buf;
    while (active > 0) {
      int flag = 0;
      MPI_Status st;
      mpi_check(MPI_Iprobe(MPI_ANY_SOURCE, kTagReport, MPI_COMM_WORLD, &flag, &st), "MPI_Iprobe");
      if (!flag) {
        // Waiting without spinning: the workers need the cores.
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        continue;
      }
      int count = 0;
      MPI_Get_count(&st, MPI_CHAR, &count);
      buf.assign(static_cast<std::size_t>(count) + 1, '\0');
      mpi_check(MPI_Recv(buf.data(), count, MPI_CHAR, st.MPI_SOURCE, kTagReport, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "MPI_Recv");
      TaskOutcome o;
      if (decode(std::string(buf.data(), static_cast<std::size_t>(count)), o)) {
        o.worker = st.MPI_SOURCE;
        if (o.status == "interrupted") stopping = true;
        if (on_done) on_done(o);
        result.outcomes.push_back(std::move(o));
      }
      if (watch.halted()) stopping = true;
      if (stopping || next >= todo.size()) {
        std::int64_t none = -1;
        mpi_check(MPI_Send(&none, 1, MPI_INT64_T, st.MPI_SOURCE, kTagStop, MPI_COMM_WORLD), "MPI_Send");
        --active;
      } else {
        auto task = static_cast<std::int64_t>(todo[next++]);
        mpi_check(MPI_Send(&task, 1, MPI_INT64_T, st.MPI_SOURCE, kTagTask, MPI_COMM_WORLD), "MPI_Send");
      }
    }
    end_root();
    return result;
  }

  // A worker.
  TaskOutcome last;
  bool any = false;
  for (;;) {
    const std::string report = encode(last, any);
    mpi_check(MPI_Send(report.data(), static_cast<int>(report.size()), MPI_CHAR, 0, kTagReport, MPI_COMM_WORLD), "MPI_Send");
    std::int64_t task = -1;
    MPI_Status st;
    mpi_check(MPI_Recv(&task, 1, MPI_INT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st), "MPI_Recv");
    if (st.MPI_TAG == kTagStop) break;
    if (!watch.begin_task()) {
      last = {static_cast<std::uint64_t>(task), "interrupted", "", 0.0, rank};
    } else {
      last = run_task(model, plan, layout, static_cast<std::uint64_t>(task), threads, watch.flag(), options.command_line);
      watch.end_work();
    }
    any = true;
  }
  session.end(watch.halted());
  return result;
}

}  // namespace sim::sweep

#else

namespace sim::sweep {

MpiResult run_mpi(const ModelDescription&, const Plan&, const Layout&, const std::function<std::vector<std::uint64_t>()>&,
                  const MpiOptions&, const TaskCallback&, const std::function<void()>&) {
  throw Error(Status::usage,
              "this ruralsim was started by mpirun but built without MPI (configure with -DRURALSIM_WITH_MPI=ON "
              "and libopenmpi-dev installed); run it without mpirun, or as Slurm shards with --shard I/N");
}

}  // namespace sim::sweep

#endif
