// An MPI sweep and signals to mpirun (issue 15), on the toy model with
// `mpirun -n 3` (rank 0 hands out tasks to two workers):
//  - SIGINT or SIGTERM to mpirun: Open MPI 4.1's mpirun catches them itself,
//    sends its ranks SIGCONT, after odls_base_sigkill_timeout seconds SIGTERM
//    and after as many again SIGKILL, and exits 1 whatever its ranks return
//    (docs/sweeps.md). The ranks stop their tasks after the current month,
//    leaving them marked interrupted, and end by themselves right after the
//    SIGTERM instead of waiting in MPI_Finalize until mpirun kills them.
//  - SIGKILL to mpirun's process group (the ranks are in process groups of
//    their own, so it does not reach them): every rank stops within a second,
//    its task left marked interrupted, and no task is started or completed.
// Each test skips where mpirun is missing or the build has no MPI.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "sim/io/data_file.hpp"
#include "support/program.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using ::testing::HasSubstr;
using testing_support::Result;
using testing_support::shell;

// 6 tasks of 1,200 months of 20,000 walkers: a month takes milliseconds (an
// interrupted task stops at once) and a task many seconds (none can end by
// chance while a test runs).
constexpr const char* kSweep =
    "base: toy\n"
    "set: {toy.walkers: 20000, run.months: 1200}\n"
    "parameters: [{key: toy.drift, values: [0, 0.1, 0.2, 0.3, 0.4, 0.5]}]\n"
    "design: {type: grid}\n";
constexpr int kTasks = 6;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::set<std::string> files_ending(const fs::path& dir, const std::string& suffix) {
  std::set<std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      out.insert(name);
  }
  return out;
}

// The state letter and parent of a process from /proc/PID/stat; false once it is gone.
bool proc_stat(pid_t pid, char* state, pid_t* ppid, std::string* comm) {
  const std::string text = read_text("/proc/" + std::to_string(pid) + "/stat");
  const std::size_t open = text.find('('), close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close + 4 >= text.size()) return false;
  if (comm) *comm = text.substr(open + 1, close - open - 1);
  if (state) *state = text[close + 2];
  if (ppid) *ppid = static_cast<pid_t>(std::stol(text.substr(close + 4)));
  return true;
}

// Alive: exists and is not a zombie (an orphan waits for a reaper that may never come).
bool alive(pid_t pid) {
  char state = 0;
  return proc_stat(pid, &state, nullptr, nullptr) && state != 'Z';
}

// The toysim processes mpirun started: its ranks.
std::vector<pid_t> ranks_of(pid_t mpirun) {
  std::vector<pid_t> out;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    char state = 0;
    pid_t ppid = 0;
    std::string comm;
    const auto pid = static_cast<pid_t>(std::stol(name));
    if (proc_stat(pid, &state, &ppid, &comm) && ppid == mpirun && comm == "toysim" && state != 'Z') out.push_back(pid);
  }
  return out;
}

class MpiSignals : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / ("ruralsim-mpi-signals-" + std::to_string(::getpid()));
    fs::create_directories(root_);
    std::ofstream(root_ / "long.yaml") << kSweep;
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }

  void SetUp() override {
    if (shell("command -v mpirun", root_).code != 0) GTEST_SKIP() << "mpirun not found (apt-get install openmpi-bin)";
  }

  void TearDown() override {
    // Whatever a failed test left running: this test's processes only.
    if (mpirun_ > 0) {
      ::kill(-mpirun_, SIGKILL);
      ::waitpid(mpirun_, nullptr, 0);
    }
    for (pid_t r : ranks_)
      if (alive(r)) ::kill(r, SIGKILL);
  }

  // Starts `mpirun -n 3 toysim sweep run long.yaml -o DIR --threads 1` in a
  // process group of its own, as a shell starts a job, and returns once its
  // workers are writing their first tasks; ranks_ are then its three ranks.
  // false: the build has no MPI (the log says so).
  bool start(const std::string& dir, const std::string& sigkill_timeout) {
    log_ = root_ / (dir + ".log");
    const pid_t pid = ::fork();
    if (pid < 0) return false;
    if (pid == 0) {
      ::setpgid(0, 0);
      const int log = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(log, 1);
      ::dup2(log, 2);
      if (::chdir(root_.c_str()) != 0) ::_exit(127);
      ::execlp("mpirun", "mpirun", "--allow-run-as-root", "--oversubscribe", "--mca", "odls_base_sigkill_timeout",
               sigkill_timeout.c_str(), "-n", "3", TOY_BINARY, "sweep", "run", "long.yaml", "-o", dir.c_str(),
               "--threads", "1", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::setpgid(pid, pid);
    mpirun_ = pid;
    const fs::path tasks = root_ / dir / "tasks";
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (Clock::now() < deadline && files_ending(tasks, ".partial").size() < 2) {
      if (::waitpid(pid, nullptr, WNOHANG) == pid) {
        mpirun_ = 0;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (read_text(log_).find("built without MPI") != std::string::npos) return false;
    EXPECT_EQ(files_ending(tasks, ".partial").size(), 2u) << read_text(log_);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // well into their months
    ranks_ = ranks_of(pid);
    EXPECT_EQ(ranks_.size(), 3u) << read_text(log_);
    return true;
  }

  // Seconds from `since` until none of ranks_ is alive, or -1 if some still
  // are `limit` seconds after it.
  double seconds_until_gone(Clock::time_point since, double limit) {
    while (seconds_since(since) < limit) {
      bool any = false;
      for (pid_t r : ranks_) any = any || alive(r);
      if (!any) return seconds_since(since);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }

  // mpirun's wait status, or -1 if it has not ended by then (it is then killed).
  int wait_mpirun(double seconds) {
    const auto start = Clock::now();
    while (seconds_since(start) < seconds) {
      int status = 0;
      if (::waitpid(mpirun_, &status, WNOHANG) == mpirun_) {
        mpirun_ = 0;
        return status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }

  // The task files left in DIR: each partial one must say "status interrupted".
  void expect_tasks_interrupted(const std::string& dir) {
    const fs::path tasks = root_ / dir / "tasks";
    EXPECT_TRUE(files_ending(tasks, ".h5").empty()) << "a task completed";
    const std::set<std::string> partial = files_ending(tasks, ".partial");
    EXPECT_EQ(partial.size(), 2u);
    for (const auto& f : partial) {
      const Result info = testing_support::run_program(TOY_BINARY, "info '" + (tasks / f).string() + "'", root_);
      // Its "state:" line, e.g. "state:     INCOMPLETE (status interrupted, 24/1200 steps written)".
      const std::size_t at = std::min(info.output.find("state:"), info.output.size());
      const std::string state = info.output.substr(at, info.output.find('\n', at) - at);
      EXPECT_THAT(state, HasSubstr("INCOMPLETE (status interrupted")) << f << "\n" << info.output.substr(0, 400);
    }
  }

  // SIGINT or SIGTERM to mpirun, with `grace` seconds between its SIGTERM and
  // SIGKILL to the ranks (and between the signal and that SIGTERM).
  void interrupt_mpirun(int sig, const std::string& dir) {
    constexpr double grace = 4;
    if (!start(dir, "4")) GTEST_SKIP() << "built without MPI";
    ASSERT_EQ(ranks_.size(), 3u);
    const auto signalled = Clock::now();
    ASSERT_EQ(::kill(mpirun_, sig), 0);
    // The ranks end by themselves right after mpirun's SIGTERM, `grace`
    // seconds after the signal: within the current month and the index, not
    // after MPI_Finalize gives up (about 2 s later) or at mpirun's SIGKILL
    // (`grace` seconds later). (mpirun itself may take another second or two
    // to notice and end.)
    const double gone = seconds_until_gone(signalled, 30);
    const int status = wait_mpirun(30);
    const std::string log = read_text(log_);
    RecordProperty("ranks_gone_after_s", std::to_string(gone));
    ASSERT_GE(gone, 0) << "ranks still running 30 s after the signal\n" << log;
    EXPECT_GT(gone, grace - 0.5) << "ranks ended before mpirun's SIGTERM\n" << log;
    EXPECT_LT(gone, grace + 1.6) << log;
    ASSERT_NE(status, -1) << "mpirun still running 30 s after the signal\n" << log;
    // mpirun's own status on SIGINT/SIGTERM is 1, whatever the ranks return.
    ASSERT_TRUE(WIFEXITED(status)) << log;
    EXPECT_EQ(WEXITSTATUS(status), 1) << log;
    EXPECT_THAT(log, HasSubstr("under MPI on 3 ranks (2 workers)"));
    EXPECT_THAT(log, HasSubstr("): interrupted in "));
    EXPECT_THAT(log, HasSubstr("sweep: 0 of 6 tasks complete, 0 failed, 6 pending"));
    expect_tasks_interrupted(dir);
    // The index rank 0 wrote before ending: nothing complete, the two
    // interrupted tasks named as such, so a rerun runs all six.
    const auto index = sim::io::DataFile::open(root_ / dir / "sweep.h5");
    EXPECT_EQ(index.read_strings("/tasks/status"), std::vector<std::string>(kTasks, "pending"));
    const auto errors = index.read_strings("/tasks/error");
    int interrupted = 0;
    for (const auto& e : errors) interrupted += e.find("interrupted") != std::string::npos ? 1 : 0;
    EXPECT_EQ(interrupted, 2);
  }

  static fs::path root_;
  pid_t mpirun_ = 0;
  std::vector<pid_t> ranks_;
  fs::path log_;
};

fs::path MpiSignals::root_;

TEST_F(MpiSignals, SigintToMpirunExits1AndRanksLeaveTasksInterrupted) { interrupt_mpirun(SIGINT, "int"); }

TEST_F(MpiSignals, SigtermToMpirunExits1AndRanksLeaveTasksInterrupted) { interrupt_mpirun(SIGTERM, "term"); }

// `kill -9` of mpirun's process group (a killed job script, a lost terminal):
// the ranks, in groups of their own, notice that their parent is gone.
TEST_F(MpiSignals, KillingMpirunsProcessGroupStopsTheRanksAtOnce) {
  if (!start("killed", "1")) GTEST_SKIP() << "built without MPI";
  ASSERT_EQ(ranks_.size(), 3u);
  const fs::path tasks = root_ / "killed" / "tasks";
  const std::set<std::string> complete_before = files_ending(tasks, ".h5");
  const auto killed = Clock::now();
  ASSERT_EQ(::kill(-mpirun_, SIGKILL), 0);
  ::waitpid(mpirun_, nullptr, 0);
  mpirun_ = 0;
  const double gone = seconds_until_gone(killed, 2);
  RecordProperty("ranks_gone_after_s", std::to_string(gone));
  EXPECT_GE(gone, 0) << "ranks still running 2 s after mpirun was killed\n" << read_text(log_);
  // Open MPI itself ends ranks about a second after losing mpirun; they stop
  // well before, having marked their tasks.
  EXPECT_LT(gone, 1.0);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(files_ending(tasks, ".h5"), complete_before) << "a task completed after the kill";
  expect_tasks_interrupted("killed");
}

}  // namespace
