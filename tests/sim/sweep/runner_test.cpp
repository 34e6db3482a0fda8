// The sweep runners end to end, on the toy model: the same small sweep run in one
// process, under MPI (mpirun -n 3: rank 0 hands out tasks to two workers) and
// as three Slurm-style shards gives identical task files; a sweep killed with
// SIGKILL resumes to the same results; a changed sweep is refused; a failing
// task is reported and does not stop the others; the generated Slurm scripts
// run as shards; the index reads back.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <cmath>
#include <map>
#include <thread>

#include "sim/io/data_file.hpp"
#include "sim/io/recorder.hpp"
#include "support/program.hpp"

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing_support::Result;
using testing_support::shell;

Result toysim(const std::string& args, const fs::path& cwd) { return testing_support::run_program(TOY_BINARY, args, cwd); }

// 2 parameters x 2 values, 2 replicates: 8 tasks of 12 months of 400,000
// walkers (about half a second each, long enough to be killed half-way).
constexpr const char* kSweep = R"(description: runner test sweep
base: toy
set:
  toy.walkers: 100000
  run.months: 12
  output.panel.fraction: 0.001
parameters:
  - key: toy.drift
    values: [0.5, 2.5]
  - key: toy.volatility
    values: [5, 15]
design: {type: grid}
replicates: 2
outputs: [income_per_walker, bankruptcies, top_wealth, wealth_growth, wealth_gini]
)";
constexpr std::size_t kTasks = 8;

std::vector<std::string> task_hashes(const fs::path& dir, std::size_t tasks) {
  std::vector<std::string> out;
  for (std::size_t t = 0; t < tasks; ++t) {
    const fs::path f = dir / "tasks" / (std::to_string(t) + ".h5");
    out.push_back(fs::exists(f) ? sim::io::content_hash(f.string()) : "missing " + f.string());
  }
  return out;
}

std::vector<std::string> index_statuses(const fs::path& dir) {
  return sim::io::DataFile::open(dir / "sweep.h5").read_strings("/tasks/status");
}

std::vector<double> index_values(const fs::path& dir, const std::string& path) {
  return sim::io::DataFile::open(dir / "sweep.h5").read_doubles(path);
}

std::size_t count_files(const fs::path& dir, const std::string& suffix) {
  std::size_t n = 0;
  if (!fs::exists(dir)) return 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) ++n;
  }
  return n;
}

class Sweep : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / ("ruralsim-sweep-" + std::to_string(::getpid()));
    fs::create_directories(root_);
    std::ofstream(root_ / "sweep.yaml") << kSweep;
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }

  // The uninterrupted local run every other runner is compared with.
  static const std::vector<std::string>& reference() {
    static const std::vector<std::string> hashes = [] {
      const Result r = toysim("sweep run sweep.yaml -o ref --jobs 2 --threads 2 -q", root_);
      EXPECT_EQ(r.code, 0) << r.output;
      EXPECT_THAT(r.output, HasSubstr("sweep: 8 of 8 tasks complete, 0 failed, 0 pending"));
      return task_hashes(root_ / "ref", kTasks);
    }();
    return hashes;
  }

  static fs::path root_;
};

fs::path Sweep::root_;

TEST_F(Sweep, LocalRunWritesOneFilePerTaskAndTheIndex) {
  const auto& ref = reference();
  for (const auto& h : ref) EXPECT_EQ(h.rfind("missing", 0), std::string::npos) << h;
  EXPECT_EQ(count_files(root_ / "ref" / "tasks", ".h5"), kTasks);
  EXPECT_EQ(index_statuses(root_ / "ref"), std::vector<std::string>(kTasks, "complete"));
  // Replicates differ, and so do points; common random numbers make replicate k
  // of every point use the same seed.
  EXPECT_NE(ref[0], ref[1]);
  EXPECT_NE(ref[0], ref[2]);
  const auto seeds = index_values(root_ / "ref", "/tasks/seed");
  for (double s : seeds) EXPECT_EQ(s, 42.0);
  const auto income = index_values(root_ / "ref", "/results/income_per_walker/yearly");
  ASSERT_EQ(income.size(), kTasks);  // one year
  // Income per walker over a year is 12 months of drift, up to noise.
  EXPECT_NEAR(income[0], 12 * 0.5, 0.5);
  EXPECT_NEAR(income[4], 12 * 2.5, 0.5);
  // Values the yearly aggregator forms from formulas, growth and members.
  for (double v : index_values(root_ / "ref", "/results/wealth_gini/yearly")) EXPECT_TRUE(v > 0 && v < 0.2) << v;
  for (double v : index_values(root_ / "ref", "/results/wealth_growth/yearly")) EXPECT_TRUE(std::isnan(v)) << v;  // no year before
  // Running again finds everything done.
  const Result again = toysim("sweep run sweep.yaml -o ref -q", root_);
  EXPECT_EQ(again.code, 0) << again.output;
  EXPECT_THAT(again.output, HasSubstr("8 already complete, 0 to run"));
  EXPECT_EQ(task_hashes(root_ / "ref", kTasks), ref);
}

TEST_F(Sweep, MpiAndSlurmShardsGiveTheSameTasksAsALocalRun) {
  const auto& ref = reference();
  // Three shards at once, as a Slurm array would run them, then collect.
  std::vector<std::thread> shards;
  std::vector<Result> results(3);
  for (int i = 0; i < 3; ++i)
    shards.emplace_back([i, &results] {
      results[static_cast<std::size_t>(i)] =
          toysim("sweep run sweep.yaml -o sharded --threads 1 -q --shard " + std::to_string(i) + "/3", root_);
    });
  for (auto& t : shards) t.join();
  for (const auto& r : results) {
    EXPECT_EQ(r.code, 0) << r.output;
    EXPECT_THAT(r.output, HasSubstr("when every shard is done: toysim sweep collect"));
  }
  EXPECT_FALSE(fs::exists(root_ / "sharded" / "sweep.h5"));  // shards never write the index
  const Result c = toysim("sweep collect sharded", root_);
  EXPECT_EQ(c.code, 0) << c.output;
  EXPECT_THAT(c.output, HasSubstr("sweep: 8 of 8 tasks complete"));
  EXPECT_EQ(task_hashes(root_ / "sharded", kTasks), ref);
  EXPECT_EQ(index_values(root_ / "sharded", "/results/top_wealth/period"), index_values(root_ / "ref", "/results/top_wealth/period"));

  // Shard from a Slurm array's environment: task ids 1..2 of an array starting at 1.
  const Result env = shell("SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=2 '" TOY_BINARY
                           "' sweep run sweep.yaml -o sharded -q",
                           root_);
  EXPECT_EQ(env.code, 0) << env.output;
  EXPECT_THAT(env.output, HasSubstr("shard 1/2 holds 4; 4 already complete, 0 to run"));

  if (shell("command -v mpirun", root_).code != 0) GTEST_SKIP() << "mpirun not found (apt-get install openmpi-bin)";
  const Result m = shell("mpirun --allow-run-as-root --oversubscribe -n 3 '" TOY_BINARY
                         "' sweep run sweep.yaml -o mpi --threads 1",
                         root_);
  if (m.output.find("built without MPI") != std::string::npos) GTEST_SKIP() << "built without MPI";
  ASSERT_EQ(m.code, 0) << m.output;
  EXPECT_THAT(m.output, HasSubstr("to run under MPI"));
  EXPECT_THAT(m.output, HasSubstr("sweep: 8 of 8 tasks complete"));
  EXPECT_EQ(task_hashes(root_ / "mpi", kTasks), ref);
  EXPECT_EQ(index_values(root_ / "mpi", "/results/income_per_walker/yearly"),
            index_values(root_ / "ref", "/results/income_per_walker/yearly"));
}

TEST_F(Sweep, KilledSweepResumesToTheSameResultsAndRefusesAChangedFile) {
  const auto& ref = reference();
  const fs::path dir = root_ / "killed";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const int log = ::open((root_ / "killed.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(log, 1);
    ::dup2(log, 2);
    ::chdir(root_.c_str());
    ::execl(TOY_BINARY, TOY_BINARY, "sweep", "run", "sweep.yaml", "-o", "killed", "--jobs", "1", "--threads", "1",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // SIGKILL once some but not all task files exist (a task takes about a second;
  // under a sanitizer, ThreadSanitizer's above all, up to tens of seconds).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(600);
#else
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
#endif
  std::size_t done = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    done = count_files(dir / "tasks", ".h5");
    if (done >= 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the sweep ended before it could be killed";
  done = count_files(dir / "tasks", ".h5");
  ASSERT_GE(done, 3u);
  ASSERT_LT(done, kTasks);
  EXPECT_FALSE(fs::exists(dir / "sweep.h5"));

  // A changed sweep file is refused, and the folder is left as it was.
  std::string changed = kSweep;
  changed.replace(changed.find("2.5]"), 3, "2.6");
  std::ofstream(root_ / "changed.yaml") << changed;
  const Result refused = toysim("sweep run changed.yaml -o killed -q", root_);
  EXPECT_EQ(refused.code, 3) << refused.output;
  EXPECT_THAT(refused.output, HasSubstr("holds the tasks of a different sweep"));
  EXPECT_EQ(count_files(dir / "tasks", ".h5"), done);

  // The same command again completes the sweep, rerunning only what is missing.
  const Result resumed = toysim("sweep run sweep.yaml -o killed --jobs 1 --threads 2", root_);
  ASSERT_EQ(resumed.code, 0) << resumed.output;
  EXPECT_THAT(resumed.output, HasSubstr(std::to_string(done) + " already complete, " + std::to_string(kTasks - done) + " to run"));
  EXPECT_EQ(count_files(dir / "tasks", ".h5"), kTasks);
  EXPECT_EQ(count_files(dir / "tasks", ".partial"), 0u);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir / "tasks")) ++entries;
  EXPECT_EQ(entries, kTasks);  // every task once, nothing else
  EXPECT_EQ(task_hashes(dir, kTasks), ref);
  EXPECT_EQ(index_statuses(dir), std::vector<std::string>(kTasks, "complete"));
}

// Two tasks of a few walkers and months, for tests of the sweep folder.
constexpr const char* kTinySweep = R"(base: toy
set:
  toy.walkers: 50
  run.months: 3
parameters:
  - key: toy.drift
    values: [0.5, 1.5]
design: {type: grid}
)";

// A link planted as a task's partial file is refused (the task fails with the
// reason) and the file it points at is untouched; the other task runs.
TEST_F(Sweep, PlantedLinkAsATaskFileIsRefused) {
  const fs::path dir = root_ / "linked";
  std::ofstream(root_ / "tiny.yaml") << kTinySweep;
  std::ofstream(root_ / "victim") << "precious";
  ASSERT_EQ(toysim("sweep plan tiny.yaml --no-trial -o linked", root_).code, 0);
  fs::create_symlink(root_ / "victim", dir / "tasks" / "0.h5.partial");
  const Result r = toysim("sweep run tiny.yaml -o linked -q", root_);
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("0.h5.partial' is a symbolic link"));
  std::ifstream in(root_ / "victim");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "precious");
  EXPECT_TRUE(fs::is_symlink(dir / "tasks" / "0.h5.partial"));
  EXPECT_FALSE(fs::exists(dir / "tasks" / "0.h5"));
  EXPECT_TRUE(fs::exists(dir / "tasks" / "1.h5"));
}

// A shard that is not I/N with 0 <= I < N, however written, is a usage error
// (status 2), not a run of some other shard.
TEST_F(Sweep, MalformedShardsAreUsageErrors) {
  std::ofstream(root_ / "tiny.yaml") << kTinySweep;
  for (const char* shard : {"0/100000000000000000000", "0/3/4", "3/3", "-1/3", "1/-3", "a/3", "0/0", "1", "0/3x", " 0/3"}) {
    const Result r = toysim(std::string("sweep run tiny.yaml -o badshard -q --shard '") + shard + "'", root_);
    EXPECT_EQ(r.code, 2) << shard << "\n" << r.output;
    EXPECT_THAT(r.output, HasSubstr("--shard: expected I/N")) << shard;
  }
  EXPECT_FALSE(fs::exists(root_ / "badshard" / "tasks" / "0.h5"));
  const Result ok = toysim("sweep run tiny.yaml -o badshard -q --shard 1/2", root_);
  EXPECT_EQ(ok.code, 0) << ok.output;
  EXPECT_TRUE(fs::exists(root_ / "badshard" / "tasks" / "1.h5"));
}

// A parameter name that cannot name a column ('.') is refused by plan as by
// run (status 3), leaving no file behind; and a folder that is not a sweep
// folder but holds other files is not written into (status 3).
TEST_F(Sweep, BadParameterNamesAndForeignFoldersAreRefused) {
  std::ofstream(root_ / "dot.yaml") << "base: toy\nset: {run.months: 2}\nparameters:\n"
                                       "  - {key: toy.drift, name: '.', values: [0.5, 1.5]}\n";
  for (const char* command : {"sweep plan dot.yaml --no-trial", "sweep plan dot.yaml --no-trial -o dotted",
                              "sweep run dot.yaml -o dotted -q"}) {
    const Result r = toysim(command, root_);
    EXPECT_EQ(r.code, 3) << command << "\n" << r.output;
    EXPECT_THAT(r.output, HasSubstr("name: '.' is not a plain name")) << command;
  }
  EXPECT_FALSE(fs::exists(root_ / "dotted"));

  std::ofstream(root_ / "tiny.yaml") << kTinySweep;
  const fs::path mine = root_ / "mine";
  fs::create_directories(mine);
  std::ofstream(mine / "notes.txt") << "my notes";
  std::ofstream(mine / "sweep.yaml") << "my own sweep file";
  for (const char* command : {"sweep run tiny.yaml -o mine -q", "sweep plan tiny.yaml --no-trial -o mine"}) {
    const Result r = toysim(command, root_);
    EXPECT_EQ(r.code, 3) << command << "\n" << r.output;
    EXPECT_THAT(r.output, HasSubstr("is not a sweep folder")) << command;
  }
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(mine)) ++entries;
  EXPECT_EQ(entries, 2u);
  std::ifstream in(mine / "sweep.yaml");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "my own sweep file");
  // An empty folder, or one a sweep has been started in, is fine.
  fs::create_directories(root_ / "empty");
  EXPECT_EQ(toysim("sweep run tiny.yaml -o empty -q", root_).code, 0);
  EXPECT_EQ(toysim("sweep run tiny.yaml -o empty -q", root_).code, 0);
}

TEST_F(Sweep, FailedTaskIsReportedWithItsErrorAndTheOthersRun) {
  // The second names file does not exist: that point's tasks fail when the model starts.
  std::ofstream(root_ / "names.txt") << "North\nSouth\n";
  std::ofstream(root_ / "failing.yaml") << "base: toy\n"
                                           "set: {toy.walkers: 20, run.months: 2}\n"
                                           "parameters:\n"
                                           "  - key: toy.region_names\n"
                                           "    values: [names.txt, no_such_names.txt]\n"
                                           "design: {type: list}\n";
  const Result r = toysim("sweep run failing.yaml -o failing -q", root_);
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("task 1 (point 1, replicate 0) failed: "));
  EXPECT_THAT(r.output, HasSubstr("no_such_names.txt"));
  EXPECT_THAT(r.output, HasSubstr("sweep: 1 of 2 tasks complete, 1 failed, 0 pending"));
  EXPECT_EQ(index_statuses(root_ / "failing"), (std::vector<std::string>{"complete", "failed"}));
  EXPECT_THAT(sim::io::DataFile::open(root_ / "failing" / "sweep.h5").read_strings("/tasks/error")[1],
              HasSubstr("no_such_names.txt"));
  // A rerun retries the failed task only.
  const Result again = toysim("sweep run failing.yaml -o failing -q", root_);
  EXPECT_EQ(again.code, 1);
  EXPECT_THAT(again.output, HasSubstr("1 already complete, 1 to run"));
}

TEST_F(Sweep, SlurmScriptsRunAsShardsAndCollect) {
  std::ofstream(root_ / "tiny.yaml") << "set: {toy.walkers: 20, run.months: 2}\n"
                                        "parameters: [{key: toy.drift, min: -1, max: 1}]\n"
                                        "design: {type: lhs, samples: 3, seed: 5}\n";
  const Result w = toysim("sweep slurm tiny.yaml -o tiny --shards 2 --cpus 1 --time 00:10:00", root_);
  ASSERT_EQ(w.code, 0) << w.output;
  const fs::path scripts = root_ / "tiny" / "slurm";
  std::ifstream in(scripts / "sweep.sbatch");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(text, HasSubstr("#SBATCH --array=0-1\n"));
  EXPECT_THAT(text, HasSubstr("#SBATCH --time=00:10:00\n"));
  EXPECT_THAT(text, HasSubstr("export HDF5_USE_FILE_LOCKING=FALSE"));
  // Named after the sweep file; the shard count is the array's, read at
  // run time, not written into the script.
  EXPECT_THAT(text, HasSubstr("#SBATCH --job-name=sweep-tiny\n"));
  EXPECT_THAT(text, Not(HasSubstr("--shard")));
  // What Slurm would do, with the array resized by `sbatch --array=0-2`:
  // three elements split the tasks among them, each exactly once.
  for (int i = 0; i < 3; ++i) {
    const Result s = shell("SLURM_ARRAY_TASK_ID=" + std::to_string(i) + " SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=3 bash '" +
                               (scripts / "sweep.sbatch").string() + "'",
                           root_);
    EXPECT_EQ(s.code, 0) << s.output;
    EXPECT_THAT(s.output, HasSubstr("shard " + std::to_string(i) + "/3: 1 of 1 task complete, 0 failed, 0 interrupted"));
  }
  const Result c = shell("bash '" + (scripts / "collect.sbatch").string() + "'", root_);
  EXPECT_EQ(c.code, 0) << c.output;
  EXPECT_THAT(c.output, HasSubstr("sweep: 3 of 3 tasks complete"));
  EXPECT_TRUE(fs::exists(scripts / "submit.sh"));
}

// Interrupted ranks (scancel, or SIGINT to the ranks) end an MPI sweep
// with the documented 130, as a local sweep does: every rank exits with it,
// whichever one mpirun reports.
TEST_F(Sweep, InterruptedMpiSweepExitsWith130) {
  if (shell("command -v mpirun", root_).code != 0) GTEST_SKIP() << "mpirun not found (apt-get install openmpi-bin)";
  std::ofstream(root_ / "slow.yaml") << "base: toy\n"
                                        "set: {toy.walkers: 200000, run.months: 24}\n"
                                        "parameters: [{key: toy.drift, values: [0, 0.1, 0.2, 0.3, 0.4, 0.5]}]\n"
                                        "design: {type: grid}\n";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const int log = ::open((root_ / "mpi.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(log, 1);
    ::dup2(log, 2);
    ::chdir(root_.c_str());
    ::execlp("mpirun", "mpirun", "--allow-run-as-root", "--oversubscribe", "-n", "3", TOY_BINARY, "sweep", "run",
             "slow.yaml", "-o", "slow", "--threads", "1", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Once a task file is being written, interrupt the ranks (not mpirun).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline && count_files(root_ / "slow" / "tasks", ".partial") == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  // Only this sweep's ranks (the children of this mpirun): other tests may
  // run toysim at the same time.
  shell("pkill -INT -P " + std::to_string(pid) + " -x toysim", root_);
  int status = 0;
  ::waitpid(pid, &status, 0);
  std::ifstream in(root_ / "mpi.log");
  const std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (log.find("built without MPI") != std::string::npos) GTEST_SKIP() << "built without MPI";
  ASSERT_TRUE(WIFEXITED(status)) << log;
  EXPECT_EQ(WEXITSTATUS(status), 130) << log;
  EXPECT_THAT(log, HasSubstr("under MPI on 3 ranks (2 workers)"));
  EXPECT_THAT(log, HasSubstr("interrupted"));
}

TEST_F(Sweep, SlurmTimeIsCheckedWhenTheScriptsAreWritten) {
  std::ofstream(root_ / "tiny.yaml") << "set: {toy.walkers: 20, run.months: 2}\n"
                                        "parameters: [{key: toy.drift, min: -1, max: 1}]\n"
                                        "design: {type: lhs, samples: 3, seed: 5}\n";
  for (const char* bad : {"1:2:3:4", "ten", "1-", "04:00:00x"}) {
    const Result r = toysim(std::string("sweep slurm tiny.yaml -o t --time ") + bad, root_);
    EXPECT_EQ(r.code, 2) << bad << ": " << r.output;
    EXPECT_THAT(r.output, HasSubstr("is not a Slurm time")) << bad;
  }
  for (const char* good : {"90", "90:30", "04:00:00", "2-12", "2-12:30", "1-00:00:00"})
    EXPECT_EQ(toysim(std::string("sweep slurm tiny.yaml -o t --time ") + good, root_).code, 0) << good;
}

TEST_F(Sweep, CollectAndPlanReportMistakesClearly) {
  const Result none = toysim("sweep collect no_such_folder", root_);
  EXPECT_EQ(none.code, 3) << none.output;
  EXPECT_THAT(none.output, HasSubstr("is not a sweep folder"));
  std::string typo = kSweep;
  typo.replace(typo.find("top_wealth"), 10, "top_welth");
  std::ofstream(root_ / "typo.yaml") << typo;
  const Result plan = toysim("sweep plan typo.yaml --trial-months 1", root_);
  EXPECT_EQ(plan.code, 3) << plan.output;
  EXPECT_THAT(plan.output, HasSubstr("typo.yaml:14:44: outputs: unknown indicator 'top_welth'; did you mean 'top_wealth'?"));
  EXPECT_THAT(plan.output, HasSubstr("tasks: 8 (4 points x 2 replicates)"));
  EXPECT_THAT(plan.output, HasSubstr("core-hours"));
}

}  // namespace
