#pragma once
// The state of the transition model: households, villages, counties and
// products as plain structs of columns, indexed by stable ids. Each table's
// columns are listed once (the X-macro lists below); that list makes the
// struct's members, its binding to a sim::AgentTable (from which the engine
// sizes, records and documents it) and the views the rules receive.
//
// A village's households and a county's villages are contiguous
// (sim::Hierarchy), so the household rules run village by village on a view
// of that village's rows.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "models/transition/params.hpp"
#include "sim/core/columns.hpp"
#include "sim/core/parallel.hpp"

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
  kBelowLine = 32,         // last year's income (as monitoring.poverty_income counts it) was below the poverty line
};

// Kinds of monitored household (national monitoring rules); 0 = not monitored.
enum MonitorKind : std::uint8_t { kNotMonitored, kUnstable, kMarginal, kSuddenDifficulty };

// County-level job markets; workshops are rationed per village.
enum Market : std::uint8_t { kLocalMarket, kPostMarket, kRangerMarket, kMigrantMarket, kMarkets };
inline constexpr std::array<const char*, kMarkets> kMarketNames = {"local", "posts", "rangers", "migrant"};
// Sectors of the county economy (social accounting matrix, docs/ODD.md 7.13).
enum Sector : std::uint8_t { kAgriculture, kIndustry, kConstruction, kServices, kSectors };
inline constexpr std::array<const char*, kSectors> kSectorNames = {"agriculture", "industry", "construction", "services"};
inline constexpr std::array<const char*, kYears> kYearNames = {"2021", "2022", "2023", "2024", "2025"};

// ---- households ------------------------------------------------------------

// Every household column but the workers per activity: type, name, unit, description.
#define TRANSITION_HOUSEHOLD_COLUMNS(X)                                                                          \
  /* Composition: able (full) and weak labour, dependants, chronically ill or disabled. */                   \
  X(std::uint8_t, members, "persons", "Household members")                                                    \
  X(std::uint8_t, able, "persons", "Able-bodied (full) labour")                                               \
  X(std::uint8_t, weak, "persons", "Weak or half labour")                                                     \
  X(std::uint8_t, elderly, "persons", "Dependent elderly members")                                            \
  X(std::uint8_t, children, "persons", "Children")                                                            \
  X(std::uint8_t, chronic, "persons", "Members with chronic illness or disability")                           \
  X(std::uint8_t, skill, "level", "Education or skill level, 0 (primary or less) to 3 (vocational or trained)") \
  X(std::uint8_t, flags, "bits", "1 poverty-alleviated, 2 relocated, 4 large site, 8 dibao, 16 returned to poverty, 32 below the poverty line last year") \
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
  X(std::uint8_t, weak_posts, "persons", "Weak or half-labour workers in public-welfare posts this year")      \
  X(std::uint8_t, dibao_years, "years", "Years on dibao since the last enrolment")                              \
  /* Land and assets. */                                                                                      \
  X(float, land_mu, "mu", "Contracted farmland")                                                              \
  X(float, productivity, "1", "Household productivity multiplier on farm, livestock and local wages")       \
  X(float, savings, "yuan", "Savings")                                                                        \
  X(float, debt, "yuan", "Outstanding microcredit")                                                           \
  X(float, livestock, "yuan", "Livestock and cash-crop assets")                                               \
  /* Income: this calendar year so far, last year per capita, what cadres see. */                           \
  X(float, income_ytd, "yuan", "Disposable income this calendar year so far (household)")                    \
  X(float, income_last_year, "yuan/person/year", "Per-capita disposable income last calendar year")          \
  X(float, income_ema, "yuan/person/month", "Smoothed recent per-capita monthly income as monitoring tests it (what cadres observe)") \
  X(float, medical_ytd, "yuan", "Out-of-pocket medical costs this calendar year")                            \
  X(float, medical_recent, "yuan", "Out-of-pocket medical costs of about the last 12 months (decaying by 1/12 a month)") \
  X(float, transfers_ytd, "yuan", "Transfers received this calendar year (pensions, dibao, package, other)")  \
  X(float, dibao_ytd, "yuan", "Dibao received this calendar year")                                           \
  X(float, means_last_year, "yuan/person/year", "Per-capita income last year without dibao (what the dibao means test sees)")

struct Households {
  TRANSITION_HOUSEHOLD_COLUMNS(SIM_COLUMN_VECTOR)
  // Workers per activity this year (able and weak members together).
  std::array<std::vector<std::uint8_t>, kActivities> workers;

  std::size_t size() const { return members.size(); }
  void bind(sim::AgentTable& table) {
    TRANSITION_HOUSEHOLD_COLUMNS(SIM_COLUMN_BIND)
    table.bind_each(workers, "workers", kActivityNames, "persons", "Workers this year");
  }
};

// The households of one village: what the household rules may read and write.
struct HouseholdRows {
  std::uint32_t first;  // id of the first household: random streams are keyed by id
  std::size_t count;
  TRANSITION_HOUSEHOLD_COLUMNS(SIM_COLUMN_SPAN)
  std::array<std::span<std::uint8_t>, kActivities> workers;

  HouseholdRows(Households& source, sim::Range rows)
      : first(static_cast<std::uint32_t>(rows.begin)),
        count(rows.size()) TRANSITION_HOUSEHOLD_COLUMNS(SIM_COLUMN_SPAN_INIT) {
    for (std::size_t a = 0; a < kActivities; ++a) workers[a] = std::span(source.workers[a].data() + rows.begin, rows.size());
  }
  std::size_t size() const { return count; }
  std::uint32_t id(std::size_t j) const { return first + static_cast<std::uint32_t>(j); }
};

// ---- villages --------------------------------------------------------------

// Set when the villages are created (written once to /static/village).
#define TRANSITION_VILLAGE_FIXED(X)                                                  \
  X(std::uint32_t, county, "index", "County the village belongs to")                \
  X(std::uint8_t, is_site, "0/1", "1 for a large centralised resettlement site")    \
  X(std::uint8_t, product, "code", "Specialty product grown")                       \
  X(std::uint8_t, has_pv, "0/1", "Village photovoltaic station")

#define TRANSITION_VILLAGE_STATE(X)                                                                         \
  X(double, base_income, "yuan/year", "Collective income not from funded assets")                          \
  X(double, assets, "yuan", "Collective assets from funded projects")                                      \
  X(double, income_year, "yuan/year", "Collective income this year (planned in January)")                  \
  X(double, income_last_year, "yuan/year", "Collective income last year")                                   \
  X(double, dividend_month, "yuan/household/month", "Dividend paid to each member household this year")     \
  X(std::uint32_t, workshop_jobs, "jobs", "Workshop jobs in the village")                                  \
  /* Chance a workshop applicant got a job in this year's rationing: next year's expectation. */          \
  X(float, workshop_accept_priority, "1", "Chance a monitored applicant got a workshop job")                \
  X(float, workshop_accept_other, "1", "Chance another applicant got a workshop job")

struct Villages {
  TRANSITION_VILLAGE_FIXED(SIM_COLUMN_VECTOR)
  TRANSITION_VILLAGE_STATE(SIM_COLUMN_VECTOR)

  std::size_t size() const { return county.size(); }
  void bind(sim::AgentTable& table) {
    TRANSITION_VILLAGE_FIXED(SIM_COLUMN_BIND_FIXED)
    TRANSITION_VILLAGE_STATE(SIM_COLUMN_BIND)
  }
};

// One village's row: its state writable, its fixed columns not.
struct VillageRow {
  std::size_t index;
  TRANSITION_VILLAGE_FIXED(SIM_COLUMN_CONST_REF)
  TRANSITION_VILLAGE_STATE(SIM_COLUMN_REF)

  VillageRow(Villages& source, std::size_t row)
      : index(row) TRANSITION_VILLAGE_FIXED(SIM_COLUMN_REF_INIT) TRANSITION_VILLAGE_STATE(SIM_COLUMN_REF_INIT) {}
};

// ---- counties --------------------------------------------------------------

// From the county data file and the generator (written once to /static/county).
#define TRANSITION_COUNTY_FIXED(X)                                                               \
  X(std::string, name, "", "County name")                                                        \
  X(std::string, province, "", "Province")                                                       \
  X(std::string, prefecture, "", "Prefecture")                                                   \
  X(std::string, name_zh, "", "County name in Chinese (empty if the data file has none)")       \
  X(std::string, prefecture_zh, "", "Prefecture in Chinese")                                     \
  X(std::string, code, "", "Administrative-division code")                                       \
  X(float, lat, "degrees", "Latitude of the county seat (NaN if not given)")                     \
  X(float, lon, "degrees", "Longitude of the county seat (NaN if not given)")                    \
  X(std::uint8_t, province_index, "index", "Province index (order of docs/ODD.md)")             \
  X(std::uint16_t, prefecture_index, "index", "Prefecture index")                               \
  X(std::uint8_t, hazard_prone, "0/1", "In a geological-hazard-prone area")                     \
  X(std::uint8_t, ethnic_area, "0/1", "In an ethnic-minority area")                             \
  X(std::uint8_t, old_revolutionary, "0/1", "In an old revolutionary area")                     \
  X(std::uint8_t, no_railway, "0/1", "Without railway")                                         \
  X(std::uint8_t, no_expressway, "0/1", "Without expressway")                                   \
  X(float, prefecture_access, "1", "Share of the prefecture's counties with an expressway")      \
  X(std::uint8_t, product, "code", "Leading specialty product")

#define TRANSITION_COUNTY_STATE(X)                                                                                   \
  /* Finance this year (yuan/year, planned in January; docs/ODD.md 7.1). */                                         \
  X(double, fund_linkage, "yuan/year", "Central linkage funds this year")                                           \
  X(double, fund_integrated, "yuan/year", "Agriculture-related funds usable in the county programme this year")     \
  X(double, fund_earmarked, "yuan/year", "Agriculture-related funds back under sectoral earmarks this year")        \
  X(double, fund_own, "yuan/year", "Own revenue for rural programmes this year, park revenue apart")                \
  X(double, fund_park_revenue, "yuan/year", "County revenue from working park land this year")                      \
  X(double, fund_east_west, "yuan/year", "East-west cooperation funds this year")                                   \
  X(double, fund_paired, "yuan/year", "Paired assistance funds this year")                                          \
  X(double, fund_quota_sales, "yuan/year", "Sales of surplus land quota this year")                                 \
  X(double, fund_old_revolutionary, "yuan/year", "Central transfer for old revolutionary base areas this year")      \
  X(double, fund_ethnic, "yuan/year", "Ethnic-minority development funds this year")                                \
  X(double, budget_industry, "yuan/year", "Programme budget for industry this year (earmarked funds included)")     \
  X(double, budget_infrastructure, "yuan/year", "Programme budget for infrastructure this year (earmarked funds included)") \
  X(double, budget_posts, "yuan/year", "Programme budget for public-welfare posts this year")                       \
  X(double, budget_training, "yuan/year", "Programme budget for training this year")                                \
  X(double, budget_relocation, "yuan/year", "Programme budget for relocation follow-up this year")                  \
  X(double, budget_assistance, "yuan/year", "Programme budget for monitoring packages this year")                   \
  X(double, budget_administration, "yuan/year", "Programme budget for administration this year")                    \
  X(double, balance, "yuan", "Programme money received and not yet paid out")                                        \
  X(double, assistance_left, "yuan", "Assistance budget not yet paid out this year")                                  \
  X(double, base_posts, "posts", "Public-welfare posts paid by sectoral employment funds (outside the programme)")   \
  X(double, farmland_mu, "mu", "Farmland of the county's households")                                               \
  X(double, land_converted_mu, "mu", "Farmland turned into park land this January")                                 \
  X(double, infrastructure_per_household, "yuan/household", "Cumulative infrastructure spending since 2021")        \
  X(float, package_scale, "1", "Share of the monitoring package the assistance budget covers")                      \
  X(float, accept_weak_posts, "1", "Chance a weak or half-labour applicant got a public-welfare post this year")      \
  /* Land quota turned into serviced park land, and the part firms occupy. */                                        \
  X(double, serviced_mu, "mu", "Industrial-park land from the quota, serviced and ready for firms")                \
  X(double, park_mu, "mu", "Park land occupied by firms (working)")                                                \
  X(double, local_applicants, "persons", "Applicants for local jobs at this January's labour round")               \
  X(double, induced_jobs, "jobs", "Local jobs induced by public spending above its 2021 level (county economy)")   \
  /* Local jobs without quota land, and those created by industry money since 2021. */                              \
  X(double, base_local_jobs, "jobs", "Local jobs at the start")                                                     \
  X(double, industry_jobs, "jobs", "Local jobs created by industry money since 2021")                               \
  /* Shocks this year. */                                                                                            \
  X(float, price, "1", "Farm-gate price index of the county's products this year")                                 \
  X(std::uint8_t, disaster_months, "months", "Months of disaster left")                                             \
  X(std::uint8_t, disaster_month, "month", "Month (1-12) a disaster strikes this year (0: none)")

// The county's arrays of columns: quota used per year, and per job market the
// places on offer and the chance an applicant got one in this year's
// rationing (monitored households, others), which is next year's expectation.
// Migrant work has no capacity, only a chance.
#define TRANSITION_COUNTY_ARRAYS(X)                                                                                \
  X(double, quota_used, kYears, kYearNames, "mu", "Land quota turned into park land in the year")                 \
  X(double, injection_2021, kSectors, kSectorNames, "yuan/year", "Public spending on each sector of the county economy in 2021") \
  X(double, capacity, kMarkets, kMarketNames, "jobs", "Places on offer")                                          \
  X(float, accept_priority, kMarkets, kMarketNames, "1", "Chance a monitored applicant got a place")              \
  X(float, accept_other, kMarkets, kMarketNames, "1", "Chance another applicant got a place")

#define TRANSITION_ARRAY_MEMBER(type, name, n, keys, unit, doc) std::array<std::vector<type>, n> name;
#define TRANSITION_ARRAY_BIND(type, name, n, keys, unit, doc) table.bind_each(name, #name, keys, unit, doc);

struct Counties {
  TRANSITION_COUNTY_FIXED(SIM_COLUMN_VECTOR)
  TRANSITION_COUNTY_STATE(SIM_COLUMN_VECTOR)
  TRANSITION_COUNTY_ARRAYS(TRANSITION_ARRAY_MEMBER)

  std::size_t size() const { return name.size(); }
  void bind(sim::AgentTable& table) {
    TRANSITION_COUNTY_FIXED(SIM_COLUMN_BIND_FIXED)
    TRANSITION_COUNTY_STATE(SIM_COLUMN_BIND)
    TRANSITION_COUNTY_ARRAYS(TRANSITION_ARRAY_BIND)
  }
};

// One element of each of a county's column arrays.
template <class T, std::size_t N>
struct ArrayRow {
  std::array<std::vector<T>, N>* columns;
  std::size_t row;
  T& operator[](std::size_t k) const { return (*columns)[k][row]; }
};
#define TRANSITION_ARRAY_ROW(type, name, n, keys, unit, doc) ArrayRow<type, n> name;
#define TRANSITION_ARRAY_ROW_INIT(type, name, n, keys, unit, doc) , name{&source.name, row}

template <class T, std::size_t N>
struct ConstArrayRow {
  const std::array<std::vector<T>, N>* columns;
  std::size_t row;
  const T& operator[](std::size_t k) const { return (*columns)[k][row]; }
};
#define TRANSITION_CONST_ARRAY_ROW(type, name, n, keys, unit, doc) ConstArrayRow<type, n> name;

// One county's row, for the rules that plan and run that county: its state
// writable, its fixed columns not.
struct CountyRow {
  std::size_t index;
  TRANSITION_COUNTY_FIXED(SIM_COLUMN_CONST_REF)
  TRANSITION_COUNTY_STATE(SIM_COLUMN_REF)
  TRANSITION_COUNTY_ARRAYS(TRANSITION_ARRAY_ROW)

  CountyRow(Counties& source, std::size_t row)
      : index(row) TRANSITION_COUNTY_FIXED(SIM_COLUMN_REF_INIT) TRANSITION_COUNTY_STATE(SIM_COLUMN_REF_INIT)
            TRANSITION_COUNTY_ARRAYS(TRANSITION_ARRAY_ROW_INIT) {}
};

// A county's row as context of rules that may read it only.
struct ConstCountyRow {
  std::size_t index;
  TRANSITION_COUNTY_FIXED(SIM_COLUMN_CONST_REF)
  TRANSITION_COUNTY_STATE(SIM_COLUMN_CONST_REF)
  TRANSITION_COUNTY_ARRAYS(TRANSITION_CONST_ARRAY_ROW)

  ConstCountyRow(const Counties& source, std::size_t row)
      : index(row) TRANSITION_COUNTY_FIXED(SIM_COLUMN_REF_INIT) TRANSITION_COUNTY_STATE(SIM_COLUMN_REF_INIT)
            TRANSITION_COUNTY_ARRAYS(TRANSITION_ARRAY_ROW_INIT) {}
};

// ---- products --------------------------------------------------------------

#define TRANSITION_PRODUCT_STATE(X)                                                     \
  X(double, share_2020, "1", "Supply share of the product in January 2021")            \
  X(double, share, "1", "Supply share of the product this year")                       \
  X(double, price, "1", "Price index of the product this year")

struct Products {
  TRANSITION_PRODUCT_STATE(SIM_COLUMN_VECTOR)
  std::size_t size() const { return price.size(); }
  void bind(sim::AgentTable& table) { TRANSITION_PRODUCT_STATE(SIM_COLUMN_BIND) }
};

// Calibration factors found by the population generator so that 2020 incomes
// match the targets (docs/ODD.md, "Initialisation"); the dynamics use them too.
struct Calibration {
  double market_wage = 1, operating = 1, property = 1, other_transfer = 1, non_pa_productivity = 1;
};

}  // namespace transition
