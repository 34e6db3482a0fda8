// Village collectives: funded projects, collective income, dividends, workshops.
#include "models/transition/purposes.hpp"
#include "models/transition/rules.hpp"
#include "sim/rng/distributions.hpp"

namespace transition {

void plan_village_year(World& w, std::size_t v, const sim::StepInfo& s) {
  const Params& p = w.params;
  Villages& vil = w.villages;
  const Counties& k = w.counties;
  const std::size_t c = vil.county[v];
  const double hh = static_cast<double>(w.households_of(v).size());
  const double county_hh = static_cast<double>(w.county_households(c));
  if (hh <= 0 || county_hh <= 0) return;

  // Industry money becomes collective projects in proportion to households,
  // weighted towards villages growing the county's leading product ("one
  // county, one industry"), which concentrates supply in a few products;
  // relocation follow-up money goes to the large sites of the county.
  auto industry_weight = [&](std::size_t j) {
    return static_cast<double>(w.households_of(j).size()) *
           (vil.product[j] == k.product[c] ? p.collective.leading_product_weight : 1.0);
  };
  double county_weight = 0;
  {
    const sim::Range vs = w.villages_of(c);
    for (std::size_t j = vs.begin; j < vs.end; ++j) county_weight += industry_weight(j);
  }
  double invest = k.spend_industry[c] * p.collective.asset_share * industry_weight(v) / county_weight;
  if (vil.is_site[v]) {
    double site_hh = 0;
    const sim::Range vs = w.villages_of(c);
    for (std::size_t j = vs.begin; j < vs.end; ++j)
      if (vil.is_site[j]) site_hh += static_cast<double>(w.households_of(j).size());
    invest += k.spend_relocation[c] * hh / site_hh;
  } else {
    bool county_has_site = false;
    const sim::Range vs = w.villages_of(c);
    for (std::size_t j = vs.begin; j < vs.end; ++j) county_has_site |= vil.is_site[j] != 0;
    // Without a large site, relocation money serves relocated households'
    // villages, spread like industry money.
    if (!county_has_site) invest += k.spend_relocation[c] * hh / county_hh;
  }
  // This year's income comes from assets built before; new projects earn
  // from next year, unless they fail.
  vil.income_last_year[v] = vil.income_year[v];
  vil.income_year[v] = vil.base_income[v] + vil.assets[v] * p.collective.project_return +
                       (vil.has_pv[v] ? p.collective.pv_income : 0.0);
  auto st = stream(w.id, static_cast<std::uint32_t>(v), s.step, Purpose::project_failure);
  const bool failed = sim::rng::bernoulli(st, p.collective.project_failure);
  if (!failed) {
    vil.assets[v] += invest;
    vil.workshop_jobs[v] += static_cast<std::uint32_t>(invest / 1e6 * p.collective.workshop_jobs_per_million + st.uniform());
  }
  vil.dividend_month[v] = p.collective.dividend_share * vil.income_year[v] * w.calibration.property / hh / 12.0;
}

}  // namespace transition
