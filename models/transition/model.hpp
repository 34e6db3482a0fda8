#pragma once
// The transition model as the engine sees it: its definition (schema,
// embedded scenarios, factory) and one instance per run.
#include <memory>

#include "models/transition/world.hpp"
#include "sim/run/model.hpp"

namespace transition {

const sim::ModelDefinition& definition();

class TransitionModel final : public sim::ModelInstance {
 public:
  TransitionModel(const sim::scenario::Scenario& scenario, const sim::RunIdentity& id,
                  std::span<const sim::scenario::EmbeddedFile> embedded);

  const sim::Hierarchy& hierarchy() const override { return world_.hierarchy; }
  std::vector<const sim::AgentTable*> tables() const override;
  std::vector<std::pair<std::string, const sim::AgentTable*>> static_tables() const override;
  sim::Schedule& schedule() override { return schedule_; }
  const sim::OutputSpec& output_spec() const override { return spec_; }
  void record(sim::StepRecord& out) override;
  const sim::AgentTable* panel_table() const override { return &household_table_; }

  const World& world() const { return world_; }

 private:
  void build_schedule();
  void compute_inequality();

  World world_;
  sim::Schedule schedule_;
  sim::OutputSpec spec_;
  sim::AgentTable household_table_{"household"}, village_table_{"village"}, county_table_{"county"},
      product_table_{"product"};
  // Descriptive columns written once to /static.
  sim::AgentTable county_static_{"county"}, village_static_{"village"};
  std::vector<std::uint32_t> county_villages_, county_households_, village_households_;
  // Year-end inequality: Gini per county, overall and between counties.
  std::vector<double> county_gini_;
  double total_gini_ = 0, between_gini_ = 0;
};

}  // namespace transition
