#include "models/transition/indicators.hpp"

#include <limits>

namespace transition {

namespace {
#define TRANSITION_SPEC(name, unit, yearly, doc) sim::IndicatorSpec{#name, unit, doc, yearly},
const sim::IndicatorSpec kSumSpecs[] = {TRANSITION_HOUSEHOLD_SUMS(TRANSITION_SPEC)};
const sim::IndicatorSpec kCountySpecs[] = {TRANSITION_COUNTY_VALUES(TRANSITION_SPEC)};
const sim::IndicatorSpec kDerivedSpecs[] = {TRANSITION_DERIVED(TRANSITION_SPEC)};
#undef TRANSITION_SPEC

double ratio(double a, double b) { return b > 0 ? a / b : std::numeric_limits<double>::quiet_NaN(); }
}  // namespace

sim::LevelSpec level_spec(const char* name, std::size_t groups, bool with_county_values, bool single_precision,
                          bool with_between_gini) {
  sim::LevelSpec l;
  l.name = name;
  l.groups = groups;
  l.single_precision = single_precision;
  l.indicators.assign(std::begin(kSumSpecs), std::end(kSumSpecs));
  if (with_county_values) l.indicators.insert(l.indicators.end(), std::begin(kCountySpecs), std::end(kCountySpecs));
  l.indicators.insert(l.indicators.end(), std::begin(kDerivedSpecs), std::end(kDerivedSpecs));
  if (with_between_gini)
    l.indicators.push_back({"gini_between_counties", "1",
                            "Gini of county mean per-capita income, weighted by residents (December only; NaN otherwise)",
                            "last"});
  return l;
}

void derive(sim::LevelFrame& f, std::size_t g, bool with_county_values, bool year_end) {
  auto sum = [&](Sum s) { return f.at(s, g); };
  auto set = [&](Derived d, double v) { f.at(derived_column(with_county_values, d), g) = v; };
  set(ind::income_per_capita, 12.0 * ratio(sum(ind::income), sum(ind::people)));
  set(ind::income_per_capita_pa, 12.0 * ratio(sum(ind::income_pa), sum(ind::pa_people)));
  set(ind::income_per_capita_monitored, 12.0 * ratio(sum(ind::income_monitored), sum(ind::monitored_people)));
  set(ind::income_per_capita_relocated, 12.0 * ratio(sum(ind::income_relocated), sum(ind::relocated_people)));
  set(ind::pa_income_gap, ratio(ratio(sum(ind::income_pa), sum(ind::pa_people)), ratio(sum(ind::income), sum(ind::people))));
  // Returns are counted in December only; other months carry NaN so that a
  // yearly series is read off without mistaking zeros for measurements.
  set(ind::return_rate, year_end ? ratio(sum(ind::returns_to_poverty), sum(ind::pa_households)) : std::numeric_limits<double>::quiet_NaN());
  set(ind::mean_months_to_exit, ratio(sum(ind::exit_months), sum(ind::monitoring_exits)));
}

}  // namespace transition
