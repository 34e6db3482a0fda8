#pragma once
// The state of the transition model: households, villages and counties as
// plain structs of columns, indexed by stable ids. A village's households and
// a county's villages are contiguous (sim::Hierarchy), so the household step
// runs village by village and aggregates as it goes.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "models/transition/params.hpp"
#include "sim/core/columns.hpp"

namespace transition {

// What an able or weak worker does this year.
enum Activity : std::uint8_t { kFarm, kLocal, kWorkshop, kMigrant, kPost, kRanger, kActivities };
inline constexpr std::array<const char*, kActivities> kActivityNames = {"farm", "local", "workshop",
                                                                          "migrant", "post", "ranger"};

// Household flags (bits of Households::flags).
enum HouseholdFlag : std::uint8_t {
  kPovertyAlleviated = 1,  // registered poor who exited poverty 2014-2020
  kRelocated = 2,          // moved under poverty-alleviation relocation
  kLargeSite = 4,          // lives in a centralised site of >= 10,000 people
  kDibao = 8,              // enrolled in the minimum living guarantee this year
  kReturned = 16,          // has returned to poverty at least once since 2021
};

// Kinds of monitored household (national monitoring rules); 0 = not monitored.
enum MonitorKind : std::uint8_t { kNotMonitored, kUnstable, kMarginal, kSuddenDifficulty };

// Every household column but the workers per activity: type, name, unit,
// description. One list sizes, binds and views them.
#define TRANSITION_HOUSEHOLD_COLUMNS(X)                                                                          \
  /* Composition: able (full) and weak labour, dependants, chronically ill or disabled. */                   \
  X(std::uint8_t, members, "persons", "Household members")                                                    \
  X(std::uint8_t, able, "persons", "Able-bodied (full) labour")                                               \
  X(std::uint8_t, weak, "persons", "Weak or half labour")                                                     \
  X(std::uint8_t, elderly, "persons", "Dependent elderly members")                                            \
  X(std::uint8_t, children, "persons", "Children")                                                            \
  X(std::uint8_t, chronic, "persons", "Members with chronic illness or disability")                           \
  X(std::uint8_t, skill, "level", "Education or skill level, 0 (primary or less) to 3 (vocational or trained)") \
  X(std::uint8_t, flags, "bits", "1 poverty-alleviated, 2 relocated, 4 large site, 8 dibao, 16 returned to poverty") \
  X(std::uint8_t, exit_year, "year-2000", "Year the household exited poverty, minus 2000 (0: never registered poor)") \
  X(std::uint8_t, irrigated, "percent", "Irrigated share of the household's land")                            \
  /* Monitoring and shocks. */                                                                                \
  X(std::uint8_t, monitor_kind, "code", "0 not monitored, 1 unstable PA, 2 marginal, 3 sudden difficulty")   \
  X(std::uint8_t, monitor_months, "months", "Months in monitoring so far")                                   \
  X(std::uint8_t, risk_months, "months", "Months at risk and not yet identified")                            \
  X(std::uint8_t, stable_months, "months", "Months a monitored household has stayed above the threshold")    \
  X(std::uint8_t, sick_months, "months", "Months of work still lost to an illness")                          \
  X(std::uint8_t, loan_months, "months", "Months left on a microcredit loan")                                \
  /* Farm workers who sought migrant work and found none: migrants for next year's inertia. */              \
  X(std::uint8_t, migrant_seekers, "persons", "Farm workers who sought migrant work this year and found none") \
  /* Land and assets. */                                                                                      \
  X(float, land_mu, "mu", "Contracted farmland")                                                              \
  X(float, productivity, "1", "Household productivity multiplier on farm, livestock and local wages")       \
  X(float, savings, "yuan", "Savings")                                                                        \
  X(float, debt, "yuan", "Outstanding microcredit")                                                           \
  X(float, livestock, "yuan", "Livestock and cash-crop assets")                                               \
  /* Income: this calendar year so far, last year per capita, what cadres see. */                           \
  X(float, income_ytd, "yuan", "Disposable income this calendar year so far (household)")                    \
  X(float, income_last_year, "yuan/person/year", "Per-capita disposable income last calendar year")          \
  X(float, income_ema, "yuan/person/month", "Smoothed recent per-capita monthly income (what cadres observe)") \
  X(float, medical_ytd, "yuan", "Out-of-pocket medical costs this calendar year")

// The household columns. Listing them once (above) keeps sizing, binding and
// documentation in step.
struct Households {
#define TRANSITION_MEMBER(type, name, unit, doc) std::vector<type> name;
  TRANSITION_HOUSEHOLD_COLUMNS(TRANSITION_MEMBER)
#undef TRANSITION_MEMBER
  // Workers per activity this year (able and weak members together).
  std::array<std::vector<std::uint8_t>, kActivities> workers;

  std::size_t size() const { return members.size(); }
  void resize(std::size_t n);
  void bind(sim::AgentTable& table);
};

struct Villages {
  std::vector<std::uint32_t> county;
  std::vector<std::uint8_t> is_site;   // a large resettlement site rather than a village
  std::vector<std::uint8_t> product;   // specialty product
  std::vector<std::uint8_t> has_pv;    // photovoltaic station
  std::vector<double> base_income;     // collective income not from funded assets, yuan/year
  std::vector<double> assets;          // collective assets from funded projects, yuan
  std::vector<double> income_year;     // this year's collective income (planned in January), yuan
  std::vector<double> income_last_year;
  std::vector<double> dividend_month;  // dividend per member household this year, yuan/month
  std::vector<std::uint32_t> workshop_jobs;
  // Chance a workshop applicant got a job in this year's rationing, for
  // monitored (priority) and other households: next year's expectation.
  std::vector<float> workshop_accept_priority, workshop_accept_other;

  std::size_t size() const { return county.size(); }
  void resize(std::size_t n);
  void bind(sim::AgentTable& table);
};

// County-level job markets; workshops are rationed per village.
enum Market : std::uint8_t { kLocalMarket, kPostMarket, kRangerMarket, kMigrantMarket, kMarkets };

struct Counties {
  // From the county data file.
  std::vector<std::string> name, province_name, prefecture;
  std::vector<std::uint8_t> province;  // index into kProvinceKeys
  std::vector<std::uint16_t> prefecture_id;
  std::vector<std::uint8_t> hazard_prone, ethnic_area, old_revolutionary, no_railway, no_expressway;
  std::vector<std::uint8_t> product;   // the county's leading specialty product
  // Finance this year, yuan/year.
  std::vector<double> fund_linkage, fund_integrated, fund_own, fund_east_west, fund_paired, fund_quota_sales;
  std::vector<double> spend_industry, spend_infrastructure, spend_posts, spend_training, spend_relocation,
      spend_assistance;
  std::vector<double> infrastructure_per_household;  // cumulative since 2021, yuan/household
  std::vector<float> package_scale;  // share of the monitoring package the assistance budget covers
  // Land quota: mu used in each year of the period, and working park land.
  std::array<std::vector<double>, kYears> quota_used;
  std::vector<double> park_mu;
  // Job markets: jobs or posts on offer, and the chance an applicant got one
  // in this year's rationing (monitored households, others), which is next
  // year's expectation. Migrant work has no capacity, only a chance.
  std::vector<double> base_local_jobs, industry_jobs;  // local jobs without quota land; from industry money
  std::array<std::vector<double>, kMarkets> capacity;
  std::array<std::vector<float>, kMarkets> accept_priority, accept_other;
  // Shocks this year.
  std::vector<float> price;            // farm-gate price index of the county's products
  std::vector<std::uint8_t> disaster_months;  // months of disaster left
  std::vector<std::uint8_t> disaster_month;   // month (1-12) a disaster strikes this year, 0 = none

  std::size_t size() const { return name.size(); }
  void resize(std::size_t n);
  void bind(sim::AgentTable& table);
};

// Calibration factors found by the population generator so that 2020 incomes
// match the targets (docs/ODD.md, "Initialisation"); the dynamics use them too.
struct Calibration {
  double market_wage = 1, operating = 1, property = 1, other_transfer = 1, non_pa_productivity = 1;
};

}  // namespace transition
