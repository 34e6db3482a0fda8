#pragma once
// The indicators the model records (MODEL_BRIEF section 5), declared once.
//
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
  X(people, "persons", "Residents")                                                                           \
  X(households, "households", "Households")                                                                   \
  X(pa_people, "persons", "Poverty-alleviated people")                                                        \
  X(pa_households, "households", "Poverty-alleviated households")                                             \
  X(relocated_people, "persons", "Relocated people")                                                          \
  X(monitored_households, "households", "Households under dynamic monitoring at the end of the month")        \
  X(monitored_people, "persons", "People in monitored households")                                            \
  X(monitoring_entries, "households", "Households entering monitoring this month")                            \
  X(entries_unstable, "households", "Entries: unstable poverty-alleviated households")                         \
  X(entries_marginal, "households", "Entries: marginal households at risk")                                   \
  X(entries_sudden, "households", "Entries: households in sudden severe difficulty")                          \
  X(monitoring_exits, "households", "Households leaving monitoring (risk eliminated) this month")             \
  X(exit_months, "months", "Months in monitoring of the households that left this month (sum)")               \
  X(at_risk_unidentified, "households", "Households below the monitoring threshold and not yet identified")   \
  X(returns_to_poverty, "households", "Poverty-alleviated households whose income for the year fell below the poverty line (December only)") \
  X(returns_people, "persons", "People in households returning to poverty (December only)")                   \
  X(income, "yuan/month", "Disposable income of all households this month")                                  \
  X(income_migrant, "yuan/month", "Wage income from migrant work")                                            \
  X(income_local, "yuan/month", "Wage income from local jobs (industrial parks, resettlement-site jobs)")     \
  X(income_workshop, "yuan/month", "Wage income from employment-assistance workshops")                        \
  X(income_post, "yuan/month", "Pay from public-welfare posts")                                              \
  X(income_ranger, "yuan/month", "Pay from ecological forest-ranger posts")                                  \
  X(income_farm, "yuan/month", "Net farm income")                                                             \
  X(income_livestock, "yuan/month", "Net livestock and cash-crop income")                                     \
  X(income_property, "yuan/month", "Collective dividends and land rent")                                      \
  X(income_pension, "yuan/month", "Basic pensions")                                                            \
  X(income_dibao, "yuan/month", "Dibao (minimum living guarantee) payments")                                  \
  X(income_package, "yuan/month", "Monitoring assistance package")                                            \
  X(income_other_transfer, "yuan/month", "Other transfers (farmland, ecological and education subsidies)")    \
  X(income_pa, "yuan/month", "Income of poverty-alleviated households")                                       \
  X(income_monitored, "yuan/month", "Income of monitored households")                                         \
  X(income_relocated, "yuan/month", "Income of relocated households")                                         \
  X(medical_costs, "yuan/month", "Out-of-pocket medical costs after reimbursement")                           \
  X(workers_farm, "persons", "Workers farming")                                                                \
  X(workers_local, "persons", "Workers in local wage jobs")                                                    \
  X(workers_workshop, "persons", "Workers in employment-assistance workshops")                                 \
  X(workers_migrant, "persons", "Migrant workers")                                                             \
  X(workers_post, "persons", "Workers in public-welfare posts")                                                \
  X(workers_ranger, "persons", "Ecological forest rangers")                                                    \
  X(pa_workers_farm, "persons", "Poverty-alleviated workers farming")                                          \
  X(pa_workers_local, "persons", "Poverty-alleviated workers in local wage jobs")                              \
  X(pa_workers_workshop, "persons", "Poverty-alleviated workers in workshops")                                 \
  X(pa_workers_migrant, "persons", "Poverty-alleviated migrant workers")                                       \
  X(pa_workers_post, "persons", "Poverty-alleviated workers in public-welfare posts")                           \
  X(pa_workers_ranger, "persons", "Poverty-alleviated forest rangers")                                         \
  X(dibao_households, "households", "Households receiving dibao")                                             \
  X(borrowers, "households", "Households with an outstanding microcredit loan")                              \
  X(debt, "yuan", "Outstanding microcredit")                                                                   \
  X(defaulted_debt, "yuan/month", "Microcredit written off this month and covered by the county risk fund")   \
  X(new_loans, "yuan/month", "Microcredit lent this month")                                                   \
  X(trained_households, "households", "Households whose workers were trained this month")                   \
  X(savings, "yuan", "Household savings")                                                                      \
  X(livestock_assets, "yuan", "Household livestock and cash-crop assets")                                     \
  X(collective_income, "yuan/year", "Collective income of villages this year")                                 \
  X(collectives, "villages", "Village collectives (large resettlement sites excluded)")                        \
  X(collectives_under_50k, "villages", "Village collectives with income under 50,000 yuan this year")         \
  X(collectives_under_100k, "villages", "Village collectives with income under 100,000 yuan this year")       \
  X(workshop_jobs, "jobs", "Workshop jobs on offer")

#define TRANSITION_COUNTY_VALUES(X)                                                                          \
  X(fund_linkage, "yuan/month", "Central linkage funds (this year's allocation / 12)")                        \
  X(fund_integrated, "yuan/month", "Integrated agriculture funds usable (yearly / 12)")                       \
  X(fund_own, "yuan/month", "Own revenue for rural programmes, park revenue included (yearly / 12)")          \
  X(fund_east_west, "yuan/month", "East-west cooperation funds (yearly / 12)")                                \
  X(fund_paired, "yuan/month", "Paired assistance funds (yearly / 12)")                                      \
  X(fund_quota_sales, "yuan/month", "Sales of surplus land quota (yearly / 12)")                            \
  X(spend_industry, "yuan/month", "Spending on industry projects (yearly / 12)")                              \
  X(spend_infrastructure, "yuan/month", "Spending on infrastructure (yearly / 12)")                           \
  X(spend_posts, "yuan/month", "Spending on public-welfare posts (yearly / 12)")                             \
  X(spend_training, "yuan/month", "Spending on training (yearly / 12)")                                      \
  X(spend_relocation, "yuan/month", "Spending on relocation follow-up (yearly / 12)")                         \
  X(spend_assistance, "yuan/month", "Assistance actually paid to monitored households this month")            \
  X(spend_risk_fund, "yuan/month", "Microcredit defaults covered by the risk fund this month")               \
  X(spend_total, "yuan/month", "All spending this month")                                                     \
  X(quota_used_mu, "mu", "Construction-land quota used so far since 2021")                                    \
  X(park_mu, "mu", "Industrial-park land from the quota that is working")                                     \
  X(park_jobs, "jobs", "Local jobs on quota park land")                                                       \
  X(local_jobs, "jobs", "Local wage jobs on offer")                                                           \
  X(posts, "posts", "Public-welfare posts on offer")                                                          \
  X(ranger_posts, "posts", "Forest-ranger posts on offer")                                                    \
  X(price_index, "1", "Farm-gate price index (people-weighted at aggregate levels)")                          \
  X(disaster, "counties", "Counties under a disaster this month")                                             \
  X(gini, "1", "Gini of per-capita income for the year among residents (December only; NaN otherwise)")

#define TRANSITION_DERIVED(X)                                                                                \
  X(income_per_capita, "yuan/person/year", "Income per resident this month, times 12")                        \
  X(income_per_capita_pa, "yuan/person/year", "Income per poverty-alleviated person this month, times 12")    \
  X(income_per_capita_monitored, "yuan/person/year", "Income per person in monitored households, times 12")   \
  X(income_per_capita_relocated, "yuan/person/year", "Income per relocated person, times 12")                 \
  X(pa_income_gap, "1", "Income per poverty-alleviated person relative to income per resident")              \
  X(return_rate, "1", "Returns to poverty per poverty-alleviated household (December only)")                  \
  X(mean_months_to_exit, "months", "Mean months in monitoring of the households that left this month")

// Indicator indices live in their own namespace: their names (people, income,
// savings, ...) are too common to share a scope with local variables.
namespace ind {
#define TRANSITION_ENUM(name, unit, doc) name,
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
