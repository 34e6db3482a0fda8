// Checkpoints of the transition model through `ruralsim run`. The model keeps
// state outside its agent tables (the year's plans, the markets, last year's
// Gini, ...): a restart from a checkpoint in December or in the middle of a
// year, at one or two threads, must give the uninterrupted run's output bit for
// bit, which only holds if that state is saved. A branch (`run SCENARIO
// --from`) keeps the checkpoint's months bit for bit and then follows its own
// scenario (no land quota: less quota used); scenarios that would have changed
// those months are refused naming the key (the model's branch rule), and one
// made to agree with the past is accepted.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/io/h5.hpp"
#include "sim/io/h5_internal.hpp"
#include "support/program.hpp"

namespace {

namespace fs = std::filesystem;
using testing_support::Result;

// 2021-01 to 2023-12 at 0.5 % of the population (each run a few seconds).
constexpr const char* kSmall = " -q --set population.scale=0.005 --set run.months=36";
constexpr int kBranchStep = 24;  // steps before the checkpoint of 2022-12

Result ruralsim(const std::string& args, const fs::path& cwd) {
  return testing_support::run_program(RURALSIM_BINARY, args, cwd);
}

class Checkpoint : public ::testing::Test {
 protected:
  // One baseline run writing a checkpoint every 4 months (2021-04, -08, -12,
  // 2022-04, ..., 2023-12), kept, shared by the tests; and the same run
  // without checkpoints, the output every restart must equal.
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("ruralsim-model-checkpoint-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const auto t0 = std::chrono::steady_clock::now();
    full_ = ruralsim(std::string("run baseline -o full.h5 --threads 2") + kSmall, dir_);
    const auto t1 = std::chrono::steady_clock::now();
    base_ = ruralsim(std::string("run baseline -o base.h5 --threads 2 --checkpoint-every 4 --keep-checkpoints") + kSmall,
                     dir_);
    const auto t2 = std::chrono::steady_clock::now();
    full_seconds_ = std::chrono::duration<double>(t1 - t0).count();
    base_seconds_ = std::chrono::duration<double>(t2 - t1).count();
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  void SetUp() override {
    ASSERT_EQ(full_.code, 0) << full_.output;
    ASSERT_EQ(base_.code, 0) << base_.output;
    RecordProperty("baseline_run_seconds", std::to_string(full_seconds_));
    RecordProperty("baseline_run_with_checkpoints_seconds", std::to_string(base_seconds_));
  }

  static std::string hash(const std::string& file) {
    const Result r = ruralsim("info --hash " + file, dir_);
    EXPECT_EQ(r.code, 0) << file << ": " << r.output;
    EXPECT_GE(r.output.size(), 32u) << file << ": " << r.output;
    return r.output;
  }

  static fs::path dir_;
  static Result full_, base_;
  static double full_seconds_, base_seconds_;
};

fs::path Checkpoint::dir_;
Result Checkpoint::full_, Checkpoint::base_;
double Checkpoint::full_seconds_ = 0, Checkpoint::base_seconds_ = 0;

TEST_F(Checkpoint, RestartFromDecemberAndMidYearAtOneAndTwoThreadsGivesTheUninterruptedOutput) {
  const std::string full = hash("full.h5");
  EXPECT_EQ(hash("base.h5"), full) << "writing checkpoints changed the run's output";
  for (const char* when : {"2021-04", "2021-08", "2021-12", "2022-04", "2022-08", "2022-12", "2023-04", "2023-08",
                           "2023-12"})
    EXPECT_TRUE(fs::exists(dir_ / ("base." + std::string(when) + ".ckpt"))) << when;
  // In December (the year-end rules have run; the next step plans 2022) and
  // in August (the year's plans, markets and last year's Gini in use).
  for (const char* when : {"2021-12", "2022-08"})
    for (const int threads : {1, 2}) {
      const std::string out = std::string("restart-") + when + "-t" + std::to_string(threads) + ".h5";
      SCOPED_TRACE(out);
      // The first restart writes checkpoints of its own: 2022-01 (the month
      // of the January round: plans, markets, last year's Gini just made).
      const std::string more = out == "restart-2021-12-t1.h5" ? " --checkpoint-every 13 --keep-checkpoints" : "";
      const Result r = ruralsim("run --restart base." + std::string(when) + ".ckpt -q -o " + out + " --threads " +
                                    std::to_string(threads) + more,
                                dir_);
      ASSERT_EQ(r.code, 0) << r.output;
      EXPECT_EQ(hash(out), full);
    }
  ASSERT_TRUE(fs::exists(dir_ / "restart-2021-12-t1.2022-01.ckpt"));
  const Result r = ruralsim("run --restart restart-2021-12-t1.2022-01.ckpt -q -o restart-2022-01.h5 --threads 2", dir_);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(hash("restart-2022-01.h5"), full);
}

// Every dataset of the monthly levels /total and /county of two outputs:
// whether rows [0, steps) are bitwise equal, and which datasets differ after.
struct Comparison {
  std::vector<std::string> datasets;
  std::vector<std::string> differ_before;  // "path: row r"
  std::vector<std::string> differ_after;
};
Comparison compare(const fs::path& a, const fs::path& b, std::size_t steps) {
  using namespace sim::io;
  Comparison c;
  const File fa = open_read_only(a.string());
  const File fb = open_read_only(b.string());
  for (const auto& e : detail::list_objects(fa.get())) {
    if (!e.dataset || (e.path.rfind("/total/", 0) != 0 && e.path.rfind("/county/", 0) != 0)) continue;
    c.datasets.push_back(e.path);
    const std::vector<hsize_t> shape = dataset_shape(fa.get(), e.path);
    if (shape != dataset_shape(fb.get(), e.path) || shape.size() != 2) {
      c.differ_before.push_back(e.path + ": shape");
      continue;
    }
    const std::vector<double> x = read_doubles(fa.get(), e.path), y = read_doubles(fb.get(), e.path);
    const std::size_t width = shape[1];
    const std::size_t past = std::min<std::size_t>(steps, shape[0]) * width;
    for (std::size_t i = 0; i < past; ++i)
      if (std::memcmp(&x[i], &y[i], sizeof(double)) != 0) {
        c.differ_before.push_back(e.path + ": row " + std::to_string(i / width));
        break;
      }
    if (std::memcmp(x.data() + past, y.data() + past, (x.size() - past) * sizeof(double)) != 0)
      c.differ_after.push_back(e.path);
  }
  return c;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// Sum over the county groups of `path` ([steps, counties]) at `step`.
double row_sum(const fs::path& file, const std::string& path, std::size_t step) {
  const sim::io::File f = sim::io::open_read_only(file.string());
  const std::vector<hsize_t> shape = sim::io::dataset_shape(f.get(), path);
  const std::vector<double> v = sim::io::read_doubles(f.get(), path);
  double sum = 0;
  for (std::size_t g = 0; g < shape.at(1); ++g) sum += v.at(step * shape[1] + g);
  return sum;
}

// No land quota from 2023: the branch holds the baseline's 2021-2022 bit for
// bit (its quota used included), then uses no more quota.
TEST_F(Checkpoint, BranchWithoutLandQuotaKeepsThePastAndUsesNoMoreQuota) {
  const Result r = ruralsim(std::string("run land_quota_0 --from base.2022-12.ckpt -o quota0.h5") + kSmall, dir_);
  ASSERT_EQ(r.code, 0) << r.output;
  const Comparison c = compare(dir_ / "base.h5", dir_ / "quota0.h5", kBranchStep);
  EXPECT_GT(c.datasets.size(), 20u) << join(c.datasets);
  EXPECT_TRUE(c.differ_before.empty()) << "the checkpoint's months differ: " << join(c.differ_before);
  EXPECT_FALSE(c.differ_after.empty());
  EXPECT_FALSE(compare(dir_ / "base.h5", dir_ / "quota0.h5", 36).differ_before.empty())
      << "the comparison sees no difference even in 2023";
  EXPECT_NE(std::find(c.differ_after.begin(), c.differ_after.end(), "/county/quota_used_mu"), c.differ_after.end())
      << "differ after 2022: " << join(c.differ_after);

  // Quota used (cumulative): the baseline's grows in January 2023; the
  // branch's stays at what 2021-2022 used, which is not zero (its past is the
  // baseline's, not land_quota_0's own).
  const fs::path base = dir_ / "base.h5", branch = dir_ / "quota0.h5";
  const std::string used = "/county/quota_used_mu";
  const double before = row_sum(base, used, kBranchStep - 1);
  EXPECT_GT(before, 0.0);
  EXPECT_EQ(row_sum(branch, used, kBranchStep - 1), before);
  EXPECT_GT(row_sum(base, used, kBranchStep), before);
  for (const std::size_t step : {std::size_t{kBranchStep}, std::size_t{35}}) {
    EXPECT_EQ(row_sum(branch, used, step), before) << "step " << step;
    EXPECT_LT(row_sum(branch, used, step), row_sum(base, used, step)) << "step " << step;
  }
  EXPECT_NE(hash("quota0.h5"), hash("base.h5"));
}

// Scenarios that would have changed 2021-2022 are refused, naming the key:
// withdrawal ends direct assistance in 2020, migrant_shock_2022 changes the
// 2022 migrant demand; another population too.
TEST_F(Checkpoint, BranchesChangingThePastAreRefusedNamingTheKey) {
  const struct {
    const char* scenario;
    const char* sets;  // after kSmall's: the last --set of a key wins
    const char* key;
  } refused[] = {{"withdrawal", "", "assistance.direct_end_year"},
                 {"migrant_shock_2022", "", "shocks.migrant_demand"},
                 {"baseline", " --set population.scale=0.004", "population.scale"},
                 {"baseline", " --set run.seed=7", "run.seed"}};
  for (const auto& c : refused) {
    SCOPED_TRACE(std::string(c.scenario) + c.sets);
    const std::string out = "refused.h5";
    const Result r = ruralsim(std::string("run ") + c.scenario + " --from base.2022-12.ckpt -o " + out + kSmall + c.sets,
                              dir_);
    EXPECT_EQ(r.code, 3) << r.output;
    EXPECT_NE(r.output.find(c.key), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(dir_ / out));
    EXPECT_FALSE(fs::exists(dir_ / (out + ".partial")));
  }
}

// Made to agree with the past (direct assistance through 2022), withdrawal
// is accepted: it holds the baseline's months and differs after them; so is
// ending fund integration in 2023.
TEST_F(Checkpoint, BranchesAgreeingWithThePastAreAccepted) {
  const Result w = ruralsim(std::string("run withdrawal --set assistance.direct_end_year=2022 --from base.2022-12.ckpt "
                                        "-o withdrawal2022.h5") +
                                kSmall,
                            dir_);
  ASSERT_EQ(w.code, 0) << w.output;
  const Comparison c = compare(dir_ / "base.h5", dir_ / "withdrawal2022.h5", kBranchStep);
  EXPECT_TRUE(c.differ_before.empty()) << join(c.differ_before);
  EXPECT_FALSE(c.differ_after.empty());

  const Result i = ruralsim(std::string("run integration_to_2023 --from base.2022-12.ckpt -o integration.h5") + kSmall,
                            dir_);
  ASSERT_EQ(i.code, 0) << i.output;
  const Comparison d = compare(dir_ / "base.h5", dir_ / "integration.h5", kBranchStep);
  EXPECT_TRUE(d.differ_before.empty()) << join(d.differ_before);
}

}  // namespace
