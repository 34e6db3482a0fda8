// The engine completes each step's record from the model's description: the
// reductions it owns, sums and weighted means up the levels, formulas, and
// year-end blanks. Checked on the toy model against values computed here from
// its agent tables.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "sim/model/instance.hpp"
#include "sim/model/output_layout.hpp"
#include "sim/model/reduction.hpp"
#include "sim/run/simulation.hpp"
#include "sim/toy/toy_model.hpp"

namespace sim {
namespace {

// One instance of a description stepped by hand, as sim::run steps it.
struct Stepper {
  explicit Stepper(const ModelDescription& d, std::vector<std::string> sets = {})
      : model(d), schema(full_schema(d)),
        scenario(scenario::load(d.default_scenario, schema, sets, d.embedded)),
        instance(d.create(scenario, RunIdentity{3, 0})),
        layout(d, instance->hierarchy(), instance->tables()) {
    instance->start(layout);
  }
  const StepRecord& step(std::uint32_t s, std::uint32_t steps = 24) {
    const StepInfo info = step_info(s, steps, 2000, 1);
    instance->schedule().run_step(info);
    record.reset(layout.spec(), info);
    instance->record(record);
    layout.complete(record);
    instance->recorded(record);
    return record;
  }
  const AgentTable& table(const std::string& kind) const {
    for (const AgentTable* t : instance->tables())
      if (t->kind() == kind) return *t;
    throw std::runtime_error(kind);
  }
  double value(std::size_t level, const std::string& indicator, std::size_t group) const {
    return record.levels[level].at(layout.column(level, indicator), group);
  }

  const ModelDescription& model;
  scenario::Schema schema;
  scenario::Scenario scenario;
  std::unique_ptr<ModelInstance> instance;
  OutputLayout layout;
  StepRecord record;
};

TEST(OutputLayout, IndicatorsAreRecordedFromTheirOriginUp) {
  Stepper s(toy::description());
  const OutputSpec& spec = s.layout.spec();
  ASSERT_EQ(spec.levels.size(), 2u);
  EXPECT_EQ(spec.levels[0].name, "all");
  EXPECT_EQ(spec.levels[0].groups, 1u);
  EXPECT_EQ(spec.levels[1].groups, 4u);
  EXPECT_TRUE(s.layout.find_column(0, "top_wealth"));    // set at the whole only
  EXPECT_FALSE(s.layout.find_column(1, "top_wealth"));
  EXPECT_TRUE(s.layout.find_column(1, "mean_wealth"));   // a formula wherever its parts are
  EXPECT_FALSE(s.layout.find_column(0, "wealth_growth"));  // yearly analysis only
  EXPECT_EQ(spec.levels[1].indicators[s.layout.column(1, "mean_wealth")].formula, "last(wealth) / last(walkers)");
  EXPECT_EQ(spec.event_kinds.size(), 2u);
  EXPECT_EQ(spec.event_agent_kind, "walker");
}

TEST(OutputLayout, ReductionsSumsWeightedMeansAndFormulasMatchTheAgents) {
  Stepper s(toy::description());
  for (std::uint32_t step = 0; step < 14; ++step) {
    s.step(step);
    const AgentTable& walkers = s.table("walker");
    const auto* wealth = static_cast<const double*>(walkers.find("wealth")->data());
    const Hierarchy& h = s.instance->hierarchy();
    double all_wealth = 0, all_walkers = 0, weighted = 0;
    for (std::size_t r = 0; r < 4; ++r) {
      const Range rows = h.children(0, r);
      double w = 0, rich = 0;
      for (std::size_t i = rows.begin; i < rows.end; ++i) {
        w += wealth[i];
        rich += wealth[i] > 60 ? 1 : 0;
      }
      EXPECT_EQ(s.value(1, "walkers", r), static_cast<double>(30 + r));  // region r holds 30 + r walkers
      EXPECT_EQ(s.value(1, "wealth", r), w);
      EXPECT_EQ(s.value(1, "rich", r), rich);
      EXPECT_EQ(s.value(1, "mean_wealth", r), w / static_cast<double>(30 + r));
      all_wealth += w;
      all_walkers += static_cast<double>(30 + r);
      weighted += s.value(1, "wealth_index", r) * s.value(1, "walkers", r);
    }
    // Sums up the levels are added in group order, so they are exact.
    EXPECT_EQ(s.value(0, "wealth", 0), all_wealth);
    EXPECT_EQ(s.value(0, "walkers", 0), all_walkers);
    EXPECT_EQ(s.value(0, "wealth_index", 0), weighted / all_walkers);
    EXPECT_EQ(s.value(0, "income_per_walker", 0), 12 * (s.value(0, "income", 0) / all_walkers));
    // Year-end-only values are NaN in the other months.
    const bool december = step % 12 == 11;
    EXPECT_EQ(std::isnan(s.value(0, "top_wealth", 0)), !december) << step;
  }
}

// The hand-tuned reduction (the toy's own loop counts movers) agrees with
// its declared form at every step.
TEST(OutputLayout, HandTunedReductionAgreesWithItsDeclaredForm) {
  const ModelDescription& d = toy::description();
  Stepper s(d, {"toy.move_chance=0.2"});
  const IndicatorDecl& movers = d.indicator("movers");
  ASSERT_TRUE(movers.hand_tuned);
  const ReductionProgram declared(d.table("walker"), s.table("walker"), movers.reduce);
  double last = 0;
  for (std::uint32_t step = 0; step < 12; ++step) {
    s.step(step);
    for (std::size_t r = 0; r < 4; ++r)
      EXPECT_EQ(s.value(1, "movers", r), declared.over(s.instance->hierarchy().children(0, r))) << step << " " << r;
    last = s.value(0, "movers", 0);
  }
  EXPECT_GT(last, 50);  // with a 20 % monthly chance, most of 126 walkers have moved
}

// A plain reduction needs nothing but its declaration: the engine evaluates
// it, records it at every level, and documents it.
TEST(OutputLayout, APlainReductionIsOneDeclaration) {
  const ModelDescription d = toy::description_with(
      {{.name = "poor", .unit = "walkers", .yearly = Yearly::last, .description = "Walkers with wealth under 45",
        .reduce = {"walker", "count", "", "wealth < 45"}}});
  Stepper s(d, {"toy.volatility=20"});
  s.step(0);
  s.step(1);
  const auto* wealth = static_cast<const double*>(s.table("walker").find("wealth")->data());
  double poor = 0;
  for (std::size_t i = 0; i < s.table("walker").size(); ++i) poor += wealth[i] < 45 ? 1 : 0;
  EXPECT_GT(poor, 0);
  EXPECT_EQ(s.value(0, "poor", 0), poor);
  double by_region = 0;
  for (std::size_t r = 0; r < 4; ++r) by_region += s.value(1, "poor", r);
  EXPECT_EQ(by_region, poor);
}

// An indicator the description makes a number (a reduction or a sum) that is
// NaN, or any indicator that is infinite, fails the step, naming it.
TEST(OutputLayout, NonFiniteValuesTheDescriptionForbidsFailTheStep) {
  const auto overflow = [](std::string name, std::string of) {
    return IndicatorDecl{.name = std::move(name), .unit = "coins", .yearly = Yearly::last,
                         .description = "Overflows for a walker with wealth", .reduce = {"walker", "sum", std::move(of)}};
  };
  const ModelDescription inf = toy::description_with({overflow("boom", "wealth * 1e308 * 10")});
  const ModelDescription nan = toy::description_with({overflow("boom", "wealth * 1e308 * 10 - wealth * 1e308 * 10")});
  for (const auto* d : {&inf, &nan}) {
    Stepper s(*d);
    try {
      s.step(0);
      ADD_FAILURE() << "expected the step to fail";
    } catch (const Error& e) {
      EXPECT_EQ(e.status(), Status::failure);
      EXPECT_THAT(e.what(), ::testing::HasSubstr(std::string("indicator 'boom' is ") + (d == &inf ? "+inf" : "NaN") +
                                                 " at level 'region' (group 0 of 4) in step 0 (2000-01)"));
    }
  }
}

// NaN where the description defines it is kept: a formula's division by
// zero, a reduction of a division, a year-end value in other months.
TEST(OutputLayout, NaNThatTheDescriptionDefinesIsKept) {
  const ModelDescription d = toy::description_with(
      {{.name = "undefined_ratio", .unit = "1", .yearly = Yearly::derived, .description = "Wealth over nothing",
        .formula = "last(wealth) / 0"},
       {.name = "ratio_sum", .unit = "1", .yearly = Yearly::last, .description = "Sum of wealth over nothing",
        .reduce = {"walker", "sum", "wealth / 0"}}});
  Stepper s(d);
  s.step(0);
  EXPECT_TRUE(std::isnan(s.value(1, "undefined_ratio", 0)));
  EXPECT_TRUE(std::isnan(s.value(1, "ratio_sum", 0)));
  EXPECT_TRUE(std::isnan(s.value(0, "top_wealth", 0)));  // December only
}

}  // namespace
}  // namespace sim
