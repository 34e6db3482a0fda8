// Homogeneous products: a product's price falls as its supply share rises
// above its share at the start of the period (farming.homogeneity_elasticity).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "models/transition/population.hpp"
#include "models/transition/rules.hpp"
#include "run_helper.hpp"

namespace {

using models_test::kScale;

// A freshly generated world of the scenario, without noise in prices.
std::unique_ptr<transition::World> make_world(double elasticity) {
  const auto& def = transition::description();
  const auto sc = models_test::load(
      "industry_first", {kScale, "farming.price_sd=0", "farming.homogeneity_elasticity=" + std::to_string(elasticity)});
  auto w = std::make_unique<transition::World>();
  w->params = transition::read_params(sc);
  w->id = sim::RunIdentity{static_cast<std::uint64_t>(sc.integer("run.seed")), 0};
  w->embedded = def.embedded;
  transition::generate_population(*w);
  return w;
}

TEST(Homogeneity, PriceFallsWithTheRiseOfAProductsSupplyShare) {
  for (const double elasticity : {1.2, 0.0}) {
    SCOPED_TRACE("elasticity " + std::to_string(elasticity));
    const auto world = make_world(elasticity);
    transition::World& w = *world;
    // January 2021: supply shares are the reference; without price noise
    // every product sells at 1 whatever the elasticity (no crowding yet).
    w.year = 2021;
    w.plan_national_year(sim::step_info(0, 60, 2021));
    const auto start = w.products.share;
    ASSERT_EQ(start.size(), static_cast<std::size_t>(transition::kProducts));
    for (std::size_t k = 0; k < start.size(); ++k)
      EXPECT_DOUBLE_EQ(w.products.price[k], 1.0) << "product " << k << ": no price change before supply shifts";

    // Villages growing the most common product build large collective
    // assets: its supply weight doubles, its share rises, the others' fall.
    const auto top = static_cast<std::uint8_t>(std::max_element(start.begin(), start.end()) - start.begin());
    for (std::size_t v = 0; v < w.villages.size(); ++v) {
      const double hh = static_cast<double>(w.households_of(v).size());
      if (w.villages.product[v] == top) w.villages.assets[v] += hh * 20000.0 + 1.0;
    }
    w.year = 2022;
    w.plan_national_year(sim::step_info(12, 60, 2021));
    ASSERT_GT(w.products.share[top], start[top] + 0.05) << "the test set-up should raise the product's share";
    for (std::size_t k = 0; k < start.size(); ++k) {
      // Expected: price = 1 - elasticity x (share now - share at the start),
      // within [0.3, 1.5]; lower for the crowded product, higher for others.
      const double expected = std::clamp(1.0 - elasticity * (w.products.share[k] - start[k]), 0.3, 1.5);
      EXPECT_NEAR(w.products.price[k], expected, 1e-12) << "product " << k;
      if (elasticity > 0 && k == top) {
        EXPECT_LT(w.products.price[k], 0.95) << "a crowded product must sell cheaper";
      } else if (elasticity > 0 && start[k] > 0) {
        EXPECT_GT(w.products.price[k], 1.0) << "product " << k << ": a product losing share must sell dearer";
      }
    }
  }
}

TEST(Homogeneity, NoCrowdingInTheFirstYearOfAScenario) {
  // In the whole model: in 2021 no supply has shifted yet, so the farm-gate
  // price index cannot depend on the elasticity (a regression test for prices
  // anchored to an incomplete 2020 share vector, which put every product but
  // the first at 1 - elasticity x its share, about 0.87 on average).
  const auto& with = models_test::run("industry_first", {kScale, "farming.price_sd=0"});
  const auto& without =
      models_test::run("industry_first", {kScale, "farming.price_sd=0", "farming.homogeneity_elasticity=0"});
  EXPECT_EQ(with.total("price_index", 2021), without.total("price_index", 2021));
  // Later the shift in supply shares stays small (industry money goes to
  // villages in proportion to households): the index moves by less than 5 %
  // (measured less than 0.02 %: crowding is nearly inert in the scenarios,
  // see the report; the mechanism itself is tested above).
  for (int year = 2022; year <= 2025; ++year) {
    models_test::record("price_index_ratio_" + std::to_string(year),
                        with.total("price_index", year) / without.total("price_index", year));
    EXPECT_NEAR(with.total("price_index", year) / without.total("price_index", year), 1.0, 0.05) << year;
  }
}

}  // namespace
