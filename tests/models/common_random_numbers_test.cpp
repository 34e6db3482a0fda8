// Common random numbers: every draw is keyed by (seed, replicate, agent,
// step, purpose), so two scenarios that differ only in a lever that first
// acts in 2024 must give bit-identical output (every indicator of every level,
// every event) through December 2023, and differ from 2024 on.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "run_helper.hpp"

namespace {

using models_test::kScale;

const std::vector<std::string> kFourYears = {kScale, "run.months=48"};

std::vector<std::string> with(const std::string& lever) {
  std::vector<std::string> sets = kFourYears;
  sets.push_back(lever);
  return sets;
}

class LeverFrom2024 : public ::testing::TestWithParam<std::string> {};

TEST_P(LeverFrom2024, GivesIdenticalOutputThrough2023) {
  const auto& base = models_test::run("baseline", kFourYears);
  const auto& changed = models_test::run("baseline", with(GetParam()));
  ASSERT_EQ(base.step_digest.size(), 48u);
  ASSERT_EQ(changed.step_digest.size(), 48u);
  EXPECT_TRUE(changed.identical_through(base, 2021, 2023))
      << GetParam() << " first acts in 2024 but changed the output before 2024";
  // The lever does act: otherwise equality above would prove nothing.
  EXPECT_FALSE(changed.identical_through(base, 2024, 2024)) << GetParam() << " did not change anything in 2024";
}

INSTANTIATE_TEST_SUITE_P(Levers, LeverFrom2024,
                         ::testing::Values("funds.integration_end_year=2023", "assistance.direct_end_year=2023",
                                           "shocks.migrant_demand=[1, 0.995, 1.028, 0.7, 1.041]", "shocks.disaster_year=2024"),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param.substr(0, param.param.find('='));
                           for (char& c : name)
                             if (c == '.') c = '_';
                           return name;
                         });

TEST(CommonRandomNumbers, AnotherReplicateGivesOtherOutput) {
  // The converse, so that the digests cannot be equal for a trivial reason.
  const auto& r0 = models_test::run("baseline", kFourYears, 0);
  const auto& r1 = models_test::run("baseline", kFourYears, 1);
  EXPECT_FALSE(r1.identical_through(r0, 2021, 2021));
}

}  // namespace
