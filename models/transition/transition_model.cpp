#include "models/transition/transition_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/transition/county_data.hpp"
#include "models/transition/events.hpp"
#include "models/transition/memory_estimate.hpp"
#include "models/transition/population.hpp"
#include "models/transition/rules.hpp"

std::span<const sim::scenario::EmbeddedFile> transition_embedded_files();

namespace transition {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Gini of incomes x with weights w, both sorted by x.
double gini_sorted(const std::vector<std::pair<float, float>>& xw) {
  double weight = 0, total = 0;
  for (const auto& [x, w] : xw) {
    weight += w;
    total += static_cast<double>(x) * w;
  }
  if (weight <= 0 || total <= 0) return kNaN;
  double cumulative = 0, area = 0;
  for (const auto& [x, w] : xw) {
    const double xwi = static_cast<double>(x) * w;
    area += w * (2.0 * cumulative + xwi);
    cumulative += xwi;
  }
  return 1.0 - area / (weight * total);
}

}  // namespace

#ifndef RURALSIM_ANALYSIS_DIR
#define RURALSIM_ANALYSIS_DIR ""
#endif

const sim::ModelDescription& description() {
  static const sim::ModelDescription model = [] {
    sim::ModelDescription d;
    d.name = "transition";
    d.version = "0.5.0";
    d.description =
        "ruralsim: households, village collectives and counties of China's 160 national key counties for "
        "rural-revitalization assistance, month by month through the transition period 2021-2025";
    d.calendar = {20210101, kFirstYear, 1, 12 * kYears, "60 covers the transition period 2021-2025"};
    d.tables = {
        {"household", "households", "Rural households: members, labour, land, assets, income, poverty history, monitoring",
         sim::columns_of<Households>(),
         {{"poverty_alleviated", "flags & 1", "Registered poor who exited poverty 2014-2020"},
          {"relocated", "flags & 2", "Moved under poverty-alleviation relocation"},
          {"large_site", "flags & 4", "Lives in a centralised resettlement site of at least 10,000 people"},
          {"dibao", "flags & 8", "Enrolled in the minimum living guarantee"},
          {"returned", "flags & 16", "Has returned to poverty at least once since 2021"},
          {"below_line", "flags & 32", "Income last year (as monitoring.poverty_income counts it) below the poverty line"},
          {"monitored", "monitor_kind != 0", "Under dynamic monitoring"},
          {"borrower", "loan_months > 0", "Has an outstanding microcredit loan"}}},
        {"village", "villages", "Administrative villages (collectives) and large resettlement sites",
         sim::columns_of<Villages>(),
         {{"collective", "is_site == 0", "A village collective (large resettlement sites are communities, not collectives)"}}},
        {"county", "counties", "The 160 key counties: finance, land quota, job markets, shocks", sim::columns_of<Counties>(), {}},
        {"product", "products", "Specialty products whose prices fall as supply concentrates", sim::columns_of<Products>(), {}}};
    d.hierarchy = {"county", "village", "household"};
    d.levels = {{"total", "", "all counties", false}, {"county", "county", "", false}, {"village", "village", "", true}};
    d.indicators = indicator_declarations();
    d.event_table = "household";
    d.events = event_declarations();
    d.panel_table = "household";
    d.analysis = analysis_declaration();
    d.analysis.directory = RURALSIM_ANALYSIS_DIR;
    d.classroom = classroom_declaration();
    d.declare_schema = declare_schema;
    d.branch_conflicts = [](const sim::scenario::Scenario& past, const sim::scenario::Scenario& branch,
                            const sim::StepInfo& last) {
      return keys_changing_the_past(read_params(past), read_params(branch), last.year);
    };
    d.embedded = transition_embedded_files();
    d.peak_memory = [embedded = d.embedded](const sim::scenario::Scenario& sc) {
      const Params p = read_params(sc);
      return estimate_run(p, read_counties(p.population.county_file, embedded).size()).peak_bytes;
    };
    d.create = [embedded = d.embedded](const sim::scenario::Scenario& sc, const sim::RunIdentity& id) {
      return std::unique_ptr<sim::ModelInstance>(std::make_unique<TransitionModel>(sc, id, embedded));
    };
    d.default_scenario = "builtin:scenarios/historical.yaml";
    d.validate();
    return d;
  }();
  return model;
}

TransitionModel::TransitionModel(const sim::scenario::Scenario& scenario, const sim::RunIdentity& id,
                                 std::span<const sim::scenario::EmbeddedFile> embedded) {
  World& w = world_;
  w.params = read_params(scenario);
  w.id = id;
  w.embedded = embedded;
  generate_population(w);
  county_gini_.assign(w.counties.size(), kNaN);
  build_schedule();
}

std::vector<const sim::AgentTable*> TransitionModel::tables() const {
  return {&world_.household_table, &world_.village_table, &world_.county_table, &world_.product_table};
}

void TransitionModel::start(const sim::OutputLayout& layout) {
  const sim::ModelDescription& d = layout.model();
  const std::size_t total = d.level_index("total"), county = d.level_index("county"), village = d.level_index("village");
  for (std::size_t k = 0; k < ind::kHouseholdSums; ++k) {
    village_column_[k] = layout.column(village, kHouseholdSumNames[k]);
    county_sum_column_[k] = layout.column(county, kHouseholdSumNames[k]);
  }
  for (std::size_t k = 0; k < ind::kCountyValues; ++k) county_column_[k] = layout.column(county, kCountyValueNames[k]);
  total_gini_column_ = layout.column(total, "gini");
  between_gini_column_ = layout.column(total, "gini_between_counties");
}

void TransitionModel::build_schedule() {
  World& w = world_;
  const std::size_t nc = w.counties.size(), nv = w.villages.size();
  schedule_
      .once("begin step",
            [&w](const sim::StepInfo& s) {
              w.year = s.year;
              for (VillageTally& t : w.tally) {
                t.sums.fill(0.0);
                t.events.clear();
              }
            })
      .once("national year plan", [&w](const sim::StepInfo& s) { w.plan_national_year(s); }, sim::at_year_start)
      .each("county year plan", nc, [&w](std::size_t c, const sim::StepInfo& s) { w.plan_county_year(c, s); },
            sim::at_year_start)
      .each("county month", nc, [&w](std::size_t c, const sim::StepInfo& s) { w.prepare_county_month(c, s.year, s.month); })
      .each("village year plan", nv, [&w](std::size_t v, const sim::StepInfo& s) { w.plan_village_year(v, s); },
            sim::at_year_start)
      .each("demography", nv, [&w](std::size_t v, const sim::StepInfo& s) { w.household_demography(v, s); },
            sim::at_year_start)
      .each("household year start", nv, [&w](std::size_t v, const sim::StepInfo& s) { w.household_year_start(v, s); },
            sim::at_year_start)
      .each("labour choice", nv, [&w](std::size_t v, const sim::StepInfo& s) { w.choose_labour(v, s.step); },
            sim::at_year_start)
      .once("prefecture markets", [&w](const sim::StepInfo&) { w.pool_prefecture_markets(); }, sim::at_year_start)
      .each("labour markets", nc, [&w](std::size_t c, const sim::StepInfo&) { w.clear_markets(c); }, sim::at_year_start)
      .each("labour rationing", nv, [&w](std::size_t v, const sim::StepInfo& s) { w.ration_labour(v, s.step); },
            sim::at_year_start)
      .each("household month", nv, [&w](std::size_t v, const sim::StepInfo& s) { w.household_month(v, s); })
      .each("county accounts", nc, [&w](std::size_t c, const sim::StepInfo& s) { w.settle_county_accounts(c, s); })
      .once("inequality", [this](const sim::StepInfo&) { compute_inequality(); }, sim::at_year_end);
}

void TransitionModel::compute_inequality() {
  const World& w = world_;
  const Households& h = w.households;
  const std::size_t nc = w.counties.size();
  std::vector<std::vector<std::pair<float, float>>> by_county(nc);
  sim::for_each_index(nc, [&](std::size_t c) {
    const sim::Range r = w.hierarchy.descendants(0, c, 2);
    auto& xw = by_county[c];
    xw.reserve(r.size());
    for (std::size_t i = r.begin; i < r.end; ++i) xw.emplace_back(h.income_last_year[i], static_cast<float>(h.members[i]));
    std::sort(xw.begin(), xw.end());
    county_gini_[c] = gini_sorted(xw);
  });
  std::vector<std::pair<double, double>> means;  // county mean income, residents
  for (const auto& xw : by_county) {
    double people = 0, income = 0;
    for (const auto& [x, wgt] : xw) {
      people += wgt;
      income += static_cast<double>(x) * wgt;
    }
    if (people > 0) means.emplace_back(income / people, people);
  }
  // Overall: merge the sorted county lists pairwise in a fixed tree (log2 of
  // 160 rounds, each in parallel), never one growing list.
  std::vector<std::vector<std::pair<float, float>>> runs = std::move(by_county);
  while (runs.size() > 1) {
    std::vector<std::vector<std::pair<float, float>>> merged((runs.size() + 1) / 2);
    sim::for_each_index(merged.size(), [&](std::size_t j) {
      if (2 * j + 1 == runs.size()) {
        merged[j] = std::move(runs[2 * j]);
        return;
      }
      const auto& a = runs[2 * j];
      const auto& b = runs[2 * j + 1];
      merged[j].resize(a.size() + b.size());
      std::merge(a.begin(), a.end(), b.begin(), b.end(), merged[j].begin());
    });
    runs = std::move(merged);
  }
  const std::vector<std::pair<float, float>>& all = runs.front();
  total_gini_ = gini_sorted(all);
  std::sort(means.begin(), means.end());
  std::vector<std::pair<float, float>> m;
  for (const auto& [x, wgt] : means) m.emplace_back(static_cast<float>(x), static_cast<float>(wgt));
  between_gini_ = gini_sorted(m);
}

void TransitionModel::record(sim::StepRecord& out) {
  World& w = world_;
  const Params& p = w.params;
  const std::size_t nc = w.counties.size(), nv = w.villages.size();
  sim::LevelFrame& total = out.levels[0];
  sim::LevelFrame& county = out.levels[1];
  sim::LevelFrame& village = out.levels[2];

  for (std::size_t v = 0; v < nv; ++v)
    for (std::size_t k = 0; k < ind::kHouseholdSums; ++k) village.at(village_column_[k], v) = w.tally[v].sums[k];
  const Counties& k = w.counties;
  for (std::size_t c = 0; c < nc; ++c) {
    // Finance from the county accounts of this step; land, markets and
    // inequality from the county's state.
    CountyValues cv = w.county_values[c];
    for (int y = 0; y <= w.year_index() && out.info.year >= kFirstYear; ++y)
      cv[ind::quota_used_mu] += k.quota_used[static_cast<std::size_t>(y)][c];
    cv[ind::serviced_mu] = k.serviced_mu[c];
    cv[ind::park_mu] = k.park_mu[c];
    cv[ind::park_jobs] = k.park_mu[c] * p.land.jobs_per_mu;
    cv[ind::local_jobs] = k.capacity[kLocalMarket][c];
    cv[ind::induced_jobs] = k.induced_jobs[c];
    cv[ind::posts] = k.capacity[kPostMarket][c];
    cv[ind::ranger_posts] = k.capacity[kRangerMarket][c];
    cv[ind::price_index] = k.price[c];
    cv[ind::disaster] = w.month[c].disaster ? 1 : 0;
    cv[ind::gini] = county_gini_[c];
    for (std::size_t j = 0; j < ind::kCountyValues; ++j) county.at(county_column_[j], c) = cv[j];
  }
  total.at(total_gini_column_, 0) = total_gini_;
  total.at(between_gini_column_, 0) = between_gini_;

  for (const VillageTally& t : w.tally) out.events.insert(out.events.end(), t.events.begin(), t.events.end());
}

void TransitionModel::recorded(const sim::StepRecord& record) {
  const sim::LevelFrame& county = record.levels[1];
  for (std::size_t c = 0; c < world_.counties.size(); ++c)
    for (std::size_t k = 0; k < ind::kHouseholdSums; ++k) world_.county_last[c][k] = county.at(county_sum_column_[k], c);
}

// What World keeps from step to step outside its tables: the year, the
// month's prices and rules, this year's prefecture disasters and labour
// markets, the county accounts and household sums of the last step, the
// last January's applicants and the last year-end's inequality.
void TransitionModel::save(sim::ModelState& state) const {
  const World& w = world_;
  state.save("year", w.year);
  state.save("month", w.month);
  state.save("county_values", w.county_values);
  state.save("county_last", w.county_last);
  state.save("prefecture_disaster_month", w.prefecture_disaster_month);
  state.save("prefecture_market", w.prefecture_market);
  state.save("applicants", w.applicants);
  state.save("county_gini", county_gini_);
  state.save("total_gini", total_gini_);
  state.save("between_gini", between_gini_);
}

void TransitionModel::restore(const sim::ModelState& state) {
  World& w = world_;
  state.load("year", w.year);
  state.load("month", w.month, w.month.size());
  state.load("county_values", w.county_values, w.county_values.size());
  state.load("county_last", w.county_last, w.county_last.size());
  state.load("prefecture_disaster_month", w.prefecture_disaster_month, w.prefecture_disaster_month.size());
  state.load("prefecture_market", w.prefecture_market, w.prefecture_market.size());
  state.load("applicants", w.applicants, w.applicants.size());
  state.load("county_gini", county_gini_, county_gini_.size());
  state.load("total_gini", total_gini_);
  state.load("between_gini", between_gini_);
}

}  // namespace transition
