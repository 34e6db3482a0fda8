// Village collectives: funded projects, collective income, dividends, workshops.
#include "models/transition/purposes.hpp"
#include "models/transition/rules.hpp"
#include "sim/rng/distributions.hpp"

namespace transition {

void plan_village_year(VillageRow village, const CountyVillages& county_villages, ConstCountyRow county, const Params& p,
                       const Calibration& cal, const sim::RunIdentity& id, const sim::StepInfo& s) {
  const Villages& vil = county_villages.villages;
  const sim::Range vs = county_villages.range;
  const double hh = static_cast<double>(county_villages.households(village.index));
  double county_hh = 0;
  for (std::size_t j = vs.begin; j < vs.end; ++j) county_hh += static_cast<double>(county_villages.households(j));
  if (hh <= 0 || county_hh <= 0) return;

  // Industry money becomes collective projects in proportion to households,
  // weighted towards villages growing the county's leading product ("one
  // county, one industry"), which concentrates supply in a few products;
  // relocation follow-up money goes to the large sites of the county.
  auto industry_weight = [&](std::size_t j) {
    return static_cast<double>(county_villages.households(j)) *
           (vil.product[j] == county.product ? p.collective.leading_product_weight : 1.0);
  };
  double county_weight = 0;
  for (std::size_t j = vs.begin; j < vs.end; ++j) county_weight += industry_weight(j);
  double invest = county.budget_industry * p.collective.asset_share * industry_weight(village.index) / county_weight;
  if (village.is_site) {
    double site_hh = 0;
    for (std::size_t j = vs.begin; j < vs.end; ++j)
      if (vil.is_site[j]) site_hh += static_cast<double>(county_villages.households(j));
    invest += county.budget_relocation * hh / site_hh;
  } else {
    bool county_has_site = false;
    for (std::size_t j = vs.begin; j < vs.end; ++j) county_has_site |= vil.is_site[j] != 0;
    // Without a large site, relocation money serves relocated households'
    // villages, spread like industry money.
    if (!county_has_site) invest += county.budget_relocation * hh / county_hh;
  }
  // This year's income comes from assets built before; new projects earn
  // from next year, unless they fail.
  village.income_last_year = village.income_year;
  village.income_year = village.base_income + village.assets * p.collective.project_return +
                        (village.has_pv ? p.collective.pv_income : 0.0);
  // Existing assets can fail too (a cooperative folds, a market is lost).
  auto sa = stream(id, static_cast<std::uint32_t>(village.index), s.step, Purpose::asset_failure);
  if (sim::rng::bernoulli(sa, p.collective.asset_failure)) village.assets *= 1.0 - p.collective.asset_failure_loss;
  auto st = stream(id, static_cast<std::uint32_t>(village.index), s.step, Purpose::project_failure);
  const bool failed = sim::rng::bernoulli(st, p.collective.project_failure);
  if (!failed) {
    village.assets += invest;
    village.workshop_jobs += static_cast<std::uint32_t>(invest / 1e6 * p.collective.workshop_jobs_per_million + st.uniform());
  }
  village.dividend_month = p.collective.dividend_share * village.income_year * cal.property / hh / 12.0;
}

}  // namespace transition
