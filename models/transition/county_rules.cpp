// County and national rules: funds, spending, land quota, markets, prices.
#include <cmath>

#include "models/transition/purposes.hpp"
#include "models/transition/rules.hpp"
#include "sim/core/math.hpp"
#include "sim/numeric/leontief.hpp"
#include "sim/rng/distributions.hpp"

namespace transition {

namespace {

// A county's receipts of the year (docs/ODD.md 7.1).
struct Receipts {
  double linkage = 0, integrated = 0, earmarked = 0, own = 0, park_revenue = 0, east_west = 0, paired = 0,
         quota_sales = 0, old_revolutionary = 0, ethnic = 0;
  // What joins the flexible programme (earmarked funds keep their uses).
  double flexible() const {
    return linkage + integrated + own + park_revenue + east_west + paired + quota_sales + old_revolutionary + ethnic;
  }
};

Receipts county_receipts(const Params& p, const CountyRow& k, const CountyContext& ctx, int year) {
  const int yi = std::clamp(year - kFirstYear, 0, kYears - 1);
  const double scale = p.population.scale;
  const double hh = static_cast<double>(ctx.households);
  // Linkage funds split by the allocation rule; the weights use last
  // month's counts of each county.
  double weight = 1.0 / static_cast<double>(ctx.county_last.size());
  if (p.funds.allocation != "equal") {
    double mine = 0, all = 0;
    for (std::size_t j = 0; j < ctx.county_last.size(); ++j) {
      const VillageSums& sj = ctx.county_last[j];
      const double x = p.funds.allocation == "households" ? sj[ind::households] : sj[ind::pa_people] + sj[ind::monitored_people];
      all += x;
      if (j == k.index) mine = x;
    }
    weight = all > 0 ? mine / all : weight;
  }
  Receipts r;
  // Agriculture-related funds keep coming after integration ends; most of
  // them then return to their sectoral earmarks.
  const double agriculture = p.funds.integrated_per_household * hh;
  r.linkage = p.funds.linkage_national[static_cast<std::size_t>(yi)] * p.funds.key_county_share * scale * weight;
  r.integrated = agriculture * (year <= p.funds.integration_end_year ? 1.0 : p.funds.integration_after_share);
  r.earmarked = agriculture - r.integrated;
  r.own = p.funds.own_revenue_per_household * hh * p.funds.own_revenue_rural_share;
  r.park_revenue = k.park_mu * p.land.revenue_per_mu;
  r.east_west = p.funds.east_west_per_county * scale;
  r.paired = p.funds.paired_per_county * scale;
  r.quota_sales = p.funds.surplus_quota_mu * p.funds.surplus_quota_price * scale;
  r.old_revolutionary = k.old_revolutionary ? p.funds.old_revolutionary_per_county[static_cast<std::size_t>(yi)] * scale : 0.0;
  r.ethnic = k.ethnic_area ? p.funds.ethnic_per_county[static_cast<std::size_t>(yi)] * scale : 0.0;
  return r;
}

// The programme's budgets: industry at least the legal minimum, the rest in
// the scenario's proportions; without direct assistance, posts and
// assistance money goes to infrastructure; earmarked funds go to their own
// items.
struct Budgets {
  double industry = 0, infrastructure = 0, posts = 0, training = 0, relocation = 0, assistance = 0, administration = 0;
};

Budgets county_budgets(const Params& p, double programme, double earmarked, int year) {
  const int yi = std::clamp(year - kFirstYear, 0, kYears - 1);
  const Params::Spending& sp = p.spending;
  const double industry = std::max(sp.industry, p.funds.industry_share_min[static_cast<std::size_t>(yi)]);
  double infra = sp.infrastructure, posts_share = sp.posts, assist = sp.assistance;
  if (year > p.assistance.direct_end_year) {
    infra += posts_share + assist;
    posts_share = assist = 0;
  }
  const double others = infra + posts_share + sp.training + sp.relocation + assist + sp.administration;
  const double rest = others > 0 ? (1.0 - industry) / others : 0.0;
  const double earmarked_infrastructure = earmarked * p.funds.earmark_infrastructure_share;
  Budgets b;
  b.industry = programme * (others > 0 ? industry : 1.0) + (earmarked - earmarked_infrastructure);
  b.infrastructure = programme * infra * rest + earmarked_infrastructure;
  b.posts = programme * posts_share * rest;
  b.training = programme * sp.training * rest;
  b.relocation = programme * sp.relocation * rest;
  b.assistance = programme * assist * rest;
  b.administration = programme * sp.administration * rest;
  return b;
}

// Public spending by sector of the county economy: industry money to
// agriculture (collective projects, household support) and industry
// (enterprises); infrastructure, relocation follow-up and land servicing to
// construction; training and administration to services.
std::array<double, kSectors> sector_injection(const Params& p, const Budgets& b, double converted_mu) {
  const double enterprise_share = std::max(0.0, 1.0 - p.collective.asset_share - p.collective.household_share);
  std::array<double, kSectors> out{};
  out[kAgriculture] = b.industry * (1.0 - enterprise_share);
  out[kIndustry] = b.industry * enterprise_share;
  out[kConstruction] = b.infrastructure + b.relocation + converted_mu * p.land.servicing_per_mu;
  out[kServices] = b.training + b.administration;
  return out;
}

}  // namespace

void plan_national_year(Products& products, const Villages& villages, const sim::Hierarchy& hierarchy, const Params& p,
                        const sim::RunIdentity& id, const sim::StepInfo& s) {
  // Supply of each product: villages growing it, weighted by households and
  // by collective assets built up from industry projects. Prices fall as a
  // product's share rises above its 2020 share (homogeneous industry).
  std::vector<double> supply(kProducts, 0.0);
  double total = 0;
  for (std::size_t v = 0; v < villages.size(); ++v) {
    const double hh = static_cast<double>(hierarchy.children(1, v).size());
    const double weight = hh * (1.0 + villages.assets[v] / (hh * p.farming.supply_asset_scale + 1.0));
    supply[villages.product[v]] += weight;
    total += weight;
  }
  const bool first_year = s.step < 12;
  for (int k = 0; k < kProducts; ++k) {
    const auto ku = static_cast<std::size_t>(k);
    products.share[ku] = total > 0 ? supply[ku] / total : 0.0;
    if (first_year) products.share_2020[ku] = products.share[ku];
    auto st = stream(id, static_cast<std::uint32_t>(k), s.step, Purpose::price);
    const double sd = p.farming.price_sd;
    const double noise = sim::math::exp(sd * sim::rng::normal(st) - 0.5 * sd * sd);
    const double crowding = 1.0 - p.farming.homogeneity_elasticity * (products.share[ku] - products.share_2020[ku]);
    products.price[ku] = noise * std::clamp(crowding, p.farming.price_floor, p.farming.price_ceiling);
  }
}

void plan_prefecture_disasters(std::span<std::uint8_t> months, const Counties& counties, const Params& p,
                               const sim::RunIdentity& id, const sim::StepInfo& s) {
  std::vector<bool> hazard(months.size(), false);
  for (std::size_t c = 0; c < counties.size(); ++c)
    if (counties.hazard_prone[c]) hazard[counties.prefecture_index[c]] = true;
  for (std::size_t f = 0; f < months.size(); ++f) {
    auto st = stream(id, static_cast<std::uint32_t>(f), s.step, Purpose::prefecture_disaster);
    const double chance = hazard[f] ? p.shocks.prefecture_disaster_hazard : p.shocks.prefecture_disaster_other;
    const bool strikes = sim::rng::bernoulli(st, chance);
    const auto month = static_cast<std::uint8_t>(1 + st.next_u32() % 12);
    months[f] = strikes ? month : 0;
  }
}

void plan_county_year(CountyRow k, const CountyContext& ctx, const sim::StepInfo& s) {
  const Params& p = ctx.params;
  const int yi = std::clamp(s.year - kFirstYear, 0, kYears - 1);
  const double scale = p.population.scale;
  const double hh = static_cast<double>(ctx.households);
  const bool direct = s.year <= p.assistance.direct_end_year;
  const VillageSums& last = ctx.county_last[k.index];

  // Land quota: the county turns its share of this year's quota into park
  // land (the farmland is taken and compensated, the land serviced); it is
  // ready after the lag. Firms take up a share of the vacant serviced land
  // each year: less where trucks and trains do not reach, in a prefecture
  // without expressways, or where local labour is scarce; parks fill over
  // years or stay empty. Jobs are filled at the next January labour round.
  const Params::Land& la = p.land;
  const double converted = std::min(la.quota_mu * la.use_rate * scale, k.farmland_mu);
  k.quota_used[static_cast<std::size_t>(yi)] = converted;
  k.land_converted_mu = converted;
  k.farmland_mu -= converted;
  double serviced = 0;
  for (int y = 0; y <= yi; ++y)
    if (12 * (yi - y) >= la.lag_months) serviced += k.quota_used[static_cast<std::size_t>(y)];
  k.serviced_mu = serviced;
  const double labour = k.capacity[kLocalMarket] > 0 ? std::min(1.0, k.local_applicants / k.capacity[kLocalMarket]) : 1.0;
  const double fill = std::clamp(la.fill_rate * (k.no_expressway ? la.fill_no_expressway : 1.0) *
                                     (k.no_railway ? la.fill_no_railway : 1.0) *
                                     (1.0 - la.fill_prefecture_weight * (1.0 - k.prefecture_access)) * labour,
                                 0.0, 1.0);
  k.park_mu = std::min(serviced, k.park_mu + fill * std::max(0.0, serviced - k.park_mu));

  const Receipts r = county_receipts(p, k, ctx, s.year);
  k.fund_linkage = r.linkage;
  k.fund_integrated = r.integrated;
  k.fund_earmarked = r.earmarked;
  k.fund_own = r.own;
  k.fund_park_revenue = r.park_revenue;
  k.fund_east_west = r.east_west;
  k.fund_paired = r.paired;
  k.fund_quota_sales = r.quota_sales;
  k.fund_old_revolutionary = r.old_revolutionary;
  k.fund_ethnic = r.ethnic;
  // The programme: this year's flexible funds and what last year left
  // unpaid, or less what it overran (places are rationed by chance, so a
  // year's trainees or posts can cost a little more than planned; the county
  // advances it and this year's programme repays it).
  const Budgets b = county_budgets(p, std::max(0.0, r.flexible() + k.balance), r.earmarked, s.year);
  k.budget_industry = b.industry;
  k.budget_infrastructure = b.infrastructure;
  k.budget_posts = b.posts;
  k.budget_training = b.training;
  k.budget_relocation = b.relocation;
  k.budget_assistance = b.assistance;
  k.budget_administration = b.administration;
  k.infrastructure_per_household += hh > 0 ? k.budget_infrastructure / hh : 0.0;

  // Monitoring packages are paid out of the assistance budget; when the
  // budget falls short every package shrinks in proportion.
  // The scale is set again each month from what is left (county accounts).
  const double package_need = last[ind::monitored_households] * p.monitoring.package_monthly * 12.0;
  k.assistance_left = k.budget_assistance;
  k.package_scale = !direct ? 0.0f
                            : static_cast<float>(package_need > 0 ? std::min(1.0, k.budget_assistance / package_need) : 1.0);

  // The county economy: public spending above what the baseline policy
  // spends in 2021 raises local demand, and through the social accounting
  // matrix's multipliers the wage bill of local industry, construction and
  // services; at the local wage that is jobs (negative when spending falls
  // below that reference). The reference is the baseline's (the calibration
  // parameters'), so scenarios differ from the start.
  const std::array<double, kSectors> injection = sector_injection(p, b, converted);
  if (s.year == kFirstYear) {
    const Params& ref = ctx.reference;
    const Receipts rr = county_receipts(ref, k, ctx, s.year);
    const Budgets rb = county_budgets(ref, rr.flexible(), rr.earmarked, s.year);
    const double ref_converted = std::min(ref.land.quota_mu * ref.land.use_rate * scale, k.farmland_mu + converted);
    const std::array<double, kSectors> reference = sector_injection(ref, rb, ref_converted);
    for (std::size_t j = 0; j < kSectors; ++j) k.injection_2021[j] = reference[j];
  }
  k.induced_jobs = 0;
  if (!ctx.sam_inverse.empty()) {
    std::array<double, kSectors + 1> change{};
    for (std::size_t j = 0; j < kSectors; ++j) change[j] = injection[j] - k.injection_2021[j];
    const std::vector<double> output = sim::numeric::multiplied(ctx.sam_inverse, kSectors + 1, change);
    double wages = 0;
    for (std::size_t j = kIndustry; j < kSectors; ++j) wages += output[j] * p.economy.sam[kSectors * (kSectors + 1) + j];
    k.induced_jobs = wages / (p.labour.local_wage * p.local_wage_index(s.year) * 12.0);
  }

  // Industry money not spent on collective assets or household support goes
  // to enterprises and parks, which hire locally.
  k.industry_jobs += injection[kIndustry] / 1e6 * p.collective.enterprise_jobs_per_million;
  k.capacity[kLocalMarket] = std::max(0.0, k.base_local_jobs + k.industry_jobs + k.park_mu * la.jobs_per_mu + k.induced_jobs);
  k.base_posts = p.labour.posts_per_1000 * hh / 1000.0 * (direct ? 1.0 : 1.0 - p.labour.posts_direct_share);
  k.capacity[kPostMarket] = k.base_posts + k.budget_posts / (p.labour.post_pay * 12.0);
  k.capacity[kRangerMarket] = p.labour.rangers_per_1000 * hh / 1000.0;

  // Disasters: the prefecture's disaster strikes the county with some
  // chance, in the prefecture's month (neighbours are hit together); or the
  // county is hit on its own. A scenario can force one on every
  // hazard-prone county in a given year.
  auto st = stream(ctx.id, static_cast<std::uint32_t>(k.index), s.step, Purpose::disaster);
  const Params::Shocks& sh = p.shocks;
  const bool joins = ctx.prefecture_disaster_month > 0 &&
                     sim::rng::bernoulli(st, k.hazard_prone ? sh.hit_given_prefecture_hazard : sh.hit_given_prefecture_other);
  const bool alone = sim::rng::bernoulli(st, k.hazard_prone ? sh.own_disaster_hazard : sh.own_disaster_other);
  const auto own_month = static_cast<std::uint8_t>(1 + st.next_u32() % 12);
  k.disaster_month = joins ? ctx.prefecture_disaster_month : alone ? own_month : 0;
  if (sh.disaster_year == s.year && k.hazard_prone) k.disaster_month = static_cast<std::uint8_t>(sh.disaster_year_month);

  // Prices: the county's product price, raised by market access from
  // cumulative infrastructure spending.
  k.price = static_cast<float>(ctx.products.price[k.product] *
                                  (1.0 + p.farming.infrastructure_price_effect * k.infrastructure_per_household / 1000.0));
}

void prepare_county_month(CountyRow k, CountyMonth& m, const Params& p, const Calibration& cal, int year, int month) {
  const int yi = std::clamp(year - kFirstYear, 0, kYears - 1);
  const bool in_period = year >= kFirstYear;
  const double demand = in_period ? p.shocks.migrant_demand[static_cast<std::size_t>(yi)] : 1.0;
  m.direct_assistance = year <= p.assistance.direct_end_year;

  m.wage_migrant = p.migrant_wage(year) * p.labour.migrant_net_share * p.labour.migrant_months / 12.0 *
                   (1.0 - p.shocks.migrant_wage_elasticity * (1.0 - demand)) * cal.market_wage;
  m.wage_local = p.labour.local_wage * p.local_wage_index(year) * cal.market_wage;
  m.wage_workshop = p.labour.workshop_wage * p.local_wage_index(year) * cal.market_wage;
  m.post_pay = p.labour.post_pay;
  m.ranger_pay = p.labour.ranger_pay;

  m.disaster_strike = in_period && month == k.disaster_month;
  if (m.disaster_strike) k.disaster_months = static_cast<std::uint8_t>(p.shocks.disaster_months);
  m.disaster = in_period && k.disaster_months > 0;
  if (m.disaster) --k.disaster_months;
  const double disaster_loss = m.disaster ? p.shocks.disaster_farm_loss : 0.0;
  const double price = in_period ? k.price : 1.0;
  const double operating = price * cal.operating * (1.0 - disaster_loss);
  m.farm_per_mu = p.farming.income_per_mu * p.crop_income_index(year) / 12.0 * operating;
  m.irrigated_extra = p.farming.irrigated_mult - 1.0;
  m.livestock_return = p.farming.livestock_return * p.livestock_price_index(year) / 12.0 * operating;
  m.lease_share = p.collective.lease_share;
  m.lease_rent = p.collective.lease_rent / 12.0 * cal.property;
  m.pension = p.assistance.pension_monthly;
  m.subsidy = p.assistance.subsidy_per_capita_monthly * cal.other_transfer;
  m.dibao_month = p.dibao_standard(k.province_index, year) / 12.0;
  m.package = m.direct_assistance && in_period ? p.monitoring.package_monthly : 0.0;
  m.reimbursement = p.shocks.reimbursement;
  m.reimbursement_pa = m.direct_assistance ? p.shocks.reimbursement_pa : p.shocks.reimbursement;
  m.medical_extra = m.direct_assistance ? p.monitoring.medical_extra : 0.0;
  // Before the period (the 2020 initial state): the 2021 threshold moved
  // back with the poverty line.
  m.threshold = in_period ? p.threshold(k.province_index, year)
                          : p.threshold(k.province_index, kFirstYear) * p.poverty_line(year) / p.poverty_line(kFirstYear);
  m.poverty_line = p.poverty_line(year);
}

}  // namespace transition
