// Sweeps that share their past (`from_year`, issue 15), on the transition
// model: the points' tasks hold the shared months bit for bit and differ
// after, in the direction the varied key drives; a point that would change
// the shared months is refused at plan time, naming the key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/io/h5.hpp"
#include "support/program.hpp"

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing_support::Result;

Result ruralsim(const std::string& args, const fs::path& cwd) {
  return testing_support::run_program(RURALSIM_BINARY, args, cwd);
}

// Two land quotas from 2023 on, one replicate, three years.
constexpr const char* kSweep = R"(base: baseline
set: {population.scale: 0.004, run.months: 36}
parameters:
  - key: land.quota_mu
    values: [0, 1200]
from_year: 2023
)";

class SweepFromYear : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("ruralsim-fromyear-" + std::to_string(::getpid()));
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

// Rows [from, to) of a [T, groups] dataset.
std::vector<double> rows(hid_t f, const std::string& path, std::size_t from, std::size_t to) {
  const std::vector<double> all = sim::io::read_doubles(f, path);
  const std::size_t groups = sim::io::dataset_shape(f, path).at(1);
  return {all.begin() + static_cast<std::ptrdiff_t>(from * groups), all.begin() + static_cast<std::ptrdiff_t>(to * groups)};
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](double x, double y) {
           return std::memcmp(&x, &y, sizeof x) == 0;
         });
}

TEST_F(SweepFromYear, TasksShareThePastBitForBitAndDifferAfter) {
  std::ofstream(root_ / "quota.yaml") << kSweep;
  const Result r = ruralsim("sweep run quota.yaml -o out --threads 2 -q", root_);
  ASSERT_EQ(r.code, 0) << r.output;
  ASSERT_TRUE(fs::exists(root_ / "out" / "shared" / "r0.ckpt"));
  sim::io::File a = sim::io::open_read_only((root_ / "out" / "tasks" / "0.h5").string());
  sim::io::File b = sim::io::open_read_only((root_ / "out" / "tasks" / "1.h5").string());
  ASSERT_EQ(sim::io::dataset_shape(a.get(), "/time/step").at(0), 36u);
  std::size_t differ_after = 0;
  for (const char* name : {"income", "people", "park_mu", "quota_used_mu", "monitored_households", "spending"}) {
    for (const char* level : {"/total/", "/county/"}) {
      const std::string p = std::string(level) + name;
      if (H5Lexists(a.get(), p.c_str(), H5P_DEFAULT) <= 0) continue;
      EXPECT_TRUE(same_bits(rows(a.get(), p, 0, 24), rows(b.get(), p, 0, 24))) << p << " differs in 2021-2022";
      differ_after += same_bits(rows(a.get(), p, 24, 36), rows(b.get(), p, 24, 36)) ? 0 : 1;
    }
  }
  EXPECT_GT(differ_after, 0u) << "the points do not differ after the shared past";
  // The quota is used from 2023 only where there is one: more at 1200 mu.
  const std::vector<double> q0 = rows(a.get(), "/total/quota_used_mu", 35, 36);
  const std::vector<double> q1 = rows(b.get(), "/total/quota_used_mu", 35, 36);
  const std::vector<double> past = rows(a.get(), "/total/quota_used_mu", 23, 24);
  EXPECT_EQ(q0[0], past[0]) << "no quota from 2023: nothing more used";
  EXPECT_GT(q1[0], past[0]) << "a quota of 1200 mu from 2023 is used";
}

TEST_F(SweepFromYear, PointChangingTheSharedPastIsRefusedAtPlanTime) {
  std::string text = kSweep;
  const std::string varied = "  - key: land.quota_mu\n    values: [0, 1200]";
  text.replace(text.find(varied), varied.size(), "  - key: shocks.disaster_year\n    values: [2022, 2024]");
  std::ofstream(root_ / "shock.yaml") << text;
  const Result r = ruralsim("sweep plan shock.yaml", root_);
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_THAT(r.output, HasSubstr("from_year: point 0 differs from the base scenario before 2023"));
  EXPECT_THAT(r.output, HasSubstr("shocks.disaster_year: 2022 is not after 2022"));
  EXPECT_THAT(r.output, HasSubstr("shock.yaml:6:1"));
}

}  // namespace
