#pragma once
// Every assumption of the transition model as a scenario parameter.
//
// visit_params() is the single list of keys: the same code declares the
// schema (type, default, range, unit, documentation) and reads a scenario's
// values into this plain struct, so the two cannot drift apart. Each key's
// documentation names its source (see docs/ODD.md) or says "assumption".
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace transition {

inline constexpr int kProvinces = 10;
inline constexpr int kYears = 5;           // 2021..2025; lists indexed by year - 2021
inline constexpr int kFirstYear = 2021;
inline constexpr int kProducts = 8;        // specialty products a county can specialise in

// Province keys as they appear in scenario files and in the county data file.
inline constexpr std::array<const char*, kProvinces> kProvinceKeys = {
    "inner_mongolia", "guangxi", "chongqing", "sichuan", "guizhou",
    "yunnan", "shaanxi", "gansu", "qinghai", "ningxia"};
inline constexpr std::array<const char*, kProvinces> kProvinceNames = {
    "Inner Mongolia", "Guangxi", "Chongqing", "Sichuan", "Guizhou",
    "Yunnan", "Shaanxi", "Gansu", "Qinghai", "Ningxia"};

struct Params {
  struct Population {
    double scale;
    std::string county_file;
    double households, villages, household_size;
    double pa_people, at_risk_people, relocated_people;
    double large_sites, large_site_min_people, large_site_mean_people, site_village_people;
    double income_pa_2020, income_all_2020;
    double share_wage, share_operating, share_property, share_transfer;
    double collective_under_50k, collective_sigma;
    double land_mu_per_capita, irrigated_share;
    double chronic_household_share, able_share, weak_share, elderly_share;
    double savings_months;
    bool recalibrate;  // fit the calibration factors with the scenario's own parameters
    double calibration_sample;  // households the calibration fit evaluates at most
    // Shapes of the generated distributions.
    double county_size_sd, village_size_sd, land_cv, irrigated_cv, productivity_cv, savings_cv;
    double second_chronic_share, livestock_owner_share_pa, livestock_owner_share_other, livestock_cv;
    double site_land_share, site_workshop_factor, site_hazard_weight, site_people_cv, site_min_factor;
    double poverty_order_chronic_weight, poverty_order_land_weight, risk_order_cv, risk_order_chronic_weight;
    double collective_funded_share, product_village_share;
    std::vector<double> product_weights, exit_year_weights, skill_weights_pa, skill_weights_other;
  } population;

  struct Labour {
    double migrant_wage, local_wage, workshop_wage, post_pay, ranger_pay;  // yuan per month
    double wage_growth, migrant_net_share, migrant_months, skill_premium;
    double logit_scale, inertia, care_penalty, migrant_cost;
    double local_jobs_per_1000, workshop_jobs_per_village, posts_per_1000, rangers_per_1000;
    bool monitored_first, posts_weak_first;
    double organised_export_boost, migrant_job_chance, posts_direct_share;
    double farm_labour_per_mu, elderly_farm_labour, sick_farm_labour, farm_labour_floor, weak_farm_value;
    double care_elderly_weight, sick_single_worker_keep;
    double migrant_cost_no_expressway, migrant_chance_no_railway, prefecture_commuting_share;
  } labour;

  struct Behaviour {
    double subsistence, consumption_share, income_memory;
  } behaviour;

  struct Farming {
    double income_per_mu, income_growth, irrigated_mult, livestock_return, livestock_failure;
    double price_sd, homogeneity_elasticity, infrastructure_price_effect;
    double supply_asset_scale, price_floor, price_ceiling;
    double yield_growth;  // real yield growth a year, used with a crop price series
  } farming;

  struct Shocks {
    double illness_base, illness_per_chronic, illness_cost_mean, illness_cost_cv;
    double reimbursement, reimbursement_pa, reimbursement_cap, illness_lost_months;
    // Disasters: a prefecture-wide event (a flood hits neighbours together)
    // strikes each county of the prefecture with some chance; a county can
    // also be hit on its own. Hazard-prone counties and others differ.
    double prefecture_disaster_hazard, prefecture_disaster_other, hit_given_prefecture_hazard,
        hit_given_prefecture_other, own_disaster_hazard, own_disaster_other;
    double disaster_farm_loss, disaster_asset_loss, disaster_months;
    std::int64_t disaster_year;  // all hazard-prone counties hit in this year (0: none forced)
    std::int64_t disaster_year_month;
    std::vector<double> migrant_demand;  // per year multiplier of the migrant job chance
    double migrant_wage_elasticity;      // wage response to demand
  } shocks;

  struct Credit {
    double cap, term_months, rate, subsidised_rate, uptake, investment_threshold, investment_return,
        default_prob, risk_fund_share;
  } credit;

  struct Collective {
    double asset_share, household_share, enterprise_jobs_per_million, leading_product_weight;
    double project_return, project_failure, dividend_share, pv_share, pv_income, lease_share, lease_rent,
        workshop_jobs_per_million;
    double asset_failure, asset_failure_loss;  // existing collective assets fail too
  } collective;

  struct Funds {
    std::vector<double> linkage_national;  // yuan per year, by year
    double key_county_share;
    std::string allocation;                // "households", "equal", "need"
    std::vector<double> industry_share_min;
    double integrated_per_household;
    std::int64_t integration_end_year;
    double integration_after_share, earmark_infrastructure_share;
    double own_revenue_per_household, own_revenue_rural_share;
    double east_west_per_county, paired_per_county;
    double surplus_quota_mu, surplus_quota_price, surplus_quota_cost;
    std::vector<double> old_revolutionary_per_county, ethnic_per_county;  // yuan per flagged county per year, by year
  } funds;

  struct Spending {
    double industry, infrastructure, posts, training, relocation, assistance, administration;
    double training_cost, training_effect;
  } spending;

  struct Land {
    double quota_mu, use_rate, jobs_per_mu, revenue_per_mu;
    std::int64_t lag_months;
    double compensation_per_mu, servicing_per_mu;  // costs of turning farmland into serviced park land
    // Firms: the share of vacant serviced land they take up a year, less
    // without an expressway or railway, in a prefecture without expressways,
    // or where local labour is scarce.
    double fill_rate, fill_no_expressway, fill_no_railway, fill_prefecture_weight;
  } land;

  // The county economy: a social accounting matrix of four sectors and the
  // households (docs/ODD.md 7.13).
  struct Economy {
    std::vector<double> sam;  // 5 x 5 coefficients, row-major, accounts agriculture, industry, construction, services, households
  } economy;

  struct Monitoring {
    std::array<std::vector<double>, kProvinces> threshold;  // yuan per person per year, by year
    double poverty_line_2020, poverty_line_growth;
    double self_declaration, visits, screening;
    std::int64_t delay_months, exit_months;
    double exit_margin, sudden_expense_share;
    bool deduct_medical;
    std::string poverty_income;  // "disposable" or "excluding_transfers": the income tested against the line
    double package_monthly, package_investment, medical_extra;
  } monitoring;

  struct Assistance {
    std::int64_t direct_end_year;  // direct household assistance stops after this year
    std::array<std::vector<double>, kProvinces> dibao_standard;  // provincial rural standard, yuan/person/year, by year
    double dibao_key_county_factor, dibao_inclusion_error, dibao_exclusion_error, dibao_inclusion_band;
    double dibao_monitored_miss_factor, dibao_exit_margin;
    std::int64_t dibao_review_years;
    double pension_monthly, subsidy_per_capita_monthly;
  } assistance;

  // National conditions as they happened (the historical scenario): each
  // series, when given, replaces a trend parameter for 2021-2025.
  struct History {
    std::vector<double> migrant_wage;           // yuan/month by year
    std::vector<double> local_wage_index;       // 2021 = 1
    std::vector<double> rural_cpi;              // percent change over the year before
    std::vector<double> crop_price_index;       // 2021 = 1
    std::vector<double> livestock_price_index;  // 2021 = 1
    std::int64_t projected_from;                // first projected year of the series
  } history;

  struct Demography {
    std::array<double, kProvinces> birth_rate, death_rate;  // per person per year
    double elderly_share_of_deaths, child_to_labour, labour_to_elderly;
  } demography;

  // Derived, not scenario keys.
  // Trends, or the history series where the scenario gives them.
  double poverty_line(int year) const;
  double migrant_wage(int year) const;           // yuan/month before the net share
  double local_wage_index(int year) const;       // local and workshop wages, 2021 = 1
  double crop_income_index(int year) const;      // farm income per mu, 2021 = 1
  double livestock_price_index(int year) const;  // return on livestock assets, 2021 = 1
  double threshold(int province, int year) const;
  double dibao_standard(int province, int year) const;  // the key counties' standard, yuan/person/year
};

// Calls the visitor once per key with the matching field of `p`.
class ParamVisitor {
 public:
  virtual ~ParamVisitor() = default;
  virtual void real(const char* path, double& field, double def, double min, double max, const char* unit,
                    const char* doc) = 0;
  virtual void integer(const char* path, std::int64_t& field, std::int64_t def, double min, double max,
                       const char* unit, const char* doc) = 0;
  virtual void boolean(const char* path, bool& field, bool def, const char* doc) = 0;
  virtual void choice(const char* path, std::string& field, const char* def, std::vector<std::string> choices,
                      const char* doc) = 0;
  virtual void reals(const char* path, std::vector<double>& field, std::vector<double> def, double min, double max,
                     std::size_t length, const char* unit, const char* doc) = 0;
  virtual void file(const char* path, std::string& field, const char* def, const char* doc) = 0;
  // A per-year series that may be left out: none (the default) or exactly
  // `length` values.
  virtual void series(const char* path, std::vector<double>& field, double min, double max, std::size_t length,
                      const char* unit, const char* doc) = 0;
};

void visit_params(Params& p, ParamVisitor& v);
// The parameters the income calibration uses: every key at its documented
// default (the baseline) except the population section, which describes
// 2020, and the scenario's settings.
Params calibration_params(const Params& scenario);
// Keys in which two parameter sets differ, outside the population section
// and the keys read only from 2021 on (history series, yearly plans, scenario
// shocks): the keys through which a scenario's 2020 can differ.
std::vector<std::string> keys_shaping_2020_that_differ(const Params& a, const Params& b);
// Keys in which `branch` differs from `past` in a way that would have
// changed a run of `past` up to `last_year` (a checkpoint's last year), one
// line each with why: population and calibration keys, years at or before
// it, per-year values up to it. Other keys take effect from the branch on.
std::vector<std::string> keys_changing_the_past(const Params& past, const Params& branch, int last_year);
void declare_schema(sim::scenario::Schema& schema);
Params read_params(const sim::scenario::Scenario& scenario);

}  // namespace transition
