#include "models/transition/state.hpp"

namespace transition {

namespace {
template <class... V>
void resize_all(std::size_t n, V&... v) {
  (v.resize(n), ...);
}
}  // namespace

void Households::resize(std::size_t n) {
#define TRANSITION_RESIZE(type, name, unit, doc) name.resize(n);
  TRANSITION_HOUSEHOLD_COLUMNS(TRANSITION_RESIZE)
#undef TRANSITION_RESIZE
  for (auto& w : workers) w.resize(n);
}

void Households::bind(sim::AgentTable& t) {
#define TRANSITION_BIND(type, name, unit, doc) t.bind(name, #name, unit, doc);
  TRANSITION_HOUSEHOLD_COLUMNS(TRANSITION_BIND)
#undef TRANSITION_BIND
  for (std::size_t a = 0; a < kActivities; ++a)
    t.bind(workers[a], std::string("workers_") + kActivityNames[a], "persons",
           std::string("Workers in ") + kActivityNames[a] + " this year");
}

void Villages::resize(std::size_t n) {
  resize_all(n, county, is_site, product, has_pv, base_income, assets, income_year, income_last_year, dividend_month,
             workshop_jobs, workshop_accept_priority, workshop_accept_other);
}

void Villages::bind(sim::AgentTable& t) {
  t.bind(county, "county", "index", "County the village belongs to");
  t.bind(is_site, "is_site", "0/1", "1 for a large centralised resettlement site");
  t.bind(product, "product", "code", "Specialty product grown");
  t.bind(has_pv, "has_pv", "0/1", "Village photovoltaic station");
  t.bind(base_income, "base_income", "yuan/year", "Collective income not from funded assets");
  t.bind(assets, "assets", "yuan", "Collective assets from funded projects");
  t.bind(income_year, "income_year", "yuan/year", "Collective income this year");
  t.bind(income_last_year, "income_last_year", "yuan/year", "Collective income last year");
  t.bind(dividend_month, "dividend_month", "yuan/household/month", "Dividend paid to each member household");
  t.bind(workshop_jobs, "workshop_jobs", "jobs", "Workshop jobs in the village");
  t.bind(workshop_accept_priority, "workshop_accept_priority", "1", "Chance a monitored applicant got a workshop job");
  t.bind(workshop_accept_other, "workshop_accept_other", "1", "Chance another applicant got a workshop job");
}

void Counties::resize(std::size_t n) {
  resize_all(n, name, province_name, prefecture, province, prefecture_id, hazard_prone, ethnic_area, old_revolutionary,
             no_railway, no_expressway, product, fund_linkage, fund_integrated, fund_own, fund_east_west, fund_paired,
             fund_quota_sales, spend_industry, spend_infrastructure, spend_posts, spend_training, spend_relocation,
             spend_assistance, infrastructure_per_household, package_scale,
             park_mu, base_local_jobs, industry_jobs, price, disaster_months, disaster_month);
  for (auto& q : quota_used) q.resize(n);
  for (int m = 0; m < kMarkets; ++m) {
    capacity[static_cast<std::size_t>(m)].resize(n);
    accept_priority[static_cast<std::size_t>(m)].resize(n, 1.0f);
    accept_other[static_cast<std::size_t>(m)].resize(n, 1.0f);
  }
}

void Counties::bind(sim::AgentTable& t) {
  t.bind(name, "name", "", "County name");
  t.bind(province_name, "province", "", "Province");
  t.bind(prefecture, "prefecture", "", "Prefecture");
  t.bind(province, "province_index", "index", "Province index (order of docs/ODD.md)");
  t.bind(prefecture_id, "prefecture_index", "index", "Prefecture index");
  t.bind(hazard_prone, "hazard_prone", "0/1", "In a geological-hazard-prone area");
  t.bind(ethnic_area, "ethnic_area", "0/1", "In an ethnic-minority area");
  t.bind(old_revolutionary, "old_revolutionary", "0/1", "In an old revolutionary area");
  t.bind(no_railway, "no_railway", "0/1", "Without railway");
  t.bind(no_expressway, "no_expressway", "0/1", "Without expressway");
  t.bind(product, "product", "code", "Leading specialty product");
  t.bind(fund_linkage, "fund_linkage", "yuan/year", "Central linkage funds this year");
  t.bind(fund_integrated, "fund_integrated", "yuan/year", "Integrated agriculture funds usable this year");
  t.bind(fund_own, "fund_own", "yuan/year", "Own revenue for rural programmes this year");
  t.bind(fund_east_west, "fund_east_west", "yuan/year", "East-west cooperation funds this year");
  t.bind(fund_paired, "fund_paired", "yuan/year", "Paired assistance funds this year");
  t.bind(fund_quota_sales, "fund_quota_sales", "yuan/year", "Sales of surplus land quota this year");
  t.bind(spend_industry, "spend_industry", "yuan/year", "Industry projects this year");
  t.bind(spend_infrastructure, "spend_infrastructure", "yuan/year", "Infrastructure this year");
  t.bind(spend_posts, "spend_posts", "yuan/year", "Public-welfare posts this year");
  t.bind(spend_training, "spend_training", "yuan/year", "Training this year");
  t.bind(spend_relocation, "spend_relocation", "yuan/year", "Relocation follow-up this year");
  t.bind(spend_assistance, "spend_assistance", "yuan/year", "Assistance budget this year");
  t.bind(infrastructure_per_household, "infrastructure_per_household", "yuan/household", "Cumulative infrastructure spending");
  t.bind(package_scale, "package_scale", "1", "Share of the monitoring package covered by the budget");
  for (int y = 0; y < kYears; ++y)
    t.bind(quota_used[static_cast<std::size_t>(y)], "quota_used_" + std::to_string(kFirstYear + y), "mu",
           "Land quota turned into park land in " + std::to_string(kFirstYear + y));
  t.bind(park_mu, "park_mu", "mu", "Working industrial-park land from the quota");
  t.bind(base_local_jobs, "base_local_jobs", "jobs", "Local jobs at the start");
  t.bind(industry_jobs, "industry_jobs", "jobs", "Local jobs created by industry money since 2021");
  static constexpr std::array<const char*, kMarkets> names = {"local", "posts", "rangers", "migrant"};
  for (std::size_t m = 0; m < kMarkets; ++m) {
    t.bind(capacity[m], std::string("capacity_") + names[m], "jobs", std::string("Places on offer: ") + names[m]);
    t.bind(accept_priority[m], std::string("accept_priority_") + names[m], "1",
           std::string("Chance a monitored applicant got a place: ") + names[m]);
    t.bind(accept_other[m], std::string("accept_other_") + names[m], "1",
           std::string("Chance another applicant got a place: ") + names[m]);
  }
  t.bind(price, "price", "1", "Farm-gate price index of the county's products this year");
  t.bind(disaster_months, "disaster_months", "months", "Months of disaster left");
  t.bind(disaster_month, "disaster_month", "month", "Month a disaster strikes this year (0: none)");
}

}  // namespace transition
