#pragma once
// A household's income in one month, by source. The population generator
// uses the same function to compute 2020 incomes and calibrate, so the
// initial state and the dynamics cannot disagree about how income arises.
#include <algorithm>
#include <cstddef>

#include "models/transition/state.hpp"
#include "models/transition/world.hpp"

namespace transition {

struct IncomeParts {
  double migrant = 0, local = 0, workshop = 0, post = 0, ranger = 0;  // wages
  double farm = 0, livestock = 0;                                     // household operating income
  double property = 0;                                                // dividends and land rent
  double pension = 0, dibao = 0, package = 0, other = 0;              // transfers

  double wages() const { return migrant + local + workshop + post + ranger; }
  double operating() const { return farm + livestock; }
  double transfers() const { return pension + dibao + package + other; }
  double total() const { return wages() + operating() + property + transfers(); }
};

// Household i of `h` (the Households table, or the HouseholdRows of a
// village); `package_scale` is the county's coverage of the monitoring package.
template <class Rows>
IncomeParts month_income(const Rows& h, std::size_t i, const CountyMonth& c, double dividend, double package_scale,
                         const Params::Labour& lab) {
  IncomeParts in;
  const double skill = 1.0 + lab.skill_premium * h.skill[i];
  const double productivity = h.productivity[i];
  in.migrant = h.workers[kMigrant][i] * c.wage_migrant * skill * productivity;
  in.local = h.workers[kLocal][i] * c.wage_local * skill * productivity;
  in.workshop = h.workers[kWorkshop][i] * c.wage_workshop * productivity;
  in.post = h.workers[kPost][i] * c.post_pay;
  in.ranger = h.workers[kRanger][i] * c.ranger_pay;
  if (h.sick_months[i] > 0) {
    // One member cannot work: the household loses one worker's share.
    const int wage_workers = h.workers[kMigrant][i] + h.workers[kLocal][i] + h.workers[kWorkshop][i] +
                             h.workers[kPost][i] + h.workers[kRanger][i] + h.workers[kFarm][i];
    const double keep = wage_workers > 1 ? 1.0 - 1.0 / wage_workers : lab.sick_single_worker_keep;
    in.migrant *= keep;
    in.local *= keep;
    in.workshop *= keep;
    in.post *= keep;
    in.ranger *= keep;
  }

  const double cultivated = h.land_mu[i] * (1.0 - c.lease_share);
  const double need = cultivated * lab.farm_labour_per_mu;
  // Left-behind elderly keep some land in use when everyone else works away.
  const double labour =
      h.workers[kFarm][i] + lab.elderly_farm_labour * h.elderly[i] - (h.sick_months[i] > 0 ? lab.sick_farm_labour : 0.0);
  const double labour_factor = need > 0 ? std::clamp(labour / need, lab.farm_labour_floor, 1.0) : 1.0;
  in.farm = cultivated * c.farm_per_mu * (1.0 + 0.01 * h.irrigated[i] * c.irrigated_extra) * productivity * labour_factor;
  in.livestock = h.livestock[i] * c.livestock_return;

  in.property = dividend + h.land_mu[i] * c.lease_share * c.lease_rent;
  in.pension = h.elderly[i] * c.pension;
  in.other = h.members[i] * c.subsidy;
  if (h.monitor_kind[i] != kNotMonitored) in.package = c.package * package_scale;
  if (h.flags[i] & kDibao) {
    // Dibao tops income up to the standard (differential payment).
    const double standard = c.dibao_month * h.members[i];
    in.dibao = std::clamp(standard - in.total(), 0.0, standard);
  }
  return in;
}

}  // namespace transition
