// Single rules of the transition model on households built by hand: exact
// incomes, a household entering and leaving monitoring, a loan default. Each
// rule runs on the same views the schedule gives it (rules.hpp).
#include <gtest/gtest.h>

#include "models/transition/economy.hpp"
#include "models/transition/events.hpp"
#include "models/transition/rules.hpp"
#include "models/transition/status_rules.hpp"
#include "run_helper.hpp"

namespace transition {
namespace {

// One county and one village of hand-built households, with the baseline's
// parameters and a county month whose prices are set here.
struct Village {
  explicit Village(std::size_t count) {
    households_table.resize(count);
    county_table.resize(1);
    counties.package_scale[0] = 1.0f;
    params = read_params(models_test::load("baseline", {}));
    // No chance in the tests below unless a test asks for it.
    params.shocks.illness_base = params.shocks.illness_per_chronic = 0;
    month.wage_migrant = 2000;
    month.wage_local = 1600;
    month.wage_workshop = 1200;
    month.post_pay = 600;
    month.ranger_pay = 800;
    month.farm_per_mu = 100;
    month.irrigated_extra = 0.5;
    month.livestock_return = 0.03125;
    month.lease_share = 0.25;
    month.lease_rent = 100;
    month.pension = 150;
    month.subsidy = 25;
    month.dibao_month = 400;
    month.package = 250;
    month.poverty_line = 4000;
    month.threshold = 6000;
    params.labour.skill_premium = 0.25;
    params.labour.farm_labour_per_mu = 0.25;
  }
  HouseholdRows rows() { return HouseholdRows(households, sim::Range{0, households.size()}); }
  VillageContext context() const { return {params, calibration, id, month, ConstCountyRow(counties, 0), county_last}; }
  // A family of four: two able workers (one migrant, one farming), an elderly
  // parent and a child, 4 mu of dry land, livestock, poverty-alleviated.
  void family_of_four(std::size_t i) {
    households.members[i] = 4;
    households.able[i] = 2;
    households.elderly[i] = 1;
    households.children[i] = 1;
    households.skill[i] = 1;
    households.flags[i] = kPovertyAlleviated;
    households.land_mu[i] = 4;
    households.productivity[i] = 1;
    households.livestock[i] = 10000;
    households.workers[kMigrant][i] = 1;
    households.workers[kFarm][i] = 1;
  }

  Households households;
  Counties counties;
  sim::AgentTable households_table{"household"}, county_table{"county"};
  Params params{};
  Calibration calibration;
  sim::RunIdentity id{20210101, 0};
  CountyMonth month;
  VillageSums county_last{};
  VillageTally tally;
  bool bound = [this] {
    households.bind(households_table);
    counties.bind(county_table);
    return true;
  }();
};

TEST(HouseholdIncome, AFamilyOfFourWithAMigrantAndAFarmer) {
  Village v(1);
  v.family_of_four(0);
  const IncomeParts in = month_income(v.households, 0, v.month, 50.0, 1.0, v.params.labour);
  EXPECT_EQ(in.migrant, 2500.0);   // 2,000 x (1 + 0.25 x skill 1)
  EXPECT_EQ(in.local + in.workshop + in.post + in.ranger, 0.0);
  EXPECT_EQ(in.farm, 300.0);       // 3 of 4 mu cultivated (a quarter leased), 100 a mu, labour enough
  EXPECT_EQ(in.livestock, 312.5);  // 10,000 x 1/32
  EXPECT_EQ(in.property, 150.0);   // dividend 50 + 1 leased mu x 100
  EXPECT_EQ(in.pension, 150.0);    // one elderly member
  EXPECT_EQ(in.other, 100.0);      // 4 members x 25
  EXPECT_EQ(in.package + in.dibao, 0.0);  // neither monitored nor on dibao
  EXPECT_EQ(in.total(), 3512.5);
  EXPECT_EQ(in.wages(), 2500.0);
  EXPECT_EQ(in.operating(), 612.5);
  EXPECT_EQ(in.transfers(), 250.0);

  // Dibao tops income up to the standard: 4 x 400 = 1,600 a month, above
  // the family's 1,012.5 without the migrant's wage.
  v.households.workers[kMigrant][0] = 0;
  v.households.flags[0] |= kDibao;
  const IncomeParts poor = month_income(v.households, 0, v.month, 50.0, 1.0, v.params.labour);
  EXPECT_EQ(poor.dibao, 1600.0 - 1012.5);
  EXPECT_EQ(poor.total(), 1600.0);
}

TEST(HouseholdIncome, AnIllMemberCostsAWorkersShare) {
  Village v(1);
  v.family_of_four(0);
  v.households.sick_months[0] = 2;
  const IncomeParts in = month_income(v.households, 0, v.month, 0.0, 1.0, v.params.labour);
  EXPECT_EQ(in.migrant, 1250.0);  // two wage-earning workers: one's share lost
  EXPECT_EQ(in.farm, 300.0);      // labour 1 + 0.4 - 0.5 still covers 0.75 of need
}

// Income below the poverty line: at risk, identified after the delay (with
// certain detection), counted as an entry with its event; six months above
// the threshold later, an exit with its months in monitoring.
TEST(Monitoring, AHouseholdEntersAndLeaves) {
  Village v(1);
  v.family_of_four(0);
  v.params.monitoring.self_declaration = 1.0;  // detection certain once the delay has passed
  v.params.monitoring.delay_months = 1;
  v.params.monitoring.exit_months = 6;
  v.households.income_last_year[0] = 7000;
  v.households.income_ema[0] = 7000 / 12.0f;
  v.households.workers[kMigrant][0] = 0;
  v.households.workers[kFarm][0] = 0;
  v.households.livestock[0] = 0;
  v.households.savings[0] = 0;
  // About 450 a month for 4 people: 1,350 a year each, far below the poverty line.
  const auto month = [&](std::uint32_t step) {
    v.tally = {};
    household_month(v.rows(), v.tally, v.context(), 0.0, sim::step_info(step, 60, 2021));
  };
  std::uint32_t step = 0;
  for (; step < 12 && v.households.monitor_kind[0] == kNotMonitored; ++step) month(step);
  ASSERT_EQ(v.households.monitor_kind[0], kUnstable) << "a poverty-alleviated household enters as unstable";
  EXPECT_GE(step, 2u) << "not before the identification delay";
  EXPECT_LE(step, 4u) << "the smoothed income falls below the line within a few months";
  EXPECT_EQ(v.tally.sums[ind::monitoring_entries], 1);
  EXPECT_EQ(v.tally.sums[ind::entries_unstable], 1);
  ASSERT_EQ(v.tally.events.size(), 1u);
  EXPECT_EQ(v.tally.events[0].kind, event::entry_unstable);
  EXPECT_EQ(v.tally.sums[ind::monitored_households], 1);

  // A migrant job: well above the threshold; the exit needs six stable months.
  v.households.workers[kMigrant][0] = 2;
  std::uint32_t months = 0;
  while (v.households.monitor_kind[0] != kNotMonitored && months < 24) {
    month(step++);
    ++months;
    if (v.households.monitor_kind[0] != kNotMonitored) {
      EXPECT_EQ(v.tally.sums[ind::monitoring_exits], 0);
    }
  }
  ASSERT_EQ(v.households.monitor_kind[0], kNotMonitored);
  EXPECT_GE(months, 6u);
  EXPECT_EQ(v.tally.sums[ind::monitoring_exits], 1);
  EXPECT_EQ(v.tally.sums[ind::exit_months], static_cast<double>(months));
  ASSERT_EQ(v.tally.events.size(), 1u);
  EXPECT_EQ(v.tally.events[0].kind, event::exit);
}

// A borrower whose income collapsed defaults with the rule's probability; the
// county's risk fund covers the loan (the defaulted_debt sum).
TEST(Microcredit, ABorrowerInDifficultyDefaults) {
  for (const double chance : {1.0, 0.0}) {
    Village v(1);
    v.family_of_four(0);
    v.params.credit.default_prob = chance;
    v.params.credit.uptake = 0;
    v.households.debt[0] = 24000;
    v.households.loan_months[0] = 20;
    v.households.income_ema[0] = 300;  // 3,600 a year per person: below the 6,000 threshold
    household_year_start(v.rows(), v.tally, v.context(), sim::step_info(0, 60, 2021));
    if (chance == 1.0) {
      EXPECT_EQ(v.households.debt[0], 0);
      EXPECT_EQ(v.households.loan_months[0], 0);
      EXPECT_EQ(v.tally.sums[ind::defaulted_debt], 24000);
    } else {
      EXPECT_EQ(v.households.debt[0], 24000);
      EXPECT_EQ(v.households.loan_months[0], 20);
      EXPECT_EQ(v.tally.sums[ind::defaulted_debt], 0);
    }
  }
}

// A household never registered poor with a steady income between the
// poverty line and the monitoring threshold: at risk under the 2021
// guidance although its income is not falling, so it enters as marginal.
// The same household on dibao, its basic needs secured above the line, is
// not at risk.
TEST(Monitoring, AMarginalHouseholdUnderTheThresholdEntersWithoutAFall) {
  for (const bool on_dibao : {false, true}) {
    Village v(1);
    v.family_of_four(0);
    v.households.flags[0] = on_dibao ? kDibao : 0;
    v.params.monitoring.self_declaration = 1.0;
    v.params.monitoring.delay_months = 1;
    v.households.workers[kMigrant][0] = 0;
    v.households.workers[kLocal][0] = 1;
    v.month.wage_local = 400;  // 500 with the skill premium: 1,512.5 a month, 4,537.5 a year each
    const double pc = 12 * month_income(v.households, 0, v.month, 50.0, 1.0, v.params.labour).total() / 4;
    ASSERT_GT(pc, v.month.poverty_line);
    ASSERT_LT(pc, v.month.threshold);
    v.households.income_last_year[0] = static_cast<float>(pc);
    v.households.income_ema[0] = static_cast<float>(pc / 12);  // steady: the same as last year
    for (std::uint32_t step = 0; step < 6; ++step) {
      v.tally = {};
      household_month(v.rows(), v.tally, v.context(), 50.0, sim::step_info(step, 60, 2021));
    }
    if (on_dibao) {
      EXPECT_EQ(v.households.monitor_kind[0], kNotMonitored) << "dibao secures basic needs above the line";
    } else {
      EXPECT_EQ(v.households.monitor_kind[0], kMarginal) << "under the threshold, falling or not";
    }
  }
}

// The year-end poverty transitions on one household over four Decembers:
// a fall below the line after a year above it counts (return to poverty for
// a poverty-alleviated household, new poverty otherwise); a second year
// below does not; after a year above, a new fall counts again.
TEST(PovertyTransition, CountsFallsBelowTheLineNotYearsBelow) {
  for (const bool pa : {true, false}) {
    Village v(1);
    v.family_of_four(0);
    v.households.flags[0] = pa ? kPovertyAlleviated : 0;
    const auto december = [&](int year, bool migrant) {
      v.households.workers[kMigrant][0] = migrant ? 1 : 0;
      const double monthly = month_income(v.households, 0, v.month, 0.0, 1.0, v.params.labour).total();
      v.households.income_ytd[0] = static_cast<float>(11 * monthly);  // January to November at the same income
      v.tally = {};
      household_month(v.rows(), v.tally, v.context(), 0.0,
                      sim::step_info(static_cast<std::uint32_t>(12 * (year - 2021) + 11), 60, 2021));
      return 12 * monthly / 4;  // per capita for the year
    };
    const auto counted = [&] { return v.tally.sums[pa ? ind::returns_to_poverty : ind::new_poverty]; };
    // 2021: without the migrant's wage, 1,012.5 a month: 3,037.5 a year each, below 4,000.
    EXPECT_LT(december(2021, false), 4000);
    EXPECT_EQ(counted(), 1);
    EXPECT_EQ(v.tally.sums[pa ? ind::returns_people : ind::new_poverty_people], 4);
    EXPECT_EQ(v.tally.sums[pa ? ind::new_poverty : ind::returns_to_poverty], 0);
    ASSERT_EQ(v.tally.events.size(), 1u);
    EXPECT_EQ(v.tally.events[0].kind, pa ? event::return_to_poverty : event::new_poverty);
    EXPECT_TRUE(v.households.flags[0] & kBelowLine);
    EXPECT_EQ((v.households.flags[0] & kReturned) != 0, pa);
    EXPECT_EQ(v.households.income_ytd[0], 0) << "the year's income starts again";
    // 2022: still below: not a new transition.
    december(2022, false);
    EXPECT_EQ(counted(), 0);
    EXPECT_TRUE(v.tally.events.empty());
    // 2023: the migrant works again: above the line.
    EXPECT_GT(december(2023, true), 4000);
    EXPECT_EQ(counted(), 0);
    EXPECT_FALSE(v.households.flags[0] & kBelowLine);
    // 2024: below again: counted again.
    december(2024, false);
    EXPECT_EQ(counted(), 1);
  }
}

// What counts as income: with transfers (the NBS disposable income, the
// default) a household whose pension and subsidies lift it over the line is
// not poor; counted without transfers it is.
TEST(PovertyTransition, IncomeWithOrWithoutTransfersAsTheScenarioSays) {
  for (const char* rule : {"disposable", "excluding_transfers"}) {
    Village v(1);
    v.family_of_four(0);
    v.params.monitoring.poverty_income = rule;
    v.households.workers[kMigrant][0] = 0;
    v.households.workers[kLocal][0] = 1;
    v.month.wage_local = 400;
    const IncomeParts in = month_income(v.households, 0, v.month, 0.0, 1.0, v.params.labour);
    ASSERT_GT(12 * in.total() / 4, 4000);                      // 4,387.5 with transfers
    ASSERT_LT(12 * (in.total() - in.transfers()) / 4, 4000);  // 3,637.5 without
    v.households.income_ytd[0] = static_cast<float>(11 * in.total());
    v.households.transfers_ytd[0] = static_cast<float>(11 * in.transfers());
    household_month(v.rows(), v.tally, v.context(), 0.0, sim::step_info(11, 60, 2021));
    EXPECT_EQ(v.tally.sums[ind::returns_to_poverty], std::string(rule) == "excluding_transfers" ? 1 : 0) << rule;
  }
}

// Out-of-pocket medical costs count in the month they fall due: the same
// illness in January and in December lowers what cadres see by the same
// amount (no year-to-date cost scaled up to a year).
TEST(Monitoring, AnIllnessWeighsTheSameInJanuaryAndDecember) {
  std::vector<double> drops;
  for (const std::uint32_t ill_step : {0u, 11u}) {
    Village v(1);
    v.family_of_four(0);
    v.params.shocks.illness_cost_cv = 0;  // the cost is its mean
    const double steady = month_income(v.households, 0, v.month, 0.0, 1.0, v.params.labour).total() / 4;
    v.households.income_ema[0] = static_cast<float>(steady);
    v.households.income_last_year[0] = static_cast<float>(12 * steady);
    double before = 0;
    for (std::uint32_t step = 0; step <= ill_step; ++step) {
      v.params.shocks.illness_base = step == ill_step ? 1.0 : 0.0;  // certain illness in that month only
      before = v.households.income_ema[0];
      household_month(v.rows(), v.tally, v.context(), 0.0, sim::step_info(step, 60, 2021));
    }
    drops.push_back(before - v.households.income_ema[0]);
  }
  EXPECT_GT(drops[0], 0);
  EXPECT_NEAR(drops[0], drops[1], 1e-3 * drops[0]) << "January " << drops[0] << ", December " << drops[1];
}

// Dibao as a status: reviews every dibao_review_years, the means test on
// income without dibao, errors at application and review.
TEST(Dibao, StatusPersistsBetweenReviewsAndTheMeansTestDecidesAtEach) {
  Params::Assistance a{};
  a.dibao_review_years = 2;
  a.dibao_exclusion_error = 0.3;
  a.dibao_inclusion_error = 0.05;
  a.dibao_inclusion_band = 1.2;
  a.dibao_monitored_miss_factor = 0.5;
  a.dibao_exit_margin = 1.1;
  const double standard = 5000;
  std::uint8_t years = 0;
  // An enrolled household whose means rose far above the standard keeps
  // dibao until its review, then leaves.
  EXPECT_TRUE(dibao_status(true, years, 9000, standard, false, a, 0.99));
  EXPECT_EQ(years, 1);
  EXPECT_FALSE(dibao_status(true, years, 9000, standard, false, a, 0.99));
  // At a review, means under the standard times the exit margin keep it,
  // unless the exclusion error strikes.
  years = 1;
  EXPECT_TRUE(dibao_status(true, years, 5400, standard, false, a, 0.31));
  EXPECT_EQ(years, 0) << "a passed review restarts the cycle";
  years = 1;
  EXPECT_FALSE(dibao_status(true, years, 4000, standard, false, a, 0.29)) << "missed at review";
  // Applications: eligible below the standard unless missed (half the error
  // for monitored households under the package); near the standard only by
  // the inclusion error; never far above it.
  EXPECT_TRUE(dibao_status(false, years, 4000, standard, false, a, 0.30));
  EXPECT_FALSE(dibao_status(false, years, 4000, standard, false, a, 0.29));
  EXPECT_TRUE(dibao_status(false, years, 4000, standard, true, a, 0.15));
  EXPECT_FALSE(dibao_status(false, years, 5400, standard, false, a, 0.30)) << "the exit margin is for enrolled households";
  EXPECT_TRUE(dibao_status(false, years, 5900, standard, false, a, 0.04));
  EXPECT_FALSE(dibao_status(false, years, 6100, standard, false, a, 0.0));
}

// The January rule on a hand-built household: enrolled with a three-year
// cycle, its status holds for two Januaries whatever its means, and at the
// third its means decide.
TEST(Dibao, TheJanuaryRuleReviewsOnTheCycle) {
  Village v(1);
  v.family_of_four(0);
  v.params.assistance.dibao_review_years = 3;
  v.params.assistance.dibao_exclusion_error = 0;
  v.params.assistance.dibao_inclusion_error = 0;
  v.params.credit.uptake = 0;
  v.params.farming.livestock_failure = 0;
  v.households.flags[0] |= kDibao;
  v.households.dibao_years[0] = 0;
  v.households.means_last_year[0] = 20000;  // far above the 4,800 standard (400 a month)
  for (int year = 0; year < 2; ++year) {
    household_year_start(v.rows(), v.tally, v.context(), sim::step_info(static_cast<std::uint32_t>(12 * year), 60, 2021));
    EXPECT_TRUE(v.households.flags[0] & kDibao) << "between reviews, January " << 2021 + year;
  }
  household_year_start(v.rows(), v.tally, v.context(), sim::step_info(24, 60, 2021));
  EXPECT_FALSE(v.households.flags[0] & kDibao) << "the review finds means above the standard";
  // Applying the next January with means under the standard: enrolled.
  v.households.means_last_year[0] = 3000;
  household_year_start(v.rows(), v.tally, v.context(), sim::step_info(36, 60, 2021));
  EXPECT_TRUE(v.households.flags[0] & kDibao);
  EXPECT_EQ(v.households.dibao_years[0], 0);
}

}  // namespace
}  // namespace transition
