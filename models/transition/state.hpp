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

struct Households {
  // Composition. able: full labour; weak: weak or half labour; elderly and
  // children: dependants; chronic: members with chronic illness or disability.
  std::vector<std::uint8_t> members, able, weak, elderly, children, chronic;
  std::vector<std::uint8_t> skill;      // 0 primary or less .. 3 vocational/trained
  std::vector<std::uint8_t> flags;      // HouseholdFlag bits
  std::vector<std::uint8_t> exit_year;  // year of exit from poverty - 2000 (PA households), else 0
  std::vector<std::uint8_t> irrigated;  // irrigated share of land, percent
  // Monitoring and shocks.
  std::vector<std::uint8_t> monitor_kind, monitor_months, risk_months, stable_months;
  std::vector<std::uint8_t> sick_months, loan_months;
  // Workers per activity this year (able and weak members together), and how
  // many of the farm workers sought migrant work but found none: they still
  // count as migrants for next year's inertia.
  std::array<std::vector<std::uint8_t>, kActivities> workers;
  std::vector<std::uint8_t> migrant_seekers;
  // Land and assets.
  std::vector<float> land_mu, productivity, savings, debt, livestock;
  // Income: this calendar year so far (household total), last year's per
  // capita, and a smoothed monthly per-capita income cadres would see.
  std::vector<float> income_ytd, income_last_year, income_ema, medical_ytd;

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
