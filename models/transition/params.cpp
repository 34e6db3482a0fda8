#include "models/transition/params.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "models/transition/county_data.hpp"
#include "sim/core/math.hpp"

std::span<const sim::scenario::EmbeddedFile> transition_embedded_files();

namespace transition {

namespace {
// Monitoring thresholds 2021-2025: 6,000 yuan in 2021 (national guidance),
// raised 8 % a year after (the income growth of poverty-alleviated counties,
// an assumption); Yunnan's path ends at its published 8,700 yuan for 2025.
const std::vector<double> kThreshold = {6000, 6500, 7000, 7600, 8200};
const std::vector<double> kThresholdYunnan = {6000, 6580, 7220, 7930, 8700};
// National average rural dibao standard at year end 2021-2025, yuan/person/year
// (Ministry of Civil Affairs statistics; 2025 projected); Chongqing's 2021
// standard was 0.97 of the national average.
const std::vector<double> kDibao = {6359, 6605, 6861, 7127, 7403};
const std::vector<double> kDibaoChongqing = {6180, 6407, 6655, 6913, 7181};
// Crude birth rates 2021 (China Statistical Yearbook 2022, NBS) and death
// rates (provincial statistical bulletins 2022), per person per year.
constexpr std::array<double, kProvinces> kBirthRate = {0.00626, 0.00968, 0.00649, 0.00685, 0.01217,
                                                       0.00935, 0.00789, 0.00968, 0.01122, 0.01162};
constexpr std::array<double, kProvinces> kDeathRate = {0.00783, 0.00708, 0.00809, 0.00904, 0.00732,
                                                       0.00821, 0.00764, 0.00851, 0.00723, 0.00619};
}  // namespace

namespace {
// A history series' value for `year` (2021-2025); after the series, its last
// value grown by `growth` a year.
double series_value(const std::vector<double>& s, int year, double growth) {
  const int last = kFirstYear + static_cast<int>(s.size()) - 1;
  if (year <= last) return s[static_cast<std::size_t>(year - kFirstYear)];
  return s.back() * sim::math::ipow(1.0 + growth, year - last);
}
}  // namespace

double Params::poverty_line(int year) const {
  const double g = monitoring.poverty_line_growth;
  if (history.rural_cpi.empty() || year < kFirstYear)
    return monitoring.poverty_line_2020 * sim::math::ipow(1.0 + g, year - (kFirstYear - 1));
  double line = monitoring.poverty_line_2020;
  for (int y = kFirstYear; y <= year; ++y)
    line *= y - kFirstYear < static_cast<int>(history.rural_cpi.size())
                ? 1.0 + history.rural_cpi[static_cast<std::size_t>(y - kFirstYear)] / 100.0
                : 1.0 + g;
  return line;
}

double Params::migrant_wage(int year) const {
  if (history.migrant_wage.empty() || year < kFirstYear)
    return labour.migrant_wage * sim::math::ipow(1.0 + labour.wage_growth, year - kFirstYear);
  // The series gives the path; labour.migrant_wage stays the 2021 level (a lever).
  return labour.migrant_wage * series_value(history.migrant_wage, year, labour.wage_growth) / history.migrant_wage[0];
}

double Params::local_wage_index(int year) const {
  if (history.local_wage_index.empty() || year < kFirstYear)
    return sim::math::ipow(1.0 + labour.wage_growth, year - kFirstYear);
  return series_value(history.local_wage_index, year, labour.wage_growth);
}

double Params::crop_income_index(int year) const {
  if (history.crop_price_index.empty() || year < kFirstYear)
    return sim::math::ipow(1.0 + farming.income_growth, year - kFirstYear);
  return series_value(history.crop_price_index, year, 0.0) * sim::math::ipow(1.0 + farming.yield_growth, year - kFirstYear);
}

double Params::livestock_price_index(int year) const {
  if (history.livestock_price_index.empty() || year < kFirstYear) return 1.0;
  return series_value(history.livestock_price_index, year, 0.0);
}

double Params::dibao_standard(int province, int year) const {
  const auto& t = assistance.dibao_standard[static_cast<std::size_t>(province)];
  const int i = std::clamp(year - kFirstYear, 0, static_cast<int>(t.size()) - 1);
  // Before the period (the 2020 initial state) the 2021 standard deflated by its first year's rise.
  const double standard = year < kFirstYear ? t[0] * t[0] / t[1] : t[static_cast<std::size_t>(i)];
  return standard * assistance.dibao_key_county_factor;
}

double Params::threshold(int province, int year) const {
  const auto& t = monitoring.threshold[static_cast<std::size_t>(province)];
  const int i = std::clamp(year - kFirstYear, 0, static_cast<int>(t.size()) - 1);
  return t[static_cast<std::size_t>(i)];
}

void visit_params(Params& p, ParamVisitor& v) {
  // Population and calibration targets (the speech, NBS; docs/ODD.md section 1).
  auto& pop = p.population;
  v.real("population.scale", pop.scale, 0.02, 1e-4, 1.0, "1",
         "Setting: share of the full population simulated (1.0 = about 10 million households); shares and per-capita values hold at any scale.");
  v.file("population.county_file", pop.county_file, "data/counties.csv",
         "Setting: the county table (name, province, prefecture, flags; optional sizes: rural_population, rural_households, villages, pa_people, relocated_people, large_sites), relative to the scenario file; its sizes set each county's share of the totals below; docs/data.md explains the columns and their sources.");
  v.real("population.households", pop.households, 10e6, 1e3, 1e8, "households",
         "Rural households in the 160 counties at scale 1 (estimate for the 160 counties, about 10 million; assumption).");
  v.real("population.villages", pop.villages, 30000, 160, 1e6, "villages",
         "Administrative villages at scale 1 (estimate, about 30,000; assumption).");
  v.real("population.household_size", pop.household_size, 4.0, 1.5, 8.0, "persons",
         "Mean household size (3.5-4.5 in these areas; assumption).");
  v.real("population.pa_people", pop.pa_people, 98.99e6 / 5.0, 0, 1e9, "persons",
         "Poverty-alleviated people living in the key counties (speech: nearly 1/5 of the national 98.99 million).");
  v.real("population.at_risk_people", pop.at_risk_people, 0.30 * 4.38e6, 0, 1e9, "persons",
         "People at risk of returning to or falling into poverty at the start (speech: nearly 30 % of 4.38 million); they start monitored.");
  v.real("population.relocated_people", pop.relocated_people, 9.6e6 / 3.0, 0, 1e9, "persons",
         "Relocated people (speech: nearly 1/3 of the national 9.6 million).");
  v.real("population.large_sites", pop.large_sites, 43, 0, 1000, "sites",
         "Centralised resettlement sites of at least 10,000 people (speech: 43 of the national 66).");
  v.real("population.large_site_min_people", pop.large_site_min_people, 10000, 100, 1e6, "persons",
         "Size above which a resettlement site counts as large (speech: 10,000).");
  v.real("population.large_site_mean_people", pop.large_site_mean_people, 16000, 100, 1e6, "persons",
         "Mean population of a large site (assumption).");
  v.real("population.income_pa_2020", pop.income_pa_2020, 0.9 * 10740, 1000, 1e6, "yuan/person/year",
         "2020 per-capita income of poverty-alleviated people (speech: 90 % of the national average of 10,740 yuan).");
  v.real("population.income_all_2020", pop.income_all_2020, 11500, 1000, 1e6, "yuan/person/year",
         "2020 per-capita income of all rural residents (assumption: below the 12,499 yuan of rural residents of the former national key poverty counties in 2020, NBS).");
  v.real("population.share_wage", pop.share_wage, 0.353, 0, 1, "1", "Wage share of income in poor areas (NBS poor-area household survey 2019).");
  v.real("population.share_operating", pop.share_operating, 0.360, 0, 1, "1", "Household operating share of income (NBS poor-area household survey 2019).");
  v.real("population.share_property", pop.share_property, 0.014, 0, 1, "1", "Property share of income (NBS poor-area household survey 2019).");
  v.real("population.share_transfer", pop.share_transfer, 0.273, 0, 1, "1", "Transfer share of income (NBS poor-area household survey 2019).");
  // Strictly inside (0, 1): the median of collective income is 50,000 yuan
  // scaled by the normal quantile of this share, infinite at 0 and 1.
  v.real("population.collective_under_50k", pop.collective_under_50k, 0.40, 0.01, 0.99, "1",
         "Share of village collectives with annual income under 50,000 yuan (speech: nearly 40 %).");
  v.real("population.collective_sigma", pop.collective_sigma, 1.0, 0.05, 5, "1",
         "Log-sd of collective income across villages (assumption).");
  v.real("population.land_mu_per_capita", pop.land_mu_per_capita, 1.6, 0, 50, "mu/person",
         "Farmland per person (assumption).");
  v.real("population.irrigated_share", pop.irrigated_share, 0.15, 0, 1, "1",
         "Irrigated share of farmland (assumption consistent with the speech: irrigated land per person under 1/12 of national).");
  v.real("population.chronic_household_share", pop.chronic_household_share, 0.30, 0, 1, "1",
         "Households with a member with chronic illness or disability (assumption; about half of poor households named illness as a cause of poverty, National Health Commission).");
  v.real("population.able_share", pop.able_share, 0.50, 0, 1, "1", "Able-bodied labour share of members (assumption).");
  v.real("population.weak_share", pop.weak_share, 0.12, 0, 1, "1", "Weak or half labour share of members (assumption).");
  v.real("population.elderly_share", pop.elderly_share, 0.14, 0, 1, "1", "Dependent elderly share of members (assumption).");
  v.real("population.savings_months", pop.savings_months, 3, 0, 120, "months",
         "Initial savings as months of income (assumption).");
  v.boolean("population.recalibrate", pop.recalibrate, false,
            "Setting: fit the income calibration factors with this scenario's own parameters. By default they are fitted once with the documented defaults (the baseline) and kept, so that a scenario or sweep point that changes a parameter (labour.migrant_wage, say) moves incomes instead of being calibrated away.");
  v.real("population.calibration_sample", pop.calibration_sample, 300000, 1000, 1e9, "households",
         "Setting: at most about this many households (every k-th village) are evaluated by the income calibration's fit; the factors are ratios of totals, so a larger population adds time, not precision.");
  v.real("population.county_size_sd", pop.county_size_sd, 0.35, 0, 3, "1",
         "Log-sd of county size for counties whose size the data file does not give (assumption).");
  v.real("population.village_size_sd", pop.village_size_sd, 0.30, 0, 3, "1", "Log-sd of village size (assumption).");
  v.real("population.land_cv", pop.land_cv, 0.5, 0, 5, "1", "Coefficient of variation of farmland per person (assumption).");
  v.real("population.irrigated_cv", pop.irrigated_cv, 1.0, 0, 5, "1", "Coefficient of variation of a household's irrigated share (assumption).");
  v.real("population.productivity_cv", pop.productivity_cv, 0.35, 0, 5, "1",
         "Coefficient of variation of household productivity (assumption).");
  v.real("population.savings_cv", pop.savings_cv, 0.8, 0, 5, "1", "Coefficient of variation of initial savings (assumption).");
  v.real("population.second_chronic_share", pop.second_chronic_share, 0.25, 0, 1, "1",
         "Share of households with a chronically ill member that have a second one (assumption).");
  v.real("population.livestock_owner_share_pa", pop.livestock_owner_share_pa, 0.30, 0, 1, "1",
         "Share of poverty-alleviated households with livestock or cash-crop assets at the start (assumption).");
  v.real("population.livestock_owner_share_other", pop.livestock_owner_share_other, 0.40, 0, 1, "1",
         "Share of other households with livestock or cash-crop assets at the start (assumption).");
  v.real("population.livestock_cv", pop.livestock_cv, 0.5, 0, 5, "1",
         "Coefficient of variation of initial livestock assets, around the investment threshold (assumption).");
  v.real("population.site_land_share", pop.site_land_share, 0.3, 0, 1, "1",
         "Farmland of a household in a large resettlement site relative to one in a village (assumption).");
  v.real("population.site_workshop_factor", pop.site_workshop_factor, 3, 0, 100, "1",
         "Workshop jobs per household in a large site relative to a village (follow-up support; assumption).");
  v.real("population.site_hazard_weight", pop.site_hazard_weight, 1.5, 0, 100, "1",
         "Weight of hazard-prone counties when large sites are placed where the data give none (relocation out of hazard areas; assumption).");
  v.real("population.site_people_cv", pop.site_people_cv, 0.3, 0, 5, "1", "Coefficient of variation of a large site's population (assumption).");
  v.real("population.site_min_factor", pop.site_min_factor, 1.25, 1, 10, "1",
         "A large site holds at least this many times the minimum size (assumption).");
  v.real("population.poverty_order_chronic_weight", pop.poverty_order_chronic_weight, 1.5, 0, 100, "1",
         "Added weight per chronically ill member when poverty-alleviated households are drawn (illness as a cause of poverty, National Health Commission; size an assumption).");
  v.real("population.poverty_order_land_weight", pop.poverty_order_land_weight, 0.5, 0, 100, "1",
         "Added weight of households with under 1 mu per person when poverty-alleviated households are drawn (assumption).");
  v.real("population.risk_order_cv", pop.risk_order_cv, 0.3, 0, 5, "1",
         "Noise on 2020 income when the households at risk are chosen (assumption).");
  v.real("population.risk_order_chronic_weight", pop.risk_order_chronic_weight, 0.5, 0, 100, "1",
         "Added risk per chronically ill member when the households at risk are chosen (assumption).");
  v.real("population.collective_funded_share", pop.collective_funded_share, 0.3, 0, 1, "1",
         "Share of a collective's non-photovoltaic income that earlier funded projects earn (assumption).");
  v.real("population.product_village_share", pop.product_village_share, 0.6, 0, 1, "1",
         "Share of villages growing their county's leading product (assumption).");
  v.reals("population.product_weights", pop.product_weights, {0.26, 0.19, 0.15, 0.11, 0.09, 0.08, 0.06, 0.06}, 0, 1,
          kProducts, "1", "Share of counties and villages per specialty product (homogeneous industry, speech; shares an assumption).");
  v.reals("population.exit_year_weights", pop.exit_year_weights, {0.05, 0.07, 0.10, 0.12, 0.18, 0.25, 0.23}, 0, 1, 7, "1",
          "Share of poverty-alleviated households by exit year 2014-2020 (assumption; most exits came late).");
  v.reals("population.skill_weights_pa", pop.skill_weights_pa, {0.35, 0.45, 0.15, 0.05}, 0, 1, 4, "1",
          "Skill levels 0-3 of poverty-alleviated households (assumption).");
  v.reals("population.skill_weights_other", pop.skill_weights_other, {0.20, 0.45, 0.25, 0.10}, 0, 1, 4, "1",
          "Skill levels 0-3 of other households (assumption).");

  // Labour market.
  auto& lab = p.labour;
  v.real("labour.migrant_wage", lab.migrant_wage, 4432, 0, 1e6, "yuan/month",
         "Migrant worker monthly wage, 2021 (NBS Migrant Worker Monitoring Survey 2021: 4,432 yuan).");
  v.real("labour.migrant_net_share", lab.migrant_net_share, 0.40, 0, 1, "1",
         "Share of a migrant's wage that reaches household income after living costs away (assumption).");
  v.real("labour.migrant_months", lab.migrant_months, 10, 1, 12, "months/year", "Months worked per year by a migrant (assumption).");
  // Wages and pay that divide a budget into jobs or posts are positive.
  v.real("labour.local_wage", lab.local_wage, 2600, 1, 1e6, "yuan/month", "Local wage work in county industrial parks (assumption).");
  v.real("labour.workshop_wage", lab.workshop_wage, 1800, 0, 1e6, "yuan/month",
         "Employment-assistance workshop wage, below migrant work (level an assumption).");
  v.real("labour.post_pay", lab.post_pay, 600, 1, 1e6, "yuan/month", "Public-welfare post pay (assumption within the few hundred to about 1,000 yuan a month of local programmes).");
  v.real("labour.ranger_pay", lab.ranger_pay, 10000.0 / 12.0, 0, 1e6, "yuan/month", "Ecological forest ranger pay (about 10,000 yuan a year, National Forestry and Grassland Administration).");
  v.real("labour.wage_growth", lab.wage_growth, 0.05, -0.5, 0.5, "1/year", "Nominal wage growth per year (assumption).");
  v.real("labour.skill_premium", lab.skill_premium, 0.10, 0, 2, "1", "Wage premium per skill level (assumption).");
  v.real("labour.logit_scale", lab.logit_scale, 1500, 1, 1e6, "yuan/month",
         "Scale of the logit labour choice: expected-income differences of this size change odds by e (assumption).");
  v.real("labour.inertia", lab.inertia, 1.5, 0, 20, "1", "Utility bonus for keeping last year's activity (friction, assumption).");
  v.real("labour.care_penalty", lab.care_penalty, 0.6, 0, 20, "1",
         "Utility penalty of migrating per dependant needing care at home (assumption).");
  v.real("labour.migrant_cost", lab.migrant_cost, 300, 0, 1e5, "yuan/month", "Monthly cost of migrating, travel and search (assumption).");
  v.real("labour.local_jobs_per_1000", lab.local_jobs_per_1000, 60, 0, 5000, "jobs/1000 households",
         "Local wage jobs open to rural labour at the start (assumption).");
  v.real("labour.workshop_jobs_per_village", lab.workshop_jobs_per_village, 6, 0, 1000, "jobs/village",
         "Workshop jobs per village at the start, scaled with village size (assumption).");
  v.real("labour.posts_per_1000", lab.posts_per_1000, 45, 0, 5000, "posts/1000 households",
         "Public-welfare posts at the start (assumption scaled from the 4.33 million rural poor holding posts in central and western China by mid-2020, State Council Information Office).");
  v.real("labour.rangers_per_1000", lab.rangers_per_1000, 25, 0, 5000, "posts/1000 households",
         "Ecological ranger posts, centrally funded (assumption scaled from the 1.1 million poor people hired as rangers by 2020, National Forestry and Grassland Administration).");
  v.boolean("labour.monitored_first", lab.monitored_first, true,
            "Monitored households are served first when local jobs and posts are rationed (policy in the speech).");
  v.real("labour.organised_export_boost", lab.organised_export_boost, 0.10, 0, 1, "1",
         "Rise in migrant job chance from organised labour export under east-west cooperation (assumption).");
  v.real("labour.migrant_job_chance", lab.migrant_job_chance, 0.9, 0, 1, "1",
         "Chance a job-seeking migrant finds work in a normal year (assumption).");
  v.real("labour.posts_direct_share", lab.posts_direct_share, 0.6, 0, 1, "1",
         "Share of the initial public-welfare posts funded as direct assistance, lost when it stops (assumption).");
  v.real("labour.farm_labour_per_mu", lab.farm_labour_per_mu, 0.25, 0.01, 10, "workers/mu",
         "Labour needed per mu for full farm output (assumption).");
  v.boolean("labour.posts_weak_first", lab.posts_weak_first, true,
            "Public-welfare posts go first to weak and half-labour workers (policy: rural public-welfare post rules of the Ministry of Human Resources and Social Security, Ministry of Finance and NRRA).");
  v.real("labour.elderly_farm_labour", lab.elderly_farm_labour, 0.4, 0, 1, "workers/person",
         "Farm labour an elderly member gives when the others work away (assumption).");
  v.real("labour.sick_farm_labour", lab.sick_farm_labour, 0.5, 0, 1, "workers",
         "Farm labour lost while a member is ill (assumption).");
  v.real("labour.farm_labour_floor", lab.farm_labour_floor, 0.15, 0, 1, "1",
         "Share of full farm output the land gives with almost no labour (assumption).");
  v.real("labour.weak_farm_value", lab.weak_farm_value, 0.6, 0, 1, "1",
         "Farm output of a weak worker relative to an able one (assumption).");
  v.real("labour.care_elderly_weight", lab.care_elderly_weight, 0.5, 0, 5, "1",
         "Care an elderly member needs relative to a child or chronically ill member (assumption).");
  v.real("labour.sick_single_worker_keep", lab.sick_single_worker_keep, 0.5, 0, 1, "1",
         "Share of wages a household with one wage earner keeps while a member is ill (assumption).");
  v.real("labour.migrant_cost_no_expressway", lab.migrant_cost_no_expressway, 0.3, 0, 10, "1",
         "Added share of the cost of migrating from a county without an expressway (longer travel; assumption).");
  v.real("labour.migrant_chance_no_railway", lab.migrant_chance_no_railway, 0.95, 0, 1, "1",
         "Migrant job chance from a county without a railway, relative to one with (organised export runs by rail; assumption).");
  v.real("labour.prefecture_commuting_share", lab.prefecture_commuting_share, 0.2, 0, 1, "1",
         "Share of a county's local jobs open to workers of the other counties of its prefecture (the prefecture labour market; assumption).");

  auto& be = p.behaviour;
  v.real("behaviour.subsistence", be.subsistence, 300, 0, 1e5, "yuan/person/month",
         "Consumption floor per person (assumption).");
  v.real("behaviour.consumption_share", be.consumption_share, 0.85, 0, 1, "1",
         "Share of income consumed above the floor; the rest is saved (assumption).");
  v.real("behaviour.income_memory", be.income_memory, 6, 1, 60, "months",
         "Smoothing of the per-capita income cadres and households observe (exponential, this many months; assumption).");

  auto& farm = p.farming;
  v.real("farming.income_per_mu", farm.income_per_mu, 1400, 0, 1e6, "yuan/mu/year",
         "Net farm income per mu of dry land at 2020 prices before calibration (assumption).");
  v.real("farming.income_growth", farm.income_growth, 0.04, -0.5, 0.5, "1/year",
         "Nominal yearly growth of farm income per mu from prices and yields (assumption).");
  v.real("farming.irrigated_mult", farm.irrigated_mult, 1.8, 1, 10, "1", "Output of irrigated relative to dry land (assumption).");
  v.real("farming.livestock_return", farm.livestock_return, 0.22, 0, 5, "1/year",
         "Net yearly return on livestock and cash-crop assets (assumption).");
  v.real("farming.livestock_failure", farm.livestock_failure, 0.04, 0, 1, "1/year",
         "Yearly chance that a household's livestock or cash-crop venture fails (assumption).");
  v.real("farming.price_sd", farm.price_sd, 0.08, 0, 1, "1", "Yearly s.d. of each specialty product's price (assumption).");
  v.real("farming.homogeneity_elasticity", farm.homogeneity_elasticity, 1.2, 0, 10, "1",
         "Price fall per unit rise of a product's supply share above its 2021 share (the speech names homogeneous industry; size an assumption).");
  v.real("farming.infrastructure_price_effect", farm.infrastructure_price_effect, 0.015, 0, 1, "1/(1000 yuan/household)",
         "Farm-gate price rise per 1,000 yuan per household of cumulative infrastructure spending (market access; assumption).");
  v.real("farming.supply_asset_scale", farm.supply_asset_scale, 20000, 1, 1e7, "yuan/household",
         "Collective assets per household that double a village's supply of its product (assumption).");
  v.real("farming.yield_growth", farm.yield_growth, 0.01, -0.5, 0.5, "1/year",
         "Real growth of farm output per mu a year, used with history.crop_price_index (the default trend farming.income_growth holds prices and yields together; assumption).");
  v.real("farming.price_floor", farm.price_floor, 0.3, 0, 1, "1", "Lowest price index crowding can bring (assumption).");
  v.real("farming.price_ceiling", farm.price_ceiling, 1.5, 1, 10, "1", "Highest price index scarcity can bring (assumption).");

  auto& sh = p.shocks;
  v.real("shocks.illness_base", sh.illness_base, 0.006, 0, 1, "1/month", "Monthly chance of a costly illness per household (assumption).");
  v.real("shocks.illness_per_chronic", sh.illness_per_chronic, 0.012, 0, 1, "1/month",
         "Added monthly chance per chronically ill member (assumption; illness is the leading cause of poverty, National Health Commission).");
  v.real("shocks.illness_cost_mean", sh.illness_cost_mean, 15000, 0, 1e7, "yuan", "Mean cost of a costly illness episode (assumption).");
  v.real("shocks.illness_cost_cv", sh.illness_cost_cv, 1.2, 0, 10, "1", "Coefficient of variation of illness cost (lognormal; assumption).");
  v.real("shocks.reimbursement", sh.reimbursement, 0.55, 0, 1, "1", "Share of illness cost reimbursed by basic and critical-illness insurance (assumption).");
  v.real("shocks.reimbursement_pa", sh.reimbursement_pa, 0.80, 0, 1, "1",
         "Reimbursed share for poverty-alleviated and monitored households with medical assistance (assumption; about 16 % of poor patients could not afford costs after reimbursement).");
  v.real("shocks.reimbursement_cap", sh.reimbursement_cap, 0.95, 0, 1, "1",
         "Highest reimbursed share with every scheme combined: some costs (travel, care, drugs off the list) are never reimbursed (assumption).");
  v.real("shocks.illness_lost_months", sh.illness_lost_months, 2, 0, 12, "months",
         "Months of work one member loses in an illness episode (assumption).");
  v.real("shocks.prefecture_disaster_hazard", sh.prefecture_disaster_hazard, 0.12, 0, 1, "1/year",
         "Yearly chance of a prefecture-wide disaster (flood, landslides) in a prefecture with hazard-prone counties (assumption from the yearly geological-hazard and flood losses of the western provinces, Ministry of Natural Resources and Ministry of Emergency Management bulletins; docs/data.md).");
  v.real("shocks.prefecture_disaster_other", sh.prefecture_disaster_other, 0.05, 0, 1, "1/year",
         "Yearly chance of a prefecture-wide disaster where no county is hazard-prone (assumption).");
  v.real("shocks.hit_given_prefecture_hazard", sh.hit_given_prefecture_hazard, 0.5, 0, 1, "1",
         "Chance a hazard-prone county is hit when its prefecture's disaster strikes (assumption).");
  v.real("shocks.hit_given_prefecture_other", sh.hit_given_prefecture_other, 0.4, 0, 1, "1",
         "Chance another county is hit when its prefecture's disaster strikes (assumption).");
  v.real("shocks.own_disaster_hazard", sh.own_disaster_hazard, 0.045, 0, 1, "1/year",
         "Yearly chance of a disaster in a hazard-prone county alone (about 0.10 a year in all with the prefecture's; assumption, 73 counties are hazard-prone, speech).");
  v.real("shocks.own_disaster_other", sh.own_disaster_other, 0.01, 0, 1, "1/year",
         "Yearly chance of a disaster in another county alone (about 0.03 a year in all; assumption).");
  v.real("shocks.disaster_farm_loss", sh.disaster_farm_loss, 0.5, 0, 1, "1", "Share of farm and livestock income lost while a disaster lasts (assumption).");
  v.real("shocks.disaster_asset_loss", sh.disaster_asset_loss, 0.25, 0, 1, "1", "Share of livestock assets destroyed by a disaster (assumption).");
  v.real("shocks.disaster_months", sh.disaster_months, 6, 1, 24, "months", "Months a disaster depresses farm income (assumption).");
  v.integer("shocks.disaster_year", sh.disaster_year, 0, 0, 2100, "year",
            "Setting: if set, every hazard-prone county is hit by a disaster in this year (a scenario shock; 0 = none).");
  v.integer("shocks.disaster_year_month", sh.disaster_year_month, 6, 1, 12, "month",
            "Setting: the month the disaster of shocks.disaster_year strikes.");
  v.reals("shocks.migrant_demand", sh.migrant_demand, {1, 1, 1, 1, 1}, 0, 2, kYears, "1",
          "National migrant-labour demand by year 2021-2025, scaling the chance a migrant finds work (1 = normal, the baseline assumption; 2020 saw a one-year fall, NBS Migrant Worker Monitoring Survey).");
  v.real("shocks.migrant_wage_elasticity", sh.migrant_wage_elasticity, 0.5, 0, 2, "1",
         "Relative fall of migrant wages per relative fall of demand (assumption).");

  auto& cr = p.credit;
  v.real("credit.cap", cr.cap, 50000, 0, 1e6, "yuan", "Microcredit cap per household (microcredit policy for poverty-alleviated households: up to 50,000 yuan, CBIRC and Ministry of Finance).");
  v.real("credit.term_months", cr.term_months, 36, 1, 120, "months", "Microcredit term (poverty-alleviation microcredit rules of the CBIRC, Ministry of Finance and NRRA: up to 3 years).");
  v.real("credit.rate", cr.rate, 0.0435, 0, 1, "1/year", "Market lending rate (People's Bank of China benchmark one-year lending rate: 4.35 %).");
  v.real("credit.subsidised_rate", cr.subsidised_rate, 0.0, 0, 1, "1/year", "Rate the household pays after the interest subsidy (interest subsidised under the Ministry of Finance and NRRA microcredit rules; a full subsidy is an assumption).");
  v.real("credit.uptake", cr.uptake, 0.12, 0, 1, "1/year", "Yearly chance a household without a venture considers investing: it borrows if eligible, else uses savings (assumption).");
  v.real("credit.investment_threshold", cr.investment_threshold, 30000, 0, 1e7, "yuan",
         "Indivisible investment (livestock herd, greenhouse): below this sum no productive asset can be started (poverty trap; assumption).");
  v.real("credit.investment_return", cr.investment_return, 0.22, 0, 5, "1/year", "Yearly net return of a new investment, as farming.livestock_return (assumption).");
  v.real("credit.default_prob", cr.default_prob, 0.02, 0, 1, "1/year", "Yearly chance a borrower in difficulty defaults (assumption).");
  v.real("credit.risk_fund_share", cr.risk_fund_share, 0.10, 0, 1, "1", "Share of lending the county risk-compensation fund must hold (assumption).");

  auto& co = p.collective;
  v.real("collective.asset_share", co.asset_share, 0.35, 0, 1, "1",
         "Share of industry money that becomes collective assets (projects owned by the village; assumption).");
  v.real("collective.household_share", co.household_share, 0.25, 0, 1, "1",
         "Share of industry money given as industry support (livestock, cash crops) to poverty-alleviated households (assumption).");
  v.real("collective.leading_product_weight", co.leading_product_weight, 3, 0, 100, "1",
         "Weight of villages growing the county's leading product when industry projects are placed (one county, one industry; assumption).");
  v.real("collective.enterprise_jobs_per_million", co.enterprise_jobs_per_million, 10, 0, 1000, "jobs/million yuan",
         "Local jobs per million yuan of the remaining industry money (enterprises, leading firms, parks; assumption).");
  v.real("collective.project_return", co.project_return, 0.06, 0, 1, "1/year", "Yearly return of collective assets from funded projects (assumption).");
  v.real("collective.project_failure", co.project_failure, 0.08, 0, 1, "1/year", "Yearly chance a collective project fails and its asset is lost (assumption).");
  v.real("collective.asset_failure", co.asset_failure, 0.03, 0, 1, "1/year",
         "Yearly chance a village's existing collective assets run into trouble (a cooperative folds, a market is lost; assumption).");
  v.real("collective.asset_failure_loss", co.asset_failure_loss, 0.5, 0, 1, "1", "Share of the assets lost when they do (assumption).");
  v.real("collective.dividend_share", co.dividend_share, 0.5, 0, 1, "1", "Share of collective income paid as dividends to member households (assumption).");
  v.real("collective.pv_share", co.pv_share, 0.15, 0, 1, "1", "Share of villages with a photovoltaic station (assumption).");
  v.real("collective.pv_income", co.pv_income, 200000, 0, 1e8, "yuan/year", "Income of a village photovoltaic station (photovoltaic poverty-alleviation village stations: about 200,000 yuan, National Energy Administration).");
  v.real("collective.lease_share", co.lease_share, 0.15, 0, 1, "1", "Share of farmland leased to cooperatives and enterprises (assumption).");
  v.real("collective.lease_rent", co.lease_rent, 500, 0, 1e5, "yuan/mu/year", "Rent per mu of leased land (assumption).");
  v.real("collective.workshop_jobs_per_million", co.workshop_jobs_per_million, 8, 0, 1000, "jobs/million yuan",
         "Workshop jobs created per million yuan of industry projects (assumption).");

  auto& fu = p.funds;
  v.reals("funds.linkage_national", fu.linkage_national, {156.1e9, 165.0e9, 175.0e9, 177.0e9, 177.0e9}, 0, 1e13, kYears, "yuan/year",
          "Central linkage subsidy funds nationwide by year (Ministry of Finance: 156.1 bn in 2021; later years from its budget announcements).");
  v.real("funds.key_county_share", fu.key_county_share, 0.25, 0, 1, "1",
         "Share of national linkage funds reaching the 160 counties (tilt; assumption, above their 1/5 share of poverty-alleviated people).");
  v.choice("funds.allocation", fu.allocation, "need", {"households", "equal", "need"},
           "How linkage funds are split among counties: by households, equally, or by need (poverty-alleviated and monitored people; need is an assumption of how provinces allocate).");
  v.reals("funds.industry_share_min", fu.industry_share_min, {0.50, 0.55, 0.60, 0.60, 0.60}, 0, 1, kYears, "1",
          "Minimum share of linkage funds for industry by year (policy: >= 55 % from 2022, aiming at 60 % in 2023, Ministry of Finance and NRRA guidance).");
  v.real("funds.integrated_per_household", fu.integrated_per_household, 1500, 0, 1e6, "yuan/household/year",
         "Integrated agriculture-related funds a county can pool per household (assumption).");
  v.integer("funds.integration_end_year", fu.integration_end_year, 2025, 2020, 2100, "year",
            "Last year integrated use of agriculture funds is allowed (key counties 2025; other poverty-alleviated counties 2023, policy in the speech).");
  v.real("funds.integration_after_share", fu.integration_after_share, 0.4, 0, 1, "1",
         "Share of those funds still usable in the county's own programme after integration ends; the rest returns to its sectoral earmarks (assumption).");
  v.real("funds.earmark_infrastructure_share", fu.earmark_infrastructure_share, 0.6, 0, 1, "1",
         "Share of the agriculture funds under earmarks that goes to farmland and water infrastructure; the rest to agricultural production support (industry) (assumption: high-standard farmland is the largest earmarked item).");
  v.real("funds.own_revenue_per_household", fu.own_revenue_per_household, 6000, 0, 1e6, "yuan/household/year",
         "County general budget revenue per rural household (assumption; under 1/6 of national, speech).");
  v.real("funds.own_revenue_rural_share", fu.own_revenue_rural_share, 0.08, 0, 1, "1", "Share of own revenue spent on rural programmes (assumption).");
  v.real("funds.east_west_per_county", fu.east_west_per_county, 30e6, 0, 1e10, "yuan/year", "East-west cooperation funds per county (assumption).");
  v.real("funds.paired_per_county", fu.paired_per_county, 8e6, 0, 1e10, "yuan/year", "Paired assistance by central units per county (assumption).");
  v.real("funds.surplus_quota_mu", fu.surplus_quota_mu, 100, 0, 1e5, "mu/year",
         "Surplus land quota from increase-decrease linkage sold across provinces per county (assumption).");
  v.reals("funds.old_revolutionary_per_county", fu.old_revolutionary_per_county, {17e6, 17e6, 17e6, 17e6, 17e6}, 0, 1e10,
          kYears, "yuan/year",
          "Central transfer for old revolutionary base areas per base-area county, by year (about 17 million yuan a county: Hubei provincial allocation 2017, 680 million to 40 counties; Jiujiang 2019 10-29 million a county; the key counties' amount an assumption).");
  v.reals("funds.ethnic_per_county", fu.ethnic_per_county, {8.3e6, 8.3e6, 8.3e6, 8.3e6, 8.3e6}, 0, 1e10, kYears, "yuan/year",
          "Ethnic-minority development funds per ethnic-area county, by year (national 7.4 billion yuan in 2024, National Ethnic Affairs Commission; Qinghai 2017: 5.2 million a county; the per-county amount an assumption).");
  v.real("funds.surplus_quota_price", fu.surplus_quota_price, 300000, 0, 1e7, "yuan/mu",
         "Price of surplus quota sold across provinces (State Council 2018: 300,000 yuan per mu, up to 500,000 with supplementary farmland).");
  v.real("funds.surplus_quota_cost", fu.surplus_quota_cost, 60000, 0, 1e7, "yuan/mu",
         "Cost of producing a mu of surplus quota: reclaiming vacated homestead land as farmland and resettling (assumption).");

  auto& sp = p.spending;
  v.real("spending.industry", sp.industry, 0.55, 0, 1, "1", "Share of the county programme for industry projects (raised to the legal minimum if below; the baseline share is an assumption).");
  v.real("spending.infrastructure", sp.infrastructure, 0.15, 0, 1, "1", "Share for infrastructure: roads, water, power (baseline allocation; assumption).");
  v.real("spending.posts", sp.posts, 0.08, 0, 1, "1", "Share for public-welfare posts (baseline allocation; assumption).");
  v.real("spending.training", sp.training, 0.05, 0, 1, "1", "Share for skills training and labour brands (baseline allocation; assumption).");
  v.real("spending.relocation", sp.relocation, 0.09, 0, 1, "1", "Share for relocation follow-up: site workshops and services (baseline allocation; assumption).");
  v.real("spending.assistance", sp.assistance, 0.08, 0, 1, "1", "Share for direct assistance to monitored households (baseline allocation; assumption).");
  v.real("spending.administration", sp.administration, 0.01, 0, 1, "1",
         "Share for administering the programme (project management; assumption, kept small by the fund rules).");
  v.real("spending.training_cost", sp.training_cost, 3000, 1, 1e6, "yuan/person", "Cost of training one worker (assumption).");
  v.real("spending.training_effect", sp.training_effect, 1, 0, 3, "skill levels", "Skill levels a training adds (assumption).");

  auto& la = p.land;
  v.real("land.quota_mu", la.quota_mu, 600, 0, 100000, "mu/year",
         "Construction-land plan quota per county per year (policy: 600 mu through the transition period, policy in the speech).");
  v.real("land.use_rate", la.use_rate, 0.8, 0, 1, "1", "Share of the quota the county turns into serviced industrial-park land (assumption).");
  v.real("land.jobs_per_mu", la.jobs_per_mu, 4, 0, 1000, "jobs/mu", "Local jobs per mu of park land occupied by firms (assumption).");
  v.real("land.revenue_per_mu", la.revenue_per_mu, 20000, 0, 1e7, "yuan/mu/year", "County revenue per mu of occupied park land (assumption).");
  v.integer("land.lag_months", la.lag_months, 18, 0, 120, "months", "Months from quota use to serviced park land (assumption).");
  v.real("land.compensation_per_mu", la.compensation_per_mu, 45000, 0, 1e7, "yuan/mu",
         "Compensation paid to the households whose farmland is taken (assumption within the provinces' comprehensive land-price zones for farmland).");
  v.real("land.servicing_per_mu", la.servicing_per_mu, 80000, 0, 1e7, "yuan/mu",
         "Cost of servicing park land: roads, water, power, levelling (assumption).");
  v.real("land.fill_rate", la.fill_rate, 0.35, 0, 1, "1/year",
         "Share of vacant serviced park land firms take up in a year where access and labour are good (assumption: parks fill over a few years).");
  v.real("land.fill_no_expressway", la.fill_no_expressway, 0.5, 0, 1, "1",
         "Fill rate of a county without an expressway relative to one with (investors come less where trucks do not reach; assumption).");
  v.real("land.fill_no_railway", la.fill_no_railway, 0.8, 0, 1, "1", "Fill rate of a county without a railway relative to one with (assumption).");
  v.real("land.fill_prefecture_weight", la.fill_prefecture_weight, 0.3, 0, 1, "1",
         "How much the prefecture matters: the fill rate falls by this share times the prefecture's share of counties without an expressway (assumption).");

  v.reals("economy.sam", p.economy.sam,
          {0.1128, 0.1232, 0.0032, 0.016, 0.10,  0.066, 0.126, 0.186, 0.06, 0.06, 0.0009, 0.0045, 0.018, 0.018, 0.04,
           0.0312, 0.0726, 0.075, 0.12, 0.20,   0.53,  0.10,  0.12,  0.30, 0.0},
          0, 1, 25, "yuan/yuan",
          "Social accounting matrix of a western key county, row-major over agriculture, industry, construction, services, households: yuan of local purchases from each row account per yuan spent by each column account (NBS 2007 input-output table times regional purchase coefficients; households' value-added share by sector from the same table; households' local purchase shares an assumption; scenarios/data/research/sam_west.csv).");

  auto& mo = p.monitoring;
  for (int i = 0; i < kProvinces; ++i) {
    const std::string path = std::string("monitoring.threshold.") + kProvinceKeys[static_cast<std::size_t>(i)];
    v.reals(path.c_str(), mo.threshold[static_cast<std::size_t>(i)], i == 5 ? kThresholdYunnan : kThreshold, 0, 1e6, kYears,
            "yuan/person/year",
            "Monitoring threshold by year 2021-2025 set by the province (6,000 yuan in 2021, about 1.5 x the poverty line, guidance of the Central Rural Work Leading Group Office and NRRA; Yunnan 8,700 in 2025, Yunnan provincial notice; the yearly rise in between is an assumption).");
  }
  v.real("monitoring.poverty_line_2020", mo.poverty_line_2020, 4000, 0, 1e6, "yuan/person/year",
         "Poverty line in 2020 prices (national line of 2,300 yuan at 2010 prices, about 4,000 in 2020, NBS).");
  v.real("monitoring.poverty_line_growth", mo.poverty_line_growth, 0.02, -0.5, 0.5, "1/year", "Yearly price adjustment of the poverty line (assumption).");
  v.real("monitoring.self_declaration", mo.self_declaration, 0.04, 0, 1, "1/month", "Monthly chance an at-risk household declares itself (assumption).");
  v.real("monitoring.visits", mo.visits, 0.08, 0, 1, "1/month", "Monthly chance a cadre visit identifies an at-risk household (assumption).");
  v.real("monitoring.screening", mo.screening, 0.15, 0, 1, "1/month",
         "Monthly chance data screening (medical, civil affairs) flags a household with a large expense (assumption).");
  v.integer("monitoring.delay_months", mo.delay_months, 1, 0, 24, "months", "Months between falling at risk and earliest identification (assumption).");
  v.integer("monitoring.exit_months", mo.exit_months, 6, 1, 60, "months",
            "Months income must stay above the threshold before a household leaves monitoring (rule: income stably above the line; length an assumption).");
  v.real("monitoring.exit_margin", mo.exit_margin, 1.0, 0.5, 3, "1", "Income must exceed threshold times this margin to count towards exit (assumption).");
  v.boolean("monitoring.deduct_medical", mo.deduct_medical, true,
            "Out-of-pocket medical costs are deducted from income when testing for return to poverty and risk (rigid-expenditure deduction used in local monitoring rules; assumption).");
  v.choice("monitoring.poverty_income", mo.poverty_income, "disposable", {"disposable", "excluding_transfers"},
           "Income tested against the poverty line and the threshold: disposable income with transfers (NBS definition of per-capita disposable income), or without dibao, the monitoring package and other transfers (a stricter reading; setting).");
  v.real("monitoring.sudden_expense_share", mo.sudden_expense_share, 0.5, 0, 10, "1",
         "Out-of-pocket costs above this share of annual income mark a household in sudden severe difficulty (assumption).");
  v.real("monitoring.package_monthly", mo.package_monthly, 250, 0, 1e5, "yuan/household/month",
         "Cash and in-kind support to a monitored household (assumption).");
  v.real("monitoring.package_investment", mo.package_investment, 5000, 0, 1e6, "yuan",
         "One-off industry support grant on entry into monitoring (assumption).");
  v.real("monitoring.medical_extra", mo.medical_extra, 0.10, 0, 1, "1", "Extra reimbursement for monitored households (medical assistance; assumption).");

  auto& as = p.assistance;
  v.integer("assistance.direct_end_year", as.direct_end_year, 2025, 2020, 2100, "year",
            "Last year direct assistance (monitoring package, extra reimbursement, posts funded from linkage funds) is paid (policy: to the end of the transition period, 2025, speech).");
  for (int i = 0; i < kProvinces; ++i) {
    const std::string path = std::string("assistance.dibao_standard.") + kProvinceKeys[static_cast<std::size_t>(i)];
    v.reals(path.c_str(), as.dibao_standard[static_cast<std::size_t>(i)], i == 2 ? kDibaoChongqing : kDibao, 0, 1e6, kYears,
            "yuan/person/year",
            "Provincial rural dibao standard by year 2021-2025 (national average at year end, Ministry of Civil Affairs statistics, where no provincial figure was found; Chongqing 515 yuan a month from September 2021, Chongqing Civil Affairs; 2025 projected; docs/data.md).");
  }
  v.real("assistance.dibao_key_county_factor", as.dibao_key_county_factor, 0.85, 0.1, 2, "1",
         "The key counties' dibao standard relative to their province's (below the provincial average in all 160, speech; size an assumption).");
  v.real("assistance.dibao_inclusion_error", as.dibao_inclusion_error, 0.05, 0, 1, "1",
         "Chance an ineligible household near the standard is enrolled (imperfect targeting; assumption).");
  v.real("assistance.dibao_exclusion_error", as.dibao_exclusion_error, 0.30, 0, 1, "1",
         "Chance an eligible household is missed (imperfect targeting; assumption).");
  v.real("assistance.dibao_inclusion_band", as.dibao_inclusion_band, 1.2, 1, 3, "1",
         "Ineligible households with income under this multiple of the standard can be enrolled by error (assumption).");
  v.real("assistance.dibao_monitored_miss_factor", as.dibao_monitored_miss_factor, 0.5, 0, 1, "1",
         "Exclusion error for monitored households relative to others: the monitoring package checks dibao (assumption).");
  v.integer("assistance.dibao_review_years", as.dibao_review_years, 1, 1, 10, "years",
            "Years between reassessments of an enrolled household (rural dibao reviewed yearly, Ministry of Civil Affairs rules; assumption where counties differ).");
  v.real("assistance.dibao_exit_margin", as.dibao_exit_margin, 1.0, 0.5, 3, "1",
         "At a review, an enrolled household whose income exceeds the standard times this margin leaves (assumption).");
  v.real("assistance.pension_monthly", as.pension_monthly, 180, 0, 1e5, "yuan/person/month",
         "Basic pension for rural residents over 60, with local top-ups (assumption above the national minimum).");
  v.real("assistance.subsidy_per_capita_monthly", as.subsidy_per_capita_monthly, 90, 0, 1e5, "yuan/person/month",
         "Other transfers (farmland, ecological compensation, education subsidies) per person (assumption).");

  auto& hi = p.history;
  v.series("history.migrant_wage", hi.migrant_wage, 0, 1e6, kYears, "yuan/month",
           "Setting: average monthly income of migrant workers by year 2021-2025 as it happened (NBS Migrant Worker Monitoring Survey; the historical scenario gives it); its path relative to 2021 replaces labour.wage_growth for migrant wages, and labour.migrant_wage stays the 2021 level. None: the trend.");
  v.series("history.local_wage_index", hi.local_wage_index, 0, 100, kYears, "1",
           "Setting: index of local wages by year, 2021 = 1 (the historical scenario: income of local migrant workers, NBS); replaces labour.wage_growth for local and workshop wages. None: the trend.");
  v.series("history.rural_cpi", hi.rural_cpi, -50, 100, kYears, "percent",
           "Setting: rural consumer price change over the year before, by year (NBS); indexes the poverty line instead of monitoring.poverty_line_growth. None: the trend.");
  v.series("history.crop_price_index", hi.crop_price_index, 0, 100, kYears, "1",
           "Setting: producer price index of crops by year, 2021 = 1 (NBS); with farming.yield_growth replaces farming.income_growth. None: the trend.");
  v.series("history.livestock_price_index", hi.livestock_price_index, 0, 100, kYears, "1",
           "Setting: producer price index of livestock by year, 2021 = 1 (NBS, MARA hog prices); multiplies the return on livestock assets. None: constant prices.");
  v.integer("history.projected_from", hi.projected_from, 2025, 2021, 2100, "year",
            "Setting: first year of the history series that is a projection rather than an observation (recorded with the run; docs/validation.md).");

  auto& de = p.demography;
  for (int i = 0; i < kProvinces; ++i) {
    const auto u = static_cast<std::size_t>(i);
    const std::string birth = std::string("demography.birth_rate.") + kProvinceKeys[u];
    v.real(birth.c_str(), de.birth_rate[u], kBirthRate[u], 0, 0.1, "1/person/year",
           "Crude birth rate of the province, 2021 (China Statistical Yearbook 2022, NBS).");
    const std::string death = std::string("demography.death_rate.") + kProvinceKeys[u];
    v.real(death.c_str(), de.death_rate[u], kDeathRate[u], 0, 0.1, "1/person/year",
           "Crude death rate of the province, 2022 (provincial statistical bulletins, NBS).");
  }
  v.real("demography.elderly_share_of_deaths", de.elderly_share_of_deaths, 0.8, 0, 1, "1",
         "Share of deaths that are of elderly members (assumption; most deaths are of people over 60, NBS population census).");
  v.real("demography.child_to_labour", de.child_to_labour, 1.0 / 15.0, 0, 1, "1/year",
         "Yearly chance a child enters the labour force (about 15 years of childhood; assumption).");
  v.real("demography.labour_to_elderly", de.labour_to_elderly, 0.025, 0, 1, "1/year",
         "Yearly chance a worker becomes a dependent elderly member (about 40 working years; assumption).");
}

namespace {

class Declarer final : public ParamVisitor {
 public:
  explicit Declarer(sim::scenario::Schema& s) : s_(s) {}
  void real(const char* path, double&, double def, double min, double max, const char* unit, const char* doc) override {
    s_.real(path, def, min, max, unit, doc);
  }
  void integer(const char* path, std::int64_t&, std::int64_t def, double min, double max, const char* unit,
               const char* doc) override {
    s_.integer(path, def, min, max, unit, doc);
  }
  void boolean(const char* path, bool&, bool def, const char* doc) override { s_.boolean(path, def, doc); }
  void choice(const char* path, std::string&, const char* def, std::vector<std::string> choices, const char* doc) override {
    s_.choice(path, def, std::move(choices), doc);
  }
  void reals(const char* path, std::vector<double>&, std::vector<double> def, double min, double max, std::size_t length,
             const char* unit, const char* doc) override {
    s_.reals(path, std::move(def), min, max, length, length, unit, doc);
  }
  void file(const char* path, std::string&, const char* def, const char* doc) override { s_.file(path, def, doc); }
  void series(const char* path, std::vector<double>&, double min, double max, std::size_t length, const char* unit,
              const char* doc) override {
    s_.reals(path, {}, min, max, 0, length, unit, doc);
  }

 private:
  sim::scenario::Schema& s_;
};

class Reader final : public ParamVisitor {
 public:
  explicit Reader(const sim::scenario::Scenario& sc) : sc_(sc) {}
  void real(const char* path, double& f, double, double, double, const char*, const char*) override { f = sc_.real(path); }
  void integer(const char* path, std::int64_t& f, std::int64_t, double, double, const char*, const char*) override {
    f = sc_.integer(path);
  }
  void boolean(const char* path, bool& f, bool, const char*) override { f = sc_.boolean(path); }
  void choice(const char* path, std::string& f, const char*, std::vector<std::string>, const char*) override {
    f = sc_.string(path);
  }
  void reals(const char* path, std::vector<double>& f, std::vector<double>, double, double, std::size_t, const char*,
             const char*) override {
    f = sc_.reals(path);
  }
  void file(const char* path, std::string& f, const char*, const char*) override { f = sc_.string(path); }
  void series(const char* path, std::vector<double>& f, double, double, std::size_t length, const char*,
              const char*) override {
    f = sc_.reals(path);
    if (!f.empty() && f.size() != length) {
      const auto& o = sc_.origin_of(path);
      throw sim::Error(sim::Status::invalid_input,
                       o.file + ":" + std::to_string(o.line) + ":" + std::to_string(o.column) + ": " + path + ": give " +
                           std::to_string(length) + " values (one a year, 2021-2025) or none, got " +
                           std::to_string(f.size()));
    }
  }

 private:
  const sim::scenario::Scenario& sc_;
};

}  // namespace

namespace {
// Each key's value as text, in visiting order.
class Collector final : public ParamVisitor {
 public:
  std::vector<std::pair<std::string, std::string>> values;
  void real(const char* path, double& f, double, double, double, const char*, const char*) override { add(path, f); }
  void integer(const char* path, std::int64_t& f, std::int64_t, double, double, const char*, const char*) override {
    add(path, static_cast<double>(f));
  }
  void boolean(const char* path, bool& f, bool, const char*) override { values.emplace_back(path, f ? "true" : "false"); }
  void choice(const char* path, std::string& f, const char*, std::vector<std::string>, const char*) override {
    values.emplace_back(path, f);
  }
  void reals(const char* path, std::vector<double>& f, std::vector<double>, double, double, std::size_t, const char*,
             const char*) override {
    list(path, f);
  }
  void file(const char* path, std::string& f, const char*, const char*) override { values.emplace_back(path, f); }
  void series(const char* path, std::vector<double>& f, double, double, std::size_t, const char*, const char*) override {
    list(path, f);
  }

 private:
  void add(const char* path, double x) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", x);
    values.emplace_back(path, buf);
  }
  void list(const char* path, const std::vector<double>& f) {
    std::string s;
    for (double x : f) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g,", x);
      s += buf;
    }
    values.emplace_back(path, s);
  }
};
}  // namespace

Params calibration_params(const Params& scenario) {
  sim::scenario::Schema schema;
  declare_schema(schema);
  Params p = read_params(sim::scenario::Scenario(schema));
  p.population = scenario.population;
  return p;
}

namespace {
// Keys read only from January 2021 on (the yearly plans, the history
// series, scenario shocks): they cannot shape 2020.
bool read_from_2021(const std::string& path) {
  static constexpr const char* kFrom2021[] = {"population.", "history.", "funds.", "spending.", "land.",
                                              "shocks.migrant_demand", "shocks.disaster_year",
                                              "assistance.direct_end_year", "monitoring.self_declaration",
                                              "monitoring.visits", "monitoring.screening", "monitoring.delay_months",
                                              "monitoring.exit_", "monitoring.sudden_expense_share",
                                              "monitoring.package_", "monitoring.medical_extra"};
  return std::any_of(std::begin(kFrom2021), std::end(kFrom2021),
                     [&](const char* prefix) { return path.rfind(prefix, 0) == 0; });
}

std::vector<std::pair<std::string, std::string>> collect(const Params& p) {
  Params copy = p;
  Collector c;
  visit_params(copy, c);
  return std::move(c.values);
}

std::vector<double> numbers(const std::string& text) {
  std::vector<double> out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find(',', at);
    if (end == std::string::npos) end = text.size();
    if (end > at) out.push_back(std::strtod(text.substr(at, end - at).c_str(), nullptr));
    at = end + 1;
  }
  return out;
}
}  // namespace

std::vector<std::string> keys_shaping_2020_that_differ(const Params& a, const Params& b) {
  const auto ca = collect(a), cb = collect(b);
  std::vector<std::string> out;
  for (std::size_t k = 0; k < ca.size(); ++k)
    if (!read_from_2021(ca[k].first) && ca[k].second != cb[k].second) out.push_back(ca[k].first);
  return out;
}

std::vector<std::string> keys_changing_the_past(const Params& past, const Params& branch, int last_year) {
  const auto ca = collect(past), cb = collect(branch);
  std::vector<std::string> out;
  const std::string through = std::to_string(last_year);
  for (std::size_t k = 0; k < ca.size(); ++k) {
    const std::string& path = ca[k].first;
    if (ca[k].second == cb[k].second) continue;
    if (path.rfind("population.", 0) == 0) {
      out.push_back(path + ": shapes the population built at set-up");
    } else if (!read_from_2021(path)) {
      out.push_back(path + ": shapes 2020, to which the population was calibrated at set-up");
    } else if (path.size() > 9 && path.compare(path.size() - 9, 9, "_end_year") == 0) {
      // In force through its end year: the past is the same if both end
      // years reach the checkpoint's last year.
      const double x = std::strtod(ca[k].second.c_str(), nullptr), y = std::strtod(cb[k].second.c_str(), nullptr);
      if (std::min(x, y) < last_year)
        out.push_back(path + ": " + std::to_string(static_cast<int>(std::min(x, y))) + " ends it before the end of " +
                      through + ", the checkpoint's last year");
    } else if (path.size() > 5 && path.compare(path.size() - 5, 5, "_year") == 0) {
      // The year of an event (0: none): it must not move into or out of the past.
      const double x = std::strtod(ca[k].second.c_str(), nullptr), y = std::strtod(cb[k].second.c_str(), nullptr);
      const bool past_x = x > 0 && x <= last_year, past_y = y > 0 && y <= last_year;
      if (past_x || past_y)
        out.push_back(path + ": " + std::to_string(static_cast<int>(past_x ? x : y)) + " is not after " + through +
                      ", the checkpoint's last year");
    } else if (ca[k].second.find(',') != std::string::npos || cb[k].second.find(',') != std::string::npos) {
      // Per-year lists: the years up to the checkpoint's must agree.
      const std::vector<double> x = numbers(ca[k].second), y = numbers(cb[k].second);
      if (x.size() != static_cast<std::size_t>(kYears) || y.size() != static_cast<std::size_t>(kYears)) {
        out.push_back(path + ": its values for " + std::to_string(kFirstYear) + "-" + through + " would change");
        continue;
      }
      for (int year = kFirstYear; year <= std::min(last_year, kFirstYear + kYears - 1); ++year)
        if (x[static_cast<std::size_t>(year - kFirstYear)] != y[static_cast<std::size_t>(year - kFirstYear)]) {
          out.push_back(path + ": its value for " + std::to_string(year) + " is in the checkpoint's past");
          break;
        }
    }
    // Any other key applies from the branch on: what a branch is for.
  }
  return out;
}

void declare_schema(sim::scenario::Schema& schema) {
  Params scratch{};
  Declarer d(schema);
  visit_params(scratch, d);
  // `validate` reads the county table as the set-up does.
  schema.check_file("population.county_file",
                    [](const std::string& file) { (void)read_counties(file, transition_embedded_files()); });
}

Params read_params(const sim::scenario::Scenario& scenario) {
  Params p{};
  Reader r(scenario);
  visit_params(p, r);
  return p;
}

}  // namespace transition
