// The MPI work queue: rank 0 hands out task indices one at a time to whichever
// worker asks next (MPI_Send/MPI_Recv), so fast and slow tasks balance out;
// the workers run them with their own TBB threads and report each outcome
// with their next request. Only rank 0 touches the folder's shared files.
#include "sim/sweep/runner.hpp"

#ifdef RURALSIM_WITH_MPI

#include <mpi.h>
#include <tbb/info.h>

#include <chrono>
#include <cstdio>
#include <cstring>
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

  if (size == 1) {
    for (std::uint64_t t : todo) {
      if (options.stop && options.stop->load()) break;
      TaskOutcome o = run_task(model, plan, layout, t, threads, options.stop, options.command_line);
      if (on_done) on_done(o);
      result.outcomes.push_back(std::move(o));
    }
    if (finish_root) finish_root();
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
      if (options.stop && options.stop->load()) stopping = true;
      if (stopping || next >= todo.size()) {
        std::int64_t none = -1;
        mpi_check(MPI_Send(&none, 1, MPI_INT64_T, st.MPI_SOURCE, kTagStop, MPI_COMM_WORLD), "MPI_Send");
        --active;
      } else {
        auto task = static_cast<std::int64_t>(todo[next++]);
        mpi_check(MPI_Send(&task, 1, MPI_INT64_T, st.MPI_SOURCE, kTagTask, MPI_COMM_WORLD), "MPI_Send");
      }
    }
    if (finish_root) finish_root();
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
    if (options.stop && options.stop->load()) {
      last = {static_cast<std::uint64_t>(task), "interrupted", "", 0.0, rank};
    } else {
      last = run_task(model, plan, layout, static_cast<std::uint64_t>(task), threads, options.stop, options.command_line);
    }
    any = true;
  }
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
