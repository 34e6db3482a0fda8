// Sweep files as a person writes them: accepted forms, the exact place and
// wording of mistakes, the points each design produces, and the plan's hash.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "models/transition/model.hpp"
#include "sim/core/math.hpp"
#include "sim/run/simulation.hpp"
#include "sim/sweep/plan.hpp"

namespace sim::sweep {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const scenario::Schema& schema() {
  static const scenario::Schema s = full_schema(transition::definition());
  return s;
}

SweepSpec spec_of(const std::string& text) {
  const auto& m = transition::definition();
  return load_spec_text(text, "/sweeps/s.yaml", schema(), m.embedded, m.default_scenario);
}

Plan plan_of(const std::string& text) { return Plan(transition::definition(), schema(), spec_of(text)); }

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

constexpr const char* kGrid = R"(base: baseline
set: {population.scale: 0.005, run.months: 12}
parameters:
  - key: land.quota_mu
    values: [0, 300, 600]
  - key: labour.migrant_wage
    values: [4000, 5000]
design: {type: grid}
replicates: 2
outputs: [income_per_capita]
)";

TEST(SweepSpec, GridFileIsReadWithItsValues) {
  const SweepSpec s = spec_of(kGrid);
  EXPECT_EQ(s.base, "builtin:scenarios/baseline.yaml");
  ASSERT_EQ(s.fixed.size(), 2u);
  EXPECT_EQ(s.fixed[0].key, "population.scale");
  EXPECT_EQ(s.fixed[1].key, "run.months");
  ASSERT_EQ(s.parameters.size(), 2u);
  EXPECT_EQ(s.parameters[0].key, "land.quota_mu");
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
  EXPECT_EQ(std::get<double>(p.design().value(1, 1)), 5000.0);
  EXPECT_EQ(std::get<double>(p.design().value(2, 0)), 300.0);
  const Task t = p.task(5);
  EXPECT_EQ(t.point, 2u);
  EXPECT_EQ(t.replicate, 1u);
  EXPECT_EQ(t.seed, 20210101u);  // seed rule same: the base seed everywhere
  const scenario::Scenario sc = p.scenario_for(2);
  EXPECT_DOUBLE_EQ(sc.real("land.quota_mu"), 300.0);
  EXPECT_DOUBLE_EQ(sc.real("labour.migrant_wage"), 4000.0);
  EXPECT_DOUBLE_EQ(sc.real("population.scale"), 0.005);
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
  fixed.replace(fixed.find("0.005"), 5, "0.006");
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
  EXPECT_EQ(error_of("parameters:\n  - key: land.quota_m\n    values: [1]\n"),
            "/sweeps/s.yaml:2:10: parameters[1]: key: land.quota_m: unknown key; did you mean 'land.quota_mu'?");
  EXPECT_EQ(error_of("parameters:\n  - key: land.quota_mu\n    valeus: [1]\n"),
            "/sweeps/s.yaml:3:5: parameters[1]: valeus: unknown key; did you mean 'values'?");
  EXPECT_EQ(error_of("desgin: {type: grid}\nparameters: [{key: land.quota_mu, values: [1]}]\n"),
            "/sweeps/s.yaml:1:1: desgin: unknown key; did you mean 'design'?");
  EXPECT_EQ(error_of("set: {land.quota: 5}\nparameters: [{key: land.quota_mu, values: [1]}]\n"),
            "/sweeps/s.yaml:1:7: set: land.quota: unknown key; did you mean 'land.quota_mu'?");
  EXPECT_THAT(error_of("design: {type: gird}\nparameters: [{key: land.quota_mu, values: [1]}]\n"),
              HasSubstr("/sweeps/s.yaml:1:16: design.type:"));
}

TEST(SweepErrors, DuplicatesAreRefused) {
  EXPECT_EQ(error_of("replicates: 2\nreplicates: 3\nparameters: [{key: land.quota_mu, values: [1]}]\n"),
            "/sweeps/s.yaml:2:1: replicates: duplicate key (first set at line 1)");
  EXPECT_THAT(error_of("design:\n  type: grid\ndesign.type: lhs\nparameters: [{key: land.quota_mu, values: [1]}]\n"),
              HasSubstr("/sweeps/s.yaml:3:1: design.type: duplicate key"));
  EXPECT_THAT(error_of("parameters:\n  - {key: land.quota_mu, values: [1]}\n  - {key: land.quota_mu, values: [2]}\n"),
              HasSubstr("/sweeps/s.yaml:3:5: parameters[2]: key land.quota_mu is varied twice (first at /sweeps/s.yaml:2:5)"));
  EXPECT_THAT(error_of("set: {land.quota_mu: 5}\nparameters:\n  - {key: land.quota_mu, values: [1]}\n"),
              HasSubstr("is also fixed under set:"));
}

TEST(SweepErrors, ValuesAndRangesAreCheckedAgainstTheKey) {
  EXPECT_EQ(error_of("parameters:\n  - key: land.quota_mu\n    values: [0, -5]\n"),
            "/sweeps/s.yaml:3:17: parameters[1] (land.quota_mu): values: element 2: -5 is below the minimum 0 (mu/year)");
  EXPECT_EQ(error_of("parameters:\n  - key: land.quota_mu\n    values: [0, lots]\n"),
            "/sweeps/s.yaml:3:17: parameters[1] (land.quota_mu): values: element 2: expected a real number, found 'lots'");
  EXPECT_THAT(error_of("parameters:\n  - {key: population.share_wage, min: 0.1, max: 1.5}\ndesign: {type: lhs, samples: 4}\n"),
              HasSubstr("max: 1.5 is above the maximum 1 of population.share_wage"));
  EXPECT_THAT(error_of("parameters:\n  - {key: population.share_wage, min: 0.5, max: 0.1}\ndesign: {type: lhs, samples: 4}\n"),
              HasSubstr("max: 0.1 is not above min 0.5"));
  EXPECT_THAT(error_of("parameters:\n  - {key: labour.monitored_first, min: 0, max: 1}\ndesign: {type: lhs, samples: 4}\n"),
              HasSubstr("needs an integer or real key; labour.monitored_first is boolean"));
  EXPECT_THAT(error_of("parameters:\n  - {key: land.quota_mu, values: [1], min: 0}\n"), HasSubstr("not both"));
  // A normal distribution can reach values outside the key's range: found when the plan builds each point.
  EXPECT_THAT(error_of("parameters:\n  - {key: population.share_wage, distribution: normal, mean: 0.5, sd: 5}\n"
                       "design: {type: lhs, samples: 50}\n"),
              HasSubstr("population.share_wage: "));
}

TEST(SweepErrors, DesignsRefuseSettingsTheyDoNotUse) {
  EXPECT_EQ(error_of("parameters: [{key: land.quota_mu, values: [1, 2]}]\ndesign: {type: grid, samples: 8}\n"),
            "/sweeps/s.yaml:2:22: design.samples: not used by a grid design (a grid has one point per combination of values)");
  EXPECT_THAT(error_of("parameters: [{key: land.quota_mu, min: 0, max: 9}]\ndesign: {type: sobol}\n"),
              HasSubstr("design.samples: missing"));
  EXPECT_THAT(error_of("parameters: [{key: land.quota_mu, min: 0, max: 9}]\ndesign: {type: morris, levels: 5}\n"),
              HasSubstr("even number of levels"));
  EXPECT_THAT(error_of("parameters:\n  - {key: land.quota_mu, values: [1, 2]}\n  - {key: labour.migrant_wage, values: [1]}\n"
                       "design: {type: list}\n"),
              HasSubstr("same number of values"));
  EXPECT_THAT(error_of("design: {type: grid}\n"), HasSubstr("parameters: missing"));
  EXPECT_THAT(error_of("parameters:\n  - {key: run.seed, values: [1, 2]}\nseed_rule: per_point\n"), HasSubstr("seed_rule per_point"));
}

TEST(SweepDesign, LatinHypercubeHasOnePointPerStratumAndFollowsTheSeed) {
  const std::string text = "parameters:\n  - {key: population.share_wage, min: 0, max: 1}\n"
                           "  - {key: land.quota_mu, min: 100, max: 1000, distribution: loguniform}\n"
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
  const Plan p = plan_of("parameters:\n  - {key: population.share_wage, min: 0, max: 1}\n"
                         "  - {key: land.quota_mu, min: 0, max: 1000}\n  - {key: labour.inertia, min: 0, max: 5}\n"
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
  const Plan p = plan_of("parameters:\n  - {key: population.share_wage, min: 0, max: 1}\n"
                         "  - {key: land.quota_mu, values: [0, 300, 600, 900]}\n  - {key: labour.inertia, min: 0, max: 5}\n"
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
