// Labour allocation: each worker chooses an activity by expected net income
// (multinomial logit with frictions, care duties and skill); local jobs,
// workshops, posts and migrant work are then rationed: public-welfare posts
// to weak and half-labour workers first, and monitored households before
// others where the policy says so. A share of each county's local jobs is
// open to the prefecture's other counties.
#include <cmath>

#include "models/transition/purposes.hpp"
#include "models/transition/rules.hpp"
#include "sim/core/math.hpp"
#include "sim/rng/distributions.hpp"

namespace transition {

namespace {

// Applicant classes (Applicants' first index).
enum Class : std::size_t { kOther = 0, kPriority = 1, kWeakPost = 2 };

bool has_priority(const Params& p, const CountyMonth& m, const HouseholdRows& h, std::size_t i) {
  return p.labour.monitored_first && m.direct_assistance && h.monitor_kind[i] != kNotMonitored;
}

// Chance an applicant of this household's class gets a place in market `mk`.
float chance(const ConstCountyRow& county, Market mk, bool priority) {
  return priority ? county.accept_priority[mk] : county.accept_other[mk];
}

float share(double capacity, double applicants) {
  return applicants > 0 ? static_cast<float>(std::clamp(capacity / applicants, 0.0, 1.0)) : 1.0f;
}

// Acceptance chances for one market: priority applicants first, or everyone
// alike.
std::pair<float, float> ration(double capacity, double priority, double other, bool priority_first) {
  if (!priority_first) {
    const float p = share(capacity, priority + other);
    return {p, p};
  }
  return {share(capacity, priority), share(std::max(0.0, capacity - priority), other)};
}

}  // namespace

void choose_labour(HouseholdRows h, Applicants& apps, const VillageContext& ctx, float workshop_priority,
                   float workshop_other, std::uint32_t step) {
  const Params& p = ctx.params;
  const Params::Labour& lab = p.labour;
  const ConstCountyRow& k = ctx.county;
  const CountyMonth& m = ctx.month;
  for (auto& a : apps) a.fill(0.0);
  const double migrant_cost = lab.migrant_cost * (k.no_expressway ? 1.0 + lab.migrant_cost_no_expressway : 1.0) *
                              lab.migrant_months / 12.0;
  const float weak_post_chance = lab.posts_weak_first ? k.accept_weak_posts : -1.0f;

  for (std::size_t i = 0; i < h.size(); ++i) {
    const bool priority = has_priority(p, m, h, i);
    const bool pa = h.flags[i] & kPovertyAlleviated;
    const bool post_eligible = pa || h.monitor_kind[i] != kNotMonitored;
    const double skill = 1.0 + lab.skill_premium * h.skill[i];
    const double cultivated = h.land_mu[i] * (1.0 - m.lease_share);
    const double full_farm =
        cultivated * m.farm_per_mu * (1.0 + 0.01 * h.irrigated[i] * m.irrigated_extra) * h.productivity[i];
    const double farm_need = cultivated * lab.farm_labour_per_mu;

    std::array<double, kActivities> value{};
    value[kLocal] = m.wage_local * skill * h.productivity[i] * chance(k, kLocalMarket, priority);
    value[kWorkshop] = m.wage_workshop * h.productivity[i] * (priority ? workshop_priority : workshop_other);
    value[kMigrant] = m.wage_migrant * skill * h.productivity[i] * chance(k, kMigrantMarket, priority) - migrant_cost;
    const double post_value = m.post_pay * chance(k, kPostMarket, priority);
    const double weak_post_value = weak_post_chance >= 0 ? m.post_pay * weak_post_chance : post_value;
    value[kRanger] = m.ranger_pay * chance(k, kRangerMarket, priority);
    const double care = h.children[i] + h.chronic[i] + lab.care_elderly_weight * h.elderly[i];

    // Last year's activities, one per worker in activity order: the inertia
    // bonus goes to the activity the same worker slot held.
    std::array<std::uint8_t, 32> previous{};
    std::size_t n_prev = 0;
    for (int a = 0; a < kActivities; ++a)
      for (int j = 0; j < h.workers[static_cast<std::size_t>(a)][i] && n_prev < previous.size(); ++j)
        previous[n_prev++] = static_cast<std::uint8_t>(a == kFarm && j < h.migrant_seekers[i] ? kMigrant : a);
    for (auto& wk : h.workers) wk[i] = 0;
    h.weak_posts[i] = 0;

    auto st = stream(ctx.id, h.id(i), step, Purpose::labour_choice);
    const int workers = h.able[i] + h.weak[i];
    double farm_labour = lab.elderly_farm_labour * h.elderly[i];  // left-behind elderly keep some land in use
    for (int j = 0; j < workers; ++j) {
      const bool weak = j >= h.able[i];
      // Farming has diminishing returns: a worker adds the output of the
      // labour the land still needs.
      const double added = std::min(farm_need, farm_labour + 1.0) - std::min(farm_need, farm_labour);
      value[kFarm] = farm_need > 0 ? full_farm * added / farm_need : 0.0;
      value[kPost] = weak ? weak_post_value : post_value;
      std::array<double, kActivities> weight{};
      double top = -1e300;
      std::array<double, kActivities> utility{};
      for (int a = 0; a < kActivities; ++a) {
        const auto au = static_cast<std::size_t>(a);
        const bool allowed = weak ? (a == kFarm || a == kWorkshop || (a == kPost && post_eligible))
                                  : !((a == kPost && !post_eligible) || (a == kRanger && !pa));
        if (!allowed) {
          utility[au] = -1e300;
          continue;
        }
        double u = value[au] * (weak && a == kFarm ? lab.weak_farm_value : 1.0) / lab.logit_scale;
        if (static_cast<std::size_t>(j) < n_prev && previous[static_cast<std::size_t>(j)] == a) u += lab.inertia;
        if (a == kMigrant) u -= lab.care_penalty * care;
        utility[au] = u;
        top = std::max(top, u);
      }
      for (std::size_t a = 0; a < kActivities; ++a) weight[a] = utility[a] > -1e299 ? sim::math::exp(utility[a] - top) : 0.0;
      const std::size_t choice = sim::rng::categorical(st, weight);
      ++h.workers[choice][i];
      if (choice == kFarm) farm_labour += 1.0;
      if (weak && choice == kPost) ++h.weak_posts[i];
      apps[weak && choice == kPost && lab.posts_weak_first ? kWeakPost : priority ? kPriority : kOther][choice] += 1.0;
    }
  }
}

void pool_prefecture_markets(std::span<PrefectureMarket> markets, const Counties& counties,
                             std::span<const Applicants> applicants, const sim::Hierarchy& hierarchy) {
  for (auto& pm : markets) pm = {};
  for (std::size_t c = 0; c < counties.size(); ++c) {
    PrefectureMarket& pm = markets[counties.prefecture_index[c]];
    pm.capacity += counties.capacity[kLocalMarket][c];
    const sim::Range vs = hierarchy.children(0, c);
    for (std::size_t v = vs.begin; v < vs.end; ++v)
      for (const auto& cls : applicants[v]) pm.applicants += cls[kLocal];
  }
}

void clear_markets(CountyRow k, std::span<const Applicants> applicants, const PrefectureMarket& prefecture,
                   const Params& p, const CountyMonth& m, int year_index) {
  const bool priority_first = p.labour.monitored_first && m.direct_assistance;
  Applicants total{};
  for (const Applicants& village : applicants)
    for (std::size_t cls = 0; cls < total.size(); ++cls)
      for (std::size_t a = 0; a < kActivities; ++a) total[cls][a] += village[cls][a];

  // Local jobs: the county keeps a share for its own people; the rest of
  // the prefecture's open jobs go to each county's applicants in proportion
  // to their number.
  const double local_applicants = total[kOther][kLocal] + total[kPriority][kLocal] + total[kWeakPost][kLocal];
  k.local_applicants = local_applicants;
  const double open = p.labour.prefecture_commuting_share;
  const double local = (1.0 - open) * k.capacity[kLocalMarket] +
                       (prefecture.applicants > 0 ? open * prefecture.capacity * local_applicants / prefecture.applicants : 0.0);
  const auto [local_pri, local_oth] = ration(local, total[kPriority][kLocal], total[kOther][kLocal], priority_first);
  k.accept_priority[kLocalMarket] = local_pri;
  k.accept_other[kLocalMarket] = local_oth;

  // Public-welfare posts: weak and half-labour workers first, then the rest
  // as for other markets.
  const double posts = k.capacity[kPostMarket];
  k.accept_weak_posts = share(posts, total[kWeakPost][kPost]);
  const auto [post_pri, post_oth] = ration(std::max(0.0, posts - total[kWeakPost][kPost]), total[kPriority][kPost],
                                           total[kOther][kPost], priority_first);
  k.accept_priority[kPostMarket] = post_pri;
  k.accept_other[kPostMarket] = post_oth;

  const auto [ranger_pri, ranger_oth] = ration(k.capacity[kRangerMarket], total[kPriority][kRanger],
                                               total[kOther][kRanger], priority_first);
  k.accept_priority[kRangerMarket] = ranger_pri;
  k.accept_other[kRangerMarket] = ranger_oth;

  const double demand = p.shocks.migrant_demand[static_cast<std::size_t>(year_index)];
  const double access = k.no_railway ? p.labour.migrant_chance_no_railway : 1.0;
  const auto migrant = static_cast<float>(
      std::clamp(p.labour.migrant_job_chance * demand * (1.0 + p.labour.organised_export_boost) * access, 0.0, 1.0));
  k.accept_priority[kMigrantMarket] = migrant;
  k.accept_other[kMigrantMarket] = migrant;
}

void ration_labour(HouseholdRows h, VillageRow village, const Applicants& apps, const VillageContext& ctx,
                   std::uint32_t step) {
  const Params& p = ctx.params;
  const ConstCountyRow& k = ctx.county;
  const CountyMonth& m = ctx.month;
  const auto [ws_pri, ws_oth] = ration(static_cast<double>(village.workshop_jobs), apps[kPriority][kWorkshop],
                                       apps[kOther][kWorkshop], p.labour.monitored_first && m.direct_assistance);
  village.workshop_accept_priority = ws_pri;
  village.workshop_accept_other = ws_oth;

  for (std::size_t i = 0; i < h.size(); ++i) {
    const bool priority = has_priority(p, m, h, i);
    auto st = stream(ctx.id, h.id(i), step, Purpose::rationing);
    const std::array<std::pair<Activity, float>, 5> chances = {
        {{kLocal, chance(k, kLocalMarket, priority)},
         {kWorkshop, priority ? ws_pri : ws_oth},
         {kMigrant, chance(k, kMigrantMarket, priority)},
         {kPost, chance(k, kPostMarket, priority)},
         {kRanger, chance(k, kRangerMarket, priority)}}};
    for (const auto& [a, pr] : chances) {
      std::uint8_t accepted = 0, weak_accepted = 0;
      for (int j = 0; j < h.workers[a][i]; ++j) {
        // The household's weak post applicants come first, at their own
        // chance where they are served first.
        const bool weak = a == kPost && j < h.weak_posts[i];
        const bool in = sim::rng::bernoulli(st, weak && p.labour.posts_weak_first ? k.accept_weak_posts : pr);
        accepted = static_cast<std::uint8_t>(accepted + (in ? 1 : 0));
        weak_accepted = static_cast<std::uint8_t>(weak_accepted + (in && weak ? 1 : 0));
      }
      // Workers without a place farm (or help on the family land) this year.
      h.workers[kFarm][i] = static_cast<std::uint8_t>(h.workers[kFarm][i] + h.workers[a][i] - accepted);
      if (a == kMigrant) h.migrant_seekers[i] = static_cast<std::uint8_t>(h.workers[a][i] - accepted);
      if (a == kPost) h.weak_posts[i] = weak_accepted;
      h.workers[a][i] = accepted;
    }
  }
}

}  // namespace transition
