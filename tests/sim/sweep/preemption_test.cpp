// A Slurm-style shard pre-empted with SIGTERM (issue 15): the running task
// writes a checkpoint before the shard exits with 130, and the shard run
// again continues the task from it to the task file an uninterrupted run
// writes, bit for bit; the checkpoint is removed once the task is complete.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "sim/io/recorder.hpp"
#include "support/program.hpp"

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing_support::Result;

Result toysim(const std::string& args, const fs::path& cwd) { return testing_support::run_program(TOY_BINARY, args, cwd); }

// Two tasks of 36 months, each long enough (a few seconds) to be stopped
// half-way.
constexpr const char* kSweep = R"(base: toy
set:
  toy.walkers: 60000
  run.months: 36
parameters:
  - key: toy.drift
    values: [0.5, 2.5]
)";

std::vector<fs::path> checkpoints(const fs::path& tasks) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(tasks, ec))
    if (e.path().extension() == ".ckpt") out.push_back(e.path());
  return out;
}

class Preemption : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("ruralsim-preempt-" + std::to_string(::getpid()));
    fs::create_directories(root_);
    std::ofstream(root_ / "sweep.yaml") << kSweep;
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(Preemption, SigtermedShardContinuesItsTaskFromTheCheckpointToTheSameFile) {
  const Result ref = toysim("sweep run sweep.yaml -o ref --threads 2 -q", root_);
  ASSERT_EQ(ref.code, 0) << ref.output;

  // The shard as the generated Slurm script runs it (exec'd, one shard of one).
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const int log = ::open((root_ / "shard.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(log, 1);
    ::dup2(log, 2);
    if (::chdir(root_.c_str()) != 0) ::_exit(126);
    ::execl(TOY_BINARY, TOY_BINARY, "sweep", "run", "sweep.yaml", "-o", "run", "--shard", "0/1", "--jobs", "1",
            "--threads", "1", "-q", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Slurm's SIGTERM once the first task has written its first year (its
  // partial file appears then) and before it is complete.
  const fs::path tasks = root_ / "run" / "tasks";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline && !fs::exists(tasks / "0.h5.partial") && !fs::exists(tasks / "0.h5"))
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_FALSE(fs::exists(tasks / "0.h5")) << "the task ended before the signal: make it longer";
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const std::vector<fs::path> saved = checkpoints(tasks);
  ASSERT_EQ(saved.size(), 1u) << "the stopped task left no checkpoint";
  EXPECT_EQ(saved[0].filename().string().rfind("0.", 0), 0u) << saved[0];

  // The requeued shard continues the task and runs the other.
  const Result again = toysim("sweep run sweep.yaml -o run --shard 0/1 --threads 2", root_);
  ASSERT_EQ(again.code, 0) << again.output;
  EXPECT_THAT(again.output, HasSubstr("task 0: continuing from " + saved[0].filename().string()));
  for (const char* t : {"0.h5", "1.h5"})
    EXPECT_EQ(sim::io::content_hash((tasks / t).string()), sim::io::content_hash((root_ / "ref" / "tasks" / t).string()))
        << t;
  EXPECT_TRUE(checkpoints(tasks).empty()) << "a complete task keeps no checkpoint";
}

}  // namespace
