#pragma once
// Everything one run of the transition model holds: parameters, the agents,
// their hierarchy, and the per-year and per-month context the rules share.
// Rules never take the World: they receive views of what they may change and
// read-only context (rules.hpp); World's step functions build those views.
#include <algorithm>
#include <span>
#include <vector>

#include "models/transition/county_data.hpp"
#include "models/transition/indicators.hpp"
#include "models/transition/params.hpp"
#include "models/transition/state.hpp"
#include "sim/core/calendar.hpp"
#include "sim/core/hierarchy.hpp"
#include "sim/core/record.hpp"
#include "sim/model/description.hpp"

namespace transition {

// Prices and rules of one county in one month, derived once so that the
// household loop only multiplies (see economy.hpp).
struct CountyMonth {
  double wage_local = 0, wage_workshop = 0, wage_migrant = 0, post_pay = 0, ranger_pay = 0;  // per worker-month
  double farm_per_mu = 0;        // net farm income per mu of dry land this month
  double irrigated_extra = 0;    // added output share of irrigated land
  double livestock_return = 0;   // per yuan of livestock assets this month
  double lease_rent = 0;         // per leased mu this month
  double lease_share = 0;
  double pension = 0, subsidy = 0;  // per elderly member, per member, this month
  double dibao_month = 0;        // dibao standard per person this month
  double package = 0;            // monitoring package per monitored household this month (0 once withdrawn)
  double reimbursement = 0, reimbursement_pa = 0, medical_extra = 0;
  double threshold = 0;          // monitoring threshold, yuan/person/year
  double poverty_line = 0;       // yuan/person/year
  bool direct_assistance = true;
  bool disaster = false;         // a disaster depresses farm income this month
  bool disaster_strike = false;  // it struck this month: assets are destroyed
};

// A prefecture's local labour market this January: its counties' local jobs
// and applicants, of which a share is open across county lines.
struct PrefectureMarket {
  double capacity = 0, applicants = 0;
};

// What one village's household rules produce in one step: the household sums
// and the events, in household order.
struct VillageTally {
  VillageSums sums{};
  std::vector<sim::Event> events;
};

// One county's indicator values of a step (the county values of
// indicators.hpp), set by the county accounts and copied to the record.
using CountyValues = std::array<double, ind::kCountyValues>;

// Labour applicants of one village by class (0 others, 1 monitored
// households served first, 2 weak workers applying for posts) and activity.
using Applicants = std::array<std::array<double, kActivities>, 3>;

struct World {
  Params params;
  Params reference_params;  // the calibration parameters (the baseline's), set by the population generator
  Calibration calibration;
  // How the calibration factors were found (printed by `ruralsim calibrate`).
  struct CalibrationFit {
    bool recalibrated = false;              // fitted with the scenario's own parameters
    std::vector<std::string> differing;     // keys shaping 2020 in which the scenario differs from the calibration's
    int rounds = 0, iterations = 0, evaluations = 0;
    double cost = 0;                        // 0.5 x sum of squared relative errors at the end
    bool converged = false;
    std::string stop;
  } calibration_fit;
  sim::RunIdentity id;
  std::span<const sim::scenario::EmbeddedFile> embedded;

  Households households;
  Villages villages;
  Counties counties;
  Products products;
  // The same columns as agent tables (sizing, output, description); World is
  // neither copied nor moved, so the bindings stay valid.
  sim::AgentTable household_table{"household"}, village_table{"village"}, county_table{"county"}, product_table{"product"};
  sim::Hierarchy hierarchy;  // county > village > household
  std::vector<std::uint32_t> large_site_villages;
  std::vector<CountyRecord> county_data;  // the county file's rows (calibration compares with them)

  std::vector<CountyMonth> month;  // per county, this month
  std::vector<CountyValues> county_values;  // per county, this step (county accounts)
  std::vector<double> sam_inverse;  // the county economy's multipliers, (I - A)^-1 of economy.sam
  // Prefectures (counties sharing prefecture_index): this year's
  // prefecture-wide disaster month (0: none), and the local job market.
  std::vector<std::uint8_t> prefecture_disaster_month;
  std::vector<PrefectureMarket> prefecture_market;
  int year = kFirstYear;

  // Scratch of one step (not state: rebuilt every step).
  std::vector<VillageTally> tally;        // per village
  std::vector<Applicants> applicants;     // per village, January
  // Per-county household sums of the last step (for yearly planning): read
  // off the last record, so a restart can recompute them from the state.
  std::vector<VillageSums> county_last;

  World() {
    households.bind(household_table);
    villages.bind(village_table);
    counties.bind(county_table);
    products.bind(product_table);
  }
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Year index into per-year parameter lists (clamped to the period).
  int year_index() const { return std::clamp(year - kFirstYear, 0, kYears - 1); }
  sim::Range villages_of(std::size_t county) const { return hierarchy.children(0, county); }
  sim::Range households_of(std::size_t village) const { return hierarchy.children(1, village); }
  std::size_t county_households(std::size_t county) const { return hierarchy.descendants(0, county, 2).size(); }

  // The rules of one step, each on the views its contract allows (rules.hpp).
  void plan_national_year(const sim::StepInfo& s);
  void pool_prefecture_markets();
  void plan_county_year(std::size_t county, const sim::StepInfo& s);
  void prepare_county_month(std::size_t county, int year, int month);
  void plan_village_year(std::size_t village, const sim::StepInfo& s);
  void household_demography(std::size_t village, const sim::StepInfo& s);
  void household_year_start(std::size_t village, const sim::StepInfo& s);
  void choose_labour(std::size_t village, std::uint32_t step);
  void clear_markets(std::size_t county);
  void ration_labour(std::size_t village, std::uint32_t step);
  void household_month(std::size_t village, const sim::StepInfo& s);
  void settle_county_accounts(std::size_t county, const sim::StepInfo& s);
};

}  // namespace transition
