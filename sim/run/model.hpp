#pragma once
// What the engine needs from a model. A model is declared as data: its
// scenario schema, its agent tables, its schedule of phases and its outputs;
// the engine runs it and never looks inside an agent.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/core/columns.hpp"
#include "sim/core/hierarchy.hpp"
#include "sim/core/record.hpp"
#include "sim/core/schedule.hpp"
#include "sim/scenario/scenario.hpp"

namespace sim {

// Identity of one run: the random streams are keyed by (seed, replicate).
struct RunIdentity {
  std::uint64_t seed = 0;
  std::uint32_t replicate = 0;
};

// One instantiated model, holding all the state of one run.
class ModelInstance {
 public:
  virtual ~ModelInstance() = default;
  virtual const Hierarchy& hierarchy() const = 0;
  // Every agent table: all state lives in these columns.
  virtual std::vector<const AgentTable*> tables() const = 0;
  // Tables written once to /static/<name> (e.g. county names and flags).
  virtual std::vector<std::pair<std::string, const AgentTable*>> static_tables() const { return {}; }
  virtual Schedule& schedule() = 0;
  virtual const OutputSpec& output_spec() const = 0;
  // Fills `out` (already reset to the spec) with this step's aggregates and
  // events. Called after the schedule's phases of that step.
  virtual void record(StepRecord& out) = 0;
  // The agent table a household panel samples from, if the model has one.
  virtual const AgentTable* panel_table() const { return nullptr; }
};

struct ModelDefinition {
  std::string name;
  std::string version;
  std::string description;
  // The model's scenario keys; the engine adds its own run.* and output.* keys.
  std::function<void(scenario::Schema&)> declare_schema;
  std::function<std::unique_ptr<ModelInstance>(const scenario::Scenario&, const RunIdentity&)> create;
  // Scenario files and data compiled into the binary ("scenarios/baseline.yaml", ...).
  std::span<const scenario::EmbeddedFile> embedded;
  std::string default_scenario;  // e.g. "builtin:scenarios/baseline.yaml"
};

}  // namespace sim
