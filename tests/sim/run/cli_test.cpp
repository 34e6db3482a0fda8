// The `ruralsim` program as a user meets it: exit codes, messages naming the
// file, line and key, refusal to overwrite, interruption, and the baseline
// run's summary.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "sim/io/h5.hpp"

namespace {

namespace fs = std::filesystem;

struct Result {
  int code = -1;
  std::string output;  // stdout and stderr together
};

Result ruralsim(const std::string& args, const fs::path& cwd) {
  const std::string cmd = "cd '" + cwd.string() + "' && '" RURALSIM_BINARY "' " + args + " 2>&1";
  Result r;
  FILE* pipe = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe)) r.output += buf.data();
  const int status = pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

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

constexpr const char* kSmall = "--set population.scale=0.002 --set run.months=14 -q";

TEST_F(Cli, BaselineRunsWithoutArgumentsAndPrintsSummaryAndOutputPath) {
  const Result r = ruralsim("run --set population.scale=0.002 --set run.months=12", dir_);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("income_per_capita"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("output: runs/baseline-s20210101-r0-"), std::string::npos) << r.output;
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "runs"), fs::directory_iterator{}), 1);
}

TEST_F(Cli, RefusesToOverwriteWithoutForce) {
  ASSERT_EQ(ruralsim(std::string("run -o out.h5 ") + kSmall, dir_).code, 0);
  const auto size = fs::file_size(dir_ / "out.h5");
  const Result again = ruralsim(std::string("run -o out.h5 ") + kSmall, dir_);
  EXPECT_EQ(again.code, 5) << again.output;
  EXPECT_NE(again.output.find("--force"), std::string::npos) << again.output;
  EXPECT_EQ(fs::file_size(dir_ / "out.h5"), size);
  EXPECT_EQ(ruralsim(std::string("run -o out.h5 --force ") + kSmall, dir_).code, 0);
}

TEST_F(Cli, BadScenarioNamesFileLineAndKeyWithSuggestion) {
  write("typo.yaml", "extends: baseline\nland:\n  quota_m: 300\n");
  const Result r = ruralsim("validate typo.yaml", dir_);
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("typo.yaml:3:3"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("land.quota_m"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("did you mean 'land.quota_mu'"), std::string::npos) << r.output;
}

TEST_F(Cli, OutOfRangeOverrideAndMissingFile) {
  const Result range = ruralsim("validate baseline --set land.quota_mu=-5", dir_);
  EXPECT_EQ(range.code, 3) << range.output;
  EXPECT_NE(range.output.find("land.quota_mu"), std::string::npos) << range.output;
  EXPECT_EQ(ruralsim("validate no_such_scenario.yaml", dir_).code, 4);
  EXPECT_EQ(ruralsim("info no_such_file.h5", dir_).code, 4);
  EXPECT_EQ(ruralsim("run --no-such-flag", dir_).code, 2);
}

TEST_F(Cli, EveryShippedScenarioValidates) {
  for (const auto& e : fs::directory_iterator(fs::path(RURALSIM_SOURCE_DIR) / "scenarios")) {
    if (e.path().extension() != ".yaml") continue;
    const Result r = ruralsim("validate '" + e.path().string() + "'", dir_);
    EXPECT_EQ(r.code, 0) << e.path() << ": " << r.output;
  }
}

TEST_F(Cli, SchemaListsEveryKeyWithDocumentation) {
  const Result r = ruralsim("schema --markdown", dir_);
  ASSERT_EQ(r.code, 0);
  for (const char* key : {"land.quota_mu", "funds.integration_end_year", "monitoring.threshold.yunnan", "run.seed"})
    EXPECT_NE(r.output.find(key), std::string::npos) << key;
}

// docs/parameters.md is the schema listing plus a four-line header; it must
// be regenerated whenever a key or its documentation changes.
TEST_F(Cli, ParameterDocumentationIsCurrent) {
  std::ifstream doc(fs::path(RURALSIM_SOURCE_DIR) / "docs" / "parameters.md");
  std::string line, body;
  for (int i = 0; i < 4 && std::getline(doc, line); ++i) {
  }
  while (std::getline(doc, line)) body += line + "\n";
  EXPECT_EQ(body, ruralsim("schema --markdown", dir_).output)
      << "regenerate docs/parameters.md (see its header)";
}

TEST_F(Cli, InfoSummarisesAndHashesAreEqualAcrossThreadCounts) {
  ASSERT_EQ(ruralsim(std::string("run -o a.h5 --threads 1 ") + kSmall, dir_).code, 0);
  ASSERT_EQ(ruralsim(std::string("run -o b.h5 --threads 2 ") + kSmall, dir_).code, 0);
  const Result info = ruralsim("info a.h5", dir_);
  EXPECT_EQ(info.code, 0);
  EXPECT_NE(info.output.find("complete"), std::string::npos) << info.output;
  EXPECT_EQ(ruralsim("info --hash a.h5", dir_).output, ruralsim("info --hash b.h5", dir_).output);
}

// Starts a long baseline run writing out.h5 in `dir`, waits until it has
// written for a while, sends `sig` and returns the wait status.
int run_and_signal(const fs::path& dir, int sig) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(99);
    execl(RURALSIM_BINARY, RURALSIM_BINARY, "run", "-o", "out.h5", "-q", "--set", "population.scale=0.02", "--set",
          "run.months=600", static_cast<char*>(nullptr));
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

// SIGINT stops the run after the current step: exit 130, the partial file is
// kept, marked interrupted, and no file claims to be complete.
TEST_F(Cli, InterruptedRunKeepsAnHonestPartialFile) {
  const int status = run_and_signal(dir_, SIGINT);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_FALSE(fs::exists(dir_ / "out.h5"));
  ASSERT_TRUE(fs::exists(dir_ / "out.h5.partial"));
  const sim::io::File f = sim::io::open_read_only((dir_ / "out.h5.partial").string());
  EXPECT_EQ(sim::io::read_attr_int(f.get(), "complete"), 0);
  EXPECT_EQ(sim::io::read_attr_string(f.get(), "status"), "interrupted");
  EXPECT_LT(sim::io::read_attr_int(f.get(), "steps_written"), 600);
  EXPECT_NE(ruralsim("info out.h5.partial", dir_).output.find("INCOMPLETE"), std::string::npos);
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
    const sim::io::File f = sim::io::open_read_only((dir_ / "out.h5.partial").string());
    EXPECT_EQ(sim::io::read_attr_int(f.get(), "complete"), 0);
    EXPECT_EQ(sim::io::read_attr_string(f.get(), "status"), "running");
  } catch (const sim::Error& e) {
    SUCCEED() << "partial file unreadable after SIGKILL: " << e.what();
  }
}

TEST_F(Cli, EnsembleWritesOneFilePerReplicateAndAnIndex) {
  const Result r = ruralsim(std::string("run --replicates 3 -o ens ") + kSmall, dir_);
  ASSERT_EQ(r.code, 0) << r.output;
  for (int k = 0; k < 3; ++k) EXPECT_TRUE(fs::exists(dir_ / "ens" / ("baseline-r" + std::to_string(k) + ".h5")));
  std::ifstream index(dir_ / "ens" / "ensemble.json");
  const std::string text((std::istreambuf_iterator<char>(index)), {});
  EXPECT_NE(text.find("\"replicate\": 2"), std::string::npos) << text;
  EXPECT_EQ(ruralsim(std::string("run --replicates 3 -o ens ") + kSmall, dir_).code, 5);
  // Replicates differ from each other.
  EXPECT_NE(ruralsim("info --hash ens/baseline-r0.h5", dir_).output, ruralsim("info --hash ens/baseline-r1.h5", dir_).output);
}

}  // namespace
