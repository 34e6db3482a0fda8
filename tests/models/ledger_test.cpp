// Every yuan accounted for: for every shipped scenario, every county and
// every month, the county's funds less its payments equal the change of the
// programme's balance; every payment to households is what households
// received; the programme never pays more than it holds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "run_helper.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<std::string> shipped_scenarios() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(fs::path(RURALSIM_SOURCE_DIR) / "scenarios"))
    if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

class Ledger : public ::testing::TestWithParam<std::string> {};

TEST_P(Ledger, FundsLessPaymentsAreTheChangeOfTheBalanceEveryMonthInEveryCounty) {
  const auto& run = models_test::run(GetParam(), {"population.scale=0.005"});
  const sim::LevelSeries& s = run.county_series;
  std::vector<std::size_t> funds, spends;
  for (std::size_t j = 0; j < s.names().size(); ++j) {
    const std::string& n = s.names()[j];
    if (n.rfind("fund_", 0) == 0) funds.push_back(j);
    if (n.rfind("spend_", 0) == 0 && n != "spend_total") spends.push_back(j);
  }
  ASSERT_GE(funds.size(), 14u);
  ASSERT_GE(spends.size(), 13u);
  const auto col = [&](const char* name) {
    const std::size_t j = s.find(name);
    EXPECT_NE(j, std::string::npos) << name;
    return j;
  };
  const std::size_t balance = col("balance"), total = col("spend_total");
  const std::size_t col_social = col("fund_social_assistance"), col_employment = col("fund_employment"),
                    col_credit = col("fund_credit"), col_land = col("fund_land");
  double worst = 0;
  // Payments to households and what households received, pair by pair.
  const std::vector<std::pair<std::size_t, std::size_t>> received = {
      {col("spend_dibao"), col("income_dibao")},         {col("spend_packages"), col("income_package")},
      {col("spend_posts"), col("income_post")},          {col("spend_rangers"), col("income_ranger")},
      {col("spend_medical"), col("medical_assistance")}, {col("spend_interest"), col("interest_subsidy")},
      {col("spend_loan_losses"), col("defaulted_debt")}};
  ASSERT_EQ(s.steps(), 60u);
  std::size_t checked = 0;
  for (std::size_t c = 0; c < s.groups(); ++c) {
    double before = 0, receipts = 0;
    for (std::size_t t = 0; t < s.steps(); ++t) {
      double in = 0, out = 0;
      for (auto j : funds) in += s.at(j, t, c);
      for (auto j : spends) out += s.at(j, t, c);
      const double after = s.at(balance, t, c);
      ASSERT_NEAR(after - before, in - out, 1e-9 * std::max(1.0, in + out))
          << GetParam() << ": county " << c << ", step " << t << ": funds " << in << ", payments " << out;
      ASSERT_NEAR(s.at(total, t, c), out, 1e-9 * std::max(1.0, out));
      // Places are rationed by chance, so a year can overrun a little: the
      // county advances it and the next year's programme repays it. The
      // overrun stays small (expected under 5 % of the year's receipts even
      // in the small counties of this scale; measured below).
      if (t % 12 == 0) receipts = in - s.at(col_social, t, c) - s.at(col_employment, t, c) - s.at(col_credit, t, c) -
                                  s.at(col_land, t, c);
      worst = std::min(worst, after / std::max(1.0, receipts));
      ASSERT_GE(after, -0.05 * receipts) << "the programme overran its year by more than 5 %";
      for (const auto& [paid, got] : received)
        ASSERT_NEAR(s.at(paid, t, c), s.at(got, t, c), 1e-9 * std::max(1.0, s.at(got, t, c)))
            << s.names()[paid] << " vs " << s.names()[got];
      before = after;
      ++checked;
    }
  }
  EXPECT_EQ(checked, s.groups() * 60);
  models_test::record("worst_overrun_share_of_receipts", std::max(0.0, -worst));
}

INSTANTIATE_TEST_SUITE_P(Scenarios, Ledger, ::testing::ValuesIn(shipped_scenarios()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
