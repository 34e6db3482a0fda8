#pragma once
// One instantiated model, holding all the state of one run. The engine steps
// it by its schedule and asks it, after each step, for the values its rules
// produced; everything else about a step's record (reductions the engine
// evaluates, sums and weighted means up the levels, formulas, year-end
// blanks) the engine derives from the model's description.
#include <vector>

#include "sim/core/columns.hpp"
#include "sim/core/hierarchy.hpp"
#include "sim/core/record.hpp"
#include "sim/core/schedule.hpp"
#include "sim/model/output_layout.hpp"

namespace sim {

class ModelInstance {
 public:
  virtual ~ModelInstance() = default;
  // The nesting of the description's hierarchy tables (e.g. county > village
  // > household), with the tables' kinds as level names.
  virtual const Hierarchy& hierarchy() const = 0;
  // Every agent table of the description, in its order: all state lives in
  // these columns.
  virtual std::vector<const AgentTable*> tables() const = 0;
  virtual Schedule& schedule() = 0;
  // Called once before the first step with the layout of the records to come
  // (the column of each indicator at each level).
  virtual void start(const OutputLayout& layout) = 0;
  // Fills `out` (zeroed, laid out as start() was told) with this step's
  // values of the indicators set by its rules and of its hand-tuned
  // reductions, each at the level it comes from, and with the step's events.
  virtual void record(StepRecord& out) = 0;
  // The complete record of the step (all levels, formulas included): what a
  // model's planning may read of its own outcomes.
  virtual void recorded(const StepRecord&) {}
};

}  // namespace sim
