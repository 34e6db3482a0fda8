#pragma once
// The rules of the transition model, one function per phase of the step
// (docs/ODD.md, "Process overview and scheduling"). Functions that take a
// county or village index are run for all of them in parallel and touch only
// that county's or village's state and scratch.
#include <cstddef>

#include "models/transition/world.hpp"
#include "sim/core/calendar.hpp"

namespace transition {

// January, serial: product prices from supply concentration, and the weights
// that split linkage funds among counties.
void plan_national_year(World& w, const sim::StepInfo& s);
// January, per county: funds, spending, land quota, job capacities, disasters.
void plan_county_year(World& w, std::size_t county, const sim::StepInfo& s);
// Every month, per county: wages, prices and rules households face.
void prepare_county_month(World& w, std::size_t county, int year, int month);
// January, per village: collective projects, income, dividends, workshop jobs.
void plan_village_year(World& w, std::size_t village, const sim::StepInfo& s);
// January, per village: asset failures, microcredit and investment, dibao
// enrolment, training.
void household_year_start(World& w, std::size_t village, const sim::StepInfo& s);
// January, three passes: each village's workers choose an activity; each
// county clears its job markets; each village's applicants are rationed.
void choose_labour(World& w, std::size_t village, std::uint32_t step);
void clear_markets(World& w, std::size_t county);
void ration_labour(World& w, std::size_t village, std::uint32_t step);
// Every month, per village: shocks, income, savings, monitoring, and at year
// end returns to poverty; fills w.village_sums and w.village_events.
void household_month(World& w, std::size_t village, const sim::StepInfo& s);

}  // namespace transition
