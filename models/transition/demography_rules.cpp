// Households age over the five years: births, deaths, children entering the
// labour force and workers leaving it, at the province's crude rates
// (docs/ODD.md, "Demography"). Runs each January before labour choice, so
// that the year's workers are this year's members.
#include <algorithm>

#include "models/transition/purposes.hpp"
#include "models/transition/rules.hpp"
#include "sim/rng/distributions.hpp"

namespace transition {

namespace {

// Members of `n` who each move with chance `p` (a binomial draw by
// Bernoulli trials: households are small).
int movers(sim::rng::Stream& st, int n, double p) {
  int k = 0;
  for (int j = 0; j < n; ++j) k += sim::rng::bernoulli(st, p) ? 1 : 0;
  return k;
}

}  // namespace

void household_demography(HouseholdRows h, VillageTally& tally, const VillageContext& ctx, const sim::StepInfo& s) {
  const Params::Demography& d = ctx.params.demography;
  const auto province = static_cast<std::size_t>(ctx.county.province_index);
  const double birth = d.birth_rate[province], death = d.death_rate[province];
  std::uint32_t births = 0, deaths = 0;
  for (std::size_t i = 0; i < h.size(); ++i) {
    auto st = stream(ctx.id, h.id(i), s.step, Purpose::demography);
    const int members = h.members[i];
    // Rates are per person: a household of n has n chances.
    if (members < 250 && sim::rng::bernoulli(st, birth * members)) {
      ++h.children[i];
      ++h.members[i];
      ++births;
    }
    // A one-person household is kept (someone takes over its land and
    // registration): the model has no household formation or dissolution.
    if (members > 1 && sim::rng::bernoulli(st, death * members)) {
      const bool elderly = h.elderly[i] > 0 && sim::rng::bernoulli(st, d.elderly_share_of_deaths);
      std::uint8_t* who = &h.elderly[i];
      if (!elderly) {
        // Otherwise one of the others, by their numbers.
        const int others = h.able[i] + h.weak[i] + h.children[i];
        const double u = st.uniform() * others;
        who = u < h.able[i] ? &h.able[i] : u < h.able[i] + h.weak[i] ? &h.weak[i] : &h.children[i];
        if (*who == 0) who = h.elderly[i] > 0 ? &h.elderly[i] : &h.able[i];
      }
      if (*who > 0) {
        --*who;
        --h.members[i];
        ++deaths;
      }
    }
    // Ageing: children start work; workers (the weak first) become dependants.
    const int grown = movers(st, h.children[i], d.child_to_labour);
    h.children[i] = static_cast<std::uint8_t>(h.children[i] - grown);
    h.able[i] = static_cast<std::uint8_t>(h.able[i] + grown);
    const int retiring = movers(st, h.able[i] + h.weak[i], d.labour_to_elderly);
    const int weak_out = std::min<int>(retiring, h.weak[i]);
    h.weak[i] = static_cast<std::uint8_t>(h.weak[i] - weak_out);
    h.able[i] = static_cast<std::uint8_t>(h.able[i] - (retiring - weak_out));
    h.elderly[i] = static_cast<std::uint8_t>(h.elderly[i] + retiring);
    if (h.able[i] + h.weak[i] + h.elderly[i] == 0 && h.children[i] > 0) {  // someone must head the household
      --h.children[i];
      ++h.weak[i];
    }
    h.chronic[i] = std::min(h.chronic[i], h.members[i]);
  }
  tally.sums[ind::births] += births;
  tally.sums[ind::deaths] += deaths;
}

}  // namespace transition
