// The yearly aggregator on series written by hand: each rule, formulas of
// sums and last values, growth, members, partial years and the whole run.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/model/yearly.hpp"

namespace sim {
namespace {

ModelDescription small_model() {
  ModelDescription d;
  d.name = "small";
  using Y = Yearly;
  d.indicators = {
      {.name = "people", .unit = "persons", .yearly = Y::last, .set_at = "all"},
      {.name = "income", .unit = "yuan/month", .yearly = Y::sum, .set_at = "all"},
      {.name = "price", .unit = "1", .yearly = Y::mean, .set_at = "all"},
      {.name = "per_capita", .unit = "yuan/person/year", .yearly = Y::derived, .formula = "12 * (sum(income) / sum(people))"},
      {.name = "income_growth", .unit = "1/year", .yearly = Y::derived, .formula = "growth(per_capita)", .recorded = false},
      {.name = "spread", .unit = "1", .yearly = Y::derived, .formula = "members_gini(last(income), last(people))",
       .recorded = false},
      {.name = "average", .unit = "yuan/month", .yearly = Y::derived, .formula = "members_mean(last(income), last(people))",
       .recorded = false}};
  return d;
}

// 30 months from January: people 10 + step, income 100 * (1 + step / 12 rounded down), price 1 + step/100.
LevelSeries whole_series() {
  LevelSeries s;
  std::vector<double> people, income, price;
  std::vector<int> years, months;
  for (int t = 0; t < 30; ++t) {
    people.push_back(10.0 + t);
    income.push_back(100.0 * (1 + t / 12));
    price.push_back(1.0 + t / 100.0);
    years.push_back(2000 + t / 12);
    months.push_back(t % 12 + 1);
  }
  s.set_column("people", people);
  s.set_column("income", income);
  s.set_column("price", price);
  s.set_calendar(years, months);
  return s;
}

TEST(Yearly, WindowsAreCalendarYearsAndPartialYearsAreMarked) {
  const LevelSeries s = whole_series();
  const auto years = s.years();
  ASSERT_EQ(years.size(), 3u);
  EXPECT_EQ(years[0].year, 2000);
  EXPECT_TRUE(years[0].full);
  EXPECT_EQ(years[2].begin, 24u);
  EXPECT_EQ(years[2].end, 30u);
  EXPECT_FALSE(years[2].full);
  EXPECT_EQ(s.whole().end, 30u);
}

TEST(Yearly, EachRuleReadsTheMonthsAsDeclared) {
  const ModelDescription d = small_model();
  const LevelSeries s = whole_series();
  const YearlyAggregator a(d, s);
  const auto years = s.years();
  EXPECT_EQ(a.value("income", 0, years[1]), 12 * 200.0);  // sum
  EXPECT_EQ(a.value("people", 0, years[1]), 33.0);        // last month
  double price = 0;
  for (int t = 12; t < 24; ++t) price += 1.0 + t / 100.0;
  EXPECT_EQ(a.value("price", 0, years[1]), price / 12);   // mean
  double people = 0;
  for (int t = 12; t < 24; ++t) people += 10.0 + t;
  // Derived: recomputed from the year's sums, never an average of months.
  EXPECT_EQ(a.value("per_capita", 0, years[1]), 12 * (2400.0 / people));
  EXPECT_EQ(a.value("income", 0, s.whole()), 1200.0 + 2400.0 + 6 * 300.0);
  EXPECT_EQ(a.value("people", 0, years[2]), 39.0);  // the partial year's last month
}

TEST(Yearly, GrowthComparesWithTheYearBeforeAndAnnualisesTheWholeRun) {
  const ModelDescription d = small_model();
  const LevelSeries s = whole_series();
  const YearlyAggregator a(d, s);
  const auto years = s.years();
  const double pc0 = a.value("per_capita", 0, years[0]), pc1 = a.value("per_capita", 0, years[1]);
  EXPECT_TRUE(std::isnan(a.value("income_growth", 0, years[0])));  // no year before
  EXPECT_NEAR(a.value("income_growth", 0, years[1]), pc1 / pc0 - 1, 1e-15);
  // Two full years: the whole run's growth is the one step between them.
  EXPECT_NEAR(a.value("income_growth", 0, s.whole()), pc1 / pc0 - 1, 1e-12);
}

TEST(Yearly, MembersFunctionsUseTheFinerLevel) {
  const ModelDescription d = small_model();
  LevelSeries whole = whole_series();
  LevelSeries members;
  // Three members, one month: incomes 1, 2, 3 with weights 1, 1, 2.
  members.set_column("income", {1, 2, 3});
  members.set_column("people", {1, 1, 2});
  members.set_calendar({2000}, {1});
  LevelSeries one;
  one.set_column("income", {6});
  one.set_column("people", {4});
  one.set_calendar({2000}, {1});
  const YearlyAggregator a(d, one, &members);
  const Window w = one.whole();
  EXPECT_DOUBLE_EQ(a.value("average", 0, w), (1 + 2 + 2 * 3) / 4.0);
  // Weighted Gini of (1, 2, 3, 3): mean 2.25, sum over pairs |xi - xj| / (2 n^2 mean).
  const double x[] = {1, 2, 3, 3};
  double pairs = 0;
  for (double xi : x)
    for (double xj : x) pairs += std::fabs(xi - xj);
  EXPECT_NEAR(a.value("spread", 0, w), pairs / (2 * 16 * 2.25), 1e-15);
  const YearlyAggregator without(d, one);
  EXPECT_TRUE(std::isnan(without.value("spread", 0, w)));
  (void)whole;
}

}  // namespace
}  // namespace sim
