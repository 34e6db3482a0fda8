// A sweep too large to plan is refused with its count before its points are
// made: `sweep plan -o` of a 100-million-task design (in range for the sweep
// file's own checks) used more than 5 GB before it ran out of memory; now it
// exits 3 at once, its resident memory small. Designs up to the bound plan.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/run/simulation.hpp"
#include "sim/sweep/plan.hpp"
#include "sim/toy/toy_model.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define RURALSIM_UNDER_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RURALSIM_UNDER_SANITIZER 1
#endif

namespace sim::sweep {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const scenario::Schema& schema() {
  static const scenario::Schema s = full_schema(toy::description());
  return s;
}

Plan plan_of(const std::string& text) {
  const auto& m = toy::description();
  return Plan(m, schema(), load_spec_text(text, "/sweeps/big.yaml", schema(), m.embedded, m.default_scenario));
}

std::string lhs(long long samples, long long replicates) {
  return "base: toy\nset: {toy.walkers: 5, run.months: 1}\nparameters:\n  - key: toy.drift\n    min: 0\n    max: 1\n"
         "design: {type: lhs, samples: " +
         std::to_string(samples) + "}\nreplicates: " + std::to_string(replicates) + "\n";
}

struct Child {
  int code = -1;
  std::string output;
  double peak_rss = 0;  // bytes
  double seconds = 0;
};

// `toysim ARGS` in `cwd` under an address-space limit (as `ulimit -v`).
[[maybe_unused]] Child toysim_limited(const std::vector<std::string>& args, const fs::path& cwd, rlim_t address_space) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    if (chdir(cwd.c_str()) != 0) _exit(119);
    const rlimit r{address_space, address_space};
    if (setrlimit(RLIMIT_AS, &r) != 0) _exit(120);
    std::string binary = TOY_BINARY;
    std::vector<std::string> copy = args;
    std::vector<char*> argv{binary.data()};
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(121);
  }
  close(fds[1]);
  Child c;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) c.output.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  c.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  c.peak_rss = static_cast<double>(usage.ru_maxrss) * 1024.0;
  return c;
}

// The case: 10 million Latin-hypercube points x 10 replicates, 100
// million tasks, the most the sweep file's own check allows. Before, planning
// made every point and task (over 5 GB; under a 1 GiB limit: std::bad_alloc,
// exit 1); now it is refused with the count and the bound.
TEST(PlanMemory, HundredMillionTaskPlanIsRefusedBeforeItsPointsAreMade) {
#ifdef RURALSIM_UNDER_SANITIZER
  GTEST_SKIP() << "sanitizers reserve terabytes of address space: an address-space limit stops them";
#else
  const fs::path dir = fs::temp_directory_path() / ("ruralsim-plan-memory-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "big.yaml") << lhs(10'000'000, 10);
  const Child c = toysim_limited({"sweep", "plan", "big.yaml", "-o", "out", "--no-trial"}, dir, 1024u * 1024u * 1024u);
  EXPECT_EQ(c.code, 3) << c.output;
  EXPECT_THAT(c.output, HasSubstr("big.yaml: the sweep would have 100,000,000 tasks (10,000,000 points x 10 replicates), "
                                  "more than the 1,000,000 one sweep folder may hold"));
  EXPECT_THAT(c.output, HasSubstr("use fewer design.samples or replicates"));
  EXPECT_LT(c.peak_rss, 200e6) << "the refusal came after making the points";
  EXPECT_LT(c.seconds, 60.0);
  EXPECT_FALSE(fs::exists(dir / "out" / "plan.h5"));
  fs::remove_all(dir);
#endif
}

// In-process, and at the bound: replicates count as much as points.
TEST(PlanMemory, TheBoundCountsTasksNotPoints) {
  static_assert(kMaxPlanTasks == 1'000'000);
  try {
    (void)plan_of(lhs(10, 100'001));
    ADD_FAILURE() << "1,000,010 tasks were planned";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), Status::invalid_input);
    EXPECT_THAT(e.what(), HasSubstr("/sweeps/big.yaml: the sweep would have 1,000,010 tasks (10 points x 100,001 "
                                    "replicates), more than the 1,000,000"));
  }
  const Plan at_bound = plan_of(lhs(1000, 1000));
  EXPECT_EQ(at_bound.tasks(), 1'000'000u);
  EXPECT_EQ(at_bound.points(), 1000u);
  EXPECT_EQ(design_points(at_bound.spec()), 1000u);
}

// The count made before the points agrees with the points made, design by design.
TEST(PlanMemory, CountedPointsAreThePointsMade) {
  const char* designs[] = {
      "parameters:\n  - key: toy.drift\n    values: [1, 2, 3]\n  - key: toy.volatility\n    min: 1\n    max: 9\n"
      "design: {type: grid, levels: 5}\n",
      "parameters:\n  - key: toy.drift\n    values: [1, 2, 3]\n  - key: toy.volatility\n    values: [4, 5, 6]\n"
      "design: {type: list}\n",
      "parameters:\n  - key: toy.drift\n    min: 0\n    max: 1\n  - key: toy.volatility\n    min: 1\n    max: 9\n"
      "design: {type: sobol, samples: 16}\n",
      "parameters:\n  - key: toy.drift\n    min: 0\n    max: 1\n  - key: toy.volatility\n    min: 1\n    max: 9\n"
      "design: {type: morris, trajectories: 7, levels: 4}\n"};
  for (const char* d : designs) {
    const Plan p = plan_of(std::string("base: toy\nset: {toy.walkers: 5, run.months: 1}\n") + d);
    EXPECT_EQ(design_points(p.spec()), p.points()) << d;
    EXPECT_EQ(p.design().unit.size(), p.points() * p.design().dims) << d;
  }
}

}  // namespace
}  // namespace sim::sweep
