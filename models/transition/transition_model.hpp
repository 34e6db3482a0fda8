#pragma once
// The transition model as the engine sees it: its description (tables,
// levels, indicators, events, schema, embedded scenarios) and one instance
// per run.
#include <memory>

#include "models/transition/world.hpp"
#include "sim/model/description.hpp"
#include "sim/model/instance.hpp"

namespace transition {

const sim::ModelDescription& description();
// The classroom's levers, charts, map and lesson (classroom.cpp).
sim::ClassroomDecl classroom_declaration();

class TransitionModel final : public sim::ModelInstance {
 public:
  TransitionModel(const sim::scenario::Scenario& scenario, const sim::RunIdentity& id,
                  std::span<const sim::scenario::EmbeddedFile> embedded);

  const sim::Hierarchy& hierarchy() const override { return world_.hierarchy; }
  std::vector<const sim::AgentTable*> tables() const override;
  sim::Schedule& schedule() override { return schedule_; }
  void start(const sim::OutputLayout& layout) override;
  void record(sim::StepRecord& out) override;
  void recorded(const sim::StepRecord& record) override;
  void save(sim::ModelState& state) const override;
  void restore(const sim::ModelState& state) override;

  const World& world() const { return world_; }
  World& world() { return world_; }

 private:
  void build_schedule();
  void compute_inequality();

  World world_;
  sim::Schedule schedule_;
  // Columns of the household sums at the village and county levels, and of
  // the county values at the county level, in the records.
  std::array<std::size_t, ind::kHouseholdSums> village_column_{}, county_sum_column_{};
  std::array<std::size_t, ind::kCountyValues> county_column_{};
  std::size_t total_gini_column_ = 0, between_gini_column_ = 0;
  // Year-end inequality: Gini per county, overall and between counties.
  std::vector<double> county_gini_;
  double total_gini_ = 0, between_gini_ = 0;
};

}  // namespace transition
