#pragma once
// The rules of the transition model, one function per phase of the step
// (docs/ODD.md, "Process overview and scheduling"). Each receives views of
// what it may change (a village's households and tally, a county's row) and
// read-only context (its county, parameters, the run's identity): the
// contract that lets villages and counties run in parallel is in the types.
#include <cstddef>
#include <span>

#include "models/transition/world.hpp"
#include "sim/core/calendar.hpp"

namespace transition {

// What the rules of one village read and may not change.
struct VillageContext {
  const Params& params;
  const Calibration& calibration;
  const sim::RunIdentity& id;
  const CountyMonth& month;        // its county's prices and rules this month
  ConstCountyRow county;           // its county
  const VillageSums& county_last;  // its county's household sums of the last step
};

// The other villages of a county, read-only: industry money is placed by
// their size and products.
struct CountyVillages {
  const Villages& villages;
  const sim::Hierarchy& hierarchy;
  sim::Range range;  // the county's villages
  std::size_t households(std::size_t village) const { return hierarchy.children(1, village).size(); }
};

// What a county's year plan reads: every county's last sums (funds are split
// by need), this year's product prices and the county's households.
struct CountyContext {
  const Params& params;
  const Params& reference;  // the calibration parameters (the baseline): the county economy's 2021 reference
  const sim::RunIdentity& id;
  std::size_t households;
  std::span<const VillageSums> county_last;
  const Products& products;
  std::uint8_t prefecture_disaster_month;  // this year's prefecture-wide disaster (0: none)
  std::span<const double> sam_inverse;     // multipliers of the county economy, (I - A)^-1 (empty: none)
};

// January, serial: product prices from supply concentration.
void plan_national_year(Products& products, const Villages& villages, const sim::Hierarchy& hierarchy, const Params& p,
                        const sim::RunIdentity& id, const sim::StepInfo& s);
// January, serial: which prefectures a disaster strikes this year, and when.
void plan_prefecture_disasters(std::span<std::uint8_t> months, const Counties& counties, const Params& p,
                               const sim::RunIdentity& id, const sim::StepInfo& s);
// January, per county: funds, spending, land quota, job capacities, disasters.
void plan_county_year(CountyRow county, const CountyContext& ctx, const sim::StepInfo& s);
// Every month, per county: wages, prices and rules households face.
void prepare_county_month(CountyRow county, CountyMonth& out, const Params& p, const Calibration& cal, int year, int month);
// January, per village: collective projects, income, dividends, workshop jobs.
void plan_village_year(VillageRow village, const CountyVillages& county_villages, ConstCountyRow county, const Params& p,
                       const Calibration& cal, const sim::RunIdentity& id, const sim::StepInfo& s);
// January, per village: births, deaths and ageing of the members.
void household_demography(HouseholdRows hh, VillageTally& tally, const VillageContext& ctx, const sim::StepInfo& s);
// January, per village: asset failures, microcredit and investment, dibao
// enrolment, training.
void household_year_start(HouseholdRows hh, VillageTally& tally, const VillageContext& ctx, const sim::StepInfo& s);
// January, four passes: each village's workers choose an activity; the
// prefectures pool their open local jobs; each county clears its job
// markets; each village's applicants are rationed.
void choose_labour(HouseholdRows hh, Applicants& applicants, const VillageContext& ctx, float workshop_priority,
                   float workshop_other, std::uint32_t step);
void pool_prefecture_markets(std::span<PrefectureMarket> markets, const Counties& counties,
                             std::span<const Applicants> applicants, const sim::Hierarchy& hierarchy);
void clear_markets(CountyRow county, std::span<const Applicants> applicants, const PrefectureMarket& prefecture,
                   const Params& p, const CountyMonth& m, int year_index);
void ration_labour(HouseholdRows hh, VillageRow village, const Applicants& applicants, const VillageContext& ctx,
                   std::uint32_t step);
// Every month, per county, after the households: the county's accounts. What
// was paid to whom this month, from which source (its villages' tallies and
// the year's budgets), and the programme balance carried over; fills the
// county's values of the month.
void settle_county_accounts(CountyRow county, CountyValues& out, std::span<const VillageTally> tallies, const Params& p,
                            const sim::StepInfo& s);
// Every month, per village: shocks, income, savings, monitoring, and at year
// end returns to poverty; fills the village's tally.
void household_month(HouseholdRows hh, VillageTally& tally, const VillageContext& ctx, double dividend,
                     const sim::StepInfo& s);

}  // namespace transition
