// Runs sharing one process share its memory: the gate starts a run only when
// its estimate fits beside the running ones, so --jobs N of a large
// population run fewer at a time instead of running out of memory together.
#include "sim/run/memory_gate.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "support/program.hpp"

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

sim::MemoryLimit limit_of(double bytes) { return {bytes, "a test's limit", 0}; }

// How many of four runs of `each` bytes start together: each asks with a stop
// already set, so one that would have to wait is refused at once instead (no
// threads, no timing).
std::size_t most_together(double usable, double each) {
  sim::MemoryGate gate(limit_of(usable), "runs");
  const std::atomic<bool> stop{true};
  std::vector<sim::MemoryGate::Ticket> held;
  for (int k = 0; k < 4; ++k)
    if (auto ticket = gate.admit(each, &stop); ticket.admitted()) held.push_back(std::move(ticket));
  EXPECT_EQ(gate.running(), held.size());
  const std::size_t together = held.size();
  held.clear();
  EXPECT_EQ(gate.running(), 0u);
  return together;
}

TEST(MemoryGate, RunsStartOnlyWhileTheirEstimatesFitTogether) {
  EXPECT_EQ(most_together(100, 60), 1u);  // two would need 120
  EXPECT_EQ(most_together(100, 45), 2u);  // three would need 135
  EXPECT_EQ(most_together(100, 25), 4u);
  EXPECT_EQ(most_together(100, 0), 4u);  // unknown estimates never wait
}

TEST(MemoryGate, ARunTooLargeEvenAloneStartsWhenNothingElseRuns) {
  // Its own check refuses it with the figures; the gate must not hang.
  sim::MemoryGate gate(limit_of(100), "runs");
  auto alone = gate.admit(150);
  EXPECT_TRUE(alone.admitted());
  EXPECT_EQ(gate.running(), 1u);
  std::atomic<bool> second_started{false};
  std::thread second([&] {
    const auto ticket = gate.admit(150);
    second_started = true;
  });
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(second_started.load());
  alone = {};  // the first run ends
  second.join();
  EXPECT_TRUE(second_started.load());
  EXPECT_EQ(gate.running(), 0u);
}

TEST(MemoryGate, AStopWhileWaitingAdmitsNothing) {
  sim::MemoryGate gate(limit_of(100), "runs");
  const auto first = gate.admit(80);
  std::atomic<bool> stop{false};
  std::thread waiting([&] {
    const auto ticket = gate.admit(80, &stop);
    EXPECT_FALSE(ticket.admitted());
  });
  std::this_thread::sleep_for(50ms);
  stop = true;  // as a signal handler does: no notification
  waiting.join();
  EXPECT_EQ(gate.running(), 1u);
}

class JobsAndMemory : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ruralsim-memory-gate-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  testing_support::Result toysim(const std::string& args) {
    return testing_support::run_program(TOY_BINARY, args, dir_);
  }
  fs::path dir_;
};

// The toy model claims toy.claimed_memory_share of what the process may use
// for each run: at 0.6 two replicates do not fit together, at 0.3 three do.
// Runs of 20,000 walkers take a few tenths of a second, so the jobs overlap
// even on a busy machine.
TEST_F(JobsAndMemory, AnEnsembleRunsFewerReplicatesAtOnceWhenTogetherTheyWouldNotFit) {
  const std::string ensemble = "run toy --replicates 3 --jobs 3 --threads 2 --set toy.walkers=20000 ";
  const auto big = toysim(ensemble + "-o big --set toy.claimed_memory_share=0.6");
  EXPECT_EQ(big.code, 0) << big.output;
  EXPECT_THAT(big.output, HasSubstr("note: memory: the next of the replicates needs about"));
  EXPECT_THAT(big.output, HasSubstr("so fewer of them run at once than --jobs asks"));
  for (int k = 0; k < 3; ++k) EXPECT_TRUE(fs::exists(dir_ / "big" / ("toy-r" + std::to_string(k) + ".h5"))) << k;

  const auto small = toysim(ensemble + "-o small --set toy.claimed_memory_share=0.3");
  EXPECT_EQ(small.code, 0) << small.output;
  EXPECT_THAT(small.output, Not(HasSubstr("note: memory")));
}

TEST_F(JobsAndMemory, ASweepRunsFewerTasksAtOnceWhenTogetherTheyWouldNotFit) {
  // One point claims little, one much: the note names the large one waiting.
  std::ofstream(dir_ / "sweep.yaml") << R"(base: toy
set:
  run.months: 12
  toy.walkers: 20000
parameters:
  - key: toy.claimed_memory_share
    values: [0.7, 0.71, 0.2]
replicates: 1
)";
  const auto r = toysim("sweep run sweep.yaml -o swept --jobs 3 --threads 2");
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("note: memory: the next of the tasks needs about"));
  for (int t = 0; t < 3; ++t) EXPECT_TRUE(fs::exists(dir_ / "swept" / "tasks" / (std::to_string(t) + ".h5"))) << t;
}

}  // namespace
