#pragma once
// Declared reductions evaluated over an agent table: the engine's generic
// (slower) path for reductions a model does not compute in its own loops, and
// the reference its hand-tuned loops are tested against.
#include <string>
#include <vector>

#include "sim/core/columns.hpp"
#include "sim/core/parallel.hpp"
#include "sim/model/description.hpp"
#include "sim/model/expression.hpp"

namespace sim {

// An expression over the columns and predicates of one table, compiled for
// evaluation row by row.
class RowExpression {
 public:
  RowExpression(const TableDecl& decl, const AgentTable& table, const std::string& text);
  double operator()(std::size_t row) const;

 private:
  expr::Program program_;
  std::vector<const ColumnRef*> slots_;  // read at each evaluation: columns may be resized after compiling
};

class ReductionProgram {
 public:
  ReductionProgram(const TableDecl& decl, const AgentTable& table, const Reduction& r);
  // The reduction over rows [begin, end), added in row order from 0.
  double over(Range rows) const;

 private:
  bool count_ = false;
  std::vector<RowExpression> of_, where_;  // at most one each
};

}  // namespace sim
