// Household rules: yearly (assets, microcredit, dibao, training) and monthly
// (shocks, income, savings, dynamic monitoring, returns to poverty).
#include <cmath>

#include "models/transition/economy.hpp"
#include "models/transition/events.hpp"
#include "models/transition/purposes.hpp"
#include "models/transition/rules.hpp"
#include "models/transition/status_rules.hpp"
#include "sim/rng/distributions.hpp"

namespace transition {


void household_year_start(HouseholdRows h, VillageTally& tally, const VillageContext& ctx, const sim::StepInfo& s) {
  const Params& p = ctx.params;
  const CountyMonth& m = ctx.month;
  VillageSums& sum = tally.sums;

  // Training places go to poverty-alleviated and monitored households.
  const VillageSums& last = ctx.county_last;
  const double trainees = ctx.county.budget_training / p.spending.training_cost;
  const double eligible = last[ind::pa_households] + last[ind::monitored_households];
  const double train_chance = eligible > 0 ? std::min(1.0, trainees / eligible) : 0.0;
  const double dibao_year = m.dibao_month * 12.0;
  // Industry support: part of the industry money reaches poverty-alleviated
  // households as livestock or cash-crop assets.
  const double grant = last[ind::pa_households] > 0
                           ? ctx.county.budget_industry * p.collective.household_share / last[ind::pa_households]
                           : 0.0;
  // Farmland turned into park land this January: every household gives up
  // the same share of its land and is compensated for it.
  const double taken_share = ctx.county.land_converted_mu > 0
                                 ? ctx.county.land_converted_mu / (ctx.county.farmland_mu + ctx.county.land_converted_mu)
                                 : 0.0;

  for (std::size_t i = 0; i < h.size(); ++i) {
    // One stream per rule, so that a draw made in one rule (or not made, in
    // some states) never shifts the numbers another rule sees.
    const std::uint32_t id = h.id(i);
    auto draw = [&](Purpose purpose) { return stream(ctx.id, id, s.step, purpose); };
    const bool pa = h.flags[i] & kPovertyAlleviated;
    const bool monitored = h.monitor_kind[i] != kNotMonitored;

    auto failure = draw(Purpose::livestock_failure);
    if (h.livestock[i] > 0 && sim::rng::bernoulli(failure, p.farming.livestock_failure)) h.livestock[i] = 0;
    if (pa) {
      h.livestock[i] = static_cast<float>(h.livestock[i] + grant);
      sum[ind::industry_grants] += grant;
    }
    if (taken_share > 0) {
      const double taken = h.land_mu[i] * taken_share;
      h.land_mu[i] = static_cast<float>(h.land_mu[i] - taken);
      const double compensation = taken * p.land.compensation_per_mu;
      h.savings[i] = static_cast<float>(h.savings[i] + compensation);
      sum[ind::land_compensation] += compensation;
    }

    auto training = draw(Purpose::training);
    if ((pa || monitored) && sim::rng::bernoulli(training, train_chance)) {
      h.skill[i] = static_cast<std::uint8_t>(std::min(3.0, h.skill[i] + p.spending.training_effect));
      sum[ind::trained_households] += 1;
    }

    // Dibao is a status: an enrolled household keeps it until its review,
    // every dibao_review_years; others are assessed when they apply (every
    // January). The means test reads last year's income without dibao;
    // targeting errors apply at application and at review alike.
    auto dibao = draw(Purpose::dibao);
    h.flags[i] = static_cast<std::uint8_t>(
        dibao_status(h.flags[i] & kDibao, h.dibao_years[i], h.means_last_year[i], dibao_year,
                     monitored && m.direct_assistance, p.assistance, dibao.uniform())
            ? h.flags[i] | kDibao
            : h.flags[i] & ~kDibao);

    // Default: a borrower whose income collapsed may stop repaying; the
    // county risk fund covers the loss.
    auto default_draw = draw(Purpose::credit_default);
    if (h.loan_months[i] > 0 && h.income_ema[i] * 12.0 < m.threshold &&
        sim::rng::bernoulli(default_draw, p.credit.default_prob)) {
      sum[ind::defaulted_debt] += h.debt[i];
      h.debt[i] = 0;
      h.loan_months[i] = 0;
    }

    // Investment is indivisible: a household without a venture of at least
    // the threshold's size (small industry-support assets do not count)
    // starts one only if savings plus microcredit reach the threshold.
    // Microcredit is for poverty-alleviated and monitored households ("lend to
    // all who qualify").
    auto credit = draw(Purpose::credit);
    if (h.livestock[i] < p.credit.investment_threshold && sim::rng::bernoulli(credit, p.credit.uptake)) {
      const bool qualifies = (pa || monitored) && h.loan_months[i] == 0;
      const double need = p.credit.investment_threshold - h.savings[i];
      const double loan = qualifies ? std::clamp(need, 0.0, p.credit.cap) : 0.0;
      if (h.savings[i] + loan >= p.credit.investment_threshold) {
        const double own = p.credit.investment_threshold - loan;
        h.savings[i] = static_cast<float>(h.savings[i] - own);
        h.livestock[i] = static_cast<float>(h.livestock[i] + p.credit.investment_threshold);
        if (loan > 0) {
          h.debt[i] = static_cast<float>(loan * (1.0 + p.credit.subsidised_rate * p.credit.term_months / 12.0));
          h.loan_months[i] = static_cast<std::uint8_t>(p.credit.term_months);
          sum[ind::new_loans] += loan;
        }
      }
    }
  }
}

void household_month(HouseholdRows h, VillageTally& tally, const VillageContext& ctx, double dividend,
                     const sim::StepInfo& s) {
  const Params& p = ctx.params;
  const CountyMonth& m = ctx.month;
  const double package_scale = ctx.county.package_scale;
  const double memory = 1.0 / p.behaviour.income_memory;
  const Params::Monitoring& mon = p.monitoring;
  const TestedIncome tested(mon);
  const MonitoringTest test{m.threshold, m.poverty_line, mon.exit_margin};
  VillageSums& sum = tally.sums;
  std::vector<sim::Event>& events = tally.events;

  // The household sums accumulate in locals and join the village's sums once:
  // the loop's byte stores may alias any heap memory, so sums kept there
  // would be reloaded and stored around each of them. Counts add as
  // integers (exact, so the result is the same as adding doubles).
  VillageSums acc{};
  std::array<std::uint32_t, ind::kHouseholdSums> count{};
  for (std::size_t i = 0; i < h.size(); ++i) {
    const double members = h.members[i];
    const bool pa = h.flags[i] & kPovertyAlleviated;
    const std::uint32_t id = h.id(i);
    if (m.disaster_strike) h.livestock[i] = static_cast<float>(h.livestock[i] * (1.0 - p.shocks.disaster_asset_loss));

    // Illness: cost after insurance, and a member's work lost for a while.
    auto st = stream(ctx.id, id, s.step, Purpose::illness);
    double out_of_pocket = 0;
    if (st.uniform32() < p.shocks.illness_base + p.shocks.illness_per_chronic * h.chronic[i]) {
      const double cost = sim::rng::lognormal_mean_cv(st, p.shocks.illness_cost_mean, p.shocks.illness_cost_cv);
      double reimbursed = (pa || h.monitor_kind[i] != kNotMonitored) ? m.reimbursement_pa : m.reimbursement;
      if (h.monitor_kind[i] != kNotMonitored) reimbursed += m.medical_extra;
      const double cap = p.shocks.reimbursement_cap;
      out_of_pocket = cost * (1.0 - std::min(reimbursed, cap));
      // Medical assistance: what is reimbursed beyond basic insurance.
      acc[ind::medical_assistance] += cost * (std::min(reimbursed, cap) - std::min(m.reimbursement, cap));
      h.sick_months[i] = static_cast<std::uint8_t>(p.shocks.illness_lost_months);
    }

    const IncomeParts in = month_income(h, i, m, dividend, package_scale, p.labour);
    if (h.sick_months[i] > 0) --h.sick_months[i];
    const double income_now = in.total();

    // Consumption, savings and loan repayment.
    const double consumption =
        std::max(p.behaviour.subsistence * members, p.behaviour.consumption_share * income_now);
    double cash = std::max(0.0, h.savings[i] + income_now - out_of_pocket - consumption);
    if (h.loan_months[i] > 0) {
      acc[ind::interest_subsidy] += h.debt[i] * (p.credit.rate - p.credit.subsidised_rate) / 12.0;
      const double payment = h.debt[i] / h.loan_months[i];
      cash = std::max(0.0, cash - payment);
      h.debt[i] = static_cast<float>(h.debt[i] - payment);
      --h.loan_months[i];
    }
    h.savings[i] = static_cast<float>(cash);
    h.income_ytd[i] = static_cast<float>(h.income_ytd[i] + income_now);
    h.transfers_ytd[i] = static_cast<float>(h.transfers_ytd[i] + in.transfers());
    h.dibao_ytd[i] = static_cast<float>(h.dibao_ytd[i] + in.dibao);
    h.medical_ytd[i] = static_cast<float>(h.medical_ytd[i] + out_of_pocket);
    // Costs count in the month they fall due, so an illness in January and
    // one in December weigh the same in what cadres see.
    h.medical_recent[i] = static_cast<float>(h.medical_recent[i] * (11.0 / 12.0) + out_of_pocket);
    const double tested_now = tested(income_now, in.transfers(), out_of_pocket, members);
    h.income_ema[i] = static_cast<float>(h.income_ema[i] + (tested_now - h.income_ema[i]) * memory);

    // Dynamic monitoring: identification of households at risk, with
    // detection chances and a delay; exit after a stable spell above the line.
    const double seen = h.income_ema[i] * 12.0;
    const bool dibao = h.flags[i] & kDibao;
    const bool sudden =
        h.medical_recent[i] > mon.sudden_expense_share * std::max(1.0, h.income_last_year[i] * members);
    if (h.monitor_kind[i] == kNotMonitored) {
      if (!test.at_risk(seen, sudden, dibao)) {
        h.risk_months[i] = 0;
      } else {
        h.risk_months[i] = static_cast<std::uint8_t>(std::min(255, h.risk_months[i] + 1));
        auto sd = stream(ctx.id, id, s.step, Purpose::detection);
        const double miss = (1.0 - mon.self_declaration) * (1.0 - mon.visits) * (1.0 - (sudden ? mon.screening : 0.0));
        if (h.risk_months[i] > mon.delay_months && sim::rng::bernoulli(sd, 1.0 - miss)) {
          const MonitorKind kind = sudden ? kSuddenDifficulty : pa ? kUnstable : kMarginal;
          h.monitor_kind[i] = kind;
          h.monitor_months[i] = 0;
          h.stable_months[i] = 0;
          h.risk_months[i] = 0;
          sum[ind::monitoring_entries] += 1;
          sum[kind == kUnstable ? ind::entries_unstable : kind == kMarginal ? ind::entries_marginal : ind::entries_sudden] += 1;
          events.push_back({id, kind == kUnstable ? event::entry_unstable : kind == kMarginal ? event::entry_marginal : event::entry_sudden});
          if (m.direct_assistance) {
            // The package: an industry grant and fast-track dibao if eligible.
            h.livestock[i] = static_cast<float>(h.livestock[i] + mon.package_investment * package_scale);
            if (!dibao && seen < m.dibao_month * 12.0) {
              h.flags[i] |= kDibao;
              h.dibao_years[i] = 0;
            }
          }
        } else {
          sum[ind::at_risk_unidentified] += 1;
        }
      }
    } else {
      h.monitor_months[i] = static_cast<std::uint8_t>(std::min(255, h.monitor_months[i] + 1));
      h.stable_months[i] = test.stable(seen, sudden, dibao) ? static_cast<std::uint8_t>(std::min(255, h.stable_months[i] + 1)) : 0;
      if (h.stable_months[i] >= mon.exit_months) {
        sum[ind::monitoring_exits] += 1;
        sum[ind::exit_months] += h.monitor_months[i];
        events.push_back({id, event::exit});
        h.monitor_kind[i] = kNotMonitored;
        h.monitor_months[i] = 0;
        h.stable_months[i] = 0;
      }
    }

    // Year end: the poverty transitions (status_rules.hpp), and last year's
    // income for the next year's rules.
    if (s.year_end()) {
      const bool below = tested(h.income_ytd[i], h.transfers_ytd[i], h.medical_ytd[i], members) < m.poverty_line;
      switch (poverty_transition(pa, h.flags[i] & kBelowLine, below)) {
        case PovertyTransition::returned:
          sum[ind::returns_to_poverty] += 1;
          sum[ind::returns_people] += members;
          h.flags[i] |= kReturned;
          events.push_back({id, event::return_to_poverty});
          break;
        case PovertyTransition::newly_poor:
          sum[ind::new_poverty] += 1;
          sum[ind::new_poverty_people] += members;
          events.push_back({id, event::new_poverty});
          break;
        case PovertyTransition::none:
          break;
      }
      h.flags[i] = static_cast<std::uint8_t>(below ? h.flags[i] | kBelowLine : h.flags[i] & ~kBelowLine);
      h.income_last_year[i] = static_cast<float>(h.income_ytd[i] / members);
      h.means_last_year[i] = static_cast<float>((h.income_ytd[i] - h.dibao_ytd[i]) / members);
      h.income_ytd[i] = h.transfers_ytd[i] = h.dibao_ytd[i] = h.medical_ytd[i] = 0;
    }

    // Sums for the indicators.
    const bool monitored = h.monitor_kind[i] != kNotMonitored;
    const bool relocated = h.flags[i] & kRelocated;
    count[ind::people] += h.members[i];
    count[ind::households] += 1;
    // Income by NBS category for one group.
    const auto add_sources = [&](const SourceSums& to) {
      acc[to.wages] += in.wages();
      acc[to.operating] += in.operating();
      acc[to.property] += in.property;
      acc[to.transfers] += in.transfers();
    };
    if (pa) {
      count[ind::pa_people] += h.members[i];
      count[ind::pa_households] += 1;
      acc[ind::income_pa] += income_now;
      add_sources(kPaSources);
      for (std::size_t a = 0; a < kActivities; ++a) count[kPaWorkerSums[a]] += h.workers[a][i];
    }
    if (relocated) {
      count[ind::relocated_people] += h.members[i];
      acc[ind::income_relocated] += income_now;
      add_sources(kRelocatedSources);
    }
    if (monitored) {
      count[ind::monitored_households] += 1;
      count[ind::monitored_people] += h.members[i];
      acc[ind::income_monitored] += income_now;
      add_sources(kMonitoredSources);
    }
    for (std::size_t a = 0; a < kActivities; ++a) count[kWorkerSums[a]] += h.workers[a][i];
    count[ind::weak_workers_post] += h.weak_posts[i];
    acc[ind::income] += income_now;
    acc[ind::income_migrant] += in.migrant;
    acc[ind::income_local] += in.local;
    acc[ind::income_workshop] += in.workshop;
    acc[ind::income_post] += in.post;
    acc[ind::income_ranger] += in.ranger;
    acc[ind::income_farm] += in.farm;
    acc[ind::income_livestock] += in.livestock;
    acc[ind::income_property] += in.property;
    acc[ind::income_pension] += in.pension;
    acc[ind::income_dibao] += in.dibao;
    acc[ind::income_package] += in.package;
    acc[ind::income_other_transfer] += in.other;
    acc[ind::medical_costs] += out_of_pocket;
    count[ind::dibao_households] += (h.flags[i] & kDibao) ? 1 : 0;
    count[ind::below_line_households] += (h.flags[i] & kBelowLine) ? 1 : 0;
    count[ind::pa_below_line] += pa && (h.flags[i] & kBelowLine) ? 1 : 0;
    count[ind::borrowers] += h.loan_months[i] > 0 ? 1 : 0;
    acc[ind::debt] += h.debt[i];
    acc[ind::savings] += h.savings[i];
    acc[ind::livestock_assets] += h.livestock[i];
  }

  for (std::size_t k = 0; k < ind::kHouseholdSums; ++k) sum[k] += acc[k] + count[k];
}

}  // namespace transition
