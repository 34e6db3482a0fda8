#pragma once
// Where each indicator of a model description is recorded, and how a step's
// record is completed once the model has filled in its part.
//
// An indicator comes from one level (its origin): the finest level whose
// groups contain the rows of a reduction's table, or the level a rule sets it
// at. It is recorded there and at every coarser level, made by its Combine
// (sums added in group order; weighted means after the sums of that level).
// A recorded formula is evaluated at every level where its components are
// recorded. Indicators declared year-end-only are NaN in other steps.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/calendar.hpp"
#include "sim/core/columns.hpp"
#include "sim/core/hierarchy.hpp"
#include "sim/core/record.hpp"
#include "sim/model/description.hpp"
#include "sim/model/expression.hpp"
#include "sim/model/reduction.hpp"

namespace sim {

class OutputLayout {
 public:
  // `tables`: the instance's agent tables in the description's order.
  OutputLayout(const ModelDescription& model, const Hierarchy& hierarchy, const std::vector<const AgentTable*>& tables);

  const OutputSpec& spec() const { return spec_; }
  const ModelDescription& model() const { return *model_; }
  // Column of `indicator` in the frames of `level`; throws if it is not
  // recorded there.
  std::size_t column(std::size_t level, std::string_view indicator) const;
  std::optional<std::size_t> find_column(std::size_t level, std::string_view indicator) const;
  // Groups of level `coarse` made of groups of level coarse + 1.
  Range members(std::size_t coarse, std::size_t group) const;

  // After the model's record(): evaluates the reductions the engine owns,
  // combines values up the levels, evaluates formulas and blanks
  // year-end-only indicators outside year ends. Then checks the values:
  // an infinity anywhere, or a NaN in an indicator that the description
  // makes a number (a reduction or a sum: NaN only where a formula's
  // division, a weighted mean's zero weight, a model-set value outside sums
  // or a year-end blank defines it), fails the step with Error(failure)
  // naming the indicator, level, group and step.
  void complete(StepRecord& record) const;

 private:
  struct Placed {
    std::size_t indicator = 0;  // in the description
    std::size_t origin = 0;     // level it comes from
  };
  struct EngineReduction {
    std::size_t level = 0, column = 0;
    std::size_t table_depth = 0;  // hierarchy depth of the reduced table (rows); npos: not in the hierarchy
    const AgentTable* table = nullptr;
    ReductionProgram program;
  };
  struct Combination {
    std::size_t level = 0;  // made at this level from level + 1
    std::size_t column = 0, member_column = 0;
    bool weighted = false;
    std::size_t weight_column = 0, member_weight_column = 0;
  };
  struct Formula {
    std::size_t level = 0, column = 0;
    expr::Program program;
    std::vector<std::size_t> slots;  // column of each slot at that level
  };

  Range rows_of(std::size_t level, std::size_t group, std::size_t table_depth, std::size_t table_rows) const;


  const ModelDescription* model_ = nullptr;
  const Hierarchy* hierarchy_ = nullptr;
  std::vector<std::size_t> depth_;   // hierarchy depth of each level's table (level 0: none)
  OutputSpec spec_;
  std::vector<std::vector<std::size_t>> column_of_;  // [level][indicator] -> column, npos if absent
  std::vector<EngineReduction> reductions_;
  std::vector<Combination> combinations_;            // in the order they must run
  std::vector<Formula> formulas_;
  std::vector<std::pair<std::size_t, std::size_t>> year_end_only_;  // (level, column)
  struct FiniteCheck {
    std::size_t level = 0, column = 0, indicator = 0;
    bool nan_allowed = false;
    bool year_end_only = false;
  };
  std::vector<FiniteCheck> finite_;  // every recorded (level, column)
  void check_finite(const StepRecord& record) const;
};

}  // namespace sim
