// Money: integrated funds, the split of the county programme (employment
// first or industry first, training, collective assets) and microcredit.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "run_helper.hpp"

namespace {

using models_test::kScale;

// The training share of the county programme after the other shares are
// scaled to what industry leaves (docs/ODD.md 7.1).
double training_share(const sim::scenario::Scenario& sc) {
  const double industry = sc.real("spending.industry");
  double others = 0;
  for (const char* k : {"infrastructure", "posts", "training", "relocation", "assistance", "administration"})
    others += sc.real(std::string("spending.") + k);
  return sc.real("spending.training") * (1.0 - industry) / others;
}

TEST(Integration, EndingIn2023ReturnsFundsToTheirEarmarks) {
  const std::vector<std::string> sets = {kScale, "funds.integration_end_year=2023"};
  const auto& base = models_test::run("baseline");
  const auto& ended = models_test::run("baseline", sets);
  const auto sc = models_test::load("baseline", sets);
  // Through 2023 the lever has not acted: the whole record is identical.
  EXPECT_TRUE(ended.identical_through(base, 2021, 2023)) << "nothing may change before integration ends";

  // After 2023 the agriculture funds still come, but only
  // integration_after_share of them stays in the county's flexible
  // programme; the rest returns to its sectoral earmarks (infrastructure
  // and production support): no yuan vanishes.
  const double households = base.total("households", 2024);
  const double moved =
      (1.0 - sc.real("funds.integration_after_share")) * sc.real("funds.integrated_per_household") * households;
  for (int year : {2024, 2025}) {
    const std::string y = std::to_string(year);
    const double d_flexible = base.total("fund_integrated", year) - ended.total("fund_integrated", year);
    EXPECT_NEAR(d_flexible, moved, 1e-9 * moved) << "flexible funds should fall by (1 - after_share) x funds in " << y;
    EXPECT_NEAR(ended.total("fund_earmarked", year), moved, 1e-9 * moved) << "and return to their earmarks in " << y;
    EXPECT_EQ(base.total("fund_earmarked", year), 0.0);
    // The flexible items lose (posts, training, packages, administration:
    // they are paid from the flexible programme only); infrastructure gains.
    const auto flexible_items = [](const models_test::RunData& d, int yr) {
      return d.total("spend_training", yr) + d.total("spend_administration", yr) + d.total("spend_packages", yr);
    };
    models_test::record("flexible_items_ratio_" + y, flexible_items(ended, year) / flexible_items(base, year));
    EXPECT_LT(flexible_items(ended, year), flexible_items(base, year)) << y;
    EXPECT_GT(ended.total("spend_infrastructure", year), base.total("spend_infrastructure", year)) << y;
  }
}

TEST(Spending, EmploymentFirstVersusIndustryFirst) {
  // Employment first puts 14 % of the programme into posts, 12 % into
  // training and more workshop jobs per yuan; industry first puts 75 % into
  // industry (collective assets, household support, enterprise jobs).
  const auto& emp = models_test::run("employment_first");
  const auto& ind = models_test::run("industry_first");
  for (int year = 2021; year <= 2025; ++year) {
    // Expected: more poverty-alleviated workers in posts and workshops every
    // year, by at least 30 % (measured +89 % to +119 %).
    const double e = emp.total("pa_workers_post", year) + emp.total("pa_workers_workshop", year);
    const double i = ind.total("pa_workers_post", year) + ind.total("pa_workers_workshop", year);
    models_test::record("posts_workshops_ratio_" + std::to_string(year), e / i);
    EXPECT_GT(e, 1.3 * i) << "employment first should employ more poor labour in posts and workshops in " << year;
    // Trainees are bought at a fixed cost, so trained households follow the
    // training share of the programme (about 6x here) within 15 %, as long
    // as places are short; what is paid is exactly trainees x cost.
    const double trained = emp.total("trained_households", year) / ind.total("trained_households", year);
    const double shares = training_share(models_test::load("employment_first", {kScale})) /
                          training_share(models_test::load("industry_first", {kScale}));
    models_test::record("trained_over_share_ratio_" + std::to_string(year), trained / shares);
    EXPECT_NEAR(trained / shares, 1.0, 0.15) << "trained households should follow the training share in " << year;
    EXPECT_NEAR(emp.total("spend_training", year),
                emp.total("trained_households", year) * models_test::load("employment_first", {kScale}).real("spending.training_cost"),
                1e-6 * emp.total("spend_training", year));
  }
  // Industry first builds more collective income and local enterprise jobs
  // (expected at least +5 % by 2025; measured +8 % and +10 %).
  models_test::record("collective_income_ratio_2025",
                      ind.total("collective_income", 2025) / emp.total("collective_income", 2025));
  models_test::record("local_jobs_ratio_2025", ind.total("local_jobs", 2025) / emp.total("local_jobs", 2025));
  EXPECT_GT(ind.total("collective_income", 2025), 1.05 * emp.total("collective_income", 2025));
  EXPECT_GT(ind.total("local_jobs", 2025), 1.05 * emp.total("local_jobs", 2025));
  // Posts and workshops pay at once, collective assets from the next year:
  // in 2021-2022 employment first keeps fewer households in poverty
  // (expected 3-40 % fewer returns; measured 10 %, 6-10 % in single replicates).
  const double returns =
      models_test::mean_total_sum("employment_first", {kScale}, "returns_to_poverty", 2021, 2022, 2) /
      models_test::mean_total_sum("industry_first", {kScale}, "returns_to_poverty", 2021, 2022, 2);
  models_test::record("early_returns_ratio", returns);
  EXPECT_LE(returns, 0.97) << "employment first should cut early returns to poverty; ratio " << returns;
  EXPECT_GE(returns, 0.60) << "early returns ratio employment/industry first " << returns
                           << " expected in [0.60, 0.97]";
}

TEST(Training, NoTrainingBudgetMeansNoTrainedHouseholdsAndLowerWages) {
  const auto& base = models_test::run("baseline");
  const auto& none = models_test::run("baseline", {kScale, "spending.training=0"});
  const auto& twice = models_test::run("baseline", {kScale, "spending.training=0.1"});
  const auto sc = models_test::load("baseline", {kScale});
  // A budget twice the baseline's trains about twice the households while
  // places are short (expected 1.6-2.1 times).
  const double doubled = twice.total("trained_households", 2021) / base.total("trained_households", 2021);
  models_test::record("trained_ratio_twice_budget_2021", doubled);
  EXPECT_GE(doubled, 1.6);
  EXPECT_LE(doubled, 2.1);
  EXPECT_EQ(none.total_sum("trained_households", 2021, 2025), 0.0) << "no budget, no training";
  for (int year = 2021; year <= 2025; ++year) {
    // Each trainee costs training_cost, and only trainees are paid for.
    EXPECT_NEAR(base.total("spend_training", year), base.total("trained_households", year) * sc.real("spending.training_cost"),
                1e-6 * base.total("spend_training", year));
    EXPECT_EQ(none.total("spend_training", year), 0.0);
  }
  // Skills raise wages by skill_premium a level: by 2025 migrant plus local
  // wage income is lower without training (expected 2-15 %; measured 5 %).
  auto wages = [](const models_test::RunData& d) {
    return d.total("income_migrant", 2025) + d.total("income_local", 2025);
  };
  const double ratio = wages(none) / wages(base);
  models_test::record("wage_ratio_2025", ratio);
  EXPECT_LE(ratio, 0.98) << "without training wage income should be lower by 2025; ratio " << ratio;
  EXPECT_GE(ratio, 0.85) << "wage income ratio without training " << ratio << " expected in [0.85, 0.98]";
}

TEST(Collectives, WithoutCollectiveAssetsMoreCollectivesStayBelow50k) {
  // Industry money that becomes collective assets earns project_return from
  // the next year. Without it collectives grow only from relocation money.
  const auto& base = models_test::run("baseline");
  const auto& none = models_test::run("baseline", {kScale, "collective.asset_share=0"});
  // 2021 income comes from assets built before 2021: identical.
  EXPECT_EQ(none.total("collectives_under_50k", 2021), base.total("collectives_under_50k", 2021));
  EXPECT_EQ(none.total("collective_income", 2021), base.total("collective_income", 2021));
  for (int year = 2022; year <= 2025; ++year) {
    // Expected: clearly more collectives under 50,000 yuan (measured 91 vs
    // 34 in 2022, 42 vs 0 in 2025 of about 290).
    const double n_base = base.total("collectives_under_50k", year);
    const double n_none = none.total("collectives_under_50k", year);
    models_test::record("under_50k_baseline_" + std::to_string(year), n_base);
    models_test::record("under_50k_no_assets_" + std::to_string(year), n_none);
    EXPECT_GE(n_none, n_base + 0.05 * base.total("collectives", year))
        << "without collective assets at least 5 % more collectives should stay under 50,000 yuan in " << year;
  }
  // Income of collectives: by 2025 the baseline's assets add 40-120 % to
  // collective income (0.35 x industry money x 6 % a year, measured +77 %).
  const double gain = base.total("collective_income", 2025) / none.total("collective_income", 2025) - 1.0;
  models_test::record("collective_income_gain_2025", gain);
  EXPECT_GE(gain, 0.4) << "collective assets should raise collective income; gain " << gain;
  EXPECT_LE(gain, 1.2) << "collective income gain " << gain << " expected in [0.4, 1.2]";
}

TEST(Microcredit, UptakeCreatesBorrowersAndLivestockAssets) {
  const auto& base = models_test::run("baseline");
  const auto& none = models_test::run("baseline", {kScale, "credit.uptake=0"});
  for (int year = 2021; year <= 2025; ++year) {
    EXPECT_EQ(none.total("borrowers", year), 0.0) << "no uptake, no borrowers";
    EXPECT_GT(base.total("borrowers", year), 0.0) << "default uptake should create borrowers in " << year;
  }
  // Investment (with or without a loan) builds livestock assets: by 2025
  // they are higher with uptake. At most uptake (12 %) of the ~35,000
  // poverty-alleviated households without a venture, plus savers, start a
  // 30,000 yuan venture each year: up to about 0.13 bn a year against
  // 1.2 bn of assets, so expected +3 % to +100 % (measured +11 % while
  // poverty-alleviated households cannot borrow, +56 % once they can).
  const double ratio = base.total("livestock_assets", 2025) / none.total("livestock_assets", 2025);
  models_test::record("livestock_assets_ratio_2025", ratio);
  EXPECT_GE(ratio, 1.03) << "uptake should raise livestock assets; ratio " << ratio;
  EXPECT_LE(ratio, 2.0) << "livestock asset ratio " << ratio << " expected in [1.03, 2.0]";
  EXPECT_GT(base.total("income_livestock", 2025), none.total("income_livestock", 2025));
}

TEST(Microcredit, ReachesPovertyAlleviatedHouseholds) {
  // "Lend to all who qualify": a poverty-alleviated household without a
  // venture applies with chance credit.uptake a year and, lacking savings,
  // borrows. About 70 % of poverty-alleviated households start without
  // livestock, so in December 2021 at least half of uptake x those
  // households should hold a loan (expected about uptake x 0.7 x PA
  // households, 4,000 at scale 0.01). The industry-support grant must not
  // disqualify them: it is a few thousand yuan of livestock, not a venture.
  const auto model = models_test::build_model("baseline", {kScale});
  const auto& h = model->world().households;
  double eligible = 0;
  for (std::size_t i = 0; i < h.size(); ++i)
    if ((h.flags[i] & transition::kPovertyAlleviated) && h.livestock[i] <= 0) eligible += 1;
  const double uptake = models_test::load("baseline", {kScale}).real("credit.uptake");
  const double borrowers = models_test::run("baseline").total("borrowers", 2021);
  models_test::record("borrowers_2021", borrowers);
  models_test::record("pa_without_venture", eligible);
  EXPECT_GE(borrowers, 0.5 * uptake * eligible)
      << "only " << borrowers << " borrowers in December 2021 for " << eligible
      << " poverty-alleviated households without a venture (uptake " << uptake
      << "): the yearly industry-support grant makes their livestock positive before the credit check "
         "(household_rules.cpp), so they never qualify";
}

}  // namespace
