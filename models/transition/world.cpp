// The step's rules applied to the World: each builds the views its rule may
// use (rules.hpp). The schedule and the population generator call these.
#include "models/transition/rules.hpp"

namespace transition {

namespace {
VillageContext village_context(const World& w, std::size_t village) {
  const std::size_t c = w.villages.county[village];
  return {w.params, w.calibration, w.id, w.month[c], ConstCountyRow(w.counties, c), w.county_last[c]};
}
}  // namespace

void World::plan_national_year(const sim::StepInfo& s) {
  transition::plan_national_year(products, villages, hierarchy, params, id, s);
  transition::plan_prefecture_disasters(prefecture_disaster_month, counties, params, id, s);
}

void World::pool_prefecture_markets() {
  transition::pool_prefecture_markets(prefecture_market, counties, applicants, hierarchy);
}

void World::plan_county_year(std::size_t county, const sim::StepInfo& s) {
  transition::plan_county_year(CountyRow(counties, county),
                               CountyContext{params, reference_params, id, county_households(county), county_last, products,
                                             prefecture_disaster_month[counties.prefecture_index[county]], sam_inverse},
                               s);
}

void World::prepare_county_month(std::size_t county, int y, int m) {
  transition::prepare_county_month(CountyRow(counties, county), month[county], params, calibration, y, m);
}

void World::plan_village_year(std::size_t village, const sim::StepInfo& s) {
  const std::size_t c = villages.county[village];
  transition::plan_village_year(VillageRow(villages, village), CountyVillages{villages, hierarchy, villages_of(c)},
                                ConstCountyRow(counties, c), params, calibration, id, s);
}

void World::household_demography(std::size_t village, const sim::StepInfo& s) {
  transition::household_demography(HouseholdRows(households, households_of(village)), tally[village],
                                    village_context(*this, village), s);
}

void World::household_year_start(std::size_t village, const sim::StepInfo& s) {
  transition::household_year_start(HouseholdRows(households, households_of(village)), tally[village],
                                   village_context(*this, village), s);
}

void World::choose_labour(std::size_t village, std::uint32_t step) {
  transition::choose_labour(HouseholdRows(households, households_of(village)), applicants[village],
                            village_context(*this, village), villages.workshop_accept_priority[village],
                            villages.workshop_accept_other[village], step);
}

void World::clear_markets(std::size_t county) {
  const sim::Range vs = villages_of(county);
  transition::clear_markets(CountyRow(counties, county),
                            std::span<const Applicants>(applicants.data() + vs.begin, vs.size()),
                            prefecture_market[counties.prefecture_index[county]], params, month[county], year_index());
}

void World::ration_labour(std::size_t village, std::uint32_t step) {
  transition::ration_labour(HouseholdRows(households, households_of(village)), VillageRow(villages, village),
                            applicants[village], village_context(*this, village), step);
}

void World::settle_county_accounts(std::size_t county, const sim::StepInfo& s) {
  const sim::Range vs = villages_of(county);
  transition::settle_county_accounts(CountyRow(counties, county), county_values[county],
                                     std::span<const VillageTally>(tally.data() + vs.begin, vs.size()), params, s);
}

void World::household_month(std::size_t village, const sim::StepInfo& s) {
  transition::household_month(HouseholdRows(households, households_of(village)), tally[village],
                              village_context(*this, village), villages.dividend_month[village], s);
}

}  // namespace transition
