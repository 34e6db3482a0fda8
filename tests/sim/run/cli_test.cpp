// The engine's command line as a user meets it, on the toy model: exit
// codes, messages naming the file, line and key, refusal to overwrite,
// interruption, ensembles and the summary of a run.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "sim/io/data_file.hpp"
#include "support/program.hpp"

namespace {

namespace fs = std::filesystem;
using testing_support::Result;

Result toysim(const std::string& args, const fs::path& cwd) { return testing_support::run_program(TOY_BINARY, args, cwd); }

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ruralsim-cli-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  fs::path dir_;
};

constexpr const char* kSmall = "--set toy.walkers=200 --set run.months=14 -q";

TEST_F(Cli, DefaultScenarioRunsWithoutArgumentsAndPrintsSummaryAndOutputPath) {
  const Result r = toysim("run --set run.months=30", dir_);
  ASSERT_EQ(r.code, 0) << r.output;
  // The summary: the indicators declared for it, year by year, partial years marked.
  EXPECT_NE(r.output.find("yearly values, all regions"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("2000       2001      2002*"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("income_per_walker"), std::string::npos) << r.output;  // not declared for the summary
  EXPECT_NE(r.output.find("mean_wealth"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("output: runs/toy-s42-r0-"), std::string::npos) << r.output;
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "runs"), fs::directory_iterator{}), 1);
}

TEST_F(Cli, RefusesToOverwriteWithoutForce) {
  ASSERT_EQ(toysim(std::string("run -o out.h5 ") + kSmall, dir_).code, 0);
  const auto size = fs::file_size(dir_ / "out.h5");
  const Result again = toysim(std::string("run -o out.h5 ") + kSmall, dir_);
  EXPECT_EQ(again.code, 5) << again.output;
  EXPECT_NE(again.output.find("--force"), std::string::npos) << again.output;
  EXPECT_EQ(fs::file_size(dir_ / "out.h5"), size);
  EXPECT_EQ(toysim(std::string("run -o out.h5 --force ") + kSmall, dir_).code, 0);
}

TEST_F(Cli, BadScenarioNamesFileLineAndKeyWithSuggestion) {
  write("typo.yaml", "extends: toy\ntoy:\n  volatilty: 3\n");
  const Result r = toysim("validate typo.yaml", dir_);
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("typo.yaml:3:3"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("toy.volatilty"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("did you mean 'toy.volatility'"), std::string::npos) << r.output;
}

TEST_F(Cli, OutOfRangeOverrideAndMissingFile) {
  const Result range = toysim("validate toy --set toy.volatility=-5", dir_);
  EXPECT_EQ(range.code, 3) << range.output;
  EXPECT_NE(range.output.find("toy.volatility"), std::string::npos) << range.output;
  EXPECT_EQ(toysim("validate no_such_scenario.yaml", dir_).code, 4);
  EXPECT_EQ(toysim("info no_such_file.h5", dir_).code, 4);
  EXPECT_EQ(toysim("run --no-such-flag", dir_).code, 2);
}

TEST_F(Cli, UnknownCommandNamesTheNearestAndListsThem) {
  const Result r = toysim("rn", dir_);
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("unknown command 'rn'; did you mean 'run'?"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("commands: run, validate"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("A subcommand is required"), std::string::npos) << r.output;
}

TEST_F(Cli, UnknownScenarioNamesTheNearestBuiltInAndListsThem) {
  const Result r = toysim("run tyo", dir_);
  EXPECT_EQ(r.code, 4) << r.output;
  EXPECT_NE(r.output.find("did you mean 'toy'?"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("built-in scenarios: toy"), std::string::npos) << r.output;
  const Result list = toysim("scenarios", dir_);
  EXPECT_EQ(list.code, 0) << list.output;
  EXPECT_NE(list.output.find("toy"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("Walkers in four regions for two years. (the default)"), std::string::npos) << list.output;
}

TEST_F(Cli, CountOptionsSayTheirBoundInWords) {
  const Result zero = toysim("run --replicates 0", dir_);
  EXPECT_EQ(zero.code, 2) << zero.output;
  EXPECT_NE(zero.output.find("--replicates: '0' is too small: it must be at least 1"), std::string::npos) << zero.output;
  const Result negative = toysim("run --threads -1", dir_);
  EXPECT_EQ(negative.code, 2) << negative.output;
  EXPECT_NE(negative.output.find("it must be at least 0"), std::string::npos) << negative.output;
  EXPECT_EQ(negative.output.find("1.79769e+308"), std::string::npos) << negative.output;
  EXPECT_LT(negative.output.size(), 300u) << negative.output;
}

TEST_F(Cli, QuietRunPrintsTheOutputPathAloneAndCountsInTheRightNumber) {
  const Result q = toysim(std::string("run -o out.h5 ") + kSmall, dir_);
  ASSERT_EQ(q.code, 0) << q.output;
  EXPECT_EQ(q.output, "output: out.h5\n");
  const Result one = toysim("run -o one.h5 --threads 1 --set toy.walkers=200 --set run.months=14", dir_);
  ASSERT_EQ(one.code, 0) << one.output;
  EXPECT_NE(one.output.find("on 1 thread in"), std::string::npos) << one.output;
  EXPECT_EQ(one.output.find("1 threads"), std::string::npos) << one.output;
}

TEST_F(Cli, ProgressShowsTheSetUpAsItsOwnPhase) {
  // Not a terminal here: plain lines, the set-up first, then the years.
  const Result r = toysim("run -o p.h5 --set toy.walkers=200 --set run.months=14", dir_);
  ASSERT_EQ(r.code, 0) << r.output;
  const auto setup = r.output.find("set-up: building the model and the output file");
  const auto done = r.output.find("set-up: done in ");
  const auto first_year = r.output.find("step 12/14");
  ASSERT_NE(setup, std::string::npos) << r.output;
  ASSERT_NE(done, std::string::npos) << r.output;
  ASSERT_NE(first_year, std::string::npos) << r.output;
  EXPECT_LT(setup, done);
  EXPECT_LT(done, first_year);
}

TEST_F(Cli, SchemaListsEveryKeyWithItsCalendarDefaults) {
  const Result r = toysim("schema --markdown", dir_);
  ASSERT_EQ(r.code, 0);
  for (const char* key : {"toy.volatility", "toy.region_names", "run.seed", "output.panel.fraction"})
    EXPECT_NE(r.output.find(key), std::string::npos) << key;
  // The engine's run keys take the model's calendar as defaults.
  EXPECT_NE(r.output.find("| `run.seed` | integer | `42` |"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("| `run.start_year` | integer | `2000` |"), std::string::npos) << r.output;
}

TEST_F(Cli, DescribeListsTablesIndicatorsAndEvents) {
  const Result md = toysim("describe", dir_);
  ASSERT_EQ(md.code, 0) << md.output;
  EXPECT_NE(md.output.find("| `wealth` | float64 | coins | Wealth |"), std::string::npos) << md.output;
  EXPECT_NE(md.output.find("| `rich` | `wealth > 60` |"), std::string::npos) << md.output;
  EXPECT_NE(md.output.find("| `mean_wealth` | money | coins | derived | `last(wealth) / last(walkers)` |"), std::string::npos)
      << md.output;
  EXPECT_NE(md.output.find("| 1 | `moved` | Moved house |"), std::string::npos) << md.output;
  const Result json = toysim("describe --format json", dir_);
  ASSERT_EQ(json.code, 0);
  EXPECT_NE(json.output.find("\"format\": \"ruralsim-model-description\""), std::string::npos);
  EXPECT_EQ(toysim("describe --format yaml", dir_).code, 2);
}

TEST_F(Cli, InfoSummarisesAndHashesAreEqualAcrossThreadCounts) {
  ASSERT_EQ(toysim(std::string("run -o a.h5 --threads 1 ") + kSmall, dir_).code, 0);
  ASSERT_EQ(toysim(std::string("run -o b.h5 --threads 2 ") + kSmall, dir_).code, 0);
  const Result info = toysim("info a.h5", dir_);
  EXPECT_EQ(info.code, 0);
  EXPECT_NE(info.output.find("complete"), std::string::npos) << info.output;
  EXPECT_EQ(toysim("info --hash a.h5", dir_).output, toysim("info --hash b.h5", dir_).output);
}

// Starts a long baseline run writing out.h5 in `dir`, waits until it has
// written for a while, sends `sig` and returns the wait status.
int run_and_signal(const fs::path& dir, int sig) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(99);
    execl(TOY_BINARY, TOY_BINARY, "run", "-o", "out.h5", "-q", "--set", "toy.walkers=40000", "--set", "run.months=1200",
          static_cast<char*>(nullptr));
    _exit(98);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(dir / "out.h5.partial") && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  kill(pid, sig);
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

// A full disk (here a file-size limit, which fails writes with EFBIG as a
// full disk fails them with ENOSPC): the run exits with status 4 and leaves
// its partial file marked "failed", not "running".
TEST_F(Cli, RunThatCannotWriteMarksItsPartialFailed) {
  for (const rlim_t limit : {rlim_t{2} << 20, rlim_t{256} << 10}) {  // after the first year is on disk, and before
    SCOPED_TRACE(limit);
    for (const char* f : {"out.h5", "out.h5.partial", "out.h5.partial.new"}) fs::remove(dir_ / f);
    const pid_t pid = fork();
    if (pid == 0) {
      if (chdir(dir_.c_str()) != 0) _exit(99);
      ::signal(SIGXFSZ, SIG_IGN);  // kept across exec: writes fail with EFBIG instead
      const rlimit lim{limit, limit};
      if (::setrlimit(RLIMIT_FSIZE, &lim) != 0) _exit(97);
      execl(TOY_BINARY, TOY_BINARY, "run", "-o", "out.h5", "-q", "--set", "toy.walkers=40000", "--set",
            "run.months=300", "--set", "output.compression=0", static_cast<char*>(nullptr));
      _exit(98);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 4);
    EXPECT_FALSE(fs::exists(dir_ / "out.h5"));
    ASSERT_TRUE(fs::exists(dir_ / "out.h5.partial"));
    const auto f = sim::io::DataFile::open(dir_ / "out.h5.partial");
    EXPECT_EQ(f.text("/", "status"), "failed");
    EXPECT_EQ(f.integer("/", "complete"), 0);
    EXPECT_LT(f.integer("/", "steps_written"), 300);
  }
}

// SIGINT stops the run after the current step: exit 130, the partial file is
// kept, marked interrupted, and no file claims to be complete.
TEST_F(Cli, InterruptedRunKeepsAnHonestPartialFile) {
  const int status = run_and_signal(dir_, SIGINT);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_FALSE(fs::exists(dir_ / "out.h5"));
  ASSERT_TRUE(fs::exists(dir_ / "out.h5.partial"));
  const auto f = sim::io::DataFile::open(dir_ / "out.h5.partial");
  EXPECT_EQ(f.integer("/", "complete"), 0);
  EXPECT_EQ(f.text("/", "status"), "interrupted");
  EXPECT_LT(f.integer("/", "steps_written"), 1200);
  EXPECT_NE(toysim("info out.h5.partial", dir_).output.find("INCOMPLETE"), std::string::npos);
}

// SIGKILL cannot be caught: the file left behind still says it is not complete.
TEST_F(Cli, KilledRunLeavesNoCompleteFile) {
  const int status = run_and_signal(dir_, SIGKILL);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_FALSE(fs::exists(dir_ / "out.h5"));
  ASSERT_TRUE(fs::exists(dir_ / "out.h5.partial"));
  // The file is flushed every 12 steps, so it normally opens; if the kill
  // caught a write half-way it may not, which claims nothing either.
  try {
    const auto f = sim::io::DataFile::open(dir_ / "out.h5.partial");
    EXPECT_EQ(f.integer("/", "complete"), 0);
    EXPECT_EQ(f.text("/", "status"), "running");
  } catch (const sim::Error& e) {
    SUCCEED() << "partial file unreadable after SIGKILL: " << e.what();
  }
}

// A link planted as the run's partial file: the run refuses it (a file
// cannot be written, status 4) and the file it points at is untouched.
TEST_F(Cli, PlantedLinkIsRefusedAndItsTargetUntouched) {
  write("victim", "precious");
  fs::create_symlink(dir_ / "victim", dir_ / "out.h5.partial");
  const Result r = toysim(std::string("run -o out.h5 --force ") + kSmall, dir_);
  EXPECT_EQ(r.code, 4) << r.output;
  EXPECT_NE(r.output.find("out.h5.partial' is a symbolic link"), std::string::npos) << r.output;
  std::ifstream in(dir_ / "victim");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "precious");
  EXPECT_FALSE(fs::exists(dir_ / "out.h5"));
  EXPECT_TRUE(fs::is_symlink(dir_ / "out.h5.partial"));
}

// Inputs are read only from regular files of at most 64 MiB: a device, a FIFO
// or a huge file named as a scenario, a base scenario, a data file or a sweep
// is refused at once (status 4), naming it, instead of being read until
// memory runs out or blocking for ever. Each command runs under a memory
// and time limit, so that a failure cannot take the machine with it.
TEST_F(Cli, DevicesFifosAndHugeFilesAreRefusedAsInputs) {
  ASSERT_EQ(::mkfifo((dir_ / "fifo").c_str(), 0600), 0);
  write("huge.yaml", "");
  fs::resize_file(dir_ / "huge.yaml", (std::uintmax_t{64} << 20) + 1);  // sparse
  write("extends_zero.yaml", "extends: /dev/zero\n");
  write("extends_fifo.yaml", "extends: fifo\n");
  write("names_zero.yaml", "toy:\n  region_names: /dev/zero\n");
  write("names_fifo.yaml", "toy:\n  region_names: fifo\n");
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // ASan and TSan reserve terabytes of address space for their shadow memory,
  // which `ulimit -v` refuses them: there the sanitizer itself limits memory,
  // the resident set (ASan) and the size of one allocation (both).
  const std::string memory_limit =
      "export ASAN_OPTIONS=\"$ASAN_OPTIONS:hard_rss_limit_mb=2000:max_allocation_size_mb=256\" "
      "TSAN_OPTIONS=\"$TSAN_OPTIONS:max_allocation_size_mb=256\"; ";
#else
  const std::string memory_limit = "ulimit -v 2000000; ";
#endif
  const auto limited = [&](const std::string& args) {
    return testing_support::shell(memory_limit + "timeout -s KILL 20 '" + std::string(TOY_BINARY) + "' " + args, dir_);
  };
  const struct {
    std::string args, file, reason;
  } cases[] = {
      {"validate /dev/zero", "/dev/zero", "not a regular file"},
      {"validate fifo", "fifo", "not a regular file"},
      {"validate huge.yaml", "huge.yaml", "larger than 64 MiB"},
      {"validate extends_zero.yaml", "/dev/zero", "not a regular file"},
      {"validate extends_fifo.yaml", "fifo", "not a regular file"},
      {"run names_zero.yaml -q -o n.h5", "/dev/zero", "not a regular file"},
      {"run names_fifo.yaml -q -o n.h5", "fifo", "not a regular file"},
      {"sweep plan /dev/zero", "/dev/zero", "not a regular file"},
      {"sweep plan fifo", "fifo", "not a regular file"},
  };
  for (const auto& c : cases) {
    const auto start = std::chrono::steady_clock::now();
    const Result r = limited(c.args);
    EXPECT_EQ(r.code, 4) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.file + "': " + c.reason), std::string::npos) << c.args << "\n" << r.output;
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10)) << c.args;
  }
}

// A base scenario that is not a scenario (here shaped like /etc/shadow) is
// named, but its content never appears in the message.
TEST_F(Cli, ExtendsOfAFileThatIsNoScenarioDoesNotEchoIt) {
  write("shadow", "root:*:20228:0:99999:7:::\ndaemon:*:20228:0:99999:7:::\n");
  write("oneline", "the secret is swordfish\n");
  write("extends_shadow.yaml", "extends: shadow\n");
  write("extends_oneline.yaml", "extends: oneline\n");
  for (const char* file : {"extends_shadow.yaml", "extends_oneline.yaml"}) {
    const Result r = toysim(std::string("validate ") + file, dir_);
    EXPECT_EQ(r.code, 3) << r.output;
    EXPECT_EQ(r.output.find("20228"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("root"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("swordfish"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find(file == std::string("extends_shadow.yaml") ? "shadow:1:1" : "oneline:1:1"), std::string::npos)
        << r.output;
  }
}

// Option values the program cannot honour are usage errors (status 2) that
// name the option the user typed: a seed beyond run.seed's range (not a
// --set nobody wrote) and a replicate listed twice (not run twice).
TEST_F(Cli, SeedOutOfRangeAndRepeatedReplicatesAreUsageErrors) {
  for (const char* seed : {"18446744073709551615", "9300000000000000000", "99999999999999999999999"}) {
    const Result r = toysim(std::string("run -o s.h5 --seed ") + seed + " " + kSmall, dir_);
    EXPECT_EQ(r.code, 2) << seed << "\n" << r.output;
    EXPECT_NE(r.output.find(std::string("--seed: '") + seed + "'"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("--set"), std::string::npos) << r.output;
  }
  EXPECT_EQ(toysim(std::string("run -o s.h5 --seed 9200000000000000000 ") + kSmall, dir_).code, 0);
  for (const char* list : {"--replicate-list 1 1", "--replicate-list 1,2,1", "--replicate-list 1 --replicates 2"}) {
    const Result r = toysim(std::string("run -o ens ") + list + " " + kSmall, dir_);
    EXPECT_EQ(r.code, 2) << list << "\n" << r.output;
    EXPECT_NE(r.output.find("replicate 1 is asked for twice"), std::string::npos) << list << "\n" << r.output;
    EXPECT_FALSE(fs::exists(dir_ / "ens")) << list;
  }
}

TEST_F(Cli, EnsembleWritesOneFilePerReplicateAndAnIndex) {
  const Result r = toysim(std::string("run --replicates 3 -o ens ") + kSmall, dir_);
  ASSERT_EQ(r.code, 0) << r.output;
  for (int k = 0; k < 3; ++k) EXPECT_TRUE(fs::exists(dir_ / "ens" / ("toy-r" + std::to_string(k) + ".h5")));
  std::ifstream index(dir_ / "ens" / "ensemble.json");
  const std::string text((std::istreambuf_iterator<char>(index)), {});
  EXPECT_NE(text.find("\"replicate\": 2"), std::string::npos) << text;
  EXPECT_EQ(toysim(std::string("run --replicates 3 -o ens ") + kSmall, dir_).code, 5);
  // Replicates differ from each other.
  EXPECT_NE(toysim("info --hash ens/toy-r0.h5", dir_).output, toysim("info --hash ens/toy-r1.h5", dir_).output);
}

}  // namespace
