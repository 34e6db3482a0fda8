// Single rules of the transition model on households built by hand: exact
// incomes, a household entering and leaving monitoring, a loan default. Each
// rule runs on the same views the schedule gives it (rules.hpp).
#include <gtest/gtest.h>

#include "models/transition/economy.hpp"
#include "models/transition/events.hpp"
#include "models/transition/rules.hpp"
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

}  // namespace
}  // namespace transition
