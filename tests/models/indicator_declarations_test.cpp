// The household loop computes its sums by hand (for speed); each declares
// its form (a count or sum over the household table, where a predicate
// holds). Here every hand-tuned sum is held to its declared form, evaluated
// by the engine over the same households, at every step of a run.
#include <gtest/gtest.h>

#include <memory>

#include "run_helper.hpp"
#include "sim/model/instance.hpp"
#include "sim/model/output_layout.hpp"
#include "sim/model/reduction.hpp"

namespace {

TEST(IndicatorDeclarations, EveryHandTunedSumEqualsItsDeclaredForm) {
  const sim::ModelDescription& d = transition::description();
  const auto sc = models_test::load("baseline", {"population.scale=0.002", "run.months=26"});
  const auto instance = d.create(sc, sim::RunIdentity{20210101, 0});
  const sim::OutputLayout layout(d, instance->hierarchy(), instance->tables());
  instance->start(layout);
  const sim::AgentTable* households = instance->tables().at(0);
  ASSERT_EQ(households->kind(), "household");
  const std::size_t village = d.level_index("village");
  const sim::Hierarchy& h = instance->hierarchy();

  std::vector<std::pair<std::string, sim::ReductionProgram>> declared;
  for (const sim::IndicatorDecl& i : d.indicators)
    if (i.hand_tuned) declared.emplace_back(i.name, sim::ReductionProgram(d.table("household"), *households, i.reduce));
  ASSERT_GE(declared.size(), 20u);

  sim::StepRecord record;
  std::size_t compared = 0;
  for (std::uint32_t step = 0; step < 26; ++step) {
    const sim::StepInfo info = sim::step_info(step, 26, 2021);
    instance->schedule().run_step(info);
    record.reset(layout.spec(), info);
    instance->record(record);
    layout.complete(record);
    instance->recorded(record);
    const sim::LevelFrame& frame = record.levels[village];
    for (const auto& [name, program] : declared) {
      const std::size_t column = layout.column(village, name);
      for (std::size_t v = 0; v < frame.groups; ++v) {
        ASSERT_EQ(frame.at(column, v), program.over(h.children(1, v))) << name << ", village " << v << ", step " << step;
        ++compared;
      }
    }
  }
  models_test::record("values_compared", static_cast<double>(compared));
}

}  // namespace
