// The county flags change behaviour as in reality: access (railway,
// expressway) sets the cost and chance of migrant work and how much of the
// land quota investors take up; hazard-prone prefectures' disasters hit
// neighbours together; old revolutionary and ethnic-minority areas receive
// their transfers and these reach households; public-welfare posts go to
// weak workers first; households age at the provinces' rates.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/transition/rules.hpp"
#include "run_helper.hpp"

namespace {

using models_test::kScale;

// Sum of a county-level yearly value over the counties `pick` selects.
template <class Pick>
double county_sum(const models_test::RunData& d, const std::string& name, int year, Pick pick) {
  double s = 0;
  for (std::size_t c = 0; c < d.counties; ++c)
    if (pick(c)) s += d.county(name, year, c);
  return s;
}

TEST(Access, RaisesMigrantIncomeAndParkInvestment) {
  // Parks: the same world with the land-access penalties removed. Nothing
  // differs before land is serviced (2023); then each county's firms take up
  // exactly its access factor of what they take up in the open world.
  const std::vector<std::string> open_land = {kScale, "land.fill_no_expressway=1", "land.fill_no_railway=1",
                                              "land.fill_prefecture_weight=0"};
  const auto& base = models_test::run("baseline");
  const auto& opened_land = models_test::run("baseline", open_land);
  const auto model = models_test::build_model("baseline", {kScale});
  const auto sc = models_test::load("baseline", {kScale});
  const transition::Counties& k = model->world().counties;
  auto poor_access = [&](std::size_t c) { return k.no_expressway[c] || k.no_railway[c]; };
  auto full_access = [&](std::size_t c) { return !poor_access(c); };
  EXPECT_TRUE(opened_land.identical_through(base, 2021, 2022));
  for (std::size_t c = 0; c < k.size(); ++c) {
    const double factor = (k.no_expressway[c] ? sc.real("land.fill_no_expressway") : 1.0) *
                          (k.no_railway[c] ? sc.real("land.fill_no_railway") : 1.0) *
                          (1.0 - sc.real("land.fill_prefecture_weight") * (1.0 - k.prefecture_access[c]));
    EXPECT_NEAR(base.county("park_mu", 2023, c), factor * opened_land.county("park_mu", 2023, c),
                1e-9 * opened_land.county("park_mu", 2023, c))
        << "county " << c << ": firms should take up the access factor " << factor << " of the open county's land";
  }
  const double park_ratio =
      county_sum(base, "park_mu", 2025, poor_access) / county_sum(opened_land, "park_mu", 2025, poor_access);
  models_test::record("park_ratio_poor_access_2025", park_ratio);
  EXPECT_LT(park_ratio, 0.8) << "poor access should cut park investment";

  // Migrants: the same world with the migration penalties removed.
  const std::vector<std::string> open = {kScale, "labour.migrant_cost_no_expressway=0",
                                         "labour.migrant_chance_no_railway=1"};
  const auto& opened = models_test::run("baseline", open);
  // Migrant income in the counties with poor access relative to those with
  // full access: lower with the penalties (a 30 % higher migration cost and
  // a 5 % lower job chance move some workers home). The whole population's
  // 2020 income is calibrated to the same targets in both worlds, so levels
  // shift everywhere; the relative position is the access effect: expected
  // 2-20 % lower in 2021, before the quota's land works.
  const double poor = county_sum(base, "income_migrant", 2021, poor_access) /
                      county_sum(opened, "income_migrant", 2021, poor_access);
  const double full = county_sum(base, "income_migrant", 2021, full_access) /
                      county_sum(opened, "income_migrant", 2021, full_access);
  const double relative = poor / full;
  models_test::record("migrant_income_ratio_poor_access_2021", poor);
  models_test::record("migrant_income_ratio_full_access_2021", full);
  models_test::record("migrant_income_relative_2021", relative);
  EXPECT_LE(relative, 0.98) << "poor access should lower migrant income; relative ratio " << relative;
  EXPECT_GE(relative, 0.80) << "poor access lowers migrant income by at most 20 %; relative ratio " << relative;
}

TEST(Disasters, HazardPronePrefecturesHitNeighboursTogether) {
  // Plans 300 years of disasters for the generated counties (the yearly rule
  // only, on the world's own streams) and compares how often two counties of
  // one prefecture are hit in the same year with how often two counties of
  // different prefectures are.
  auto model = models_test::build_model("baseline", {kScale, "shocks.disaster_year=0"});
  transition::World& w = model->world();
  const transition::Counties& k = w.counties;
  const std::size_t n = k.size();
  constexpr int kYearsPlanned = 300;
  std::vector<std::vector<bool>> hit(kYearsPlanned, std::vector<bool>(n));
  double hazard_hits = 0, other_hits = 0, hazard_n = 0, other_n = 0;
  for (int y = 0; y < kYearsPlanned; ++y) {
    const sim::StepInfo s = sim::step_info(static_cast<std::uint32_t>(12 * y), 12 * kYearsPlanned, 2021);
    transition::plan_prefecture_disasters(w.prefecture_disaster_month, k, w.params, w.id, s);
    for (std::size_t c = 0; c < n; ++c) {
      w.plan_county_year(c, s);
      hit[static_cast<std::size_t>(y)][c] = k.disaster_month[c] != 0;
      (k.hazard_prone[c] ? hazard_hits : other_hits) += hit[static_cast<std::size_t>(y)][c];
      (k.hazard_prone[c] ? hazard_n : other_n) += 1;
    }
  }
  const double hazard_rate = hazard_hits / hazard_n, other_rate = other_hits / other_n;
  models_test::record("hazard_rate", hazard_rate);
  models_test::record("other_rate", other_rate);
  // Documented frequencies: about 0.10 a year in hazard-prone counties
  // (0.12 x 0.5 + 0.045), about 0.03 elsewhere (0.05 x 0.4 + 0.01).
  EXPECT_NEAR(hazard_rate, 0.105, 0.02);
  EXPECT_NEAR(other_rate, 0.03, 0.01);

  // Among pairs of hazard-prone counties: chance both are hit in a year.
  double same = 0, same_n = 0, apart = 0, apart_n = 0;
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = a + 1; b < n; ++b) {
      if (!k.hazard_prone[a] || !k.hazard_prone[b]) continue;
      const bool together = k.prefecture_index[a] == k.prefecture_index[b];
      for (int y = 0; y < kYearsPlanned; ++y) {
        const bool both = hit[static_cast<std::size_t>(y)][a] && hit[static_cast<std::size_t>(y)][b];
        (together ? same : apart) += both;
        (together ? same_n : apart_n) += 1;
      }
    }
  ASSERT_GT(same_n, 0) << "some prefectures hold several hazard-prone counties";
  const double p_same = same / same_n, p_apart = apart / apart_n;
  models_test::record("both_hit_same_prefecture", p_same);
  models_test::record("both_hit_different_prefectures", p_apart);
  // Independent counties: about 0.105^2 = 0.011; neighbours share the
  // prefecture's event (0.12 x 0.5^2 = 0.03 from it alone): expected at least
  // twice as often.
  EXPECT_GT(p_same, 2.0 * p_apart) << "neighbours should be hit together: " << p_same << " vs " << p_apart;
  EXPECT_NEAR(p_apart, hazard_rate * hazard_rate, 0.006) << "counties of different prefectures are independent";
}

TEST(BaseAreaTransfers, ReachTheCountyBudgetAndHouseholds) {
  const std::vector<std::string> none = {kScale, "funds.old_revolutionary_per_county=[0,0,0,0,0]",
                                         "funds.ethnic_per_county=[0,0,0,0,0]"};
  const auto& base = models_test::run("baseline");
  const auto& without = models_test::run("baseline", none);
  const auto model = models_test::build_model("baseline", {kScale});
  const auto sc = models_test::load("baseline", {kScale});
  const transition::Counties& k = model->world().counties;
  const double scale = sc.real("population.scale");
  const double old_rev = sc.reals("funds.old_revolutionary_per_county")[0] * scale;
  const double ethnic = sc.reals("funds.ethnic_per_county")[0] * scale;

  // 2021: each county's programme receives its transfers, exactly; by the
  // ledger (tests/models/ledger_test.cpp) every yuan of it is paid out or
  // carried over.
  for (std::size_t c = 0; c < k.size(); ++c) {
    EXPECT_NEAR(base.county("fund_old_revolutionary", 2021, c), k.old_revolutionary[c] ? old_rev : 0.0, 1e-6 * old_rev);
    EXPECT_NEAR(base.county("fund_ethnic", 2021, c), k.ethnic_area[c] ? ethnic : 0.0, 1e-6 * ethnic);
    EXPECT_EQ(without.county("fund_old_revolutionary", 2021, c) + without.county("fund_ethnic", 2021, c), 0.0);
  }
  // Households: income per poverty-alleviated person in the base-area
  // counties rises (industry grants, posts, local jobs); expected 0.3-10 %
  // by 2025, more than in counties without either flag.
  auto flagged = [&](std::size_t c) { return k.old_revolutionary[c] != 0; };
  auto plain = [&](std::size_t c) { return !k.old_revolutionary[c] && !k.ethnic_area[c]; };
  auto pa_income = [&](const models_test::RunData& d, auto pick) {
    return county_sum(d, "income_pa", 2025, pick) / county_sum(d, "pa_people", 2025, pick);
  };
  const double gain = pa_income(base, flagged) / pa_income(without, flagged) - 1.0;
  const double gain_plain = pa_income(base, plain) / pa_income(without, plain) - 1.0;
  models_test::record("pa_income_gain_old_revolutionary_2025", gain);
  models_test::record("pa_income_gain_unflagged_2025", gain_plain);
  EXPECT_GE(gain, 0.003) << "base-area transfers should raise poverty-alleviated income; gain " << gain;
  EXPECT_LE(gain, 0.10) << "gain " << gain << " expected at most 10 %";
  EXPECT_GT(gain, gain_plain + 0.002) << "the gain should be the base areas', not everyone's";
}

TEST(PublicWelfarePosts, GoToWeakWorkersFirst) {
  const auto& base = models_test::run("baseline");
  const auto& alike = models_test::run("baseline", {kScale, "labour.posts_weak_first=false"});
  // Weak workers' share of the posts, December 2022: served first they hold
  // more of them than when every applicant has the same chance (expected
  // 5-40 points more; the posts are rationed, so a weak worker served first
  // takes a post another applicant would have had).
  const double weak_first = base.total("weak_workers_post", 2022) / base.total("workers_post", 2022);
  const double weak_alike = alike.total("weak_workers_post", 2022) / alike.total("workers_post", 2022);
  models_test::record("weak_share_of_posts_weak_first", weak_first);
  models_test::record("weak_share_of_posts_alike", weak_alike);
  EXPECT_GE(weak_first - weak_alike, 0.05) << "weak first " << weak_first << ", alike " << weak_alike;
  EXPECT_LE(weak_first - weak_alike, 0.40) << "weak first " << weak_first << ", alike " << weak_alike;
  EXPECT_NEAR(base.total("workers_post", 2022), alike.total("workers_post", 2022),
              0.05 * alike.total("workers_post", 2022))
      << "the rule shares out the posts; it does not add any";
}

TEST(Demography, BirthsAndDeathsFollowTheProvincesRates) {
  const auto& base = models_test::run("baseline");
  const auto model = models_test::build_model("baseline", {kScale});
  const auto sc = models_test::load("baseline", {kScale});
  const transition::World& w = model->world();
  // Expected per year: each county's people times its province's rate.
  double births = 0, deaths = 0;
  for (std::size_t c = 0; c < w.counties.size(); ++c) {
    const std::string province = transition::kProvinceKeys[w.counties.province_index[c]];
    const double people = base.county("people", 2021, c);
    births += people * sc.real("demography.birth_rate." + province);
    deaths += people * sc.real("demography.death_rate." + province);
  }
  const double b = base.total_sum("births", 2021, 2025) / 5.0, d = base.total_sum("deaths", 2021, 2025) / 5.0;
  models_test::record("births_per_year", b);
  models_test::record("births_expected", births);
  models_test::record("deaths_per_year", d);
  models_test::record("deaths_expected", deaths);
  EXPECT_NEAR(b / births, 1.0, 0.08) << "births per year " << b << " vs " << births;
  // One-person households are kept (no deaths there): a few percent fewer.
  EXPECT_GE(d / deaths, 0.85) << "deaths per year " << d << " vs " << deaths;
  EXPECT_LE(d / deaths, 1.05) << "deaths per year " << d << " vs " << deaths;
  // The population changes by births less deaths, and nothing else.
  EXPECT_NEAR(base.total("people", 2025) - base.total("people", 2021),
              base.total_sum("births", 2022, 2025) - base.total_sum("deaths", 2022, 2025), 0.5);
}

}  // namespace
