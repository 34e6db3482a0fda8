// Checkpoints through the command line, on the toy model: `run
// --checkpoint-every N` writes the whole state after every N months; `run
// --restart CKPT` continues it to the uninterrupted run's output bit for bit
// (`info --hash`, which ignores threads, command line and timestamps), at any
// thread count and from any month; `run SCENARIO --from CKPT` branches, and is
// refused (exit 3, naming the key) where the scenario would have changed the
// months already run; files that are not checkpoints of this format and model
// version are refused; SIGTERM with --checkpoint-every writes one more
// checkpoint, which continues to the uninterrupted output.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "sim/io/h5.hpp"
#include "support/program.hpp"

namespace {

namespace fs = std::filesystem;
using testing_support::Result;

Result toysim(const std::string& args, const fs::path& cwd) { return testing_support::run_program(TOY_BINARY, args, cwd); }

// A run with every kind of output: levels, events (walkers move often) and an
// agent panel every 3 months (so that checkpoints fall between and on its
// snapshots). From 2000-01, for months(n) months.
constexpr const char* kToy =
    "-q --set toy.walkers=400 --set toy.regions=5 --set toy.move_chance=0.1 --set output.panel.fraction=0.1 "
    "--set output.panel.every_months=3";
std::string months(int n) { return " --set run.months=" + std::to_string(n); }

class Checkpoint : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ruralsim-checkpoint-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);  // kept for a look when a test fails
  }

  // Runs toysim and requires exit 0.
  void ok(const std::string& args) {
    const Result r = toysim(args, dir_);
    ASSERT_EQ(r.code, 0) << "toysim " << args << "\n" << r.output;
  }
  // The content hash of an output file, as `info --hash` prints it.
  std::string hash(const std::string& file) {
    const Result r = toysim("info --hash " + file, dir_);
    EXPECT_EQ(r.code, 0) << file << ": " << r.output;
    EXPECT_GE(r.output.size(), 32u) << file << ": " << r.output;
    return r.output;
  }
  // Names of the checkpoint files in the test's folder.
  std::set<std::string> checkpoints() const {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_))
      if (e.path().extension() == ".ckpt") out.insert(e.path().filename().string());
    return out;
  }
  fs::path dir_;
};

// After every 4 months of a 26-month run: 2000-04, -08, -12, 2001-04, -08,
// -12; each continues, at 1, 2 and 4 threads, to the uninterrupted run's
// output. The checkpointing run's own output is the uninterrupted one too.
TEST_F(Checkpoint, RestartFromEveryCheckpointAtOneTwoAndFourThreadsGivesTheUninterruptedOutput) {
  ok(std::string("run -o full.h5 --threads 2 ") + kToy + months(26));
  const std::string full = hash("full.h5");
  ok(std::string("run -o ck.h5 --threads 2 --checkpoint-every 4 --keep-checkpoints ") + kToy + months(26));
  EXPECT_EQ(hash("ck.h5"), full) << "writing checkpoints changed the run's output";
  const std::set<std::string> expected = {"ck.2000-04.ckpt", "ck.2000-08.ckpt", "ck.2000-12.ckpt",
                                          "ck.2001-04.ckpt", "ck.2001-08.ckpt", "ck.2001-12.ckpt"};
  ASSERT_EQ(checkpoints(), expected);
  for (const std::string& ckpt : expected)
    for (const int threads : {1, 2, 4}) {
      SCOPED_TRACE(ckpt + " at " + std::to_string(threads) + " threads");
      const std::string out = ckpt.substr(0, ckpt.size() - 5) + "-t" + std::to_string(threads) + ".h5";
      ok("run --restart " + ckpt + " -q -o " + out + " --threads " + std::to_string(threads));
      EXPECT_EQ(hash(out), full);
    }
}

// Without --keep-checkpoints only the newest is left; a run of another seed
// differs from the restarted one (the hash can tell runs apart).
TEST_F(Checkpoint, OnlyTheNewestIsKeptByDefaultAndRestartsDifferFromAnotherSeed) {
  ok(std::string("run -o ck.h5 --checkpoint-every 4 ") + kToy + months(26));
  ASSERT_EQ(checkpoints(), std::set<std::string>{"ck.2001-12.ckpt"});
  ok("run --restart ck.2001-12.ckpt -q -o restarted.h5");
  EXPECT_EQ(hash("restarted.h5"), hash("ck.h5"));
  ok(std::string("run -o seed7.h5 --seed 7 ") + kToy + months(26));
  EXPECT_NE(hash("seed7.h5"), hash("restarted.h5"));
}

// A restarted run writes checkpoints of its own (every 5 of the whole run's
// steps: 2000-10, 2001-03, -08, 2002-01); a restart of one of those is still
// the uninterrupted run.
TEST_F(Checkpoint, ARestartedRunCheckpointsAndRestartsAgain) {
  ok(std::string("run -o full.h5 ") + kToy + months(26));
  ok(std::string("run -o ck.h5 --checkpoint-every 8 --keep-checkpoints ") + kToy + months(26));
  ok("run --restart ck.2000-08.ckpt -q -o again.h5 --checkpoint-every 5 --keep-checkpoints");
  EXPECT_EQ(hash("again.h5"), hash("full.h5"));
  for (const char* name : {"again.2000-10.ckpt", "again.2001-03.ckpt", "again.2001-08.ckpt", "again.2002-01.ckpt"})
    EXPECT_TRUE(fs::exists(dir_ / name)) << name;
  ok("run --restart again.2001-03.ckpt -q -o third.h5 --threads 3");
  EXPECT_EQ(hash("third.h5"), hash("full.h5"));
}

// A checkpoint holds its replicate: the restart continues replicate 1 (not
// 0); a branch asking for another replicate is refused.
TEST_F(Checkpoint, RestartKeepsTheReplicateAndABranchCannotChangeIt) {
  ok(std::string("run -o r1-full.h5 --replicate 1 ") + kToy + months(20));
  ok(std::string("run -o r0-full.h5 --replicate 0 ") + kToy + months(20));
  ASSERT_NE(hash("r1-full.h5"), hash("r0-full.h5"));
  ok(std::string("run -o r1.h5 --replicate 1 --checkpoint-every 9 ") + kToy + months(20));
  ASSERT_TRUE(fs::exists(dir_ / "r1.2001-06.ckpt"));
  ok("run --restart r1.2001-06.ckpt -q -o restarted.h5");
  EXPECT_EQ(hash("restarted.h5"), hash("r1-full.h5"));
  const Result r = toysim(std::string("run toy --from r1.2001-06.ckpt --replicate 2 -o b.h5 ") + kToy + months(20), dir_);
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("replicate 1"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "b.h5"));
}

// A restart continues the checkpoint's own run: nothing about it may be given.
TEST_F(Checkpoint, RestartWithAScenarioSetSeedOrReplicateIsAUsageError) {
  ok(std::string("run -o ck.h5 --checkpoint-every 12 ") + kToy + months(14));
  ASSERT_TRUE(fs::exists(dir_ / "ck.2000-12.ckpt"));
  for (const char* extra : {"toy", "--set toy.drift=1", "--seed 3", "--replicate 1"}) {
    SCOPED_TRACE(extra);
    const Result r = toysim(std::string("run --restart ck.2000-12.ckpt -o x.h5 ") + extra, dir_);
    EXPECT_EQ(r.code, 2) << r.output;
    EXPECT_NE(r.output.find("--restart"), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(dir_ / "x.h5"));
  }
}

// The toy model says nothing of which of its keys leave the past unchanged:
// any differing toy key is refused, naming it; the same scenario branched
// (--from) is the uninterrupted run.
TEST_F(Checkpoint, BranchChangingAToyKeyIsRefusedNamingItAndTheSameScenarioIsTheRun) {
  ok(std::string("run -o ck.h5 --checkpoint-every 8 --keep-checkpoints ") + kToy + months(26));
  ASSERT_TRUE(fs::exists(dir_ / "ck.2000-08.ckpt"));
  const Result r = toysim(std::string("run toy --from ck.2000-08.ckpt -o b.h5 --set toy.drift=3 ") + kToy + months(26), dir_);
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("toy.drift"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "b.h5"));
  EXPECT_FALSE(fs::exists(dir_ / "b.h5.partial"));
  const Result two =
      toysim(std::string("run toy --from ck.2000-08.ckpt -o b.h5 --set toy.taxed=false ") + kToy + months(26), dir_);
  EXPECT_EQ(two.code, 3) << two.output;
  EXPECT_NE(two.output.find("toy.taxed"), std::string::npos) << two.output;
  EXPECT_EQ(two.output.find("toy.walkers"), std::string::npos) << "named a key that does not differ: " << two.output;

  ok(std::string("run toy --from ck.2001-04.ckpt -o same.h5 ") + kToy + months(26));
  EXPECT_EQ(hash("same.h5"), hash("ck.h5"));
}

// run.months may change in a branch: from a checkpoint inside its run, to
// more or fewer months (still after it); from the end of a run that ended in
// December, to more. The result is the uninterrupted run of that length. A
// run that ended away from December ran its year-end rules then: it cannot
// go on; and a length that leaves no step after the checkpoint is refused.
TEST_F(Checkpoint, BranchChangingRunMonthsFollowsTheYearEndRule) {
  ok(std::string("run -o m36.h5 ") + kToy + months(36));
  ok(std::string("run -o m20.h5 ") + kToy + months(20));
  ok(std::string("run -o m24.h5 --checkpoint-every 12 --keep-checkpoints ") + kToy + months(24));
  ok(std::string("run -o m26.h5 --checkpoint-every 13 --keep-checkpoints ") + kToy + months(26));
  ASSERT_EQ(checkpoints(), (std::set<std::string>{"m24.2000-12.ckpt", "m24.2001-12.ckpt", "m26.2001-01.ckpt",
                                                  "m26.2002-02.ckpt"}));

  ok(std::string("run toy --from m24.2001-12.ckpt -o from-end-dec.h5 ") + kToy + months(36));
  EXPECT_EQ(hash("from-end-dec.h5"), hash("m36.h5"));
  ok(std::string("run toy --from m26.2001-01.ckpt -o longer.h5 ") + kToy + months(36));
  EXPECT_EQ(hash("longer.h5"), hash("m36.h5"));
  ok(std::string("run toy --from m26.2001-01.ckpt -o shorter.h5 ") + kToy + months(20));
  EXPECT_EQ(hash("shorter.h5"), hash("m20.h5"));
  EXPECT_NE(hash("m20.h5"), hash("m36.h5"));

  const Result away = toysim(std::string("run toy --from m26.2002-02.ckpt -o away.h5 ") + kToy + months(36), dir_);
  EXPECT_EQ(away.code, 3) << away.output;
  EXPECT_NE(away.output.find("run.months"), std::string::npos) << away.output;
  EXPECT_NE(away.output.find("2002-02"), std::string::npos) << away.output;
  EXPECT_FALSE(fs::exists(dir_ / "away.h5"));
  const Result none = toysim(std::string("run toy --from m26.2001-01.ckpt -o none.h5 ") + kToy + months(13), dir_);
  EXPECT_EQ(none.code, 3) << none.output;
  EXPECT_NE(none.output.find("run.months"), std::string::npos) << none.output;
  EXPECT_FALSE(fs::exists(dir_ / "none.h5"));
}

// Rewrites attribute `name` of the file's root (deleted, then written anew).
void rewrite_root_attr(const fs::path& file, const std::string& name, std::int64_t value) {
  sim::io::File f(sim::io::check(H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), "cannot open " + file.string()));
  sim::io::check(H5Adelete(f.get(), name.c_str()), "cannot delete " + name);
  sim::io::write_attr(f.get(), name, value);
}
void rewrite_root_attr(const fs::path& file, const std::string& name, const std::string& value) {
  sim::io::File f(sim::io::check(H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), "cannot open " + file.string()));
  sim::io::check(H5Adelete(f.get(), name.c_str()), "cannot delete " + name);
  sim::io::write_attr(f.get(), name, value);
}

// An ordinary output is not a checkpoint; a checkpoint of another format
// version or written by another model version is refused. The same
// checkpoint untouched continues (so it is the edit that is refused).
TEST_F(Checkpoint, NonCheckpointOtherFormatVersionAndOtherModelVersionAreRefused) {
  ok(std::string("run -o ck.h5 --checkpoint-every 12 ") + kToy + months(14));
  ASSERT_TRUE(fs::exists(dir_ / "ck.2000-12.ckpt"));
  for (const char* how : {"--restart ck.h5", "toy --from ck.h5"}) {
    const Result r = toysim(std::string("run -q -o x.h5 ") + how, dir_);
    EXPECT_EQ(r.code, 3) << how << ": " << r.output;
    EXPECT_NE(r.output.find("'ck.h5' is not a checkpoint"), std::string::npos) << how << ": " << r.output;
    EXPECT_FALSE(fs::exists(dir_ / "x.h5"));
  }

  fs::copy_file(dir_ / "ck.2000-12.ckpt", dir_ / "v2.ckpt");
  {
    sim::io::File f = sim::io::open_read_only((dir_ / "v2.ckpt").string());
    ASSERT_EQ(sim::io::read_attr_int(f.get(), "format_version"), 1);
  }
  rewrite_root_attr(dir_ / "v2.ckpt", "format_version", std::int64_t{2});
  {
    sim::io::File f = sim::io::open_read_only((dir_ / "v2.ckpt").string());
    ASSERT_EQ(sim::io::read_attr_int(f.get(), "format_version"), 2);
  }
  const Result v2 = toysim("run --restart v2.ckpt -q -o x.h5", dir_);
  EXPECT_EQ(v2.code, 3) << v2.output;
  EXPECT_NE(v2.output.find("format version 2"), std::string::npos) << v2.output;
  EXPECT_FALSE(fs::exists(dir_ / "x.h5"));

  fs::copy_file(dir_ / "ck.2000-12.ckpt", dir_ / "other-model.ckpt");
  rewrite_root_attr(dir_ / "other-model.ckpt", "model_version", std::string("0.0-not-this-one"));
  const Result mv = toysim("run --restart other-model.ckpt -q -o x.h5", dir_);
  EXPECT_EQ(mv.code, 3) << mv.output;
  EXPECT_NE(mv.output.find("0.0-not-this-one"), std::string::npos) << mv.output;
  EXPECT_NE(mv.output.find("model version"), std::string::npos) << mv.output;
  EXPECT_FALSE(fs::exists(dir_ / "x.h5"));

  ok("run --restart ck.2000-12.ckpt -q -o x.h5");
  EXPECT_EQ(hash("x.h5"), hash("ck.h5"));
}

// A long toy run (about 3 s on two loaded cores, the first year 0.1 s of it).
constexpr const char* kLongWalkers = "5000";
constexpr const char* kLongMonths = "240";

// Starts toysim in `dir` with `args`, its stdout and stderr into a pipe.
struct Child {
  pid_t pid = -1;
  int out = -1;
};
Child start(const fs::path& dir, const std::vector<std::string>& args) {
  std::vector<std::string> all = {TOY_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  int fds[2];
  if (pipe(fds) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(99);
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    execv(TOY_BINARY, argv.data());
    _exit(98);
  }
  close(fds[1]);
  return {pid, fds[0]};
}

// Reads the child's output until it holds `wanted` (true) or the child's
// output ends or `limit` passes (false). Appends what it read to `text`.
bool read_until(int fd, const std::string& wanted, std::string& text, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  char buf[4096];
  while (text.find(wanted) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    text.append(buf, static_cast<std::size_t>(n));
  }
  return true;
}

// SIGTERM (a pre-empted job) with --checkpoint-every: the run stops between
// steps, writes a checkpoint of the month it reached (the periodic ones never
// came: every 1000 months), exits 130 naming it, and `--restart` of it (to
// the output the run was writing) gives the uninterrupted run's output.
TEST_F(Checkpoint, SigtermWritesACheckpointThatRestartsToTheUninterruptedOutput) {
  const std::string common = std::string(" -q --threads 2 --set toy.walkers=") + kLongWalkers +
                             " --set run.months=" + kLongMonths;
  const auto t0 = std::chrono::steady_clock::now();
  ok("run -o full.h5" + common);
  const double full_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  RecordProperty("uninterrupted_seconds", std::to_string(full_seconds));

  // Not quiet: the progress lines (one per year, flushed) say it is stepping.
  Child child = start(dir_, {"run", "-o", "out.h5", "--threads", "2", "--checkpoint-every", "1000", "--set",
                             std::string("toy.walkers=") + kLongWalkers, "--set",
                             std::string("run.months=") + kLongMonths});
  ASSERT_GT(child.pid, 0);
  std::string text;
  const bool stepping = read_until(child.out, "step 12/" + std::string(kLongMonths), text, std::chrono::seconds(300));
  if (stepping) {
    // A few steps more (about 5 ms each), so that it usually stops in the
    // middle of a year; where it stops does not matter to what is checked,
    // and the run has over 200 steps left.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    kill(child.pid, SIGTERM);
  } else {
    kill(child.pid, SIGKILL);
  }
  read_until(child.out, "\x01never", text, std::chrono::seconds(300));  // to the end of its output
  close(child.out);
  int status = 0;
  waitpid(child.pid, &status, 0);
  ASSERT_TRUE(stepping) << "no progress line for the first year:\n" << text;
  ASSERT_TRUE(WIFEXITED(status)) << text;
  ASSERT_EQ(WEXITSTATUS(status), 130) << "the run ended before SIGTERM came? (uninterrupted: " << full_seconds
                                      << " s)\n"
                                      << text;
  EXPECT_FALSE(fs::exists(dir_ / "out.h5"));
  EXPECT_TRUE(fs::exists(dir_ / "out.h5.partial"));

  const std::set<std::string> written = checkpoints();
  ASSERT_EQ(written.size(), 1u) << text;
  const std::string ckpt = *written.begin();
  RecordProperty("stopped_at", ckpt);
  EXPECT_EQ(ckpt.rfind("out.", 0), 0u) << ckpt;
  const std::string advice = "continue it with: toysim run --restart ";
  const std::size_t at = text.find(advice);
  ASSERT_NE(at, std::string::npos) << text;
  const std::string named = text.substr(at + advice.size(), text.find('\n', at) - at - advice.size());
  EXPECT_EQ(fs::path(named).filename().string(), ckpt) << text;

  ok("run --restart " + named + " -q --threads 1");  // to the output the run was writing
  ASSERT_TRUE(fs::exists(dir_ / "out.h5"));
  EXPECT_EQ(hash("out.h5"), hash("full.h5"));
}

}  // namespace
