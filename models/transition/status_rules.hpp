#pragma once
// The status rules of a household, as the policy documents define them:
// dibao enrolment and review, the monitoring risk test, and the year-end
// poverty transitions. Pure functions of one household's figures, so that
// the rules can be tested exactly on hand-built households
// (tests/models/rules_test.cpp) and the household loop only applies them.
#include <algorithm>
#include <cstdint>

#include "models/transition/params.hpp"

namespace transition {

// Dibao after the January assessment. An enrolled household keeps its status
// between reviews (every a.dibao_review_years; `years` counts the years since
// enrolment or the last review and is updated). At a review or an
// application the means test reads last year's per-capita income without
// dibao (`means`) against `standard`: an eligible household is missed with
// the exclusion error (reduced for monitored households while the package
// runs), an ineligible one near the standard is enrolled, or kept, with the
// inclusion error. An enrolled household whose means exceed the standard by
// less than the exit margin is still eligible at review. `u` is one uniform
// draw in [0, 1).
inline bool dibao_status(bool enrolled, std::uint8_t& years, double means, double standard, bool monitored_with_package,
                         const Params::Assistance& a, double u) {
  if (enrolled) {
    years = static_cast<std::uint8_t>(std::min(255, years + 1));
    if (years < a.dibao_review_years) return true;
  }
  const double limit = enrolled ? standard * a.dibao_exit_margin : standard;
  const double miss = a.dibao_exclusion_error * (monitored_with_package ? a.dibao_monitored_miss_factor : 1.0);
  const bool enrol = means < limit ? u >= miss : means < a.dibao_inclusion_band * standard && u < a.dibao_inclusion_error;
  if (enrol) years = 0;
  return enrol;
}

// What cadres and the rules see of a household's income: per capita, as
// monitoring.poverty_income counts it (with or without transfers), less
// out-of-pocket medical costs where monitoring.deduct_medical says so.
struct TestedIncome {
  bool without_transfers = false, deduct_medical = false;
  explicit TestedIncome(const Params::Monitoring& mon)
      : without_transfers(mon.poverty_income == "excluding_transfers"), deduct_medical(mon.deduct_medical) {}
  double operator()(double income, double transfers, double medical, double members) const {
    return (income - (without_transfers ? transfers : 0.0) - (deduct_medical ? medical : 0.0)) / members;
  }
};

// Dynamic monitoring's risk test (2021 guidance): a household is at risk if
// it is in sudden severe difficulty, or if its income is under the
// monitoring threshold, falling or not, unless the safety net already
// secures its basic needs (dibao and income above the poverty line).
struct MonitoringTest {
  double threshold, poverty_line, exit_margin;
  bool covered(bool dibao, double seen) const { return dibao && seen > poverty_line; }
  bool at_risk(double seen, bool sudden, bool dibao) const {
    return sudden || (seen < threshold && !covered(dibao, seen));
  }
  // A month that counts towards leaving: income stably above the threshold,
  // or basic needs secured by the safety net, and no sudden difficulty.
  bool stable(double seen, bool sudden, bool dibao) const {
    return (seen > threshold * exit_margin || covered(dibao, seen)) && !sudden;
  }
};

// The year-end poverty transition: a household whose tested income for the
// year is below the poverty line after a year above it. For a
// poverty-alleviated household this is a return to poverty; for one never
// registered poor, new poverty. A household still below the line is not
// counted again.
enum class PovertyTransition { none, returned, newly_poor };
inline PovertyTransition poverty_transition(bool poverty_alleviated, bool was_below, bool below) {
  if (!below || was_below) return PovertyTransition::none;
  return poverty_alleviated ? PovertyTransition::returned : PovertyTransition::newly_poor;
}

}  // namespace transition
