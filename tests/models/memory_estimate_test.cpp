// A population too large for the machine is refused before any agent exists:
// the program exits 3 at once with the estimate, the limit and the keys to
// change, its resident memory staying small; the estimate follows the
// measured peaks (bench/README.md) and a large run is noted with it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "models/transition/memory_estimate.hpp"
#include "models/transition/params.hpp"
#include "models/transition/transition_model.hpp"
#include "run_helper.hpp"
#include "sim/core/error.hpp"
#include "sim/core/memory_limit.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define RURALSIM_UNDER_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RURALSIM_UNDER_SANITIZER 1
#endif

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

transition::Params params_of(const std::vector<std::string>& overrides) {
  return transition::read_params(models_test::load("baseline", overrides));
}

struct Child {
  int code = -1;           // exit status, -1 if killed by a signal
  std::string output;      // stdout and stderr
  double peak_rss = 0;     // bytes (ru_maxrss)
  double seconds = 0;
  double forked_rss = 0;   // bytes: this process's resident size when it forked the child
};

// Runs the program with `args` under an address-space limit (setrlimit in the
// child before exec), as `ulimit -v` would.
[[maybe_unused]] Child run_limited(const std::vector<std::string>& args, rlim_t address_space) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe");
  const auto start = std::chrono::steady_clock::now();
  // A forked child starts with this process's pages resident, and Linux
  // keeps that in its ru_maxrss across exec: the test program, holding the
  // runs other tests cached, may be larger than the refused run ever gets.
  double forked_rss = 0;
  if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
    unsigned long size = 0, resident = 0;
    if (std::fscanf(f, "%lu %lu", &size, &resident) == 2)
      forked_rss = static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE));
    std::fclose(f);
  }
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    const rlimit r{address_space, address_space};
    if (setrlimit(RLIMIT_AS, &r) != 0) _exit(120);
    std::vector<char*> argv;
    std::string binary = RURALSIM_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(121);
  }
  close(pipe_fds[1]);
  Child c;
  char buf[4096];
  for (ssize_t n; (n = read(pipe_fds[0], buf, sizeof buf)) > 0;) c.output.append(buf, static_cast<std::size_t>(n));
  close(pipe_fds[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  c.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  c.peak_rss = static_cast<double>(usage.ru_maxrss) * 1024.0;
  c.forked_rss = forked_rss;
  return c;
}

// The case: 100 million households at scale 1 (about 11 GiB) under
// `ulimit -v` of 1 GiB. Before the check the program grew until an allocation
// failed (std::bad_alloc, exit 1, about 1 GB resident); now it refuses at
// once, before allocating any agent.
TEST(MemoryEstimate, AProgramRunBeyondTheMemoryLimitIsRefusedBeforeAllocating) {
#ifdef RURALSIM_UNDER_SANITIZER
  GTEST_SKIP() << "sanitizers reserve terabytes of address space: an address-space limit stops them";
#else
  const fs::path out = fs::temp_directory_path() / ("ruralsim-memory-" + std::to_string(::getpid()) + ".h5");
  const Child c = run_limited({"run", "--set", "population.households=1e8", "--set", "population.scale=1", "-q", "-o",
                               out.string(), "--force", "--threads", "2"},
                              static_cast<rlim_t>(kGiB));
  EXPECT_EQ(c.code, 3) << c.output;
  EXPECT_THAT(c.output, HasSubstr("population.households=1e+08 at population.scale=1 (100 million households"));
  EXPECT_THAT(c.output, HasSubstr("needs about"));
  EXPECT_THAT(c.output, HasSubstr("this process may use 1.00 GiB (address-space limit, ulimit -v"));
  EXPECT_THAT(c.output, HasSubstr("households fit: lower population.scale to "));
  // The refused run's own peak shows only where it exceeds what the child
  // inherited at fork (see run_limited).
  EXPECT_LT(c.peak_rss, std::max(200e6, c.forked_rss + 50e6))
      << "the refusal came after allocating (this process had " << c.forked_rss << " bytes resident at the fork)";
  EXPECT_LT(c.seconds, 60.0);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out.string() + ".partial"));
  models_test::record("refused_run_peak_rss_bytes", c.peak_rss);
#endif
}

// The estimate against measured peaks of `ruralsim run ... -o FILE` (peak
// resident memory by /usr/bin/time -v, 2 threads, 60 months, output written):
// 236,440 kB at scale 0.1, 458,204 kB at 3 million households in 3,000
// villages, 502,436 kB at scale 0.3 and 1,351,672 kB at scale 1.0
// (bench/README.md: 1,345,624 kB); 513,544 kB at scale 0.3 when the
// calibration fits in a copy of the state (a key shaping 2020 set, 1 month):
// never below, at most 10 % above.
TEST(MemoryEstimate, FollowsTheMeasuredPeaks) {
  struct Case {
    std::vector<std::string> overrides;
    double measured;  // bytes
    bool copies;
  };
  const Case cases[] = {{{"population.scale=0.1"}, 236440 * 1024.0, false},
                        {{"population.scale=0.1", "population.households=3e7"}, 458204 * 1024.0, false},
                        {{"population.scale=0.3"}, 502436 * 1024.0, false},
                        {{"population.scale=1"}, 1351672 * 1024.0, false},
                        {{"population.scale=0.3", "labour.migrant_wage=5000"}, 513544 * 1024.0, true}};
  int k = 0;
  for (const Case& c : cases) {
    const transition::RunEstimate e = transition::estimate_run(params_of(c.overrides), 160);
    const std::string what = ::testing::PrintToString(c.overrides);
    EXPECT_GE(e.peak_bytes, c.measured) << what;
    EXPECT_LE(e.peak_bytes, 1.10 * c.measured) << what;
    EXPECT_EQ(e.copies_state, c.copies) << what;
    models_test::record("estimate_over_measured_" + std::to_string(k++), e.peak_bytes / c.measured);
  }
  const transition::RunEstimate full = transition::estimate_run(params_of({"population.scale=1"}), 160);
  EXPECT_NEAR(full.households, 10e6, 200);
  EXPECT_NEAR(full.state_bytes / full.households, 77.2, 0.5);  // bench/README.md: 77.2 bytes per household
  // 100 million households: ten times the state, about 11 GiB in all.
  const transition::RunEstimate huge =
      transition::estimate_run(params_of({"population.scale=1", "population.households=1e8"}), 160);
  EXPECT_GT(huge.peak_bytes, 10 * kGiB);
  EXPECT_LT(huge.peak_bytes, 13 * kGiB);
  // Fitting in a copy holds the state twice during set-up.
  const transition::RunEstimate copy =
      transition::estimate_run(params_of({"population.scale=1", "labour.migrant_wage=5000"}), 160);
  EXPECT_GE(copy.peak_bytes, 2 * copy.state_bytes);
  EXPECT_GT(copy.peak_bytes, full.peak_bytes);
}

// Ensembles and sweeps with --jobs start runs only while their estimates fit
// together (sim/run/memory_gate.hpp): the model's description gives the same
// estimate the run checks itself against, growing with the population.
TEST(MemoryEstimate, TheModelDescriptionGivesEachScenariosEstimate) {
  const auto& peak = transition::description().peak_memory;
  ASSERT_TRUE(peak);
  for (const char* scale : {"population.scale=0.02", "population.scale=1"}) {
    const auto sc = models_test::load("baseline", {scale});
    EXPECT_DOUBLE_EQ(peak(sc), transition::estimate_run(transition::read_params(sc), 160).peak_bytes) << scale;
  }
  const double small = peak(models_test::load("baseline", {"population.scale=0.02"}));
  const double full = peak(models_test::load("baseline", {"population.scale=1"}));
  EXPECT_GT(full, 5 * small);
}

TEST(MemoryEstimate, RefusalNamesTheEstimateTheLimitAndWhatToChange) {
  const sim::MemoryLimit limit{4 * kGiB, "physical memory", 0};
  const auto p = params_of({"population.scale=1", "population.households=1e8"});
  try {
    (void)transition::check_run_memory(p, 160, limit);
    FAIL() << "no refusal";
  } catch (const sim::Error& e) {
    EXPECT_EQ(e.status(), sim::Status::invalid_input);
    const std::string m = e.what();
    EXPECT_THAT(m, HasSubstr("population.households=1e+08 at population.scale=1 (100 million households"));
    EXPECT_THAT(m, HasSubstr("needs about 1"));  // 10-13 GiB
    EXPECT_THAT(m, HasSubstr(" GiB of memory"));
    EXPECT_THAT(m, HasSubstr("this process may use 4.00 GiB (physical memory)"));
    EXPECT_THAT(m, HasSubstr("million households fit: lower population.scale to 0.3"));  // 0.30-0.39: 30-39 million
    EXPECT_THAT(m, HasSubstr(" or less, or population.households, or run where more memory is available"));
  }
  // Fits, but large: a note with the estimate and the reference time.
  const std::string note = transition::check_run_memory(
      params_of({"population.scale=1", "population.households=3e7"}), 160, sim::MemoryLimit{64 * kGiB, "physical memory", 0});
  EXPECT_THAT(note, HasSubstr("population.households=3e+07 at population.scale=1 (30 million households"));
  EXPECT_THAT(note, HasSubstr("GiB of memory (this process may use 64.0 GiB)"));
  EXPECT_THAT(note, HasSubstr("for 60 months"));
  // Small: nothing to say.
  EXPECT_EQ(transition::check_run_memory(params_of({"population.scale=0.02"}), 160, limit), "");
}

TEST(MemoryLimit, IsAtMostThePhysicalMemoryAndFormatsInBinaryUnits) {
  const sim::MemoryLimit m = sim::memory_limit();
  EXPECT_GT(m.bytes, 0);
  EXPECT_LE(m.bytes, static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGE_SIZE)));
  EXPECT_FALSE(m.what.empty());
  EXPECT_EQ(sim::format_bytes(12.3 * kGiB), "12.3 GiB");
  EXPECT_EQ(sim::format_bytes(1.28 * kGiB), "1.28 GiB");
  EXPECT_EQ(sim::format_bytes(850.0 * 1024 * 1024), "850 MiB");
  EXPECT_EQ(sim::format_bytes(512), "512 bytes");
}

}  // namespace
