// Construction-land quota: quota land is serviced as industrial-park land
// after land.lag_months; firms take up part of the vacant land each year, and
// their jobs are filled at the next January labour round. More quota must
// mean more local jobs, but only once firms come.
#include <gtest/gtest.h>

#include "run_helper.hpp"

namespace {

using models_test::kScale;

TEST(LandQuota, QuotaBecomesServicedLandThatFirmsFillOverYears) {
  const auto& none = models_test::run("land_quota_0");
  const auto& lots = models_test::run("land_quota_1200");
  const auto sc0 = models_test::load("land_quota_0", {kScale});
  const auto sc1 = models_test::load("land_quota_1200", {kScale});
  const double extra_mu = sc1.real("land.quota_mu") - sc0.real("land.quota_mu");
  ASSERT_GT(extra_mu, 0) << "the two scenarios must differ in land.quota_mu";
  const double use_rate = sc1.real("land.use_rate"), jobs_per_mu = sc1.real("land.jobs_per_mu");
  const double scale = sc1.real("population.scale");
  const auto lag = sc1.integer("land.lag_months");
  const double counties = static_cast<double>(lots.counties);

  double occupancy_before = 0;
  for (int year = 2021; year <= 2025; ++year) {
    const std::string y = std::to_string(year);
    // Quota of year y is serviced in January of `year` if 12 * (year - y) >=
    // lag: with the default 18 months, the 2021 quota from 2023.
    int serviced_years = 0;
    for (int q = 2021; q <= year; ++q) serviced_years += 12 * (year - q) >= lag ? 1 : 0;
    const double serviced = extra_mu * use_rate * scale * counties * serviced_years;
    EXPECT_NEAR(lots.total("serviced_mu", year) - none.total("serviced_mu", year), serviced, 1e-6 * (serviced + 1))
        << "serviced land should be quota x use_rate x scale x counties per serviced year, " << y;
    EXPECT_EQ(none.total("park_mu", year), 0.0) << "no quota, no park";
    // Jobs on park land: exactly the occupied land times jobs per mu.
    EXPECT_NEAR(lots.total("park_jobs", year), lots.total("park_mu", year) * jobs_per_mu,
                1e-9 * (lots.total("park_jobs", year) + 1));
    if (serviced_years == 0) {
      EXPECT_EQ(lots.total("park_mu", year), 0.0) << "before the lag nothing is serviced, so no firm comes, " << y;
      continue;
    }
    // Firms take up part of the vacant land each year: the park fills over
    // years (occupied share rising, never complete within the period).
    const double occupancy = lots.total("park_mu", year) / lots.total("serviced_mu", year);
    models_test::record("occupancy_" + y, occupancy);
    EXPECT_GT(occupancy, 0.05) << y;
    EXPECT_LT(occupancy, 0.9) << y;
    if (occupancy_before > 0) {
      EXPECT_GT(lots.total("park_mu", year), lots.total("park_mu", year - 1)) << "the park keeps filling, " << y;
    }
    occupancy_before = occupancy;
    // Workers: the local market is rationed (more applicants than jobs), so
    // the park's jobs are filled: extra local workers 80-120 % of the extra
    // jobs on offer (park jobs, induced jobs and enterprise jobs together).
    const double d_jobs = lots.total("local_jobs", year) - none.total("local_jobs", year);
    const double d_workers = lots.total("workers_local", year) - none.total("workers_local", year);
    const double d_pa = lots.total("pa_workers_local", year) - none.total("pa_workers_local", year);
    models_test::record("extra_local_jobs_" + y, d_jobs);
    models_test::record("extra_local_workers_" + y, d_workers);
    EXPECT_GT(d_jobs, 0.9 * lots.total("park_jobs", year)) << "the park's jobs should be among the jobs on offer, " << y;
    EXPECT_GE(d_workers, 0.80 * d_jobs) << y;
    EXPECT_LE(d_workers, 1.20 * d_jobs) << y;
    // Poverty-alleviated workers take a share of them: they are about half of
    // the labour force and monitored households are served first (expected 25-75 %).
    EXPECT_GE(d_pa, 0.25 * d_workers) << "poverty-alleviated workers should get at least a quarter of the new jobs";
    EXPECT_LE(d_pa, 0.75 * d_workers) << "poverty-alleviated workers should get at most three quarters of the new jobs";
  }
  // The land's costs are public costs (compensation, servicing), its
  // revenue is revenue: park revenue appears once firms pay.
  EXPECT_GT(lots.total("spend_land", 2021), none.total("spend_land", 2021));
  EXPECT_GT(lots.total("fund_park_revenue", 2025), 0.0);
  EXPECT_EQ(none.total("fund_park_revenue", 2025), 0.0);
}

}  // namespace
