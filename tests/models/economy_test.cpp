// The county economy (docs/ODD.md 7.13): public spending away from the
// baseline's 2021 level moves local jobs through the social accounting
// matrix's multipliers, by exactly what the multipliers say.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "run_helper.hpp"
#include "sim/numeric/leontief.hpp"

namespace {

using models_test::kScale;

TEST(CountyEconomy, SpendingAwayFromTheBaselineInducesJobsByTheMultipliers) {
  const auto& base = models_test::run("baseline");
  const auto& none = models_test::run("land_quota_0");
  const auto sc = models_test::load("land_quota_0", {kScale});
  const auto ref = models_test::load("baseline", {kScale});
  // The baseline is the reference: no induced jobs in 2021.
  for (std::size_t c = 0; c < base.counties; ++c) EXPECT_EQ(base.county("induced_jobs", 2021, c), 0.0) << c;

  // Without the land quota, 2021 construction spending on servicing falls by
  // quota x use rate x scale x servicing cost in every county; through
  // (I - A)^-1 that lowers the local wage bill of industry, construction and
  // services, and jobs by that bill over the annual local wage.
  const std::vector<double> sam = sc.reals("economy.sam");
  const auto inverse = sim::numeric::leontief_inverse(sam, 5);
  const double cut = ref.real("land.quota_mu") * ref.real("land.use_rate") * ref.real("population.scale") *
                     ref.real("land.servicing_per_mu");
  const auto output = sim::numeric::multiplied(inverse, 5, std::vector<double>{0, 0, -cut, 0, 0});
  double wages = 0;
  for (std::size_t j = 1; j < 4; ++j) wages += output[j] * sam[4 * 5 + j];
  const double expected = wages / (sc.real("labour.local_wage") * 12.0);
  models_test::record("induced_jobs_per_county_2021", expected);
  ASSERT_LT(expected, 0.0);
  for (std::size_t c = 0; c < none.counties; ++c)
    EXPECT_NEAR(none.county("induced_jobs", 2021, c), expected, 1e-9 * std::fabs(expected)) << "county " << c;
  // The multiplier is more than the direct effect: the construction wage
  // bill alone would be cut x the households' share of construction output.
  EXPECT_LT(wages, -cut * sam[4 * 5 + 2]) << "the multipliers should amplify the direct wage effect";
}

}  // namespace
