// The county accounts (docs/ODD.md 7.1): every yuan paid out is recorded
// where it reaches its recipient (a household, a village, a firm, a
// contractor) and charged to a source. The county programme receives its
// funds in January and pays through the year; what it has not paid carries
// over to the next year's programme. Entitlements (dibao, medical
// assistance, forest rangers and the posts outside the programme, credit
// subsidies and losses, land costs) are paid by their sectoral sources as
// claimed. So every month, for every county:
//   balance - balance last month = sum of fund_ - sum of spend_.
#include <algorithm>

#include "models/transition/rules.hpp"

namespace transition {

void settle_county_accounts(CountyRow k, CountyValues& out, std::span<const VillageTally> tallies, const Params& p,
                            const sim::StepInfo& s) {
  out.fill(0.0);  // the land, market and inequality values are set when the step is recorded
  VillageSums paid{};
  for (const VillageTally& t : tallies)
    for (std::size_t j = 0; j < ind::kHouseholdSums; ++j) paid[j] += t.sums[j];

  // January: the programme's receipts, and what is paid at once.
  double receipts = 0, programme_paid = 0;
  if (s.year_start()) {
    out[ind::fund_linkage] = k.fund_linkage;
    out[ind::fund_integrated] = k.fund_integrated;
    out[ind::fund_earmarked] = k.fund_earmarked;
    out[ind::fund_own] = k.fund_own;
    out[ind::fund_park_revenue] = k.fund_park_revenue;
    out[ind::fund_east_west] = k.fund_east_west;
    out[ind::fund_paired] = k.fund_paired;
    out[ind::fund_quota_sales] = k.fund_quota_sales;
    out[ind::fund_old_revolutionary] = k.fund_old_revolutionary;
    out[ind::fund_ethnic] = k.fund_ethnic;
    for (auto f : {ind::fund_linkage, ind::fund_integrated, ind::fund_earmarked, ind::fund_own, ind::fund_park_revenue,
                   ind::fund_east_west, ind::fund_paired, ind::fund_quota_sales, ind::fund_old_revolutionary,
                   ind::fund_ethnic})
      receipts += out[f];
    // Industry: the collective projects (shared among the county's villages
    // in full), the support paid to households, the enterprises' share.
    const double collective = k.budget_industry * p.collective.asset_share;
    const double household = k.budget_industry * p.collective.household_share;
    const double enterprise = std::max(0.0, k.budget_industry - collective - household);
    out[ind::spend_industry] = collective + paid[ind::industry_grants] + enterprise;
    out[ind::spend_relocation] = k.budget_relocation;
    out[ind::spend_training] = paid[ind::trained_households] * p.spending.training_cost;
    // Land: compensation to the households whose farmland was taken,
    // servicing of the new park land, reclamation behind the quota sold.
    out[ind::spend_land] = paid[ind::land_compensation] + k.land_converted_mu * p.land.servicing_per_mu +
                           p.funds.surplus_quota_mu * p.population.scale * p.funds.surplus_quota_cost;
    out[ind::fund_land] = out[ind::spend_land];
    programme_paid += out[ind::spend_industry] + out[ind::spend_relocation] + out[ind::spend_training];
  }

  // Every month: the programme's running items.
  out[ind::spend_infrastructure] = k.budget_infrastructure / 12.0;
  out[ind::spend_administration] = k.budget_administration / 12.0;
  out[ind::spend_packages] = paid[ind::income_package];
  // Packages: the rest of the year's budget over the monitored households
  // and the months left sets next month's package (never more than whole).
  k.assistance_left -= out[ind::spend_packages];
  const double months_left = 12 - s.month;
  const double need = paid[ind::monitored_households] * p.monitoring.package_monthly * months_left;
  if (months_left > 0 && k.package_scale > 0)
    k.package_scale = static_cast<float>(need > 0 ? std::clamp(k.assistance_left / need, 0.0, 1.0) : 1.0);
  // Post wages: the sectoral employment funds pay their posts' share of
  // them, the programme the share of the posts it funds.
  const double post_wages = paid[ind::income_post];
  const double capacity = k.capacity[kPostMarket];
  const double sectoral_posts = capacity > 0 ? post_wages * std::min(1.0, k.base_posts / capacity) : post_wages;
  out[ind::spend_posts] = post_wages;
  programme_paid += out[ind::spend_infrastructure] + out[ind::spend_administration] + out[ind::spend_packages] +
                    (post_wages - sectoral_posts);

  // Entitlements, paid by their sources as claimed.
  out[ind::spend_rangers] = paid[ind::income_ranger];
  out[ind::fund_employment] = sectoral_posts + out[ind::spend_rangers];
  out[ind::spend_dibao] = paid[ind::income_dibao];
  out[ind::spend_medical] = paid[ind::medical_assistance];
  out[ind::fund_social_assistance] = out[ind::spend_dibao] + out[ind::spend_medical];
  out[ind::spend_interest] = paid[ind::interest_subsidy];
  out[ind::spend_loan_losses] = paid[ind::defaulted_debt];
  out[ind::fund_credit] = out[ind::spend_interest] + out[ind::spend_loan_losses];

  for (auto u : {ind::spend_industry, ind::spend_infrastructure, ind::spend_posts, ind::spend_rangers, ind::spend_training,
                 ind::spend_relocation, ind::spend_packages, ind::spend_administration, ind::spend_dibao,
                 ind::spend_medical, ind::spend_interest, ind::spend_loan_losses, ind::spend_land})
    out[ind::spend_total] += out[u];
  out[ind::net_public_cost] = out[ind::spend_total] - out[ind::fund_quota_sales] - out[ind::fund_park_revenue];
  k.balance += receipts - programme_paid;
  out[ind::balance] = k.balance;
}

}  // namespace transition
