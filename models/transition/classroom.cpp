// What the classroom server shows of the transition model: the policy
// levers a teacher moves, the charts, the map and a four-step lesson.
#include "models/transition/transition_model.hpp"

namespace transition {

sim::ClassroomDecl classroom_declaration() {
  sim::ClassroomDecl c;
  c.levers = {
      {"funds.key_county_share", -1, "Funding tilt",
       "Share of the national linkage funds that goes to the 160 counties (0.20 is their share of poverty-alleviated people)",
       0.10, 0.40, 0.01},
      {"funds.integration_end_year", -1, "Flexible funds until",
       "Last year the counties may pool agriculture funds in their own programme", 2021, 2025, 1},
      {"land.quota_mu", -1, "Land quota", "Construction land a county may turn into industrial parks each year (mu)", 0,
       1500, 50},
      {"spending.posts", -1, "Posts budget", "Share of the county programme paying public-welfare posts", 0, 0.30, 0.01},
      {"monitoring.visits", -1, "Monitoring strength",
       "Monthly chance that a cadre visit finds a household at risk", 0, 0.30, 0.01},
      {"assistance.direct_end_year", -1, "Direct assistance until",
       "Last year of the monitoring package, job priority and extra medical aid (2020: none at all)", 2020, 2025, 1},
      {"shocks.migrant_demand", 1, "Migrant demand in 2022",
       "Jobs for migrant workers in 2022 relative to normal (1.0); 0.6 is a collapse like 2020's", 0.4, 1.2, 0.005},
      {"shocks.disaster_year", -1, "Disaster year", "A year in which every hazard-prone county is hit (2020: none)",
       2020, 2025, 1},
  };
  c.charts = {
      {"Income per capita (yuan a year)", {"income_per_capita", "income_per_capita_pa"}},
      {"Returns to poverty and new poverty (households)", {"returns_to_poverty", "new_poverty"}},
      {"Monitored households", {"monitored_households"}},
      {"Employment (workers)", {"workers_migrant", "workers_local", "workers_workshop", "workers_post", "workers_ranger"}},
      {"Spending by use (yuan a month)",
       {"spend_industry", "spend_infrastructure", "spend_posts", "spend_dibao", "spend_land", "spend_packages"}},
      {"Inequality (Gini, December)", {"gini"}},
  };
  c.map_level = "county";
  c.map_labels = {"name", "name_zh", "province", "prefecture"};
  c.map_lat = "lat";
  c.map_lon = "lon";
  c.map_indicators = {"income_per_capita", "monitored_households", "workers_migrant", "park_jobs", "spend_total",
                      "returns_to_poverty"};
  c.lesson = {
      {"1. The policy as announced",
       "Press Setup, then Go. Watch incomes rise and the monitored households: who enters monitoring, and why do "
       "returns to poverty fall year by year? Pick a map indicator and find the counties that lag.",
       {}},
      {"2. Land quota",
       "Give scenario B no land quota (0 mu) and run both. Where do local jobs come from without industrial parks, and "
       "what does B save on land? Look at spending on land and the employment chart.",
       {{"land.quota_mu", 0}}},
      {"3. Monitoring",
       "Weaken monitoring in B (visits 0.01) and run both. How many more households return to poverty, and in which "
       "year does the gap open?",
       {{"monitoring.visits", 0.01}}},
      {"4. Withdrawal",
       "End direct assistance in 2020 in B. Compare returns to poverty and public-welfare posts with A: what did the "
       "assistance buy, and at what cost?",
       {{"assistance.direct_end_year", 2020}}},
  };
  c.scale_key = "population.scale";
  c.scale_explanation =
      "Share of the 10 million households simulated: 0.005 (50,000 households) runs a month in a few hundredths of a "
      "second; yearly counts are then noisy";
  c.default_scale = 0.005;
  c.max_scale = 0.05;
  return c;
}

}  // namespace transition
