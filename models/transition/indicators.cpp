#include "models/transition/indicators.hpp"

#include <string>

namespace transition {

namespace {

using sim::IndicatorDecl;
using sim::Yearly;

// Income sources (the income_<source> sums), with a label, and the NBS
// categories they make up.
struct Source {
  const char* name;
  const char* label;
};
constexpr Source kSources[] = {{"migrant", "migrant wages"},       {"local", "local wages"},
                               {"workshop", "workshop wages"},     {"post", "public-welfare posts"},
                               {"ranger", "forest rangers"},       {"farm", "farming"},
                               {"livestock", "livestock and cash crops"}, {"property", "dividends and land rent"},
                               {"pension", "pensions"},            {"dibao", "dibao"},
                               {"package", "monitoring package"},  {"other_transfer", "other transfers"}};
struct Category {
  const char* name;
  std::vector<const char*> sources;
};
const Category kCategories[] = {{"wages", {"migrant", "local", "workshop", "post", "ranger"}},
                                {"operating", {"farm", "livestock"}},
                                {"property", {"property"}},
                                {"transfers", {"pension", "dibao", "package", "other_transfer"}}};
struct Group {
  const char* prefix;
  const char* people;
  const char* label;
};
const Group kGroups[] = {{"pa", "pa_people", "poverty-alleviated"},
                         {"monitored", "monitored_people", "monitored"},
                         {"relocated", "relocated_people", "relocated"}};

// "sum(income_a) + sum(income_b)" for a category's sources.
std::string sum_of_sources(const Category& c) {
  std::string out;
  for (const char* s : c.sources) out += std::string(out.empty() ? "" : " + ") + "sum(income_" + s + ")";
  return c.sources.size() > 1 ? "(" + out + ")" : out;
}

}  // namespace

std::vector<IndicatorDecl> indicator_declarations() {
#define TRANSITION_DECL(id, ...) IndicatorDecl{.name = #id, __VA_ARGS__},
  std::vector<IndicatorDecl> d = {TRANSITION_HOUSEHOLD_SUMS(TRANSITION_DECL)};

  // Village collectives (large resettlement sites are communities, not
  // collectives): reductions over the village table, evaluated by the engine.
  const auto village = [](const char* of, const char* where) { return sim::Reduction{"village", of[0] ? "sum" : "count", of, where}; };
  d.push_back({.name = "collective_income", .unit = "yuan/year", .yearly = Yearly::last,
               .description = "Collective income of villages this year", .reduce = village("income_year", "collective")});
  d.push_back({.name = "collectives", .unit = "villages", .yearly = Yearly::last,
               .description = "Village collectives (large resettlement sites excluded)", .reduce = village("", "collective")});
  d.push_back({.name = "collectives_under_50k", .unit = "villages", .yearly = Yearly::last,
               .description = "Village collectives with income under 50,000 yuan this year",
               .reduce = village("", "collective and income_year < 50000"), .label = "Collectives under 50,000 yuan",
               .topic = "collectives", .format = "int", .better = -1, .key = true, .summary = true});
  d.push_back({.name = "collectives_under_100k", .unit = "villages", .yearly = Yearly::last,
               .description = "Village collectives with income under 100,000 yuan this year",
               .reduce = village("", "collective and income_year < 100000"), .label = "Collectives under 100,000 yuan",
               .topic = "collectives", .format = "int", .better = -1});
  d.push_back({.name = "workshop_jobs", .unit = "jobs", .yearly = Yearly::last, .description = "Workshop jobs on offer",
               .reduce = village("workshop_jobs", "")});

  std::vector<IndicatorDecl> county = {TRANSITION_COUNTY_VALUES(TRANSITION_DECL)};
  d.insert(d.end(), county.begin(), county.end());
#undef TRANSITION_DECL

  // Recorded formulas: evaluated every step at every level.
  const auto derived = [](std::string name, std::string unit, std::string description, std::string formula) {
    return IndicatorDecl{.name = std::move(name), .unit = std::move(unit), .yearly = Yearly::derived,
                         .description = std::move(description), .formula = std::move(formula)};
  };
  const auto per_capita = [&](std::string name, const std::string& income, const std::string& people, std::string doc,
                              std::string label, bool key) {
    IndicatorDecl i = derived(std::move(name), "yuan/person/year", std::move(doc),
                              "12 * (sum(" + income + ") / sum(" + people + "))");
    i.label = std::move(label);
    i.topic = "income";
    i.format = "money";
    i.better = 1;
    i.key = key;
    return i;
  };
  d.push_back(per_capita("income_per_capita", "income", "people", "Income per resident this month, times 12",
                         "Income per capita, all residents", true));
  d.back().summary = true;
  d.push_back(per_capita("income_per_capita_pa", "income_pa", "pa_people", "Income per poverty-alleviated person this month, times 12",
                         "Income per capita, poverty-alleviated", true));
  d.back().summary = true;
  d.push_back(per_capita("income_per_capita_monitored", "income_monitored", "monitored_people",
                         "Income per person in monitored households, times 12", "Income per capita, monitored", false));
  d.push_back(per_capita("income_per_capita_relocated", "income_relocated", "relocated_people", "Income per relocated person, times 12",
                         "Income per capita, relocated", false));
  d.push_back(derived("pa_income_gap", "1", "Income per poverty-alleviated person relative to income per resident",
                      "(sum(income_pa) / sum(pa_people)) / (sum(income) / sum(people))"));
  d.back().label = "PA income relative to all residents";
  d.back().topic = "income";
  d.back().format = "ratio";
  d.back().better = 1;
  d.back().key = d.back().summary = true;
  d.push_back(derived("return_rate", "1",
                      "Returns to poverty per poverty-alleviated household (a transition from above the line to below it; December only)",
                      "sum(returns_to_poverty) / last(pa_households)"));
  d.back().year_end_only = true;
  d.back().label = "Return-to-poverty rate";
  d.back().topic = "poverty";
  d.back().format = "pct";
  d.back().better = -1;
  d.back().key = true;
  d.push_back(derived("new_poverty_rate", "1",
                      "New poverty per household never registered poor (December only)",
                      "sum(new_poverty) / (last(households) - last(pa_households))"));
  d.back().year_end_only = true;
  d.back().label = "New-poverty rate (never registered poor)";
  d.back().topic = "poverty";
  d.back().format = "pct";
  d.back().better = -1;
  d.back().key = true;
  d.push_back(derived("mean_months_to_exit", "months", "Mean months in monitoring of the households that left this month",
                      "sum(exit_months) / sum(monitoring_exits)"));
  d.back().label = "Mean months to exit";
  d.back().topic = "monitoring";
  d.back().format = "months";
  d.back().better = -1;
  d.back().key = true;

  // Set by the model at the whole; elsewhere (provinces, prefectures) the
  // analysis forms it from the counties.
  d.push_back({.name = "gini_between_counties", .unit = "1", .yearly = Yearly::last,
               .description = "Gini of county mean per-capita income, weighted by residents (December only; NaN otherwise)",
               .set_at = "total", .rule = "inequality",
               .formula = "members_gini(12 * (sum(income) / sum(people)), last(people))", .combine = sim::Combine::none,
               .year_end_only = true, .label = "Gini between counties", .topic = "inequality", .format = "ratio",
               .better = -1, .key = true});

  // Defined for yearly analysis only.
  const auto yearly = [&](std::string name, std::string unit, std::string description, std::string formula,
                          std::string label, std::string topic, std::string format, int better = 0, bool key = false) {
    IndicatorDecl i = derived(std::move(name), std::move(unit), std::move(description), std::move(formula));
    i.recorded = false;
    i.label = std::move(label);
    i.topic = std::move(topic);
    i.format = std::move(format);
    i.better = better;
    i.key = key;
    return i;
  };
  d.push_back(yearly("income_total", "yuan/year", "Disposable income of all households", "sum(income)",
                     "Disposable income, all households", "income", "int", 1));
  d.push_back(yearly("income_growth", "1/year", "Growth of income per capita over the year before (whole run: annualised)",
                     "growth(income_per_capita)", "Growth of income per capita", "income", "pct", 1));
  d.push_back(yearly("income_growth_pa", "1/year",
                     "Growth of poverty-alleviated income per capita over the year before (whole run: annualised)",
                     "growth(income_per_capita_pa)", "Growth of PA income per capita", "income", "pct", 1, true));
  for (const Source& s : kSources)
    d.push_back(yearly(std::string("income_pc_") + s.name, "yuan/person/year", std::string("Income per resident: ") + s.label,
                       "12 * (sum(income_" + std::string(s.name) + ") / sum(people))",
                       std::string("Income p.c.: ") + s.label, "income sources", "money"));
  for (const Category& c : kCategories) {
    d.push_back(yearly(std::string("income_pc_all_") + c.name, "yuan/person/year",
                       std::string("Income per resident by NBS category: ") + c.name,
                       "12 * (" + sum_of_sources(c) + " / sum(people))",
                       std::string("Income p.c., all residents: ") + c.name, "income sources", "money"));
    for (const Group& g : kGroups)
      d.push_back(yearly(std::string("income_pc_") + g.prefix + "_" + c.name, "yuan/person/year",
                         std::string("Income per person of ") + g.label + " households: " + c.name,
                         "12 * (sum(income_" + std::string(g.prefix) + "_" + c.name + ") / sum(" + g.people + "))",
                         std::string("Income p.c., ") + g.label + ": " + c.name, "income sources", "money"));
  }
  for (const Category& c : kCategories)
    d.push_back(yearly(std::string("income_share_") + c.name, "1", std::string("Share of income: ") + c.name,
                       sum_of_sources(c) + " / sum(income)", std::string("Share of income: ") + c.name, "income sources",
                       "pct"));
  d.push_back(yearly("pa_local_employment", "persons", "Poverty-alleviated workers employed near home (local, workshop, post, ranger)",
                     "last(pa_workers_local) + last(pa_workers_workshop) + last(pa_workers_post) + last(pa_workers_ranger)",
                     "PA workers employed near home", "employment", "int", 1));
  d.push_back(yearly("local_employment", "persons", "Workers employed near home (local, workshop, post, ranger)",
                     "last(workers_local) + last(workers_workshop) + last(workers_post) + last(workers_ranger)",
                     "Workers employed near home (all)", "employment", "int", 1, true));
  d.push_back(yearly("share_collectives_under_50k", "1", "Share of village collectives with income under 50,000 yuan",
                     "last(collectives_under_50k) / last(collectives)", "Share of collectives under 50,000 yuan",
                     "collectives", "pct", -1));
  d.push_back(yearly("share_collectives_under_100k", "1", "Share of village collectives with income under 100,000 yuan",
                     "last(collectives_under_100k) / last(collectives)", "Share of collectives under 100,000 yuan",
                     "collectives", "pct", -1));
  d.push_back(yearly("spend_per_household", "yuan/household", "Public money paid out per household",
                     "sum(spend_total) / last(households)", "Spending per household", "spending", "money"));
  d.push_back(yearly("net_cost_per_household", "yuan/household", "Net public cost per household",
                     "sum(net_public_cost) / last(households)", "Net public cost per household", "spending", "money"));
  d.push_back(yearly("gini_within_counties", "1", "Resident-weighted mean of the counties' Gini coefficients (December)",
                     "members_mean(last(gini), last(people))", "Gini within counties (mean)", "inequality", "ratio", -1,
                     true));
  return d;
}

sim::AnalysisDecl analysis_declaration() {
  sim::AnalysisDecl a;
  a.package = "ruralsim_analysis";
  a.level = "county";
  a.groupings = {"province", "prefecture"};
  a.flags = {"hazard_prone", "ethnic_area", "old_revolutionary", "no_railway", "no_expressway"};
  a.topics = {"poverty", "monitoring", "income", "income sources", "employment", "collectives", "spending", "funds",
              "land", "inequality", "population"};
  a.cost = "net_public_cost";
  a.cost_effectiveness = {
      {"per_return_avoided", "yuan per return to poverty avoided", "returns_to_poverty", -1,
       "returns to poverty avoided: returns_to_poverty(B) - returns_to_poverty(S), summed over the period"},
      {"per_local_job", "yuan per local job created", "local_employment", +1,
       "local jobs created: local_employment(S) - local_employment(B) in the last December"},
      {"per_income_yuan", "yuan per yuan of income gained", "income_total", +1,
       "income gained: income_total(S) - income_total(B), all households' income over the period"}};
  a.area_plots = {"return_rate", "income_per_capita_pa", "local_employment"};
  a.stack_title = "Income per capita by source";
  a.stack = {{"Migrant wages", {"income_pc_migrant"}},
             {"Local and workshop wages", {"income_pc_local", "income_pc_workshop"}},
             {"Public-welfare posts and rangers", {"income_pc_post", "income_pc_ranger"}},
             {"Farming and livestock", {"income_pc_farm", "income_pc_livestock"}},
             {"Dividends and land rent", {"income_pc_property"}},
             {"Pensions and other transfers", {"income_pc_pension", "income_pc_other_transfer"}},
             {"Dibao and monitoring package", {"income_pc_dibao", "income_pc_package"}}};
  // Income by NBS category for each household group, one panel per group.
  a.panels_title = "Income per capita by category and group";
  const auto panel = [](const std::string& label, const std::string& group) {
    sim::AnalysisDecl::Panel p{label, {}};
    for (const Category& c : kCategories) p.parts.push_back({c.name, {"income_pc_" + group + "_" + c.name}});
    return p;
  };
  a.panels.push_back(panel("All residents", "all"));
  for (const Group& g : kGroups) {
    std::string label = g.label;
    label[0] = static_cast<char>(label[0] - 'a' + 'A');
    a.panels.push_back(panel(label, g.prefix));
  }
  return a;
}

}  // namespace transition
