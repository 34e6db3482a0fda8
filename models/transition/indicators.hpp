#pragma once
// The indicators of the transition model, each declared once (docs/model.md
// lists them, generated from these declarations).
//
// Two lists carry the indicators the model's own code fills, so that the
// code names them by compile-time index: the household sums, accumulated
// village by village in the household rules (hand-tuned reductions over the
// household table, and flows such as incomes and entries into monitoring),
// and the county values the model sets per county. Every other indicator
// (reductions over villages, which the engine evaluates; formulas; analysis
// definitions) is declared in indicators.cpp. Each entry is one
// sim::IndicatorDecl written with designated initialisers.
#include <array>
#include <cstddef>
#include <vector>

#include "models/transition/state.hpp"
#include "sim/model/description.hpp"

namespace transition {

// Shorthands for the declarations.
#define TRANSITION_HH(...) .reduce = {"household", __VA_ARGS__}, .hand_tuned = true
#define TRANSITION_RULE(at, by) .set_at = at, .rule = by

#define TRANSITION_HOUSEHOLD_SUMS(X)                                                                                  \
  X(people, .unit = "persons", .yearly = sim::Yearly::last, .description = "Residents", TRANSITION_HH("sum", "members"), \
    .label = "Residents", .topic = "population", .format = "int")                                                     \
  X(households, .unit = "households", .yearly = sim::Yearly::last, .description = "Households",                       \
    TRANSITION_HH("count"), .label = "Households", .topic = "population", .format = "int")                            \
  X(pa_people, .unit = "persons", .yearly = sim::Yearly::last, .description = "Poverty-alleviated people",             \
    TRANSITION_HH("sum", "members", "poverty_alleviated"))                                                             \
  X(pa_households, .unit = "households", .yearly = sim::Yearly::last, .description = "Poverty-alleviated households",  \
    TRANSITION_HH("count", "", "poverty_alleviated"), .label = "Poverty-alleviated households", .topic = "population", \
    .format = "int")                                                                                                   \
  X(relocated_people, .unit = "persons", .yearly = sim::Yearly::last, .description = "Relocated people",               \
    TRANSITION_HH("sum", "members", "relocated"))                                                                      \
  X(monitored_households, .unit = "households", .yearly = sim::Yearly::last,                                          \
    .description = "Households under dynamic monitoring at the end of the month", TRANSITION_HH("count", "", "monitored"), \
    .label = "Monitored households at year end", .topic = "monitoring", .format = "int", .summary = true)            \
  X(monitored_people, .unit = "persons", .yearly = sim::Yearly::last, .description = "People in monitored households", \
    TRANSITION_HH("sum", "members", "monitored"))                                                                      \
  X(monitoring_entries, .unit = "households", .yearly = sim::Yearly::sum,                                             \
    .description = "Households entering monitoring this month", TRANSITION_RULE("village", "household month"),       \
    .label = "Entries into monitoring", .topic = "monitoring", .format = "int", .key = true)                           \
  X(entries_unstable, .unit = "households", .yearly = sim::Yearly::sum,                                               \
    .description = "Entries: unstable poverty-alleviated households", TRANSITION_RULE("village", "household month"),  \
    .label = "Entries: unstable PA households", .topic = "monitoring", .format = "int")                               \
  X(entries_marginal, .unit = "households", .yearly = sim::Yearly::sum,                                               \
    .description = "Entries: marginal households at risk", TRANSITION_RULE("village", "household month"),            \
    .label = "Entries: marginal households", .topic = "monitoring", .format = "int")                                  \
  X(entries_sudden, .unit = "households", .yearly = sim::Yearly::sum,                                                 \
    .description = "Entries: households in sudden severe difficulty", TRANSITION_RULE("village", "household month"),  \
    .label = "Entries: sudden severe difficulty", .topic = "monitoring", .format = "int")                             \
  X(monitoring_exits, .unit = "households", .yearly = sim::Yearly::sum,                                               \
    .description = "Households leaving monitoring (risk eliminated) this month",                                      \
    TRANSITION_RULE("village", "household month"), .label = "Exits from monitoring (risk eliminated)",                \
    .topic = "monitoring", .format = "int", .key = true)                                                              \
  X(exit_months, .unit = "months", .yearly = sim::Yearly::sum,                                                        \
    .description = "Months in monitoring of the households that left this month (sum)",                              \
    TRANSITION_RULE("village", "household month"))                                                                   \
  X(at_risk_unidentified, .unit = "households", .yearly = sim::Yearly::last,                                          \
    .description = "Households below the monitoring threshold and not yet identified",                               \
    TRANSITION_RULE("village", "household month"), .label = "At risk, not yet identified (year end)",                 \
    .topic = "monitoring", .format = "int", .better = -1)                                                             \
  X(returns_to_poverty, .unit = "households", .yearly = sim::Yearly::sum,                                             \
    .description = "Poverty-alleviated households whose income for the year fell below the poverty line after a year above it (December only)", \
    TRANSITION_RULE("village", "household month"), .label = "Returns to poverty", .topic = "poverty", .format = "int", \
    .better = -1, .key = true, .summary = true)                                                                       \
  X(returns_people, .unit = "persons", .yearly = sim::Yearly::sum,                                                    \
    .description = "People in households returning to poverty (December only)",                                      \
    TRANSITION_RULE("village", "household month"), .label = "People returning to poverty", .topic = "poverty",        \
    .format = "int", .better = -1)                                                                                    \
  X(new_poverty, .unit = "households", .yearly = sim::Yearly::sum,                                                    \
    .description = "Households never registered poor whose income for the year fell below the poverty line after a year above it (December only)", \
    TRANSITION_RULE("village", "household month"), .label = "New poverty (never registered poor)", .topic = "poverty", \
    .format = "int", .better = -1, .key = true)                                                                       \
  X(new_poverty_people, .unit = "persons", .yearly = sim::Yearly::sum,                                                \
    .description = "People in households newly in poverty (December only)", TRANSITION_RULE("village", "household month"), \
    .label = "People newly in poverty", .topic = "poverty", .format = "int", .better = -1)                            \
  X(below_line_households, .unit = "households", .yearly = sim::Yearly::last,                                         \
    .description = "Households whose income last year was below the poverty line", TRANSITION_HH("count", "", "below_line"), \
    .label = "Households below the poverty line", .topic = "poverty", .format = "int", .better = -1)                  \
  X(pa_below_line, .unit = "households", .yearly = sim::Yearly::last,                                                 \
    .description = "Poverty-alleviated households whose income last year was below the poverty line",                \
    TRANSITION_HH("count", "", "poverty_alleviated and below_line"), .label = "PA households below the poverty line", \
    .topic = "poverty", .format = "int", .better = -1)                                                                \
  X(births, .unit = "persons", .yearly = sim::Yearly::sum, .description = "Births this month (January only)",          \
    TRANSITION_RULE("village", "demography"), .label = "Births", .topic = "population", .format = "int")              \
  X(deaths, .unit = "persons", .yearly = sim::Yearly::sum, .description = "Deaths this month (January only)",          \
    TRANSITION_RULE("village", "demography"), .label = "Deaths", .topic = "population", .format = "int")              \
  X(income, .unit = "yuan/month", .yearly = sim::Yearly::sum, .description = "Disposable income of all households this month", \
    TRANSITION_RULE("village", "household month"))                                                                   \
  X(income_migrant, .unit = "yuan/month", .yearly = sim::Yearly::sum, .description = "Wage income from migrant work",  \
    TRANSITION_RULE("village", "household month"))                                                                   \
  X(income_local, .unit = "yuan/month", .yearly = sim::Yearly::sum,                                                   \
    .description = "Wage income from local jobs (industrial parks, resettlement-site jobs)",                          \
    TRANSITION_RULE("village", "household month"))                                                                   \
  X(income_workshop, .unit = "yuan/month", .yearly = sim::Yearly::sum,                                                \
    .description = "Wage income from employment-assistance workshops", TRANSITION_RULE("village", "household month"))  \
  X(income_post, .unit = "yuan/month", .yearly = sim::Yearly::sum, .description = "Pay from public-welfare posts",     \
    TRANSITION_RULE("village", "household month"))                                                                   \
  X(income_ranger, .unit = "yuan/month", .yearly = sim::Yearly::sum,                                                  \
    .description = "Pay from ecological forest-ranger posts", TRANSITION_RULE("village", "household month"))           \
  X(income_farm, .unit = "yuan/month", .yearly = sim::Yearly::sum, .description = "Net farm income",                   \
    TRANSITION_RULE("village", "household month"))                                                                   \
  X(income_livestock, .unit = "yuan/month", .yearly = sim::Yearly::sum,                                               \
    .description = "Net livestock and cash-crop income", TRANSITION_RULE("village", "household month"))               \
  X(income_property, .unit = "yuan/month", .yearly = sim::Yearly::sum,                                                \
    .description = "Collective dividends and land rent", TRANSITION_RULE("village", "household month"))               \
  X(income_pension, .unit = "yuan/month", .yearly = sim::Yearly::sum, .description = "Basic pensions",                \
    TRANSITION_RULE("village", "household month"))                                                                   \
  X(income_dibao, .unit = "yuan/month", .yearly = sim::Yearly::sum,                                                   \
    .description = "Dibao (minimum living guarantee) payments", TRANSITION_RULE("village", "household month"))         \
  X(income_package, .unit = "yuan/month", .yearly = sim::Yearly::sum, .description = "Monitoring assistance package",  \
    TRANSITION_RULE("village", "household month"))                                                                   \
  X(income_other_transfer, .unit = "yuan/month", .yearly = sim::Yearly::sum,                                          \
    .description = "Other transfers (farmland, ecological and education subsidies)",                                  \
    TRANSITION_RULE("village", "household month"))                                                                   \
  X(income_pa, .unit = "yuan/month", .yearly = sim::Yearly::sum, .description = "Income of poverty-alleviated households", \
    TRANSITION_RULE("village", "household month"))                                                                   \
  X(income_monitored, .unit = "yuan/month", .yearly = sim::Yearly::sum, .description = "Income of monitored households", \
    TRANSITION_RULE("village", "household month"))                                                                   \
  X(income_relocated, .unit = "yuan/month", .yearly = sim::Yearly::sum, .description = "Income of relocated households", \
    TRANSITION_RULE("village", "household month"))                                                                   \
  TRANSITION_GROUP_SOURCES(X, pa, "poverty-alleviated")                                                               \
  TRANSITION_GROUP_SOURCES(X, monitored, "monitored")                                                                 \
  TRANSITION_GROUP_SOURCES(X, relocated, "relocated")                                                                 \
  X(medical_assistance, .unit = "yuan/month", .yearly = sim::Yearly::sum,                                             \
    .description = "Medical assistance received: reimbursement beyond basic insurance", TRANSITION_RULE("village", "household month")) \
  X(interest_subsidy, .unit = "yuan/month", .yearly = sim::Yearly::sum,                                               \
    .description = "Interest subsidies on households' microcredit", TRANSITION_RULE("village", "household month"))    \
  X(industry_grants, .unit = "yuan/month", .yearly = sim::Yearly::sum,                                                \
    .description = "Industry support paid to poverty-alleviated households (January)", TRANSITION_RULE("village", "household year start")) \
  X(land_compensation, .unit = "yuan/month", .yearly = sim::Yearly::sum,                                              \
    .description = "Compensation paid to households for farmland turned into park land (January)",                   \
    TRANSITION_RULE("village", "household year start"))                                                              \
  X(medical_costs, .unit = "yuan/month", .yearly = sim::Yearly::sum,                                                  \
    .description = "Out-of-pocket medical costs after reimbursement", TRANSITION_RULE("village", "household month"))   \
  X(workers_farm, .unit = "persons", .yearly = sim::Yearly::last, .description = "Workers farming",                   \
    TRANSITION_HH("sum", "workers_farm"))                                                                             \
  X(workers_local, .unit = "persons", .yearly = sim::Yearly::last, .description = "Workers in local wage jobs",       \
    TRANSITION_HH("sum", "workers_local"), .summary = true)                                                           \
  X(workers_workshop, .unit = "persons", .yearly = sim::Yearly::last,                                                 \
    .description = "Workers in employment-assistance workshops", TRANSITION_HH("sum", "workers_workshop"))             \
  X(workers_migrant, .unit = "persons", .yearly = sim::Yearly::last, .description = "Migrant workers",                \
    TRANSITION_HH("sum", "workers_migrant"), .summary = true)                                                         \
  X(workers_post, .unit = "persons", .yearly = sim::Yearly::last, .description = "Workers in public-welfare posts",   \
    TRANSITION_HH("sum", "workers_post"), .summary = true)                                                            \
  X(workers_ranger, .unit = "persons", .yearly = sim::Yearly::last, .description = "Ecological forest rangers",       \
    TRANSITION_HH("sum", "workers_ranger"))                                                                           \
  X(weak_workers_post, .unit = "persons", .yearly = sim::Yearly::last,                                               \
    .description = "Weak or half-labour workers in public-welfare posts", TRANSITION_HH("sum", "weak_posts"),        \
    .label = "Weak or half-labour workers in posts", .topic = "employment", .format = "int")                          \
  X(pa_workers_farm, .unit = "persons", .yearly = sim::Yearly::last, .description = "Poverty-alleviated workers farming", \
    TRANSITION_HH("sum", "workers_farm", "poverty_alleviated"), .label = "PA workers in farming", .topic = "employment", \
    .format = "int")                                                                                                  \
  X(pa_workers_local, .unit = "persons", .yearly = sim::Yearly::last,                                                 \
    .description = "Poverty-alleviated workers in local wage jobs", TRANSITION_HH("sum", "workers_local", "poverty_alleviated"), \
    .label = "PA workers in local wage jobs", .topic = "employment", .format = "int", .key = true)                    \
  X(pa_workers_workshop, .unit = "persons", .yearly = sim::Yearly::last,                                              \
    .description = "Poverty-alleviated workers in workshops",                                                         \
    TRANSITION_HH("sum", "workers_workshop", "poverty_alleviated"), .label = "PA workers in workshops",               \
    .topic = "employment", .format = "int")                                                                           \
  X(pa_workers_migrant, .unit = "persons", .yearly = sim::Yearly::last,                                               \
    .description = "Poverty-alleviated migrant workers", TRANSITION_HH("sum", "workers_migrant", "poverty_alleviated"), \
    .label = "PA workers in migrant work", .topic = "employment", .format = "int", .key = true)                        \
  X(pa_workers_post, .unit = "persons", .yearly = sim::Yearly::last,                                                  \
    .description = "Poverty-alleviated workers in public-welfare posts",                                              \
    TRANSITION_HH("sum", "workers_post", "poverty_alleviated"), .label = "PA workers in public-welfare posts",         \
    .topic = "employment", .format = "int", .key = true)                                                              \
  X(pa_workers_ranger, .unit = "persons", .yearly = sim::Yearly::last,                                                \
    .description = "Poverty-alleviated forest rangers", TRANSITION_HH("sum", "workers_ranger", "poverty_alleviated"), \
    .label = "PA workers in forest rangers", .topic = "employment", .format = "int")                                  \
  X(dibao_households, .unit = "households", .yearly = sim::Yearly::last, .description = "Households receiving dibao",  \
    TRANSITION_HH("count", "", "dibao"))                                                                               \
  X(borrowers, .unit = "households", .yearly = sim::Yearly::last,                                                     \
    .description = "Households with an outstanding microcredit loan", TRANSITION_HH("count", "", "borrower"))          \
  X(debt, .unit = "yuan", .yearly = sim::Yearly::last, .description = "Outstanding microcredit", TRANSITION_HH("sum", "debt")) \
  X(defaulted_debt, .unit = "yuan/month", .yearly = sim::Yearly::sum,                                                 \
    .description = "Microcredit written off this month and covered by the county risk fund",                          \
    TRANSITION_RULE("village", "household year start"))                                                              \
  X(new_loans, .unit = "yuan/month", .yearly = sim::Yearly::sum, .description = "Microcredit lent this month",         \
    TRANSITION_RULE("village", "household year start"))                                                              \
  X(trained_households, .unit = "households", .yearly = sim::Yearly::sum,                                             \
    .description = "Households whose workers were trained this month", TRANSITION_RULE("village", "household year start")) \
  X(savings, .unit = "yuan", .yearly = sim::Yearly::last, .description = "Household savings", TRANSITION_HH("sum", "savings")) \
  X(livestock_assets, .unit = "yuan", .yearly = sim::Yearly::last,                                                    \
    .description = "Household livestock and cash-crop assets", TRANSITION_HH("sum", "livestock"))

// A group's income by NBS category (wages, operating, property, transfers).
#define TRANSITION_GROUP_SOURCES(X, group, who)                                                                        \
  X(income_##group##_wages, .unit = "yuan/month", .yearly = sim::Yearly::sum,                                          \
    .description = "Income of " who " households: wages (migrant, local, workshop, posts, rangers)",                  \
    TRANSITION_RULE("village", "household month"))                                                                   \
  X(income_##group##_operating, .unit = "yuan/month", .yearly = sim::Yearly::sum,                                      \
    .description = "Income of " who " households: household operating income (farming, livestock)",                  \
    TRANSITION_RULE("village", "household month"))                                                                   \
  X(income_##group##_property, .unit = "yuan/month", .yearly = sim::Yearly::sum,                                       \
    .description = "Income of " who " households: property income (dividends, land rent)",                           \
    TRANSITION_RULE("village", "household month"))                                                                   \
  X(income_##group##_transfers, .unit = "yuan/month", .yearly = sim::Yearly::sum,                                      \
    .description = "Income of " who " households: transfers (pensions, dibao, package, other)",                       \
    TRANSITION_RULE("village", "household month"))

// Set per county each month (finance, land, markets), and added up to the whole.
// Finance is a ledger (county accounts, docs/ODD.md 7.1): every yuan paid out
// (spend_) has a source (fund_); what the county programme receives and has
// not paid carries over (balance), so that every month
//   balance - balance last month = sum of fund_ - sum of spend_.
#define TRANSITION_FUND(X, id, title, doc)                                                                          \
  X(id, .unit = "yuan/month", .yearly = sim::Yearly::sum, .description = doc,                                      \
    TRANSITION_RULE("county", "county accounts"), .label = title, .topic = "funds", .format = "int")
#define TRANSITION_SPEND(X, id, title, doc)                                                                         \
  X(id, .unit = "yuan/month", .yearly = sim::Yearly::sum, .description = doc,                                      \
    TRANSITION_RULE("county", "county accounts"), .label = title, .topic = "spending", .format = "int")
#define TRANSITION_COUNTY_VALUES(X)                                                                                   \
  TRANSITION_FUND(X, fund_linkage, "Funds: central linkage funds", "Central linkage funds received (the year's allocation, in January)") \
  TRANSITION_FUND(X, fund_integrated, "Funds: integrated agriculture funds",                                            \
                  "Agriculture-related funds the county may use in its own programme (January)")                     \
  TRANSITION_FUND(X, fund_earmarked, "Funds: agriculture funds under earmarks",                                         \
                  "Agriculture-related funds back under their sectoral earmarks once integration has ended (January)") \
  TRANSITION_FUND(X, fund_own, "Funds: county own revenue", "County own revenue for rural programmes, park revenue apart (January)") \
  TRANSITION_FUND(X, fund_park_revenue, "Funds: park land revenue", "County revenue from working park land (January)")  \
  TRANSITION_FUND(X, fund_east_west, "Funds: east-west cooperation", "East-west cooperation funds (January)")          \
  TRANSITION_FUND(X, fund_paired, "Funds: paired assistance", "Paired assistance by central units (January)")          \
  TRANSITION_FUND(X, fund_quota_sales, "Funds: surplus quota sales", "Revenue from surplus land quota sold across provinces (January)") \
  TRANSITION_FUND(X, fund_old_revolutionary, "Funds: old revolutionary base-area transfer",                             \
                  "Central transfer for old revolutionary base areas (January)")                                     \
  TRANSITION_FUND(X, fund_ethnic, "Funds: ethnic-minority development", "Ethnic-minority development funds (January)")  \
  TRANSITION_FUND(X, fund_social_assistance, "Funds: social assistance transfers",                                      \
                  "Social assistance funds of higher governments paying dibao and medical assistance as claimed")    \
  TRANSITION_FUND(X, fund_employment, "Funds: sectoral employment funds",                                               \
                  "Sectoral funds paying forest rangers and the public-welfare posts outside the county programme")  \
  TRANSITION_FUND(X, fund_credit, "Funds: credit subsidies and risk funds",                                             \
                  "Funds paying microcredit interest subsidies and the risk fund's loan losses")                     \
  TRANSITION_FUND(X, fund_land, "Funds: county land budget",                                                            \
                  "County land budget paying compensation, servicing and reclamation of quota land (January)")       \
  TRANSITION_SPEND(X, spend_industry, "Spending: industry",                                                             \
                   "Industry money paid: collective projects, support to poverty-alleviated households, enterprises") \
  TRANSITION_SPEND(X, spend_infrastructure, "Spending: infrastructure", "Infrastructure paid (the year's budget, a twelfth a month)") \
  TRANSITION_SPEND(X, spend_posts, "Spending: public-welfare posts", "Public-welfare post wages paid")                  \
  TRANSITION_SPEND(X, spend_rangers, "Spending: forest rangers", "Forest-ranger wages paid")                            \
  TRANSITION_SPEND(X, spend_training, "Spending: training", "Training paid: workers trained times the cost (January)") \
  TRANSITION_SPEND(X, spend_relocation, "Spending: relocation follow-up", "Relocation follow-up paid to sites and villages (January)") \
  TRANSITION_SPEND(X, spend_packages, "Spending: monitoring packages", "Monitoring packages paid to monitored households") \
  TRANSITION_SPEND(X, spend_administration, "Spending: administration", "Programme administration (a twelfth a month)") \
  TRANSITION_SPEND(X, spend_dibao, "Spending: dibao", "Dibao paid to households")                                       \
  TRANSITION_SPEND(X, spend_medical, "Spending: medical assistance",                                                    \
                   "Medical assistance paid: reimbursement beyond basic insurance for poverty-alleviated and monitored households") \
  TRANSITION_SPEND(X, spend_interest, "Spending: microcredit interest subsidies", "Interest subsidies paid on microcredit") \
  TRANSITION_SPEND(X, spend_loan_losses, "Spending: microcredit losses", "Microcredit written off and covered by the risk fund") \
  TRANSITION_SPEND(X, spend_land, "Spending: land", "Quota land: compensation to households for farmland given up, servicing, reclamation of sold quota (January)") \
  X(spend_total, .unit = "yuan/month", .yearly = sim::Yearly::sum, .description = "All public money paid out this month", \
    TRANSITION_RULE("county", "the sum of the county's spend_ values"), .label = "Spending, all uses",                \
    .topic = "spending", .format = "int", .key = true)                                                               \
  X(net_public_cost, .unit = "yuan/month", .yearly = sim::Yearly::sum,                                               \
    .description = "Public money paid out less the revenue the county's own land brings (quota sales, park revenue): the cost cost-effectiveness divides by", \
    TRANSITION_RULE("county", "spend_total - fund_quota_sales - fund_park_revenue"), .label = "Net public cost",       \
    .topic = "spending", .format = "int", .key = true, .summary = true)                                              \
  X(balance, .unit = "yuan", .yearly = sim::Yearly::last,                                                            \
    .description = "County programme money received and not yet paid out (carried over to the next year's programme)", \
    TRANSITION_RULE("county", "county accounts"), .label = "Programme money carried over", .topic = "spending",       \
    .format = "int")                                                                                                  \
  X(quota_used_mu, .unit = "mu", .yearly = sim::Yearly::last, .description = "Construction-land quota used so far since 2021", \
    TRANSITION_RULE("county", "county year plan"), .label = "Land quota used since 2021", .topic = "land",            \
    .format = "int", .key = true)                                                                                     \
  X(serviced_mu, .unit = "mu", .yearly = sim::Yearly::last,                                                         \
    .description = "Industrial-park land from the quota serviced and ready for firms", TRANSITION_RULE("county", "county year plan"), \
    .label = "Park land serviced", .topic = "land", .format = "int")                                                 \
  X(park_mu, .unit = "mu", .yearly = sim::Yearly::last, .description = "Park land occupied by firms (working)",     \
    TRANSITION_RULE("county", "county year plan"), .label = "Park land working", .topic = "land", .format = "int")    \
  X(park_jobs, .unit = "jobs", .yearly = sim::Yearly::last, .description = "Local jobs on quota park land",          \
    TRANSITION_RULE("county", "county year plan"), .label = "Jobs on quota park land", .topic = "land",              \
    .format = "int", .better = 1, .key = true)                                                                        \
  X(local_jobs, .unit = "jobs", .yearly = sim::Yearly::last, .description = "Local wage jobs on offer",              \
    TRANSITION_RULE("county", "county year plan"), .label = "Local wage jobs on offer", .topic = "land",             \
    .format = "int", .better = 1)                                                                                     \
  X(induced_jobs, .unit = "jobs", .yearly = sim::Yearly::last,                                                       \
    .description = "Local jobs induced through the county economy by public spending above its 2021 level (social accounting multipliers)", \
    TRANSITION_RULE("county", "county year plan"), .label = "Jobs induced by local spending", .topic = "land",       \
    .format = "int")                                                                                                  \
  X(posts, .unit = "posts", .yearly = sim::Yearly::last, .description = "Public-welfare posts on offer",             \
    TRANSITION_RULE("county", "county year plan"))                                                                   \
  X(ranger_posts, .unit = "posts", .yearly = sim::Yearly::last, .description = "Forest-ranger posts on offer",       \
    TRANSITION_RULE("county", "county year plan"))                                                                   \
  X(price_index, .unit = "1", .yearly = sim::Yearly::mean,                                                            \
    .description = "Farm-gate price index (people-weighted at aggregate levels)",                                     \
    TRANSITION_RULE("county", "county year plan"), .combine = sim::Combine::weighted_mean, .weight = "people")         \
  X(disaster, .unit = "counties", .yearly = sim::Yearly::last, .description = "Counties under a disaster this month", \
    TRANSITION_RULE("county", "county month"))                                                                       \
  X(gini, .unit = "1", .yearly = sim::Yearly::last,                                                                   \
    .description = "Gini of per-capita income for the year among residents (December only; NaN otherwise)",         \
    TRANSITION_RULE("county", "inequality"), .combine = sim::Combine::none, .year_end_only = true,                    \
    .label = "Gini of income (total: all residents; county: within)", .topic = "inequality", .format = "ratio",       \
    .better = -1, .summary = true)

// Indices of the two lists (their names are too common to share a scope with
// local variables).
namespace ind {
#define TRANSITION_ENUM(name, ...) name,
enum HouseholdSum : std::size_t { TRANSITION_HOUSEHOLD_SUMS(TRANSITION_ENUM) kHouseholdSums };
enum CountyValue : std::size_t { TRANSITION_COUNTY_VALUES(TRANSITION_ENUM) kCountyValues };
#undef TRANSITION_ENUM
}  // namespace ind

#define TRANSITION_NAME(name, ...) #name,
inline constexpr std::array<const char*, ind::kHouseholdSums> kHouseholdSumNames = {
    TRANSITION_HOUSEHOLD_SUMS(TRANSITION_NAME)};
inline constexpr std::array<const char*, ind::kCountyValues> kCountyValueNames = {TRANSITION_COUNTY_VALUES(TRANSITION_NAME)};
#undef TRANSITION_NAME

// Household sums of one village in one step, filled by the household rules.
using VillageSums = std::array<double, ind::kHouseholdSums>;

// Workers per activity, in the order of Activity.
inline constexpr std::array<ind::HouseholdSum, kActivities> kWorkerSums = {ind::workers_farm,    ind::workers_local,
                                                                 ind::workers_workshop, ind::workers_migrant,
                                                                 ind::workers_post,    ind::workers_ranger};
inline constexpr std::array<ind::HouseholdSum, kActivities> kPaWorkerSums = {
    ind::pa_workers_farm, ind::pa_workers_local, ind::pa_workers_workshop,
    ind::pa_workers_migrant, ind::pa_workers_post, ind::pa_workers_ranger};
// A group's income by NBS category.
struct SourceSums {
  ind::HouseholdSum wages, operating, property, transfers;
};
inline constexpr SourceSums kPaSources = {ind::income_pa_wages, ind::income_pa_operating, ind::income_pa_property,
                                          ind::income_pa_transfers};
inline constexpr SourceSums kMonitoredSources = {ind::income_monitored_wages, ind::income_monitored_operating,
                                                 ind::income_monitored_property, ind::income_monitored_transfers};
inline constexpr SourceSums kRelocatedSources = {ind::income_relocated_wages, ind::income_relocated_operating,
                                                 ind::income_relocated_property, ind::income_relocated_transfers};

// Every indicator of the model, in declaration order.
std::vector<sim::IndicatorDecl> indicator_declarations();
// The analysis package's view: topic order, comparisons, figures.
sim::AnalysisDecl analysis_declaration();

}  // namespace transition
