#include "models/transition/population.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "models/transition/county_data.hpp"
#include "models/transition/economy.hpp"
#include "models/transition/memory_estimate.hpp"
#include "models/transition/purposes.hpp"
#include "models/transition/rules.hpp"
#include "models/transition/status_rules.hpp"
#include "sim/core/error.hpp"
#include "sim/core/parallel.hpp"
#include "sim/numeric/least_squares.hpp"
#include "sim/numeric/leontief.hpp"
#include "sim/core/math.hpp"
#include "sim/rng/distributions.hpp"

namespace transition {

namespace {

// Splits `total` into integer parts proportional to `weights` (largest
// remainder, ties by index), each at least `floor_each`.
std::vector<std::uint32_t> apportion(double total, const std::vector<double>& weights, std::uint32_t floor_each) {
  const double wsum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<std::uint32_t> out(weights.size());
  std::vector<std::pair<double, std::size_t>> remainders;
  double assigned = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double exact = total * weights[i] / wsum;
    out[i] = static_cast<std::uint32_t>(std::floor(exact));
    assigned += out[i];
    remainders.emplace_back(exact - out[i], i);
  }
  std::stable_sort(remainders.begin(), remainders.end(), [](auto& a, auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; assigned + 0.5 < std::round(total) && k < remainders.size(); ++k, ++assigned)
    ++out[remainders[k].second];
  for (auto& o : out) o = std::max(o, floor_each);
  return out;
}

// Households of one county in a random order weighted by `weight`
// (Efraimidis-Spirakis keys), so quotas can be filled by walking the list.
std::vector<std::uint32_t> weighted_order(const World& w, sim::Range r, Purpose purpose,
                                          const std::function<double(std::size_t)>& weight) {
  std::vector<std::pair<double, std::uint32_t>> keyed;
  keyed.reserve(r.size());
  for (std::size_t i = r.begin; i < r.end; ++i) {
    auto st = stream(w.id, static_cast<std::uint32_t>(i), kGenerationStep, purpose);
    const double wt = weight(i);
    if (wt <= 0) continue;
    keyed.emplace_back(sim::math::log(st.uniform()) / wt, static_cast<std::uint32_t>(i));
  }
  std::sort(keyed.begin(), keyed.end(), [](auto& a, auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  std::vector<std::uint32_t> order;
  order.reserve(keyed.size());
  for (auto& k : keyed) order.push_back(k.second);
  return order;
}

// What the county file says about each county, turned into the generator's
// quotas: households, mean household size, and the shares of people
// poverty-alleviated, relocated and at risk. The file sets each county's
// share; the scenario's totals set the level (docs/data.md).
struct CountyPlan {
  std::vector<std::uint32_t> households, site_households;
  std::vector<double> household_size, pa_share, relocated_share, at_risk_share;
};

// `ratio[c]` where the file gives it (NaN otherwise), the rest filled with
// the weighted mean of the given ones; then scaled so that the people it
// picks out add up to `target`.
std::vector<double> shares_to_target(std::vector<double> ratio, const std::vector<double>& people, double target,
                                     double cap) {
  double given = 0, given_people = 0;
  for (std::size_t c = 0; c < ratio.size(); ++c)
    if (!std::isnan(ratio[c])) {
      given += ratio[c] * people[c];
      given_people += people[c];
    }
  const double fill = given_people > 0 ? given / given_people : 1.0;
  double total = 0;
  for (std::size_t c = 0; c < ratio.size(); ++c) {
    if (std::isnan(ratio[c])) ratio[c] = fill;
    total += ratio[c] * people[c];
  }
  for (double& r : ratio) r = total > 0 ? std::min(cap, r * target / total) : 0.0;
  return ratio;
}

CountyPlan build_counties_and_villages(World& w) {
  const Params& p = w.params;
  const auto& pop = p.population;
  const auto& records = w.county_data;  // read by generate_population
  const std::size_t n = records.size();
  Counties& k = w.counties;
  w.county_table.resize(n);
  for (std::size_t m = 0; m < kMarkets; ++m) {
    std::fill(k.accept_priority[m].begin(), k.accept_priority[m].end(), 1.0f);
    std::fill(k.accept_other[m].begin(), k.accept_other[m].end(), 1.0f);
  }
  const auto given = [](double x) { return x > 0 ? x : std::numeric_limits<double>::quiet_NaN(); };
  std::vector<std::pair<int, std::string>> prefectures;  // (province, name): names repeat across provinces
  for (std::size_t c = 0; c < n; ++c) {
    const CountyRecord& r = records[c];
    k.name[c] = r.name;
    k.province[c] = r.province;
    k.prefecture[c] = r.prefecture;
    k.name_zh[c] = r.name_zh;
    k.prefecture_zh[c] = r.prefecture_zh;
    k.code[c] = r.code;
    k.lat[c] = static_cast<float>(given(r.lat));
    k.lon[c] = static_cast<float>(given(r.lon));
    k.province_index[c] = static_cast<std::uint8_t>(r.province_index);
    const std::pair<int, std::string> key(r.province_index, r.prefecture);
    auto it = std::find(prefectures.begin(), prefectures.end(), key);
    if (it == prefectures.end()) it = prefectures.insert(prefectures.end(), key);
    k.prefecture_index[c] = static_cast<std::uint16_t>(it - prefectures.begin());
    k.hazard_prone[c] = r.hazard_prone;
    k.ethnic_area[c] = r.ethnic_area;
    k.old_revolutionary[c] = r.old_revolutionary;
    k.no_railway[c] = r.no_railway;
    k.no_expressway[c] = r.no_expressway;
    auto st = stream(w.id, static_cast<std::uint32_t>(c), kGenerationStep, Purpose::gen_product);
    k.product[c] = static_cast<std::uint8_t>(sim::rng::categorical(st, pop.product_weights));
  }
  w.prefecture_disaster_month.assign(prefectures.size(), 0);
  w.prefecture_market.assign(prefectures.size(), {});
  // Investors look at the prefecture too: its share of counties with an
  // expressway.
  std::vector<double> with_expressway(prefectures.size(), 0.0), in_prefecture(prefectures.size(), 0.0);
  for (std::size_t c = 0; c < n; ++c) {
    with_expressway[k.prefecture_index[c]] += k.no_expressway[c] ? 0.0 : 1.0;
    in_prefecture[k.prefecture_index[c]] += 1.0;
  }
  for (std::size_t c = 0; c < n; ++c)
    k.prefecture_access[c] = static_cast<float>(with_expressway[k.prefecture_index[c]] / in_prefecture[k.prefecture_index[c]]);

  // Households per county: the file's households (or rural population over
  // the mean household size) set each county's share of the total; a
  // county without figures gets a random size around the others' mean.
  const double scale = pop.scale;
  const double total = pop.households * scale;
  std::vector<double> weight(n);
  double given_sum = 0, given_n = 0;
  for (std::size_t c = 0; c < n; ++c) {
    const CountyRecord& r = records[c];
    weight[c] = r.rural_households > 0 ? r.rural_households
                : r.rural_population > 0 ? r.rural_population / pop.household_size
                                         : std::numeric_limits<double>::quiet_NaN();
    if (!std::isnan(weight[c])) {
      given_sum += weight[c];
      given_n += 1;
    }
  }
  for (std::size_t c = 0; c < n; ++c) {
    if (!std::isnan(weight[c])) continue;
    auto st = stream(w.id, static_cast<std::uint32_t>(c), kGenerationStep, Purpose::gen_county_size);
    weight[c] = (given_n > 0 ? given_sum / given_n : 1.0) * sim::rng::lognormal(st, 0.0, pop.county_size_sd);
  }
  CountyPlan plan;
  plan.households = apportion(total, weight, 1);

  // Mean household size: the file's differences between counties around
  // the scenario's mean.
  plan.household_size.assign(n, pop.household_size);
  double size_people = 0, size_households = 0;
  for (std::size_t c = 0; c < n; ++c)
    if (records[c].rural_population > 0 && records[c].rural_households > 0) {
      size_people += plan.households[c] * records[c].rural_population / records[c].rural_households;
      size_households += plan.households[c];
    }
  for (std::size_t c = 0; c < n; ++c)
    if (records[c].rural_population > 0 && records[c].rural_households > 0)
      plan.household_size[c] = records[c].rural_population / records[c].rural_households * pop.household_size /
                               (size_people / size_households);

  // Shares of people poverty-alleviated, relocated and (among the
  // poverty-alleviated-like) at risk, from the file's figures, to the
  // scenario's totals.
  std::vector<double> people(n), pa_ratio(n), relocated_ratio(n);
  for (std::size_t c = 0; c < n; ++c) {
    const CountyRecord& r = records[c];
    people[c] = plan.households[c] * plan.household_size[c];
    pa_ratio[c] = r.pa_people >= 0 && r.rural_population > 0 ? r.pa_people / r.rural_population
                                                              : std::numeric_limits<double>::quiet_NaN();
    relocated_ratio[c] = r.relocated_people >= 0 && r.rural_population > 0 ? r.relocated_people / r.rural_population
                                                                            : std::numeric_limits<double>::quiet_NaN();
  }
  plan.pa_share = shares_to_target(pa_ratio, people, pop.pa_people * scale, 0.95);
  plan.relocated_share = shares_to_target(relocated_ratio, people, pop.relocated_people * scale, 0.95);
  for (std::size_t c = 0; c < n; ++c) plan.relocated_share[c] = std::min(plan.relocated_share[c], plan.pa_share[c]);
  // Households at risk are found where poverty was (an assumption): the
  // at-risk share follows the poverty-alleviated share.
  plan.at_risk_share = shares_to_target(plan.pa_share, people, pop.at_risk_people * scale, 0.95);

  // Large resettlement sites: first in the counties the file gives one,
  // then in others weighted by relocated people and hazard exposure; one
  // site community per county (a county's several sites are merged).
  const std::size_t sites = std::min<std::size_t>(static_cast<std::size_t>(pop.large_sites), n);
  std::vector<std::pair<double, std::size_t>> site_keys;
  for (std::size_t c = 0; c < n; ++c) {
    auto st = stream(w.id, static_cast<std::uint32_t>(c), kGenerationStep, Purpose::gen_sites);
    // A large site needs at least its own size in relocated people.
    const double relocated = people[c] * plan.relocated_share[c];
    const double fits = relocated >= pop.large_site_min_people * pop.site_min_factor * scale ? 1.0 : 1e-6;
    const double wt = relocated * fits * (k.hazard_prone[c] ? pop.site_hazard_weight : 1.0);
    const double key = wt > 0 ? sim::math::log(st.uniform()) / wt : -std::numeric_limits<double>::infinity();
    site_keys.emplace_back(records[c].large_sites > 0 ? records[c].large_sites : key, c);
  }
  std::stable_sort(site_keys.begin(), site_keys.end(), [](auto& a, auto& b) { return a.first > b.first; });
  plan.site_households.assign(n, 0);
  for (std::size_t s = 0; s < sites; ++s) {
    const std::size_t c = site_keys[s].second;
    auto st = stream(w.id, static_cast<std::uint32_t>(c), kGenerationStep, Purpose::gen_sites);
    st.uniform();
    const double site_people = std::max(pop.large_site_min_people * pop.site_min_factor,
                                        sim::rng::lognormal_mean_cv(st, pop.large_site_mean_people, pop.site_people_cv));
    std::uint32_t& hh = plan.site_households[c];
    hh = std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::ceil(site_people * scale / plan.household_size[c])));
    hh = std::min(hh, plan.households[c] > 1 ? plan.households[c] - 1 : 1);
  }

  // Villages: the file's counts set each county's share, at the scenario's
  // mean village size; a county without a count gets that mean size.
  const double mean_village = pop.households / pop.villages;
  double file_households = 0, file_villages = 0;
  for (std::size_t c = 0; c < n; ++c)
    if (records[c].villages > 0) {
      file_households += plan.households[c] - plan.site_households[c];
      file_villages += records[c].villages;
    }
  const double village_factor = file_villages > 0 ? file_households / mean_village / file_villages : 1.0;
  std::vector<std::uint32_t> villages_per_county(n);
  std::vector<std::uint32_t> village_counts;
  std::vector<std::uint32_t> village_county;
  std::vector<std::uint8_t> village_site;
  for (std::size_t c = 0; c < n; ++c) {
    const double ordinary = static_cast<double>(plan.households[c] - plan.site_households[c]);
    const double nv = records[c].villages > 0 ? records[c].villages * village_factor : ordinary / mean_village;
    const auto nvil = static_cast<std::uint32_t>(std::clamp(std::round(nv), 1.0, std::max(1.0, ordinary)));
    std::vector<double> vw(nvil);
    for (std::uint32_t j = 0; j < nvil; ++j) {
      auto st = stream(w.id, static_cast<std::uint32_t>(village_counts.size() + j), kGenerationStep, Purpose::gen_village_size);
      vw[j] = sim::rng::lognormal(st, 0.0, pop.village_size_sd);
    }
    const auto sizes = apportion(ordinary, vw, 1);
    for (auto sz : sizes) {
      village_counts.push_back(sz);
      village_county.push_back(static_cast<std::uint32_t>(c));
      village_site.push_back(0);
    }
    if (plan.site_households[c] > 0) {
      w.large_site_villages.push_back(static_cast<std::uint32_t>(village_counts.size()));
      village_counts.push_back(plan.site_households[c]);
      village_county.push_back(static_cast<std::uint32_t>(c));
      village_site.push_back(1);
    }
    villages_per_county[c] = static_cast<std::uint32_t>(sizes.size() + (plan.site_households[c] > 0 ? 1 : 0));
  }
  w.hierarchy = sim::Hierarchy({"county", "village", "household"}, {villages_per_county, village_counts});
  w.village_table.resize(village_counts.size());
  w.villages.county = village_county;
  w.villages.is_site = village_site;
  return plan;
}

void build_households(World& w, const CountyPlan& plan) {
  const Params& p = w.params;
  const auto& pop = p.population;
  Households& h = w.households;
  w.household_table.resize(w.hierarchy.count(2));
  const double dependants = 1.0 - pop.able_share - pop.weak_share - pop.elderly_share;
  const std::array<double, 4> member_weights = {pop.able_share, pop.weak_share, pop.elderly_share,
                                                std::max(0.0, dependants)};
  sim::for_each_index(w.villages.size(), [&](std::size_t v) {
    const bool site = w.villages.is_site[v];
    const double size = plan.household_size[w.villages.county[v]];
    const sim::Range r = w.households_of(v);
    for (std::size_t i = r.begin; i < r.end; ++i) {
      auto st = stream(w.id, static_cast<std::uint32_t>(i), kGenerationStep, Purpose::gen_composition);
      const long extra = sim::rng::poisson(st, std::max(0.0, size - 1.0));
      const int members = static_cast<int>(std::min<long>(12, 1 + extra));
      std::array<int, 4> count{};
      for (int m = 0; m < members; ++m) ++count[sim::rng::categorical(st, member_weights)];
      if (count[0] + count[1] + count[2] == 0) {  // someone must head the household
        --count[3];
        ++count[1];
      }
      h.members[i] = static_cast<std::uint8_t>(members);
      h.able[i] = static_cast<std::uint8_t>(count[0]);
      h.weak[i] = static_cast<std::uint8_t>(count[1]);
      h.elderly[i] = static_cast<std::uint8_t>(count[2]);
      h.children[i] = static_cast<std::uint8_t>(count[3]);
      if (sim::rng::bernoulli(st, pop.chronic_household_share))
        h.chronic[i] = static_cast<std::uint8_t>(std::min(members, 1 + (sim::rng::bernoulli(st, pop.second_chronic_share) ? 1 : 0)));
      if (site) h.flags[i] = kPovertyAlleviated | kRelocated | kLargeSite;

      auto sl = stream(w.id, static_cast<std::uint32_t>(i), kGenerationStep, Purpose::gen_land);
      h.land_mu[i] = static_cast<float>(members * pop.land_mu_per_capita * (site ? pop.site_land_share : 1.0) *
                                        sim::rng::lognormal_mean_cv(sl, 1.0, pop.land_cv));
      h.irrigated[i] = static_cast<std::uint8_t>(
          std::clamp(std::round(100.0 * pop.irrigated_share * sim::rng::lognormal_mean_cv(sl, 1.0, pop.irrigated_cv)), 0.0, 100.0));
      auto sp = stream(w.id, static_cast<std::uint32_t>(i), kGenerationStep, Purpose::gen_productivity);
      h.productivity[i] = static_cast<float>(sim::rng::lognormal_mean_cv(sp, 1.0, pop.productivity_cv));
    }
    // A large site holds at least the minimum by definition: where the drawn
    // households fall short (small scales, few households), children are
    // added in turn.
    if (site) {
      double people = 0;
      for (std::size_t i = r.begin; i < r.end; ++i) people += h.members[i];
      for (std::size_t k = 0; people < pop.large_site_min_people * pop.scale && r.size() > 0; ++k, people += 1) {
        const std::size_t i = r.begin + k % r.size();
        if (h.members[i] >= 250) break;
        ++h.members[i];
        ++h.children[i];
      }
    }
  });
}

// Poverty-alleviated status and relocation, filled county by county to quotas
// so that the shares hold at every scale.
void assign_poverty_history(World& w, const CountyPlan& plan) {
  const auto& pop = w.params.population;
  Households& h = w.households;
  // Relocated people per county: the plan's share, but never fewer than its
  // large site holds; the province's other counties' quotas shrink to keep
  // the province's total.
  const std::size_t n = w.counties.size();
  std::vector<double> people(n), site_people(n), quota(n);
  std::array<double, kProvinces> target{}, bound{}, free{};
  for (std::size_t c = 0; c < n; ++c) {
    const sim::Range r = w.hierarchy.descendants(0, c, 2);
    for (std::size_t i = r.begin; i < r.end; ++i) {
      people[c] += h.members[i];
      if (h.flags[i] & kRelocated) site_people[c] += h.members[i];
    }
    quota[c] = plan.relocated_share[c] * people[c];
    const std::size_t pr = w.counties.province_index[c];
    target[pr] += quota[c];
    (site_people[c] >= quota[c] ? bound[pr] : free[pr]) += site_people[c] >= quota[c] ? site_people[c] : quota[c];
  }
  for (std::size_t c = 0; c < n; ++c) {
    const std::size_t pr = w.counties.province_index[c];
    const double shrink = free[pr] > 0 ? std::max(0.0, target[pr] - bound[pr]) / free[pr] : 0.0;
    if (site_people[c] < quota[c]) quota[c] = std::max(site_people[c], quota[c] * shrink);
  }

  sim::for_each_index(n, [&](std::size_t c) {
    const sim::Range r = w.hierarchy.descendants(0, c, 2);
    double pa = 0, relocated = site_people[c];
    for (std::size_t i = r.begin; i < r.end; ++i)
      if (h.flags[i] & kPovertyAlleviated) pa += h.members[i];
    const double pa_quota = plan.pa_share[c] * people[c];
    // Illness and little land make registration as poor more likely.
    const auto order = weighted_order(w, r, Purpose::gen_poverty_order, [&](std::size_t i) {
      return (h.flags[i] & kPovertyAlleviated) ? 0.0
                                               : 1.0 + pop.poverty_order_chronic_weight * h.chronic[i] +
                                                     (h.land_mu[i] < h.members[i] ? pop.poverty_order_land_weight : 0.0);
    });
    for (std::size_t k = 0; k < order.size() && pa + 0.5 * h.members[order[k]] < pa_quota; ++k) {
      h.flags[order[k]] |= kPovertyAlleviated;
      pa += h.members[order[k]];
    }
    const auto movers = weighted_order(w, r, Purpose::gen_relocation_order, [&](std::size_t i) {
      return (h.flags[i] & kPovertyAlleviated) && !(h.flags[i] & kRelocated) ? 1.0 : 0.0;
    });
    for (std::size_t k = 0; k < movers.size() && relocated + 0.5 * h.members[movers[k]] < quota[c]; ++k) {
      h.flags[movers[k]] |= kRelocated;
      relocated += h.members[movers[k]];
    }
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const bool is_pa = h.flags[i] & kPovertyAlleviated;
      auto st = stream(w.id, static_cast<std::uint32_t>(i), kGenerationStep, Purpose::gen_skill);
      h.skill[i] = static_cast<std::uint8_t>(sim::rng::categorical(st, is_pa ? pop.skill_weights_pa : pop.skill_weights_other));
      if (is_pa) h.exit_year[i] = static_cast<std::uint8_t>(14 + sim::rng::categorical(st, pop.exit_year_weights));
      auto sa = stream(w.id, static_cast<std::uint32_t>(i), kGenerationStep, Purpose::gen_livestock);
      if (sim::rng::bernoulli(sa, is_pa ? pop.livestock_owner_share_pa : pop.livestock_owner_share_other))
        h.livestock[i] =
            static_cast<float>(w.params.credit.investment_threshold * sim::rng::lognormal_mean_cv(sa, 1.0, pop.livestock_cv));
    }
  });
}

// Collective income in 2020, drawn by stratified quantiles of a lognormal
// whose median puts the target share under 50,000 yuan.
void build_collectives(World& w) {
  const Params& p = w.params;
  Villages& vil = w.villages;
  const double sigma = p.population.collective_sigma;
  const double median = 50000.0 * sim::math::exp(-sigma * sim::rng::normal_quantile(p.population.collective_under_50k));
  const double above_pv = 1.0 - sim::math::normal_cdf(sim::math::log(p.collective.pv_income / median) / sigma);
  const double pv_chance = above_pv > 0 ? std::min(1.0, p.collective.pv_share / above_pv) : 0.0;

  std::vector<std::pair<double, std::uint32_t>> keys;
  for (std::size_t v = 0; v < vil.size(); ++v) {
    auto st = stream(w.id, static_cast<std::uint32_t>(v), kGenerationStep, Purpose::gen_collective);
    if (!vil.is_site[v]) keys.emplace_back(st.uniform(), static_cast<std::uint32_t>(v));
  }
  std::sort(keys.begin(), keys.end());
  for (std::size_t rank = 0; rank < keys.size(); ++rank) {
    const std::size_t v = keys[rank].second;
    auto st = stream(w.id, static_cast<std::uint32_t>(v), kGenerationStep, Purpose::gen_collective);
    st.uniform();
    const double q = (static_cast<double>(rank) + st.uniform()) / static_cast<double>(keys.size());
    const double income = median * sim::math::exp(sigma * sim::rng::normal_quantile(q));
    vil.has_pv[v] = income >= p.collective.pv_income && sim::rng::bernoulli(st, pv_chance);
    const double pv = vil.has_pv[v] ? p.collective.pv_income : 0.0;
    // Earlier funded projects earn part of the non-PV income.
    vil.assets[v] = p.population.collective_funded_share * (income - pv) / std::max(1e-9, p.collective.project_return);
    vil.base_income[v] = income - pv - vil.assets[v] * p.collective.project_return;
    vil.income_year[v] = vil.income_last_year[v] = income;
  }
  for (std::size_t v = 0; v < vil.size(); ++v) {
    const std::size_t c = vil.county[v];
    auto st = stream(w.id, static_cast<std::uint32_t>(v), kGenerationStep, Purpose::gen_product);
    vil.product[v] = sim::rng::bernoulli(st, p.population.product_village_share)
                         ? w.counties.product[c]
                         : static_cast<std::uint8_t>(sim::rng::categorical(st, p.population.product_weights));
    const double hh = static_cast<double>(w.households_of(v).size());
    const double jobs = p.labour.workshop_jobs_per_village * hh / (p.population.households / p.population.villages) *
                        (vil.is_site[v] ? p.population.site_workshop_factor : 1.0);
    auto sj = stream(w.id, static_cast<std::uint32_t>(v), kGenerationStep, Purpose::gen_sites);
    vil.workshop_jobs[v] = static_cast<std::uint32_t>(jobs + sj.uniform());
    vil.workshop_accept_priority[v] = vil.workshop_accept_other[v] = 1.0f;
    if (vil.is_site[v]) vil.income_year[v] = vil.income_last_year[v] = vil.base_income[v] = 0;
  }
}

struct SourceTotals {
  double market_wage = 0, policy_wage = 0, operating = 0, property = 0, fixed_transfer = 0, other_transfer = 0;
  double total() const { return market_wage + policy_wage + operating + property + fixed_transfer + other_transfer; }
};

// 2020 incomes of every household from the income rules, with December 2020
// prices; returns totals for poverty-alleviated and other households.
// Over the villages `only` names, or all (nullptr).
std::array<SourceTotals, 2> income_2020(World& w, std::vector<float>* annual, std::vector<float>* without_dibao = nullptr,
                                        const std::vector<std::uint32_t>* only = nullptr) {
  for (std::size_t c = 0; c < w.counties.size(); ++c) w.prepare_county_month(c, kFirstYear - 1, 12);
  const std::size_t n = only ? only->size() : w.villages.size();
  std::vector<std::array<SourceTotals, 2>> per_village(n);
  const Params& p = w.params;
  sim::for_each_index(n, [&](std::size_t k) {
    const std::size_t v = only ? (*only)[k] : k;
    const auto& vil = w.villages;
    const double hh = static_cast<double>(w.households_of(v).size());
    const double dividend = p.collective.dividend_share * vil.income_year[v] * w.calibration.property / hh / 12.0;
    const CountyMonth& m = w.month[vil.county[v]];
    const sim::Range r = w.households_of(v);
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const IncomeParts in = month_income(w.households, i, m, dividend, 0.0, p.labour);
      SourceTotals& t = per_village[k][(w.households.flags[i] & kPovertyAlleviated) ? 1 : 0];
      t.market_wage += 12 * (in.migrant + in.local + in.workshop);
      t.policy_wage += 12 * (in.post + in.ranger);
      t.operating += 12 * in.operating();
      t.property += 12 * in.property;
      t.fixed_transfer += 12 * (in.pension + in.dibao + in.package);
      t.other_transfer += 12 * in.other;
      if (annual) (*annual)[i] = static_cast<float>(12 * in.total());
      if (without_dibao) (*without_dibao)[i] = static_cast<float>(12 * (in.total() - in.dibao));
    }
  });
  std::array<SourceTotals, 2> all{};
  for (const auto& pv : per_village)
    for (int g = 0; g < 2; ++g) {
      all[g].market_wage += pv[g].market_wage;
      all[g].policy_wage += pv[g].policy_wage;
      all[g].operating += pv[g].operating;
      all[g].property += pv[g].property;
      all[g].fixed_transfer += pv[g].fixed_transfer;
      all[g].other_transfer += pv[g].other_transfer;
    }
  return all;
}

// Dibao in 2020: every household applies; the means test reads its income
// without dibao. Reviews of those enrolled are spread over the cycle.
void enrol_dibao(World& w, const std::vector<float>& without_dibao) {
  const Params& p = w.params;
  Households& h = w.households;
  sim::for_each_index(w.villages.size(), [&](std::size_t v) {
    const double standard = w.month[w.villages.county[v]].dibao_month * 12.0;
    const sim::Range r = w.households_of(v);
    for (std::size_t i = r.begin; i < r.end; ++i) {
      auto st = stream(w.id, static_cast<std::uint32_t>(i), kGenerationStep, Purpose::gen_savings);
      const double u = st.uniform();
      std::uint8_t years = 0;
      const bool enrol = dibao_status(false, years, without_dibao[i] / h.members[i], standard, false, p.assistance, u);
      h.flags[i] = static_cast<std::uint8_t>(enrol ? h.flags[i] | kDibao : h.flags[i] & ~kDibao);
      h.dibao_years[i] = static_cast<std::uint8_t>(st.uniform() * static_cast<double>(p.assistance.dibao_review_years));
    }
  });
}

// Finds the calibration factors so that 2020 incomes of poverty-alleviated
// people match the target level and composition, and all residents' income
// its target: a Levenberg-Marquardt least-squares fit of the five factors (in
// logarithms) to the five relative errors, with dibao enrolment held while
// the factors move and redone between fits (it depends on income).
// The villages the fit evaluates: all of them, or at large scales a fixed
// systematic sample (every k-th village) of about
// population.calibration_sample households: the factors are ratios of
// totals, which such a sample pins down far inside the targets' precision,
// and each of the fit's evaluations then costs a fraction of a full pass.
std::vector<std::uint32_t> calibration_villages(const World& w) {
  const double households = static_cast<double>(w.households.size());
  const double sample = w.params.population.calibration_sample;
  const auto stride = static_cast<std::size_t>(households > sample ? std::ceil(households / sample) : 1.0);
  std::vector<std::uint32_t> out;
  for (std::size_t v = 0; v < w.villages.size(); v += stride) out.push_back(static_cast<std::uint32_t>(v));
  return out;
}

void fit_calibration(World& w) {
  const auto& pop = w.params.population;
  Households& h = w.households;
  const std::vector<std::uint32_t> sample = calibration_villages(w);
  double pa_people_n = 0, people_n = 0;
  for (const std::uint32_t v : sample) {
    const sim::Range r = w.households_of(v);
    for (std::size_t i = r.begin; i < r.end; ++i) {
      people_n += h.members[i];
      if (h.flags[i] & kPovertyAlleviated) pa_people_n += h.members[i];
    }
  }
  const double target = pop.income_pa_2020 * pa_people_n;
  std::vector<float> annual(h.size()), without_dibao(h.size());
  World::CalibrationFit& fit = w.calibration_fit;
  for (int round = 0; round < 4; ++round) {
    const Calibration start = w.calibration;
    const std::vector<float> base = h.productivity;  // non-PA households' productivity scales with the last factor
    const auto apply = [&](std::span<const double> x) {
      Calibration& c = w.calibration;
      c.market_wage = start.market_wage * sim::math::exp(x[0]);
      c.operating = start.operating * sim::math::exp(x[1]);
      c.property = start.property * sim::math::exp(x[2]);
      c.other_transfer = start.other_transfer * sim::math::exp(x[3]);
      c.non_pa_productivity = start.non_pa_productivity * sim::math::exp(x[4]);
      const double f = sim::math::exp(x[4]);
      for (const std::uint32_t v : sample) {
        const sim::Range r = w.households_of(v);
        for (std::size_t i = r.begin; i < r.end; ++i)
          if (!(h.flags[i] & kPovertyAlleviated)) h.productivity[i] = static_cast<float>(base[i] * f);
      }
    };
    const auto residuals = [&](std::span<const double> x) {
      apply(x);
      const auto t = income_2020(w, nullptr, nullptr, &sample);
      const SourceTotals& pa = t[1];
      return std::vector<double>{(pa.market_wage + pa.policy_wage) / (pop.share_wage * target) - 1.0,
                                 pa.operating / (pop.share_operating * target) - 1.0,
                                 pa.property / (pop.share_property * target) - 1.0,
                                 (pa.fixed_transfer + pa.other_transfer) / (pop.share_transfer * target) - 1.0,
                                 (t[0].total() + pa.total()) / (pop.income_all_2020 * people_n) - 1.0};
    };
    income_2020(w, &annual, &without_dibao);
    enrol_dibao(w, without_dibao);
    sim::numeric::LeastSquaresOptions options;
    options.difference_step = 1e-4;  // factors move incomes smoothly; the step stays far above float rounding
    options.cost_tolerance = 1e-14;  // relative errors of about 1e-7: far inside any target's precision
    const auto r = sim::numeric::levenberg_marquardt(residuals, std::vector<double>(5, 0.0), options);
    apply(r.x);
    // Households outside the sample take the same productivity factor.
    const double f = sim::math::exp(r.x[4]);
    for (std::size_t i = 0; i < h.size(); ++i)
      if (!(h.flags[i] & kPovertyAlleviated)) h.productivity[i] = static_cast<float>(base[i] * f);
    fit.rounds += 1;
    fit.iterations += r.iterations;
    fit.evaluations += r.evaluations;
    fit.cost = r.cost;
    fit.converged = r.converged;
    fit.stop = r.stop;
    // Settled once dibao enrolment no longer moves the fit.
    double moved = 0;
    for (double x : r.x) moved = std::max(moved, std::fabs(x));
    if (moved < 1e-6) break;
  }
}

// 2020 incomes with the factors found: dibao enrolment, last year's income
// and means, and savings.
void settle_incomes_2020(World& w) {
  const auto& pop = w.params.population;
  Households& h = w.households;
  std::vector<float> annual(h.size()), without_dibao(h.size());
  income_2020(w, &annual, &without_dibao);
  enrol_dibao(w, without_dibao);
  income_2020(w, &annual, &without_dibao);
  // 2020 income is the starting point of the income the household and the
  // cadres have seen, and of savings.
  for (std::size_t i = 0; i < h.size(); ++i) {
    const double pc = annual[i] / h.members[i];
    h.income_last_year[i] = static_cast<float>(pc);
    h.means_last_year[i] = static_cast<float>(without_dibao[i] / h.members[i]);
    auto st = stream(w.id, static_cast<std::uint32_t>(i), kGenerationStep, Purpose::gen_savings);
    st.uniform();
    h.savings[i] = static_cast<float>(pop.savings_months * annual[i] / 12.0 * sim::rng::lognormal_mean_cv(st, 1.0, pop.savings_cv));
  }
}

// 2020 labour allocation and incomes depend on each other: workers choose by
// calibrated wages, and calibration takes the allocation as given. A few
// alternations settle both; each labour round also gives the next one its
// job chances and activities as history. Without `fit` the factors stay as
// they are.
void settle_2020(World& w, bool fit) {
  const std::size_t nv = w.villages.size(), nc = w.counties.size();
  for (int round = 0; round < 3; ++round) {
    const std::uint32_t step = kGenerationStep - static_cast<std::uint32_t>(round) - 1;
    for (std::size_t c = 0; c < nc; ++c) w.prepare_county_month(c, kFirstYear - 1, 12);
    sim::for_each_index(nv, [&](std::size_t v) { w.choose_labour(v, step); });
    w.pool_prefecture_markets();
    sim::for_each_index(nc, [&](std::size_t c) { w.clear_markets(c); });
    sim::for_each_index(nv, [&](std::size_t v) { w.ration_labour(v, step); });
    if (fit) fit_calibration(w);
  }
  // Only the last round's incomes matter: labour choice reads wages and
  // chances, and the fit enrols dibao afresh from incomes without it.
  settle_incomes_2020(w);
}

// The calibration factors are fitted once with the calibration parameters
// (the baseline: every key at its default but the population section), and
// kept: a scenario that changes a parameter shaping 2020 (a wage, a cost, a
// chance) then starts from the same factors, and its change moves incomes.
// `population.recalibrate` fits them with the scenario's own parameters.
void calibrate(World& w) {
  const Params scenario = w.params;
  const Params reference = calibration_params(scenario);
  w.reference_params = reference;
  w.calibration_fit = {};
  w.calibration_fit.differing = keys_shaping_2020_that_differ(scenario, reference);
  w.calibration_fit.recalibrated = scenario.population.recalibrate;
  if (scenario.population.recalibrate || w.calibration_fit.differing.empty()) {
    settle_2020(w, true);
    return;
  }
  // Fit in a copy of the starting state with the reference parameters, then
  // settle the scenario's own 2020 with the factors found.
  const Households households = w.households;
  const Villages villages = w.villages;
  const Counties counties = w.counties;
  w.params = reference;
  settle_2020(w, true);
  w.params = scenario;
  w.households = households;
  w.villages = villages;
  w.counties = counties;
  for (std::size_t i = 0; i < w.households.size(); ++i)
    if (!(w.households.flags[i] & kPovertyAlleviated))
      w.households.productivity[i] = static_cast<float>(w.households.productivity[i] * w.calibration.non_pa_productivity);
  settle_2020(w, false);
}

// What monitoring sees of 2020 and whether the household was below the
// poverty line in 2020: the start of the poverty transitions.
void set_tested_income_2020(World& w) {
  const Params& p = w.params;
  const TestedIncome tested(p.monitoring);
  const double line = p.poverty_line(kFirstYear - 1);
  Households& h = w.households;
  sim::for_each_index(w.villages.size(), [&](std::size_t v) {
    const CountyMonth& m = w.month[w.villages.county[v]];
    const sim::Range r = w.households_of(v);
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const IncomeParts in = month_income(h, i, m, w.villages.dividend_month[v], 0.0, p.labour);
      const double pc = tested(12 * in.total(), 12 * in.transfers(), 0.0, h.members[i]);
      h.income_ema[i] = static_cast<float>(pc / 12.0);
      h.flags[i] = static_cast<std::uint8_t>(pc < line ? h.flags[i] | kBelowLine : h.flags[i] & ~kBelowLine);
    }
  });
}

// People at risk start under monitoring: the lowest 2020 incomes, with noise.
void assign_initial_monitoring(World& w, const CountyPlan& plan) {
  const auto& pop = w.params.population;
  Households& h = w.households;
  sim::for_each_index(w.counties.size(), [&](std::size_t c) {
    const double share = plan.at_risk_share[c];
    const sim::Range r = w.hierarchy.descendants(0, c, 2);
    double people = 0;
    std::vector<std::pair<double, std::uint32_t>> keys;
    for (std::size_t i = r.begin; i < r.end; ++i) {
      people += h.members[i];
      auto st = stream(w.id, static_cast<std::uint32_t>(i), kGenerationStep, Purpose::gen_risk_order);
      keys.emplace_back(h.income_last_year[i] * sim::rng::lognormal_mean_cv(st, 1.0, pop.risk_order_cv) /
                            (1.0 + pop.risk_order_chronic_weight * h.chronic[i]),
                        static_cast<std::uint32_t>(i));
    }
    std::sort(keys.begin(), keys.end());
    double monitored = 0;
    for (std::size_t k = 0; k < keys.size() && monitored + 0.5 * h.members[keys[k].second] < share * people; ++k) {
      const std::uint32_t i = keys[k].second;
      h.monitor_kind[i] = (h.flags[i] & kPovertyAlleviated) ? kUnstable : kMarginal;
      h.monitor_months[i] = static_cast<std::uint8_t>(i % 12);
      monitored += h.members[i];
    }
  });
}

}  // namespace

void generate_population(World& w) {
  // Before any agent exists: a population that cannot fit in the memory
  // this process may use is refused, and a large one is noted with its
  // estimate (memory_estimate.hpp).
  w.county_data = read_counties(w.params.population.county_file, w.embedded);
  const std::string note = check_run_memory(w.params, w.county_data.size(), sim::memory_limit());
  if (!note.empty()) {
    // On a terminal the set-up's progress line is overwritten, not split.
    std::fprintf(stderr, "%s%s\n", isatty(STDERR_FILENO) ? "\r" : "", note.c_str());
    std::fflush(stderr);
  }
  const CountyPlan plan = build_counties_and_villages(w);
  build_households(w, plan);
  assign_poverty_history(w, plan);
  build_collectives(w);

  const std::size_t nv = w.villages.size();
  const std::size_t nc = w.counties.size();
  w.month.resize(nc);
  w.county_values.assign(nc, CountyValues{});
  w.sam_inverse = sim::numeric::leontief_inverse(w.params.economy.sam, kSectors + 1);
  w.tally.assign(nv, {});
  w.applicants.assign(nv, {});
  w.county_last.assign(nc, VillageSums{});
  w.product_table.resize(kProducts);  // shares are set by the first January's plan
  std::fill(w.products.price.begin(), w.products.price.end(), 1.0);
  const Params& p = w.params;
  for (std::size_t c = 0; c < nc; ++c) {
    const double hh = static_cast<double>(w.county_households(c));
    w.counties.base_local_jobs[c] = p.labour.local_jobs_per_1000 * hh / 1000.0;
    w.counties.capacity[kLocalMarket][c] = w.counties.base_local_jobs[c];
    w.counties.base_posts[c] = p.labour.posts_per_1000 * hh / 1000.0;
    w.counties.capacity[kPostMarket][c] = w.counties.base_posts[c];
    const sim::Range r = w.hierarchy.descendants(0, c, 2);
    for (std::size_t i = r.begin; i < r.end; ++i) w.counties.farmland_mu[c] += w.households.land_mu[i];
    w.counties.capacity[kRangerMarket][c] = p.labour.rangers_per_1000 * hh / 1000.0;
    w.counties.price[c] = 1.0f;
    w.counties.package_scale[c] = 1.0f;
    w.prepare_county_month(c, kFirstYear - 1, 12);
  }

  calibrate(w);

  for (std::size_t v = 0; v < nv; ++v) {
    const double hh = static_cast<double>(w.households_of(v).size());
    w.villages.dividend_month[v] = p.collective.dividend_share * w.villages.income_year[v] * w.calibration.property / hh / 12.0;
  }
  set_tested_income_2020(w);
  assign_initial_monitoring(w, plan);
  // Counts the first year's planning needs (funds by need, training places).
  for (std::size_t c = 0; c < nc; ++c) {
    VillageSums& s = w.county_last[c];
    const sim::Range r = w.hierarchy.descendants(0, c, 2);
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const Households& h = w.households;
      s[ind::households] += 1;
      s[ind::people] += h.members[i];
      if (h.flags[i] & kPovertyAlleviated) {
        s[ind::pa_households] += 1;
        s[ind::pa_people] += h.members[i];
      }
      if (h.monitor_kind[i] != kNotMonitored) {
        s[ind::monitored_households] += 1;
        s[ind::monitored_people] += h.members[i];
      }
    }
  }
}

}  // namespace transition
