#pragma once
// Everything one run of the transition model holds: parameters, the agents,
// their hierarchy, and the per-year and per-month context the rules share.
#include <algorithm>
#include <span>
#include <vector>

#include "models/transition/indicators.hpp"
#include "models/transition/params.hpp"
#include "models/transition/state.hpp"
#include "sim/core/calendar.hpp"
#include "sim/core/hierarchy.hpp"
#include "sim/core/record.hpp"
#include "sim/run/model.hpp"

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

struct World {
  Params params;
  Calibration calibration;
  sim::RunIdentity id;
  std::span<const sim::scenario::EmbeddedFile> embedded;

  Households households;
  Villages villages;
  Counties counties;
  sim::Hierarchy hierarchy;  // county > village > household
  std::vector<std::uint32_t> large_site_villages;

  std::vector<CountyMonth> month;  // per county, this month
  int year = kFirstYear;

  // Scratch shared by phases of one step (not state: rebuilt every step).
  std::vector<VillageSums> village_sums;             // household sums per village, this step
  std::vector<std::vector<sim::Event>> village_events;
  // Labour applicants per village: [priority?][activity].
  std::vector<std::array<std::array<double, kActivities>, 2>> applicants;
  // Per-county household sums of the last recorded step (for yearly
  // planning); derived from household state, so a restart can recompute it.
  std::vector<VillageSums> county_last;
  // Products: supply share at the start and now, and this year's price
  // (state, bound to the "product" table).
  std::vector<double> product_share_2020, product_share, product_price;

  // Year index into per-year parameter lists (clamped to the period).
  int year_index() const { return std::clamp(year - kFirstYear, 0, kYears - 1); }
  sim::Range villages_of(std::size_t county) const { return hierarchy.children(0, county); }
  sim::Range households_of(std::size_t village) const { return hierarchy.children(1, village); }
  std::size_t county_households(std::size_t county) const {
    const sim::Range r = hierarchy.descendants(0, county, 2);
    return r.size();
  }
};

}  // namespace transition
