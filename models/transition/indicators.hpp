#pragma once
// The indicators the model records (docs/output.md), declared once.
//
// Each entry: name, unit, how a year is read off the monthly series ("sum"
// of the months, "last" month, "mean" of the months, or "derived" again from
// the yearly components), one line of documentation.
// HOUSEHOLD_SUMS are sums over households, accumulated village by village in
// the household step and added up to counties and the total in fixed order.
// COUNTY_VALUES are set per county (finance, land, markets). DERIVED are
// ratios computed from the sums at every level after aggregation.
#include <array>
#include <cstddef>
#include <vector>

#include "sim/core/record.hpp"

namespace transition {

#define TRANSITION_HOUSEHOLD_SUMS(X)                                                                           \
  X(people, "persons", "last", "Residents")                                                                           \
  X(households, "households", "last", "Households")                                                                   \
  X(pa_people, "persons", "last", "Poverty-alleviated people")                                                        \
  X(pa_households, "households", "last", "Poverty-alleviated households")                                             \
  X(relocated_people, "persons", "last", "Relocated people")                                                          \
  X(monitored_households, "households", "last", "Households under dynamic monitoring at the end of the month")        \
  X(monitored_people, "persons", "last", "People in monitored households")                                            \
  X(monitoring_entries, "households", "sum", "Households entering monitoring this month")                            \
  X(entries_unstable, "households", "sum", "Entries: unstable poverty-alleviated households")                         \
  X(entries_marginal, "households", "sum", "Entries: marginal households at risk")                                   \
  X(entries_sudden, "households", "sum", "Entries: households in sudden severe difficulty")                          \
  X(monitoring_exits, "households", "sum", "Households leaving monitoring (risk eliminated) this month")             \
  X(exit_months, "months", "sum", "Months in monitoring of the households that left this month (sum)")               \
  X(at_risk_unidentified, "households", "last", "Households below the monitoring threshold and not yet identified")   \
  X(returns_to_poverty, "households", "sum", "Poverty-alleviated households whose income for the year fell below the poverty line (December only)") \
  X(returns_people, "persons", "sum", "People in households returning to poverty (December only)")                   \
  X(income, "yuan/month", "sum", "Disposable income of all households this month")                                  \
  X(income_migrant, "yuan/month", "sum", "Wage income from migrant work")                                            \
  X(income_local, "yuan/month", "sum", "Wage income from local jobs (industrial parks, resettlement-site jobs)")     \
  X(income_workshop, "yuan/month", "sum", "Wage income from employment-assistance workshops")                        \
  X(income_post, "yuan/month", "sum", "Pay from public-welfare posts")                                              \
  X(income_ranger, "yuan/month", "sum", "Pay from ecological forest-ranger posts")                                  \
  X(income_farm, "yuan/month", "sum", "Net farm income")                                                             \
  X(income_livestock, "yuan/month", "sum", "Net livestock and cash-crop income")                                     \
  X(income_property, "yuan/month", "sum", "Collective dividends and land rent")                                      \
  X(income_pension, "yuan/month", "sum", "Basic pensions")                                                            \
  X(income_dibao, "yuan/month", "sum", "Dibao (minimum living guarantee) payments")                                  \
  X(income_package, "yuan/month", "sum", "Monitoring assistance package")                                            \
  X(income_other_transfer, "yuan/month", "sum", "Other transfers (farmland, ecological and education subsidies)")    \
  X(income_pa, "yuan/month", "sum", "Income of poverty-alleviated households")                                       \
  X(income_monitored, "yuan/month", "sum", "Income of monitored households")                                         \
  X(income_relocated, "yuan/month", "sum", "Income of relocated households")                                         \
  X(income_pa_wages, "yuan/month", "sum", "Income of poverty-alleviated households: wages (migrant, local, workshop, posts, rangers)") \
  X(income_pa_operating, "yuan/month", "sum", "Income of poverty-alleviated households: household operating income (farming, livestock)") \
  X(income_pa_property, "yuan/month", "sum", "Income of poverty-alleviated households: property income (dividends, land rent)") \
  X(income_pa_transfers, "yuan/month", "sum", "Income of poverty-alleviated households: transfers (pensions, dibao, package, other)") \
  X(income_monitored_wages, "yuan/month", "sum", "Income of monitored households: wages (migrant, local, workshop, posts, rangers)") \
  X(income_monitored_operating, "yuan/month", "sum", "Income of monitored households: household operating income (farming, livestock)") \
  X(income_monitored_property, "yuan/month", "sum", "Income of monitored households: property income (dividends, land rent)") \
  X(income_monitored_transfers, "yuan/month", "sum", "Income of monitored households: transfers (pensions, dibao, package, other)") \
  X(income_relocated_wages, "yuan/month", "sum", "Income of relocated households: wages (migrant, local, workshop, posts, rangers)") \
  X(income_relocated_operating, "yuan/month", "sum", "Income of relocated households: household operating income (farming, livestock)") \
  X(income_relocated_property, "yuan/month", "sum", "Income of relocated households: property income (dividends, land rent)") \
  X(income_relocated_transfers, "yuan/month", "sum", "Income of relocated households: transfers (pensions, dibao, package, other)") \
  X(medical_costs, "yuan/month", "sum", "Out-of-pocket medical costs after reimbursement")                           \
  X(workers_farm, "persons", "last", "Workers farming")                                                                \
  X(workers_local, "persons", "last", "Workers in local wage jobs")                                                    \
  X(workers_workshop, "persons", "last", "Workers in employment-assistance workshops")                                 \
  X(workers_migrant, "persons", "last", "Migrant workers")                                                             \
  X(workers_post, "persons", "last", "Workers in public-welfare posts")                                                \
  X(workers_ranger, "persons", "last", "Ecological forest rangers")                                                    \
  X(pa_workers_farm, "persons", "last", "Poverty-alleviated workers farming")                                          \
  X(pa_workers_local, "persons", "last", "Poverty-alleviated workers in local wage jobs")                              \
  X(pa_workers_workshop, "persons", "last", "Poverty-alleviated workers in workshops")                                 \
  X(pa_workers_migrant, "persons", "last", "Poverty-alleviated migrant workers")                                       \
  X(pa_workers_post, "persons", "last", "Poverty-alleviated workers in public-welfare posts")                           \
  X(pa_workers_ranger, "persons", "last", "Poverty-alleviated forest rangers")                                         \
  X(dibao_households, "households", "last", "Households receiving dibao")                                             \
  X(borrowers, "households", "last", "Households with an outstanding microcredit loan")                              \
  X(debt, "yuan", "last", "Outstanding microcredit")                                                                   \
  X(defaulted_debt, "yuan/month", "sum", "Microcredit written off this month and covered by the county risk fund")   \
  X(new_loans, "yuan/month", "sum", "Microcredit lent this month")                                                   \
  X(trained_households, "households", "sum", "Households whose workers were trained this month")                   \
  X(savings, "yuan", "last", "Household savings")                                                                      \
  X(livestock_assets, "yuan", "last", "Household livestock and cash-crop assets")                                     \
  X(collective_income, "yuan/year", "last", "Collective income of villages this year")                                 \
  X(collectives, "villages", "last", "Village collectives (large resettlement sites excluded)")                        \
  X(collectives_under_50k, "villages", "last", "Village collectives with income under 50,000 yuan this year")         \
  X(collectives_under_100k, "villages", "last", "Village collectives with income under 100,000 yuan this year")       \
  X(workshop_jobs, "jobs", "last", "Workshop jobs on offer")

#define TRANSITION_COUNTY_VALUES(X)                                                                          \
  X(fund_linkage, "yuan/month", "sum", "Central linkage funds (this year's allocation / 12)")                        \
  X(fund_integrated, "yuan/month", "sum", "Integrated agriculture funds usable (yearly / 12)")                       \
  X(fund_own, "yuan/month", "sum", "Own revenue for rural programmes, park revenue included (yearly / 12)")          \
  X(fund_east_west, "yuan/month", "sum", "East-west cooperation funds (yearly / 12)")                                \
  X(fund_paired, "yuan/month", "sum", "Paired assistance funds (yearly / 12)")                                      \
  X(fund_quota_sales, "yuan/month", "sum", "Sales of surplus land quota (yearly / 12)")                            \
  X(spend_industry, "yuan/month", "sum", "Spending on industry projects (yearly / 12)")                              \
  X(spend_infrastructure, "yuan/month", "sum", "Spending on infrastructure (yearly / 12)")                           \
  X(spend_posts, "yuan/month", "sum", "Spending on public-welfare posts (yearly / 12)")                             \
  X(spend_training, "yuan/month", "sum", "Spending on training (yearly / 12)")                                      \
  X(spend_relocation, "yuan/month", "sum", "Spending on relocation follow-up (yearly / 12)")                         \
  X(spend_assistance, "yuan/month", "sum", "Spending on assistance to monitored households (yearly / 12; packages paid: income_package)")            \
  X(spend_risk_fund, "yuan/month", "sum", "Microcredit defaults covered by the risk fund this month")               \
  X(spend_total, "yuan/month", "sum", "All spending this month")                                                     \
  X(quota_used_mu, "mu", "last", "Construction-land quota used so far since 2021")                                    \
  X(park_mu, "mu", "last", "Industrial-park land from the quota that is working")                                     \
  X(park_jobs, "jobs", "last", "Local jobs on quota park land")                                                       \
  X(local_jobs, "jobs", "last", "Local wage jobs on offer")                                                           \
  X(posts, "posts", "last", "Public-welfare posts on offer")                                                          \
  X(ranger_posts, "posts", "last", "Forest-ranger posts on offer")                                                    \
  X(price_index, "1", "mean", "Farm-gate price index (people-weighted at aggregate levels)")                          \
  X(disaster, "counties", "last", "Counties under a disaster this month")                                             \
  X(gini, "1", "last", "Gini of per-capita income for the year among residents (December only; NaN otherwise)")

#define TRANSITION_DERIVED(X)                                                                                \
  X(income_per_capita, "yuan/person/year", "derived", "Income per resident this month, times 12")                        \
  X(income_per_capita_pa, "yuan/person/year", "derived", "Income per poverty-alleviated person this month, times 12")    \
  X(income_per_capita_monitored, "yuan/person/year", "derived", "Income per person in monitored households, times 12")   \
  X(income_per_capita_relocated, "yuan/person/year", "derived", "Income per relocated person, times 12")                 \
  X(pa_income_gap, "1", "derived", "Income per poverty-alleviated person relative to income per resident")              \
  X(return_rate, "1", "derived", "Returns to poverty per poverty-alleviated household (December only)")                  \
  X(mean_months_to_exit, "months", "derived", "Mean months in monitoring of the households that left this month")

// Indicator indices live in their own namespace: their names (people, income,
// savings, ...) are too common to share a scope with local variables.
namespace ind {
#define TRANSITION_ENUM(name, unit, yearly, doc) name,
enum Sum : std::size_t { TRANSITION_HOUSEHOLD_SUMS(TRANSITION_ENUM) kSums };
enum CountyValue : std::size_t { TRANSITION_COUNTY_VALUES(TRANSITION_ENUM) kCountyValues };
enum Derived : std::size_t { TRANSITION_DERIVED(TRANSITION_ENUM) kDerived };
#undef TRANSITION_ENUM
}  // namespace ind
using ind::Sum, ind::CountyValue, ind::Derived, ind::kSums, ind::kCountyValues, ind::kDerived;

// Per-village sums of one step, filled by the household step.
using VillageSums = std::array<double, kSums>;

// Column order of each level in the output: sums, then (county and total
// levels) county values, then derived indicators; the total level adds
// the between-county Gini last.
sim::LevelSpec level_spec(const char* name, std::size_t groups, bool with_county_values, bool single_precision,
                          bool with_between_gini);
inline constexpr std::size_t kFirstCountyValue = kSums;
inline std::size_t derived_column(bool with_county_values, Derived d) {
  return kSums + (with_county_values ? std::size_t{kCountyValues} : std::size_t{0}) + d;
}

// Fills the derived columns of group g from its sums.
void derive(sim::LevelFrame& frame, std::size_t g, bool with_county_values, bool year_end);

}  // namespace transition
