// Shocks: a fall in migrant-labour demand, costly illness, a disaster year.
// Each must hit the outcomes it should, when it should, and by a plausible
// amount; the runs it is compared with share its random streams.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "run_helper.hpp"

namespace {

using models_test::kScale;

TEST(MigrantShock, LowersMigrantIncomeIn2022AndRecoveryFollows) {
  const auto& base = models_test::run("baseline");
  const auto& shock = models_test::run("migrant_shock_2022");
  const auto sc = models_test::load("migrant_shock_2022", {kScale});
  const auto demand = sc.reals("shocks.migrant_demand");
  ASSERT_EQ(demand.size(), 5u);
  ASSERT_LT(demand[1], 1.0) << "the scenario should cut demand in 2022";

  // 2021: the shock is not active yet and the streams are the same, so the
  // whole record (every level, every event) is identical.
  EXPECT_TRUE(shock.identical_through(base, 2021, 2021)) << "2021 must be identical before the shock";
  EXPECT_EQ(shock.total("income_migrant", 2021), base.total("income_migrant", 2021));

  // 2022: the job chance scales with demand and the wage falls by
  // elasticity x (1 - demand). If nobody changed plans, migrant income would
  // be chance ratio x wage ratio of the baseline (0.6 x 0.8 = 0.48 for
  // demand 0.6); the lower wage also makes fewer workers try, so expect the
  // ratio between 60 % and 105 % of that bound (measured 0.40, i.e. -60 %).
  const double job_chance = sc.real("labour.migrant_job_chance") * (1.0 + sc.real("labour.organised_export_boost"));
  const double chance_ratio = std::min(1.0, job_chance * demand[1]) / std::min(1.0, job_chance);
  const double wage_ratio = 1.0 - sc.real("shocks.migrant_wage_elasticity") * (1.0 - demand[1]);
  const double bound = chance_ratio * wage_ratio;
  const double r2022 = shock.total("income_migrant", 2022) / base.total("income_migrant", 2022);
  models_test::record("income_migrant_ratio_2022", r2022);
  models_test::record("no_response_bound_2022", bound);
  EXPECT_LE(r2022, 1.05 * bound) << "2022 migrant income ratio " << r2022 << " should be at most the no-response bound "
                                 << bound;
  EXPECT_GE(r2022, 0.60 * bound) << "2022 migrant income ratio " << r2022 << " fell far more than the shock (" << bound
                                 << ")";
  EXPECT_GT(shock.total("returns_to_poverty", 2022), base.total("returns_to_poverty", 2022))
      << "the migrant shock should raise returns to poverty in 2022";

  // Recovery: the ratio rises every year after the shock, and by 2025 migrant
  // income is back within 15 % of the baseline (measured -10 % to -11 %: the
  // recovery is slow because workers expect last year's job chance and keep
  // last year's activity, see the report).
  double previous = r2022;
  for (int year = 2023; year <= 2025; ++year) {
    const double r = shock.total("income_migrant", year) / base.total("income_migrant", year);
    models_test::record("income_migrant_ratio_" + std::to_string(year), r);
    EXPECT_GT(r, previous) << "migrant income should recover year by year; ratio " << r << " in " << year;
    previous = r;
  }
  EXPECT_GE(previous, 0.85) << "by 2025 migrant income should be within 15 % of the baseline; ratio " << previous;
  EXPECT_LE(previous, 1.02) << "by 2025 migrant income should not overshoot the baseline; ratio " << previous;
}

// Returns to poverty per household-year among poverty-alleviated households
// with and without a chronically ill member.
struct ChronicRates {
  double chronic = 0, other = 0;
  double ratio() const { return chronic / other; }
};

ChronicRates chronic_rates(const std::vector<std::string>& sets, std::uint32_t replicates) {
  double returns_c = 0, returns_o = 0, households_c = 0, households_o = 0;
  for (std::uint32_t r = 0; r < replicates; ++r) {
    const auto model = models_test::build_model("baseline", sets, r);
    const auto& h = model->world().households;
    for (std::size_t i = 0; i < h.size(); ++i)
      if (h.flags[i] & transition::kPovertyAlleviated) (h.chronic[i] > 0 ? households_c : households_o) += 5;
    const auto& run = models_test::run("baseline", sets, r);
    EXPECT_EQ(run.years.size(), 5u);
    for (const auto& e : run.events) {
      if (e.kind != transition::event::return_to_poverty) continue;
      EXPECT_TRUE(h.flags[e.agent] & transition::kPovertyAlleviated) << "only poverty-alleviated households return";
      (h.chronic[e.agent] > 0 ? returns_c : returns_o) += 1;
    }
  }
  return {returns_c / households_c, returns_o / households_o};
}

TEST(Illness, ReturnsConcentrateAmongChronicallyIllHouseholds) {
  // A household has a costly illness with chance illness_base +
  // illness_per_chronic x chronic members a month: 0.006 without, about
  // 0.021 with a chronically ill member (1.25 members on average): 3.5 times
  // the hazard. Returns have other causes too (about 45 % of returns vanish
  // without illness, in line with "about half of poor households named
  // illness as the cause"), so the return rate of chronic households is
  // expected 1.4-2.5 times that of others (measured 1.9x; 1.7x before the
  // product-price fix; the "several times" is not what these
  // parameters imply).
  const std::vector<std::string> with = {kScale};
  const std::vector<std::string> without = {kScale, "shocks.illness_base=0", "shocks.illness_per_chronic=0"};
  const ChronicRates ill = chronic_rates(with, 2);
  const ChronicRates none = chronic_rates(without, 2);
  models_test::record("rate_chronic", ill.chronic);
  models_test::record("rate_other", ill.other);
  models_test::record("ratio_with_illness", ill.ratio());
  models_test::record("ratio_without_illness", none.ratio());
  EXPECT_GE(ill.ratio(), 1.4) << "chronic households should return to poverty far more often; ratio " << ill.ratio();
  EXPECT_LE(ill.ratio(), 2.5) << "chronic/other return-rate ratio " << ill.ratio() << " expected in [1.4, 2.5]";
  // Without illness shocks the gap nearly closes (measured 1.01): what
  // remains comes from care duties and less migration, not from illness.
  EXPECT_LE(none.ratio() - 1.0, 0.3 * (ill.ratio() - 1.0))
      << "switching illness off should remove most of the gap: ratio " << none.ratio() << " vs " << ill.ratio();
  EXPECT_GE(none.ratio(), 0.8) << "without illness chronic households should not return much less often";
  // The returns illness adds, per household, should follow the hazard ratio
  // (3.5): expected 2.5-5 (measured 3.5).
  const double excess = (ill.chronic - none.chronic) / (ill.other - none.other);
  models_test::record("illness_excess_ratio", excess);
  EXPECT_GE(excess, 2.5) << "illness-caused returns chronic/other " << excess << " expected in [2.5, 5]";
  EXPECT_LE(excess, 5.0) << "illness-caused returns chronic/other " << excess << " expected in [2.5, 5]";
  EXPECT_LT(none.chronic + none.other, ill.chronic + ill.other) << "illness shocks must cause returns";
}

TEST(Disaster, DisasterYearHitsHazardProneCountiesIn2023) {
  const auto& base = models_test::run("baseline");
  const auto& hit = models_test::run("disaster_year");
  const auto model = models_test::build_model("disaster_year", {kScale});
  const auto& hazard = model->world().counties.hazard_prone;
  ASSERT_EQ(hazard.size(), base.counties);
  const auto sc = models_test::load("disaster_year", {kScale});
  ASSERT_EQ(sc.integer("shocks.disaster_year"), 2023);

  auto county_sum = [&](const models_test::RunData& d, const std::string& name, int year, bool prone) {
    double s = 0;
    for (std::size_t c = 0; c < d.counties; ++c)
      if ((hazard[c] != 0) == prone) s += d.county(name, year, c);
    return s;
  };
  EXPECT_TRUE(hit.identical_through(base, 2021, 2022)) << "nothing may change before the disaster year";

  // Hazard-prone counties in 2023. Farm and livestock income lose
  // disaster_farm_loss (50 %) for disaster_months (6) of 12: 25 % of the
  // year's farm income, less where a random disaster hit the baseline
  // anyway. Expected fall 15-30 % (measured 23 %), i.e. 0.6-1.2 x 25 %.
  const double farm = county_sum(hit, "income_farm", 2023, true) / county_sum(base, "income_farm", 2023, true);
  const double loss = sc.real("shocks.disaster_farm_loss") * sc.real("shocks.disaster_months") / 12.0;
  models_test::record("hazard_farm_income_ratio_2023", farm);
  EXPECT_LE(farm, 1.0 - 0.6 * loss) << "farm income in hazard-prone counties should fall by about " << loss
                                    << "; ratio " << farm;
  EXPECT_GE(farm, 1.0 - 1.2 * loss) << "farm income in hazard-prone counties fell more than the disaster takes; ratio "
                                    << farm;
  // Returns and monitoring entries rise: expected 1.3-3x (measured 2.0x and 1.9x).
  const double returns =
      county_sum(hit, "returns_to_poverty", 2023, true) / county_sum(base, "returns_to_poverty", 2023, true);
  const double entries =
      county_sum(hit, "monitoring_entries", 2023, true) / county_sum(base, "monitoring_entries", 2023, true);
  models_test::record("hazard_returns_ratio_2023", returns);
  models_test::record("hazard_entries_ratio_2023", entries);
  EXPECT_GE(returns, 1.3) << "the disaster should raise returns in hazard-prone counties; ratio " << returns;
  EXPECT_LE(returns, 3.0) << "returns ratio in hazard-prone counties " << returns << " expected in [1.3, 3]";
  EXPECT_GE(entries, 1.3) << "the disaster should raise monitoring entries in hazard-prone counties; ratio " << entries;
  EXPECT_LE(entries, 3.0) << "entries ratio in hazard-prone counties " << entries << " expected in [1.3, 3]";

  // Other counties are nearly unaffected: within 2 % in 2023 (they only feel
  // it through the next year's fund allocation; measured identical) and within
  // 5 % in 2024.
  for (const std::string name : {"returns_to_poverty", "monitoring_entries", "income_farm"}) {
    for (int year : {2023, 2024}) {
      const double r = county_sum(hit, name, year, false) / county_sum(base, name, year, false);
      const double tolerance = year == 2023 ? 0.02 : 0.05;
      models_test::record("other_" + name + "_ratio_" + std::to_string(year), r);
      EXPECT_NEAR(r, 1.0, tolerance) << name << " in counties not hazard-prone, " << year << ": ratio " << r;
    }
  }
  // The shock passes: in 2024 the hazard-prone counties' returns are much
  // closer to the baseline than in 2023.
  const double after =
      county_sum(hit, "returns_to_poverty", 2024, true) / county_sum(base, "returns_to_poverty", 2024, true);
  models_test::record("hazard_returns_ratio_2024", after);
  EXPECT_LT(after - 1.0, 0.5 * (returns - 1.0))
      << "returns should fall back after the disaster year; 2024 ratio " << after;
}

}  // namespace
