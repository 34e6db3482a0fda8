#include "models/transition/population.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "models/transition/county_data.hpp"
#include "models/transition/economy.hpp"
#include "models/transition/purposes.hpp"
#include "models/transition/rules.hpp"
#include "sim/core/error.hpp"
#include "sim/core/parallel.hpp"
#include "sim/core/math.hpp"
#include "sim/rng/distributions.hpp"

namespace transition {

namespace {

// Assumptions of the generator that are shapes rather than levels (docs/ODD.md).
constexpr double kCountySizeSd = 0.35;      // log-sd of county size when the data file has none
constexpr double kVillageSizeSd = 0.30;     // log-sd of village size
constexpr double kLandCv = 0.5;
constexpr double kProductivityCv = 0.35;
constexpr std::array<double, kProducts> kProductWeights = {0.26, 0.19, 0.15, 0.11, 0.09, 0.08, 0.06, 0.06};
constexpr std::array<double, 7> kExitYearWeights = {0.05, 0.07, 0.10, 0.12, 0.18, 0.25, 0.23};  // 2014..2020
constexpr std::array<std::array<double, 4>, 2> kSkillWeights = {{{0.20, 0.45, 0.25, 0.10},    // others
                                                                 {0.35, 0.45, 0.15, 0.05}}};  // PA

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

void build_counties_and_villages(World& w) {
  const Params& p = w.params;
  const auto records = read_counties(p.population.county_file, w.embedded);
  const std::size_t n = records.size();
  Counties& k = w.counties;
  w.county_table.resize(n);
  for (std::size_t m = 0; m < kMarkets; ++m) {
    std::fill(k.accept_priority[m].begin(), k.accept_priority[m].end(), 1.0f);
    std::fill(k.accept_other[m].begin(), k.accept_other[m].end(), 1.0f);
  }
  std::vector<std::string> prefectures;
  for (std::size_t c = 0; c < n; ++c) {
    const CountyRecord& r = records[c];
    k.name[c] = r.name;
    k.province[c] = r.province;
    k.prefecture[c] = r.prefecture;
    k.province_index[c] = static_cast<std::uint8_t>(r.province_index);
    auto it = std::find(prefectures.begin(), prefectures.end(), r.prefecture);
    if (it == prefectures.end()) it = prefectures.insert(prefectures.end(), r.prefecture);
    k.prefecture_index[c] = static_cast<std::uint16_t>(it - prefectures.begin());
    k.hazard_prone[c] = r.hazard_prone;
    k.ethnic_area[c] = r.ethnic_area;
    k.old_revolutionary[c] = r.old_revolutionary;
    k.no_railway[c] = r.no_railway;
    k.no_expressway[c] = r.no_expressway;
    auto st = stream(w.id, static_cast<std::uint32_t>(c), kGenerationStep, Purpose::gen_product);
    k.product[c] = static_cast<std::uint8_t>(sim::rng::categorical(st, kProductWeights));
  }

  // Households per county: the data file's figures where given (times the
  // scale), the rest shared out with random sizes.
  const double scale = p.population.scale;
  const double total = p.population.households * scale;
  double given = 0;
  std::size_t missing = 0;
  for (const auto& r : records) {
    if (r.rural_households > 0) given += r.rural_households * scale;
    else ++missing;
  }
  std::vector<double> weight(n);
  for (std::size_t c = 0; c < n; ++c) {
    if (records[c].rural_households > 0) {
      weight[c] = records[c].rural_households * scale;
    } else {
      auto st = stream(w.id, static_cast<std::uint32_t>(c), kGenerationStep, Purpose::gen_county_size);
      weight[c] = sim::rng::lognormal(st, 0.0, kCountySizeSd);
    }
  }
  if (missing > 0) {
    double wmissing = 0;
    for (std::size_t c = 0; c < n; ++c)
      if (records[c].rural_households <= 0) wmissing += weight[c];
    const double rest = std::max(0.0, total - given);
    for (std::size_t c = 0; c < n; ++c)
      if (records[c].rural_households <= 0) weight[c] *= rest / wmissing;
  }
  const double all = std::accumulate(weight.begin(), weight.end(), 0.0);
  const std::vector<std::uint32_t> county_hh = apportion(all, weight, 1);

  // Large resettlement sites: in distinct counties (weighted by size and
  // hazard exposure), each of at least the minimum size, at scale.
  const std::size_t sites = std::min<std::size_t>(static_cast<std::size_t>(p.population.large_sites), n);
  std::vector<std::pair<double, std::size_t>> site_keys;
  for (std::size_t c = 0; c < n; ++c) {
    auto st = stream(w.id, static_cast<std::uint32_t>(c), kGenerationStep, Purpose::gen_sites);
    site_keys.emplace_back(sim::math::log(st.uniform()) / (county_hh[c] * (k.hazard_prone[c] ? 1.5 : 1.0)), c);
  }
  std::sort(site_keys.begin(), site_keys.end(), [](auto& a, auto& b) { return a.first > b.first; });
  std::vector<std::uint32_t> site_hh(n, 0);
  for (std::size_t s = 0; s < sites; ++s) {
    const std::size_t c = site_keys[s].second;
    auto st = stream(w.id, static_cast<std::uint32_t>(c), kGenerationStep, Purpose::gen_sites);
    st.uniform();
    const double people = std::max(p.population.large_site_min_people * 1.25,
                                   sim::rng::lognormal_mean_cv(st, p.population.large_site_mean_people, 0.3));
    site_hh[c] = std::max<std::uint32_t>(1, static_cast<std::uint32_t>(
                                                std::ceil(people * scale / p.population.household_size)));
    site_hh[c] = std::min(site_hh[c], county_hh[c] > 1 ? county_hh[c] - 1 : 1);
  }

  // Villages: as many as the data file says (times the scale) or as the
  // mean village size implies; sizes vary around the mean.
  const double mean_village = p.population.households / p.population.villages;
  std::vector<std::uint32_t> villages_per_county(n);
  std::vector<std::uint32_t> village_counts;
  std::vector<std::uint32_t> village_county;
  std::vector<std::uint8_t> village_site;
  for (std::size_t c = 0; c < n; ++c) {
    const double ordinary = static_cast<double>(county_hh[c] - (site_hh[c] > 0 ? site_hh[c] : 0));
    const double nv = records[c].villages > 0 ? records[c].villages * scale : ordinary / mean_village;
    const auto nvil = static_cast<std::uint32_t>(std::max(1.0, std::round(nv)));
    std::vector<double> vw(nvil);
    for (std::uint32_t j = 0; j < nvil; ++j) {
      auto st = stream(w.id, static_cast<std::uint32_t>(village_counts.size() + j), kGenerationStep, Purpose::gen_village_size);
      vw[j] = sim::rng::lognormal(st, 0.0, kVillageSizeSd);
    }
    const auto sizes = apportion(ordinary, vw, 1);
    for (auto sz : sizes) {
      village_counts.push_back(sz);
      village_county.push_back(static_cast<std::uint32_t>(c));
      village_site.push_back(0);
    }
    if (site_hh[c] > 0) {
      w.large_site_villages.push_back(static_cast<std::uint32_t>(village_counts.size()));
      village_counts.push_back(site_hh[c]);
      village_county.push_back(static_cast<std::uint32_t>(c));
      village_site.push_back(1);
    }
    villages_per_county[c] = static_cast<std::uint32_t>(sizes.size() + (site_hh[c] > 0 ? 1 : 0));
  }
  w.hierarchy = sim::Hierarchy({"county", "village", "household"}, {villages_per_county, village_counts});
  w.village_table.resize(village_counts.size());
  w.villages.county = village_county;
  w.villages.is_site = village_site;
}

void build_households(World& w) {
  const Params& p = w.params;
  const auto& pop = p.population;
  Households& h = w.households;
  w.household_table.resize(w.hierarchy.count(2));
  const double dependants = 1.0 - pop.able_share - pop.weak_share - pop.elderly_share;
  const std::array<double, 4> member_weights = {pop.able_share, pop.weak_share, pop.elderly_share,
                                                std::max(0.0, dependants)};
  sim::for_each_index(w.villages.size(), [&](std::size_t v) {
    const bool site = w.villages.is_site[v];
    const sim::Range r = w.households_of(v);
    for (std::size_t i = r.begin; i < r.end; ++i) {
      auto st = stream(w.id, static_cast<std::uint32_t>(i), kGenerationStep, Purpose::gen_composition);
      const long extra = sim::rng::poisson(st, pop.household_size - 1.0);
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
        h.chronic[i] = static_cast<std::uint8_t>(std::min(members, 1 + (sim::rng::bernoulli(st, 0.25) ? 1 : 0)));
      if (site) h.flags[i] = kPovertyAlleviated | kRelocated | kLargeSite;

      auto sl = stream(w.id, static_cast<std::uint32_t>(i), kGenerationStep, Purpose::gen_land);
      h.land_mu[i] = static_cast<float>(members * pop.land_mu_per_capita * (site ? 0.3 : 1.0) *
                                        sim::rng::lognormal_mean_cv(sl, 1.0, kLandCv));
      h.irrigated[i] = static_cast<std::uint8_t>(
          std::clamp(std::round(100.0 * pop.irrigated_share * sim::rng::lognormal_mean_cv(sl, 1.0, 1.0)), 0.0, 100.0));
      auto sp = stream(w.id, static_cast<std::uint32_t>(i), kGenerationStep, Purpose::gen_productivity);
      h.productivity[i] = static_cast<float>(sim::rng::lognormal_mean_cv(sp, 1.0, kProductivityCv));
    }
  });
}

// Poverty-alleviated status and relocation, filled county by county to quotas
// so that the shares hold at every scale.
void assign_poverty_history(World& w) {
  const auto& pop = w.params.population;
  Households& h = w.households;
  double people_total = 0;
  for (std::size_t i = 0; i < h.size(); ++i) people_total += h.members[i];
  const double pa_share = std::min(1.0, pop.pa_people * pop.scale / people_total);
  const double relocated_share = std::min(1.0, pop.relocated_people * pop.scale / people_total);

  sim::for_each_index(w.counties.size(), [&](std::size_t c) {
    const sim::Range r = w.hierarchy.descendants(0, c, 2);
    double people = 0, pa = 0, relocated = 0;
    for (std::size_t i = r.begin; i < r.end; ++i) {
      people += h.members[i];
      if (h.flags[i] & kPovertyAlleviated) pa += h.members[i];
      if (h.flags[i] & kRelocated) relocated += h.members[i];
    }
    // Illness and little land make registration as poor more likely.
    const auto order = weighted_order(w, r, Purpose::gen_poverty_order, [&](std::size_t i) {
      return (h.flags[i] & kPovertyAlleviated) ? 0.0 : 1.0 + 1.5 * h.chronic[i] + (h.land_mu[i] < h.members[i] ? 0.5 : 0.0);
    });
    for (std::size_t k = 0; k < order.size() && pa + 0.5 * h.members[order[k]] < pa_share * people; ++k) {
      h.flags[order[k]] |= kPovertyAlleviated;
      pa += h.members[order[k]];
    }
    const auto movers = weighted_order(w, r, Purpose::gen_relocation_order, [&](std::size_t i) {
      return (h.flags[i] & kPovertyAlleviated) && !(h.flags[i] & kRelocated) ? 1.0 : 0.0;
    });
    for (std::size_t k = 0; k < movers.size() && relocated + 0.5 * h.members[movers[k]] < relocated_share * people; ++k) {
      h.flags[movers[k]] |= kRelocated;
      relocated += h.members[movers[k]];
    }
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const bool is_pa = h.flags[i] & kPovertyAlleviated;
      auto st = stream(w.id, static_cast<std::uint32_t>(i), kGenerationStep, Purpose::gen_skill);
      h.skill[i] = static_cast<std::uint8_t>(sim::rng::categorical(st, kSkillWeights[is_pa ? 1 : 0]));
      if (is_pa) h.exit_year[i] = static_cast<std::uint8_t>(14 + sim::rng::categorical(st, kExitYearWeights));
      auto sa = stream(w.id, static_cast<std::uint32_t>(i), kGenerationStep, Purpose::gen_livestock);
      if (sim::rng::bernoulli(sa, is_pa ? 0.30 : 0.40))
        h.livestock[i] = static_cast<float>(w.params.credit.investment_threshold * sim::rng::lognormal_mean_cv(sa, 1.0, 0.5));
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
    vil.assets[v] = 0.3 * (income - pv) / std::max(1e-9, p.collective.project_return);
    vil.base_income[v] = income - pv - vil.assets[v] * p.collective.project_return;
    vil.income_year[v] = vil.income_last_year[v] = income;
  }
  for (std::size_t v = 0; v < vil.size(); ++v) {
    const std::size_t c = vil.county[v];
    auto st = stream(w.id, static_cast<std::uint32_t>(v), kGenerationStep, Purpose::gen_product);
    vil.product[v] = sim::rng::bernoulli(st, 0.6) ? w.counties.product[c]
                                                  : static_cast<std::uint8_t>(sim::rng::categorical(st, kProductWeights));
    const double hh = static_cast<double>(w.households_of(v).size());
    const double jobs = p.labour.workshop_jobs_per_village * hh / (p.population.households / p.population.villages) *
                        (vil.is_site[v] ? 3.0 : 1.0);
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
std::array<SourceTotals, 2> income_2020(World& w, std::vector<float>* annual) {
  for (std::size_t c = 0; c < w.counties.size(); ++c) w.prepare_county_month(c, kFirstYear - 1, 12);
  std::vector<std::array<SourceTotals, 2>> per_village(w.villages.size());
  const Params& p = w.params;
  sim::for_each_index(w.villages.size(), [&](std::size_t v) {
    const auto& vil = w.villages;
    const double hh = static_cast<double>(w.households_of(v).size());
    const double dividend = p.collective.dividend_share * vil.income_year[v] * w.calibration.property / hh / 12.0;
    const CountyMonth& m = w.month[vil.county[v]];
    const sim::Range r = w.households_of(v);
    for (std::size_t i = r.begin; i < r.end; ++i) {
      const IncomeParts in = month_income(w.households, i, m, dividend, 0.0, p.labour.farm_labour_per_mu,
                                          p.labour.skill_premium);
      SourceTotals& t = per_village[v][(w.households.flags[i] & kPovertyAlleviated) ? 1 : 0];
      t.market_wage += 12 * (in.migrant + in.local + in.workshop);
      t.policy_wage += 12 * (in.post + in.ranger);
      t.operating += 12 * in.operating();
      t.property += 12 * in.property;
      t.fixed_transfer += 12 * (in.pension + in.dibao + in.package);
      t.other_transfer += 12 * in.other;
      if (annual) (*annual)[i] = static_cast<float>(12 * in.total());
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

void enrol_dibao(World& w, const std::vector<float>& annual) {
  const Params& p = w.params;
  Households& h = w.households;
  sim::for_each_index(w.villages.size(), [&](std::size_t v) {
    const double standard = w.month[w.villages.county[v]].dibao_month * 12.0;
    const sim::Range r = w.households_of(v);
    for (std::size_t i = r.begin; i < r.end; ++i) {
      auto st = stream(w.id, static_cast<std::uint32_t>(i), kGenerationStep, Purpose::gen_savings);
      const double pc = annual[i] / h.members[i];
      const bool enrol = pc < standard ? !sim::rng::bernoulli(st, p.assistance.dibao_exclusion_error)
                                       : pc < 1.2 * standard && sim::rng::bernoulli(st, p.assistance.dibao_inclusion_error);
      h.flags[i] = static_cast<std::uint8_t>(enrol ? h.flags[i] | kDibao : h.flags[i] & ~kDibao);
    }
  });
}

// Finds the calibration factors so that 2020 incomes of poverty-alleviated
// people match the target level and composition, and all residents' income
// its target. Dibao depends on income, so the fit is iterated.
void calibrate_incomes(World& w) {
  const auto& pop = w.params.population;
  Households& h = w.households;
  double pa_people_n = 0, people_n = 0;
  for (std::size_t i = 0; i < h.size(); ++i) {
    people_n += h.members[i];
    if (h.flags[i] & kPovertyAlleviated) pa_people_n += h.members[i];
  }
  std::vector<float> annual(h.size());
  for (int round = 0; round < 6; ++round) {
    const Calibration before = w.calibration;
    income_2020(w, &annual);
    enrol_dibao(w, annual);
    const auto t = income_2020(w, &annual);
    const SourceTotals& pa = t[1];
    const double target = pop.income_pa_2020 * pa_people_n;
    Calibration& cal = w.calibration;
    if (pa.market_wage > 0)
      cal.market_wage *= std::max(0.05, (pop.share_wage * target - pa.policy_wage) / pa.market_wage);
    if (pa.operating > 0) cal.operating *= pop.share_operating * target / pa.operating;
    if (pa.property > 0) cal.property *= pop.share_property * target / pa.property;
    if (pa.other_transfer > 0)
      cal.other_transfer *= std::max(0.0, (pop.share_transfer * target - pa.fixed_transfer) / pa.other_transfer);
    // Other households: their earnings (market wages, farming) scale with a
    // common productivity factor so that all residents meet their target.
    const auto t2 = income_2020(w, nullptr);
    const SourceTotals& other = t2[0];
    const double want_other = pop.income_all_2020 * people_n - t2[1].total();
    const double scalable = other.market_wage + other.operating;
    const double factor = scalable > 0 ? std::max(0.05, (want_other - (other.total() - scalable)) / scalable) : 1.0;
    w.calibration.non_pa_productivity *= factor;
    for (std::size_t i = 0; i < h.size(); ++i)
      if (!(h.flags[i] & kPovertyAlleviated)) h.productivity[i] = static_cast<float>(h.productivity[i] * factor);
    // Settled: no factor moved by more than 0.01 % this round.
    const Calibration& after = w.calibration;
    auto moved = [](double a, double b) { return std::fabs(a / b - 1.0) > 1e-4; };
    if (!moved(after.market_wage, before.market_wage) && !moved(after.operating, before.operating) &&
        !moved(after.property, before.property) && !moved(after.other_transfer, before.other_transfer) &&
        !moved(factor, 1.0))
      break;
  }
  income_2020(w, &annual);
  enrol_dibao(w, annual);
  income_2020(w, &annual);

  // 2020 income is the starting point of the income the household and the
  // cadres have seen, and of savings.
  for (std::size_t i = 0; i < h.size(); ++i) {
    const double pc = annual[i] / h.members[i];
    h.income_last_year[i] = static_cast<float>(pc);
    h.income_ema[i] = static_cast<float>(pc / 12.0);
    auto st = stream(w.id, static_cast<std::uint32_t>(i), kGenerationStep, Purpose::gen_savings);
    st.uniform();
    h.savings[i] = static_cast<float>(pop.savings_months * annual[i] / 12.0 * sim::rng::lognormal_mean_cv(st, 1.0, 0.8));
  }
}

// People at risk start under monitoring: the lowest 2020 incomes, with noise.
void assign_initial_monitoring(World& w) {
  const auto& pop = w.params.population;
  Households& h = w.households;
  double people_n = 0;
  for (std::size_t i = 0; i < h.size(); ++i) people_n += h.members[i];
  const double share = std::min(1.0, pop.at_risk_people * pop.scale / people_n);
  sim::for_each_index(w.counties.size(), [&](std::size_t c) {
    const sim::Range r = w.hierarchy.descendants(0, c, 2);
    double people = 0;
    std::vector<std::pair<double, std::uint32_t>> keys;
    for (std::size_t i = r.begin; i < r.end; ++i) {
      people += h.members[i];
      auto st = stream(w.id, static_cast<std::uint32_t>(i), kGenerationStep, Purpose::gen_risk_order);
      keys.emplace_back(h.income_last_year[i] * sim::rng::lognormal_mean_cv(st, 1.0, 0.3) /
                            (1.0 + 0.5 * h.chronic[i]),
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
  build_counties_and_villages(w);
  build_households(w);
  assign_poverty_history(w);
  build_collectives(w);

  const std::size_t nv = w.villages.size();
  const std::size_t nc = w.counties.size();
  w.month.resize(nc);
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
    w.counties.capacity[kPostMarket][c] = p.labour.posts_per_1000 * hh / 1000.0;
    w.counties.capacity[kRangerMarket][c] = p.labour.rangers_per_1000 * hh / 1000.0;
    w.counties.price[c] = 1.0f;
    w.counties.package_scale[c] = 1.0f;
    w.prepare_county_month(c, kFirstYear - 1, 12);
  }

  // 2020 labour allocation and income calibration depend on each other:
  // workers choose by calibrated wages, and calibration takes the allocation
  // as given. A few alternations settle both; each labour round also gives
  // the next one its job chances and activities as history.
  for (int round = 0; round < 3; ++round) {
    const std::uint32_t step = kGenerationStep - static_cast<std::uint32_t>(round) - 1;
    for (std::size_t c = 0; c < nc; ++c) w.prepare_county_month(c, kFirstYear - 1, 12);
    sim::for_each_index(nv, [&](std::size_t v) { w.choose_labour(v, step); });
    sim::for_each_index(nc, [&](std::size_t c) { w.clear_markets(c); });
    sim::for_each_index(nv, [&](std::size_t v) { w.ration_labour(v, step); });
    calibrate_incomes(w);
  }
  assign_initial_monitoring(w);

  for (std::size_t v = 0; v < nv; ++v) {
    const double hh = static_cast<double>(w.households_of(v).size());
    w.villages.dividend_month[v] = p.collective.dividend_share * w.villages.income_year[v] * w.calibration.property / hh / 12.0;
  }
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
