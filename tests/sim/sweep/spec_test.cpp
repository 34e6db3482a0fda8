// Sweep files as a person writes them: accepted forms, the exact place and
// wording of mistakes, the points each design produces, and the plan's hash.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "sim/toy/toy_model.hpp"
#include "sim/core/math.hpp"
#include "sim/run/simulation.hpp"
#include "sim/sweep/plan.hpp"

namespace sim::sweep {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const scenario::Schema& schema() {
  static const scenario::Schema s = full_schema(toy::description());
  return s;
}

SweepSpec spec_of(const std::string& text) {
  const auto& m = toy::description();
  return load_spec_text(text, "/sweeps/s.yaml", schema(), m.embedded, m.default_scenario);
}

Plan plan_of(const std::string& text) { return Plan(toy::description(), schema(), spec_of(text)); }

std::string error_of(const std::string& text) {
  try {
    plan_of(text);
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), Status::invalid_input) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return {};
}

constexpr const char* kGrid = R"(base: toy
set: {toy.walkers: 5, run.months: 12}
parameters:
  - key: toy.volatility
    values: [0, 300, 600]
  - key: toy.drift
    values: [40, 50]
design: {type: grid}
replicates: 2
outputs: [income_per_capita]
)";

TEST(SweepSpec, GridFileIsReadWithItsValues) {
  const SweepSpec s = spec_of(kGrid);
  EXPECT_EQ(s.base, "builtin:scenarios/toy.yaml");
  ASSERT_EQ(s.fixed.size(), 2u);
  EXPECT_EQ(s.fixed[0].key, "toy.walkers");
  EXPECT_EQ(s.fixed[1].key, "run.months");
  ASSERT_EQ(s.parameters.size(), 2u);
  EXPECT_EQ(s.parameters[0].key, "toy.volatility");
  EXPECT_EQ(s.parameters[0].values.size(), 3u);
  EXPECT_EQ(s.parameters[0].value_at[1].text(), "/sweeps/s.yaml:5:17");
  EXPECT_EQ(s.replicates, 2u);
  EXPECT_EQ(s.design.type, DesignType::grid);
  EXPECT_EQ(s.outputs, std::vector<std::string>{"income_per_capita"});
}

TEST(SweepSpec, GridPointsAndTasksArePointMajor) {
  const Plan p = plan_of(kGrid);
  ASSERT_EQ(p.points(), 6u);
  EXPECT_EQ(p.tasks(), 12u);
  // The first parameter varies slowest.
  EXPECT_EQ(std::get<double>(p.design().value(0, 0)), 0.0);
  EXPECT_EQ(std::get<double>(p.design().value(1, 1)), 50.0);
  EXPECT_EQ(std::get<double>(p.design().value(2, 0)), 300.0);
  const Task t = p.task(5);
  EXPECT_EQ(t.point, 2u);
  EXPECT_EQ(t.replicate, 1u);
  EXPECT_EQ(t.seed, 42u);  // seed rule same: the base seed everywhere
  const scenario::Scenario sc = p.scenario_for(2);
  EXPECT_DOUBLE_EQ(sc.real("toy.volatility"), 300.0);
  EXPECT_DOUBLE_EQ(sc.real("toy.drift"), 40.0);
  EXPECT_EQ(sc.integer("toy.walkers"), 5);
  EXPECT_EQ(p.months_of(2), 12);
}

TEST(SweepSpec, HashFollowsWhatDeterminesTheTasksOnly) {
  const Plan a = plan_of(kGrid);
  EXPECT_THAT(a.hash(), StartsWith("sha256:"));
  EXPECT_EQ(a.hash(), plan_of(kGrid).hash());
  // Comments, layout and outputs do not change the tasks.
  std::string same = "# a comment\n" + std::string(kGrid);
  same.replace(same.find("[income_per_capita]"), 19, "[gini]");
  EXPECT_EQ(plan_of(same).hash(), a.hash());
  std::string other = kGrid;
  other.replace(other.find("300"), 3, "301");
  EXPECT_NE(plan_of(other).hash(), a.hash());
  std::string reps = kGrid;
  reps.replace(reps.find("replicates: 2"), 13, "replicates: 3");
  EXPECT_NE(plan_of(reps).hash(), a.hash());
  std::string fixed = kGrid;
  fixed.replace(fixed.find("toy.walkers: 5"), 14, "toy.walkers: 6");
  EXPECT_NE(plan_of(fixed).hash(), a.hash());
}

TEST(SweepSpec, PerPointSeedsDifferAndAreStable) {
  std::string text = kGrid;
  text += "seed_rule: per_point\n";
  const Plan p = plan_of(text);
  std::set<std::uint64_t> seeds;
  for (std::uint64_t k = 0; k < p.points(); ++k) seeds.insert(p.seed_of(k));
  EXPECT_EQ(seeds.size(), p.points());
  EXPECT_EQ(p.task(0).seed, p.task(1).seed);  // replicates of a point share its seed
  EXPECT_EQ(p.scenario_for(3).integer("run.seed"), static_cast<std::int64_t>(p.seed_of(3)));
  EXPECT_EQ(plan_of(text).seed_of(4), p.seed_of(4));
}

TEST(SweepErrors, UnknownKeysGetSuggestionsAndPositions) {
  EXPECT_EQ(error_of("parameters:\n  - key: toy.volatilty\n    values: [1]\n"),
            "/sweeps/s.yaml:2:10: parameters[1]: key: toy.volatilty: unknown key; did you mean 'toy.volatility'?");
  EXPECT_EQ(error_of("parameters:\n  - key: toy.volatility\n    valeus: [1]\n"),
            "/sweeps/s.yaml:3:5: parameters[1]: valeus: unknown key; did you mean 'values'?");
  EXPECT_EQ(error_of("desgin: {type: grid}\nparameters: [{key: toy.volatility, values: [1]}]\n"),
            "/sweeps/s.yaml:1:1: desgin: unknown key; did you mean 'design'?");
  EXPECT_EQ(error_of("set: {toy.volatil: 5}\nparameters: [{key: toy.volatility, values: [1]}]\n"),
            "/sweeps/s.yaml:1:7: set: toy.volatil: unknown key; did you mean 'toy.volatility'?");
  EXPECT_THAT(error_of("design: {type: gird}\nparameters: [{key: toy.volatility, values: [1]}]\n"),
              HasSubstr("/sweeps/s.yaml:1:16: design.type:"));
}

TEST(SweepErrors, DuplicatesAreRefused) {
  EXPECT_EQ(error_of("replicates: 2\nreplicates: 3\nparameters: [{key: toy.volatility, values: [1]}]\n"),
            "/sweeps/s.yaml:2:1: replicates: duplicate key (first set at line 1)");
  EXPECT_THAT(error_of("design:\n  type: grid\ndesign.type: lhs\nparameters: [{key: toy.volatility, values: [1]}]\n"),
              HasSubstr("/sweeps/s.yaml:3:1: design.type: duplicate key"));
  EXPECT_THAT(error_of("parameters:\n  - {key: toy.volatility, values: [1]}\n  - {key: toy.volatility, values: [2]}\n"),
              HasSubstr("/sweeps/s.yaml:3:5: parameters[2]: key toy.volatility is varied twice (first at /sweeps/s.yaml:2:5)"));
  EXPECT_THAT(error_of("set: {toy.volatility: 5}\nparameters:\n  - {key: toy.volatility, values: [1]}\n"),
              HasSubstr("is also fixed under set:"));
}

TEST(SweepErrors, ValuesAndRangesAreCheckedAgainstTheKey) {
  EXPECT_EQ(error_of("parameters:\n  - key: toy.volatility\n    values: [0, -5]\n"),
            "/sweeps/s.yaml:3:17: parameters[1] (toy.volatility): values: element 2: -5 is below the minimum 0 (coins/month)");
  EXPECT_EQ(error_of("parameters:\n  - key: toy.volatility\n    values: [0, lots]\n"),
            "/sweeps/s.yaml:3:17: parameters[1] (toy.volatility): values: element 2: expected a real number, found 'lots'");
  EXPECT_THAT(error_of("parameters:\n  - {key: toy.tax_rate, min: 0.1, max: 1.5}\ndesign: {type: lhs, samples: 4}\n"),
              HasSubstr("max: 1.5 is above the maximum 1 1/year of toy.tax_rate"));
  EXPECT_THAT(error_of("parameters:\n  - {key: toy.tax_rate, min: 0.5, max: 0.1}\ndesign: {type: lhs, samples: 4}\n"),
              HasSubstr("max: 0.1 is not above min 0.5"));
  EXPECT_THAT(error_of("parameters:\n  - {key: toy.taxed, min: 0, max: 1}\ndesign: {type: lhs, samples: 4}\n"),
              HasSubstr("needs an integer or real key; toy.taxed is boolean"));
  EXPECT_THAT(error_of("parameters:\n  - {key: toy.volatility, values: [1], min: 0}\n"), HasSubstr("not both"));
  // A normal distribution can reach values outside the key's range: found when the plan builds each point.
  EXPECT_THAT(error_of("parameters:\n  - {key: toy.tax_rate, distribution: normal, mean: 0.5, sd: 5}\n"
                       "design: {type: lhs, samples: 50}\n"),
              HasSubstr("toy.tax_rate: "));
}

TEST(SweepErrors, DesignsRefuseSettingsTheyDoNotUse) {
  EXPECT_EQ(error_of("parameters: [{key: toy.volatility, values: [1, 2]}]\ndesign: {type: grid, samples: 8}\n"),
            "/sweeps/s.yaml:2:22: design.samples: not used by a grid design (a grid has one point per combination of values)");
  EXPECT_THAT(error_of("parameters: [{key: toy.volatility, min: 0, max: 9}]\ndesign: {type: sobol}\n"),
              HasSubstr("design.samples: missing"));
  EXPECT_THAT(error_of("parameters: [{key: toy.volatility, min: 0, max: 9}]\ndesign: {type: morris, levels: 5}\n"),
              HasSubstr("even number of levels"));
  EXPECT_THAT(error_of("parameters:\n  - {key: toy.volatility, values: [1, 2]}\n  - {key: toy.drift, values: [1]}\n"
                       "design: {type: list}\n"),
              HasSubstr("same number of values"));
  EXPECT_THAT(error_of("design: {type: grid}\n"), HasSubstr("parameters: missing"));
  EXPECT_THAT(error_of("parameters:\n  - {key: run.seed, values: [1, 2]}\nseed_rule: per_point\n"), HasSubstr("seed_rule per_point"));
}

TEST(SweepDesign, LatinHypercubeHasOnePointPerStratumAndFollowsTheSeed) {
  const std::string text = "parameters:\n  - {key: toy.tax_rate, min: 0, max: 1}\n"
                           "  - {key: toy.volatility, min: 100, max: 1000, distribution: loguniform}\n"
                           "design: {type: lhs, samples: 20, seed: 3}\n";
  const Plan p = plan_of(text);
  ASSERT_EQ(p.points(), 20u);
  for (std::size_t j = 0; j < 2; ++j) {
    std::set<int> strata;
    for (std::size_t i = 0; i < 20; ++i) strata.insert(static_cast<int>(std::floor(p.design().u(i, j) * 20)));
    EXPECT_EQ(strata.size(), 20u) << "dimension " << j;
  }
  for (std::size_t i = 0; i < 20; ++i) {
    const double q = std::get<double>(p.design().value(i, 1));
    EXPECT_NEAR(q, 100 * std::pow(10.0, p.design().u(i, 1)), 1e-9 * q);
  }
  const Plan again = plan_of(text);
  EXPECT_EQ(again.design().unit, p.design().unit);
  std::string other = text;
  other.replace(other.find("seed: 3"), 7, "seed: 4");
  EXPECT_NE(plan_of(other).design().unit, p.design().unit);
}

TEST(SweepDesign, SaltelliBlocksShareColumnsAsTheEstimatorsNeed) {
  const Plan p = plan_of("parameters:\n  - {key: toy.tax_rate, min: 0, max: 1}\n"
                         "  - {key: toy.volatility, min: 0, max: 1000}\n  - {key: toy.move_chance, min: 0, max: 1}\n"
                         "design: {type: sobol, samples: 8, seed: 2}\n");
  const DesignPoints& d = p.design();
  ASSERT_EQ(d.points, 8u * 5u);
  const auto row = [&](const std::string& block, std::int64_t factor, std::int64_t sample) {
    for (std::size_t i = 0; i < d.points; ++i)
      if (d.block[i] == block && d.factor[i] == factor && d.sample[i] == sample) return i;
    ADD_FAILURE() << block << factor << " " << sample;
    return std::size_t{0};
  };
  for (std::int64_t j = 0; j < 8; ++j) {
    const std::size_t a = row("A", -1, j), b = row("B", -1, j);
    for (std::int64_t f = 0; f < 3; ++f) {
      const std::size_t ab = row("AB", f, j);
      for (std::size_t k = 0; k < 3; ++k)
        EXPECT_EQ(d.u(ab, k), static_cast<std::int64_t>(k) == f ? d.u(b, k) : d.u(a, k));
    }
    for (std::size_t k = 0; k < 3; ++k) {
      EXPECT_GT(d.u(a, k), 0.0);
      EXPECT_LT(d.u(a, k), 1.0);
    }
  }
}

TEST(SweepDesign, MorrisTrajectoriesChangeOneFactorByDeltaPerStep) {
  const Plan p = plan_of("parameters:\n  - {key: toy.tax_rate, min: 0, max: 1}\n"
                         "  - {key: toy.volatility, values: [0, 300, 600, 900]}\n  - {key: toy.move_chance, min: 0, max: 1}\n"
                         "design: {type: morris, trajectories: 6, levels: 4}\n");
  const DesignPoints& d = p.design();
  ASSERT_EQ(d.points, 6u * 4u);
  const double delta = 4.0 / 6.0;
  for (std::size_t r = 0; r < 6; ++r) {
    std::set<std::int64_t> changed;
    for (std::size_t k = 1; k <= 3; ++k) {
      const std::size_t i = r * 4 + k;
      ASSERT_EQ(d.step[i], static_cast<std::int64_t>(k));
      const auto f = static_cast<std::size_t>(d.factor[i]);
      changed.insert(d.factor[i]);
      EXPECT_NEAR(std::abs(d.delta[i]), delta, 1e-12);
      for (std::size_t j = 0; j < 3; ++j) {
        const double diff = d.u(i, j) - d.u(i - 1, j);
        EXPECT_NEAR(diff, j == f ? d.delta[i] : 0.0, 1e-12);
        EXPECT_GE(d.u(i, j), 0.0);
        EXPECT_LE(d.u(i, j), 1.0);
      }
    }
    EXPECT_EQ(changed.size(), 3u);
  }
}

TEST(SweepDesign, IntegerAndListParametersMapTheUnitInterval) {
  Parameter p;
  p.type = scenario::Type::integer;
  p.ranged = true;
  p.min = 1;
  p.max = 4;
  EXPECT_EQ(std::get<std::int64_t>(p.at_unit(0.0)), 1);
  EXPECT_EQ(std::get<std::int64_t>(p.at_unit(0.26)), 2);
  EXPECT_EQ(std::get<std::int64_t>(p.at_unit(1.0)), 4);
  Parameter q;
  q.type = scenario::Type::choice;
  q.values = {std::string("a"), std::string("b")};
  EXPECT_EQ(std::get<std::string>(q.at_unit(0.49)), "a");
  EXPECT_EQ(std::get<std::string>(q.at_unit(1.0)), "b");
  Parameter n;
  n.ranged = true;
  n.distribution = Distribution::normal;
  n.mean = 10;
  n.sd = 2;
  EXPECT_NEAR(std::get<double>(n.at_unit(0.5)), 10.0, 1e-9);
  EXPECT_NEAR(std::get<double>(n.at_unit(sim::math::normal_cdf(1.0))), 12.0, 1e-6);
  n.min = 9;
  n.max = 11;
  EXPECT_DOUBLE_EQ(std::get<double>(n.at_unit(0.0)), 9.0);
  EXPECT_DOUBLE_EQ(std::get<double>(n.at_unit(1.0)), 11.0);
}

}  // namespace
}  // namespace sim::sweep
