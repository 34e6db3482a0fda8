#pragma once
// The one yearly aggregator: values of an indicator over a window of steps
// (a calendar year, or the whole run) read off the monthly values of one
// level by the indicator's declared rule. The run summary, `sweep collect`
// and the tests use it; the analysis package applies the same definitions,
// which it reads from the output file's description:
//
//   sum:     S(x), the sum over the window's steps
//   last:    L(x), the value in the window's last step
//   mean:    S(x) / steps
//   derived: the formula with sum(x) = S(x) and last(x) = L(x); growth(x) =
//            x / x of the year before - 1 (the whole run: annualised from the
//            first to the last full year); members_mean(e, w) and
//            members_gini(e, w) over the groups of the next finer level.
//
// A value that cannot be formed (no such column, an empty window) is NaN.
#include <span>
#include <string>
#include <vector>

#include "sim/core/record.hpp"
#include "sim/model/description.hpp"
#include "sim/model/expression.hpp"

namespace sim {

// Steps [begin, end) of a calendar year, or of the whole run (year 0).
struct Window {
  std::size_t begin = 0, end = 0;
  int year = 0;
  bool full = false;  // all twelve months
};

// Monthly values of one level's recorded columns, step after step.
class LevelSeries {
 public:
  LevelSeries() = default;
  LevelSeries(const LevelSpec& spec);
  // Adds a step: its calendar month and the level's frame.
  void append(const StepInfo& step, const LevelFrame& frame);
  // Or fills a column read from a file ([steps x groups], step-major).
  void set_column(const std::string& name, std::vector<double> values);
  void set_calendar(std::vector<int> years, std::vector<int> months);

  std::size_t groups() const { return groups_; }
  std::size_t steps() const { return years_.size(); }
  const std::vector<std::string>& names() const { return names_; }
  // Index of a column, or npos.
  std::size_t find(const std::string& name) const;
  double at(std::size_t column, std::size_t step, std::size_t group) const {
    return values_[column][step * groups_ + group];
  }
  // Calendar years (in order) and the whole run.
  std::vector<Window> years() const;
  Window whole() const;

 private:
  std::vector<std::string> names_;
  std::size_t groups_ = 0;
  std::vector<std::vector<double>> values_;
  std::vector<int> years_, months_;
};

class YearlyAggregator {
 public:
  // `members`: the series of the next finer level, whose groups all belong
  // to the groups of `series` (level 0) as the members_* functions need;
  // nullptr if not available.
  YearlyAggregator(const ModelDescription& model, const LevelSeries& series, const LevelSeries* members = nullptr);

  double value(const std::string& indicator, std::size_t group, const Window& w) const;
  // The window's value of every year (series.years()) and of the whole run.
  std::vector<double> by_year(const std::string& indicator, std::size_t group) const;

 private:
  double evaluate(const expr::Node& n, const LevelSeries& s, std::size_t group, const Window& w) const;
  double indicator_value(const IndicatorDecl& ind, const LevelSeries& s, std::size_t group, const Window& w) const;
  double members(const expr::Node& call, const Window& w) const;

  const ModelDescription& model_;
  const LevelSeries& series_;
  const LevelSeries* members_;
};

}  // namespace sim
