#include "models/transition/model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

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

const sim::ModelDefinition& definition() {
  static const sim::ModelDefinition def = [] {
    sim::ModelDefinition d;
    d.name = "transition";
    d.version = "0.4.0";
    d.description =
        "ruralsim: households, village collectives and counties of China's 160 national key counties for "
        "rural-revitalization assistance, month by month through the transition period 2021-2025";
    d.declare_schema = declare_schema;
    d.embedded = transition_embedded_files();
    d.create = [embedded = d.embedded](const sim::scenario::Scenario& sc, const sim::RunIdentity& id) {
      return std::unique_ptr<sim::ModelInstance>(std::make_unique<TransitionModel>(sc, id, embedded));
    };
    d.default_scenario = "builtin:scenarios/baseline.yaml";
    return d;
  }();
  return def;
}

TransitionModel::TransitionModel(const sim::scenario::Scenario& scenario, const sim::RunIdentity& id,
                                 std::span<const sim::scenario::EmbeddedFile> embedded) {
  World& w = world_;
  w.params = read_params(scenario);
  w.id = id;
  w.embedded = embedded;
  generate_population(w);

  w.households.bind(household_table_);
  w.villages.bind(village_table_);
  w.counties.bind(county_table_);
  product_table_.bind(w.product_share_2020, "share_2020", "1", "Supply share of the product in January 2021");
  product_table_.bind(w.product_share, "share", "1", "Supply share of the product this year");
  product_table_.bind(w.product_price, "price", "1", "Price index of the product this year");

  const std::size_t nc = w.counties.size(), nv = w.villages.size();
  county_villages_.resize(nc);
  county_households_.resize(nc);
  village_households_.resize(nv);
  for (std::size_t c = 0; c < nc; ++c) {
    county_villages_[c] = static_cast<std::uint32_t>(w.villages_of(c).size());
    county_households_[c] = static_cast<std::uint32_t>(w.county_households(c));
  }
  for (std::size_t v = 0; v < nv; ++v) village_households_[v] = static_cast<std::uint32_t>(w.households_of(v).size());
  Counties& k = w.counties;
  county_static_.bind(k.name, "name", "", "County name (placeholder names unless the data file has real ones)");
  county_static_.bind(k.province_name, "province", "", "Province");
  county_static_.bind(k.prefecture, "prefecture", "", "Prefecture");
  county_static_.bind(k.province, "province_index", "index", "Province index, order of docs/ODD.md");
  county_static_.bind(k.prefecture_id, "prefecture_index", "index", "Prefecture index");
  county_static_.bind(k.hazard_prone, "hazard_prone", "0/1", "In a geological-hazard-prone area");
  county_static_.bind(k.ethnic_area, "ethnic_area", "0/1", "In an ethnic-minority area");
  county_static_.bind(k.old_revolutionary, "old_revolutionary", "0/1", "In an old revolutionary area");
  county_static_.bind(k.no_railway, "no_railway", "0/1", "Without railway");
  county_static_.bind(k.no_expressway, "no_expressway", "0/1", "Without expressway");
  county_static_.bind(k.product, "product", "code", "Leading specialty product");
  county_static_.bind(county_villages_, "villages", "villages", "Villages and large sites");
  county_static_.bind(county_households_, "households", "households", "Households");
  village_static_.bind(w.villages.county, "county", "index", "County of the village");
  village_static_.bind(w.villages.is_site, "is_site", "0/1", "Large resettlement site");
  village_static_.bind(w.villages.product, "product", "code", "Specialty product");
  village_static_.bind(w.villages.has_pv, "has_pv", "0/1", "Photovoltaic station");
  village_static_.bind(village_households_, "households", "households", "Households");

  spec_.levels.push_back(level_spec("total", 1, true, false, true));
  spec_.levels.push_back(level_spec("county", nc, true, false, false));
  spec_.levels.push_back(level_spec("village", nv, false, true, false));
  spec_.event_agent_kind = "household";
  spec_.event_kinds = {{"entry_unstable", "Entered monitoring as an unstable poverty-alleviated household"},
                       {"entry_marginal", "Entered monitoring as a marginal household at risk"},
                       {"entry_sudden", "Entered monitoring in sudden severe difficulty"},
                       {"exit", "Left monitoring: risk eliminated"},
                       {"return_to_poverty", "Poverty-alleviated household with income for the year below the poverty line"}};
  spec_.summary = {"income_per_capita", "income_per_capita_pa", "pa_income_gap", "monitored_households",
                   "returns_to_poverty", "workers_migrant", "workers_local", "workers_post",
                   "collectives_under_50k", "spend_total", "gini"};
  county_gini_.assign(nc, kNaN);
  build_schedule();
}

std::vector<const sim::AgentTable*> TransitionModel::tables() const {
  return {&household_table_, &village_table_, &county_table_, &product_table_};
}

std::vector<std::pair<std::string, const sim::AgentTable*>> TransitionModel::static_tables() const {
  return {{"county", &county_static_}, {"village", &village_static_}};
}

void TransitionModel::build_schedule() {
  World& w = world_;
  const std::size_t nc = w.counties.size(), nv = w.villages.size();
  schedule_
      .once("begin step",
            [&w](const sim::StepInfo& s) {
              w.year = s.year;
              for (auto& sums : w.village_sums) sums.fill(0.0);
              for (auto& e : w.village_events) e.clear();
            })
      .once("national year plan", [&w](const sim::StepInfo& s) { plan_national_year(w, s); }, sim::at_year_start)
      .each("county year plan", nc, [&w](std::size_t c, const sim::StepInfo& s) { plan_county_year(w, c, s); },
            sim::at_year_start)
      .each("county month", nc,
            [&w](std::size_t c, const sim::StepInfo& s) { prepare_county_month(w, c, s.year, s.month); })
      .each("village year plan", nv, [&w](std::size_t v, const sim::StepInfo& s) { plan_village_year(w, v, s); },
            sim::at_year_start)
      .each("household year start", nv,
            [&w](std::size_t v, const sim::StepInfo& s) { household_year_start(w, v, s); }, sim::at_year_start)
      .each("labour choice", nv, [&w](std::size_t v, const sim::StepInfo& s) { choose_labour(w, v, s.step); },
            sim::at_year_start)
      .each("labour markets", nc, [&w](std::size_t c, const sim::StepInfo&) { clear_markets(w, c); },
            sim::at_year_start)
      .each("labour rationing", nv, [&w](std::size_t v, const sim::StepInfo& s) { ration_labour(w, v, s.step); },
            sim::at_year_start)
      .each("household month", nv, [&w](std::size_t v, const sim::StepInfo& s) { household_month(w, v, s); })
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
  const bool year_end = out.info.year_end();
  sim::LevelFrame& total = out.levels[0];
  sim::LevelFrame& county = out.levels[1];
  sim::LevelFrame& village = out.levels[2];

  for (std::size_t v = 0; v < nv; ++v) {
    for (std::size_t s = 0; s < kSums; ++s) village.at(s, v) = w.village_sums[v][s];
    derive(village, v, false, year_end);
  }
  const Counties& k = w.counties;
  double price_weighted = 0;
  for (std::size_t c = 0; c < nc; ++c) {
    VillageSums sums{};
    const sim::Range vs = w.villages_of(c);
    for (std::size_t v = vs.begin; v < vs.end; ++v)
      for (std::size_t s = 0; s < kSums; ++s) sums[s] += w.village_sums[v][s];
    w.county_last[c] = sums;
    for (std::size_t s = 0; s < kSums; ++s) county.at(s, c) = sums[s];

    std::array<double, kCountyValues> cv{};
    cv[ind::fund_linkage] = k.fund_linkage[c] / 12;
    cv[ind::fund_integrated] = k.fund_integrated[c] / 12;
    cv[ind::fund_own] = k.fund_own[c] / 12;
    cv[ind::fund_east_west] = k.fund_east_west[c] / 12;
    cv[ind::fund_paired] = k.fund_paired[c] / 12;
    cv[ind::fund_quota_sales] = k.fund_quota_sales[c] / 12;
    cv[ind::spend_industry] = k.spend_industry[c] / 12;
    cv[ind::spend_infrastructure] = k.spend_infrastructure[c] / 12;
    cv[ind::spend_posts] = k.spend_posts[c] / 12;
    cv[ind::spend_training] = k.spend_training[c] / 12;
    cv[ind::spend_relocation] = k.spend_relocation[c] / 12;
    // The assistance budget counts as spent, like every other item; the
    // packages actually paid out of it are the income_package indicator.
    cv[ind::spend_assistance] = k.spend_assistance[c] / 12;
    cv[ind::spend_risk_fund] = sums[ind::defaulted_debt];
    cv[ind::spend_total] = cv[ind::spend_industry] + cv[ind::spend_infrastructure] + cv[ind::spend_posts] + cv[ind::spend_training] +
                      cv[ind::spend_relocation] + cv[ind::spend_assistance] + cv[ind::spend_risk_fund];
    for (int y = 0; y <= w.year_index() && out.info.year >= kFirstYear; ++y)
      cv[ind::quota_used_mu] += k.quota_used[static_cast<std::size_t>(y)][c];
    cv[ind::park_mu] = k.park_mu[c];
    cv[ind::park_jobs] = k.park_mu[c] * p.land.jobs_per_mu;
    cv[ind::local_jobs] = k.capacity[kLocalMarket][c];
    cv[ind::posts] = k.capacity[kPostMarket][c];
    cv[ind::ranger_posts] = k.capacity[kRangerMarket][c];
    cv[ind::price_index] = k.price[c];
    cv[ind::disaster] = w.month[c].disaster ? 1 : 0;
    cv[ind::gini] = year_end ? county_gini_[c] : kNaN;
    for (std::size_t j = 0; j < kCountyValues; ++j) {
      county.at(kFirstCountyValue + j, c) = cv[j];
      if (j != ind::price_index && j != ind::gini) total.at(kFirstCountyValue + j, 0) += cv[j];
    }
    price_weighted += cv[ind::price_index] * sums[ind::people];
    for (std::size_t s = 0; s < kSums; ++s) total.at(s, 0) += sums[s];
    derive(county, c, true, year_end);
  }
  total.at(kFirstCountyValue + ind::price_index, 0) = price_weighted / total.at(ind::people, 0);
  total.at(kFirstCountyValue + ind::gini, 0) = year_end ? total_gini_ : kNaN;
  derive(total, 0, true, year_end);
  total.at(derived_column(true, kDerived), 0) = year_end ? between_gini_ : kNaN;

  for (const auto& events : w.village_events) out.events.insert(out.events.end(), events.begin(), events.end());
}

}  // namespace transition
