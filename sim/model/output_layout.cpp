#include "sim/model/output_layout.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "sim/core/parallel.hpp"

namespace sim {

namespace {
constexpr std::size_t kNone = static_cast<std::size_t>(-1);
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Names of the indicators inside sum() and last() of a formula.
std::vector<std::string> components(const std::string& formula) {
  std::vector<std::string> out;
  expr::visit(expr::parse(formula), [&](const expr::Node& n) {
    if (n.op == expr::Op::call && (n.name == "sum" || n.name == "last")) out.push_back(n.args.at(0).name);
  });
  return out;
}
}  // namespace

OutputLayout::OutputLayout(const ModelDescription& model, const Hierarchy& hierarchy,
                           const std::vector<const AgentTable*>& tables)
    : model_(&model), hierarchy_(&hierarchy) {
  model.validate();
  if (tables.size() != model.tables.size())
    throw Error(Status::failure, "model '" + model.name + "' has " + std::to_string(tables.size()) +
                                     " tables, its description " + std::to_string(model.tables.size()));
  if (hierarchy.levels() != model.hierarchy)
    throw Error(Status::failure, "model '" + model.name + "': the instance's hierarchy differs from the description's");
  for (std::size_t t = 0; t < tables.size(); ++t) {
    if (tables[t]->kind() != model.tables[t].kind)
      throw Error(Status::failure, "model '" + model.name + "': table " + std::to_string(t) + " is '" + tables[t]->kind() +
                                       "', the description says '" + model.tables[t].kind + "'");
  }
  const auto table_index = [&](const std::string& kind) {
    for (std::size_t t = 0; t < model.tables.size(); ++t)
      if (model.tables[t].kind == kind) return t;
    return kNone;
  };
  const auto depth_of_table = [&](const std::string& kind) {
    const auto at = std::find(model.hierarchy.begin(), model.hierarchy.end(), kind);
    return at == model.hierarchy.end() ? kNone : static_cast<std::size_t>(at - model.hierarchy.begin());
  };

  const std::size_t nl = model.levels.size();
  depth_.assign(nl, kNone);
  spec_.levels.resize(nl);
  for (std::size_t l = 0; l < nl; ++l) {
    const LevelDecl& d = model.levels[l];
    if (l > 0) depth_[l] = depth_of_table(d.table);
    spec_.levels[l].name = d.name;
    spec_.levels[l].groups = l == 0 ? 1 : hierarchy.count(depth_[l]);
    spec_.levels[l].single_precision = d.single_precision;
  }

  // Origin of every indicator with values of its own; which levels hold what.
  const std::size_t ni = model.indicators.size();
  std::vector<std::size_t> origin(ni, kNone);
  for (std::size_t i = 0; i < ni; ++i) {
    const IndicatorDecl& ind = model.indicators[i];
    if (!ind.recorded) continue;
    if (!ind.reduce.table.empty()) {
      const std::size_t td = depth_of_table(ind.reduce.table);
      origin[i] = 0;
      if (td != kNone)
        for (std::size_t l = 1; l < nl; ++l)
          if (depth_[l] <= td) origin[i] = l;
    } else if (!ind.set_at.empty()) {
      origin[i] = model.level_index(ind.set_at);
    }
  }
  std::vector<std::vector<bool>> present(nl, std::vector<bool>(ni, false));
  for (std::size_t i = 0; i < ni; ++i)
    if (origin[i] != kNone)
      for (std::size_t l = 0; l <= origin[i]; ++l) present[l][i] = true;
  for (std::size_t i = 0; i < ni; ++i) {
    const IndicatorDecl& ind = model.indicators[i];
    if (!ind.recorded || !ind.derived()) continue;
    const auto parts = components(ind.formula);
    for (std::size_t l = 0; l < nl; ++l)
      present[l][i] = std::all_of(parts.begin(), parts.end(), [&](const std::string& p) {
        for (std::size_t k = 0; k < ni; ++k)
          if (model.indicators[k].name == p) return static_cast<bool>(present[l][k]);
        return false;
      });
  }

  column_of_.assign(nl, std::vector<std::size_t>(ni, kNone));
  for (std::size_t l = 0; l < nl; ++l)
    for (std::size_t i = 0; i < ni; ++i) {
      if (!present[l][i]) continue;
      const IndicatorDecl& ind = model.indicators[i];
      column_of_[l][i] = spec_.levels[l].indicators.size();
      spec_.levels[l].indicators.push_back({ind.name, ind.unit, ind.description, name_of(ind.yearly), ind.formula});
      if (ind.year_end_only) year_end_only_.emplace_back(l, column_of_[l][i]);
      // Where NaN is a defined value: formulas (a division by a quantity
      // that is not positive), weighted means (a zero weight), values the
      // model sets outside sums, and reductions of a division.
      const bool nan_allowed = ind.derived() || ind.combine != Combine::sum ||
                               (!ind.reduce.table.empty() && ind.reduce.of.find('/') != std::string::npos);
      finite_.push_back({l, column_of_[l][i], i, nan_allowed, ind.year_end_only});
    }
  const auto index_of = [&](const std::string& name) {
    for (std::size_t k = 0; k < ni; ++k)
      if (model.indicators[k].name == name) return k;
    return kNone;
  };

  for (std::size_t i = 0; i < ni; ++i) {
    const IndicatorDecl& ind = model.indicators[i];
    if (origin[i] == kNone || ind.reduce.table.empty() || ind.hand_tuned) continue;
    const std::size_t t = table_index(ind.reduce.table);
    reductions_.push_back({origin[i], column_of_[origin[i]][i], depth_of_table(ind.reduce.table), tables[t],
                           ReductionProgram(model.tables[t], *tables[t], ind.reduce)});
  }
  for (std::size_t l = nl - 1; l-- > 0;) {
    for (const bool weighted : {false, true})
      for (std::size_t i = 0; i < ni; ++i) {
        const IndicatorDecl& ind = model.indicators[i];
        if (origin[i] == kNone || origin[i] <= l || ind.combine == Combine::none) continue;
        if ((ind.combine == Combine::weighted_mean) != weighted) continue;
        Combination c;
        c.level = l;
        c.column = column_of_[l][i];
        c.member_column = column_of_[l + 1][i];
        c.weighted = weighted;
        if (weighted) {
          const std::size_t w = index_of(ind.weight);
          c.weight_column = column_of_[l][w];
          c.member_weight_column = column_of_[l + 1][w];
          if (c.weight_column == kNone || c.member_weight_column == kNone)
            throw Error(Status::failure, "model '" + model.name + "': indicator '" + ind.name + "' is weighted by '" +
                                             ind.weight + "', which is not recorded at levels '" + model.levels[l].name +
                                             "' and '" + model.levels[l + 1].name + "'");
        }
        combinations_.push_back(c);
      }
  }
  for (std::size_t l = 0; l < nl; ++l)
    for (std::size_t i = 0; i < ni; ++i) {
      const IndicatorDecl& ind = model.indicators[i];
      if (!ind.recorded || !ind.derived() || column_of_[l][i] == kNone) continue;
      Formula f;
      f.level = l;
      f.column = column_of_[l][i];
      f.program = expr::Program(expr::parse(ind.formula), [&](const expr::Node& leaf) {
        f.slots.push_back(column_of_[l][index_of(leaf.args.at(0).name)]);
        return f.slots.size() - 1;
      });
      formulas_.push_back(std::move(f));
    }

  spec_.event_agent_kind = model.event_table;
  for (const EventDecl& e : model.events) spec_.event_kinds.push_back({e.name, e.description});
}

std::optional<std::size_t> OutputLayout::find_column(std::size_t level, std::string_view indicator) const {
  if (level >= column_of_.size()) return std::nullopt;
  for (std::size_t i = 0; i < model_->indicators.size(); ++i)
    if (model_->indicators[i].name == indicator && column_of_[level][i] != kNone) return column_of_[level][i];
  return std::nullopt;
}

std::size_t OutputLayout::column(std::size_t level, std::string_view indicator) const {
  if (auto c = find_column(level, indicator)) return *c;
  throw Error(Status::failure, "model '" + model_->name + "': indicator '" + std::string(indicator) +
                                   "' is not recorded at level " + std::to_string(level));
}

Range OutputLayout::members(std::size_t coarse, std::size_t group) const {
  if (coarse == 0) return {0, spec_.levels[1].groups};
  return hierarchy_->descendants(depth_[coarse], group, depth_[coarse + 1]);
}

Range OutputLayout::rows_of(std::size_t level, std::size_t group, std::size_t table_depth, std::size_t table_rows) const {
  if (level == 0) return {0, table_rows};
  if (depth_[level] == table_depth) return {group, group + 1};
  return hierarchy_->descendants(depth_[level], group, table_depth);
}

void OutputLayout::complete(StepRecord& r) const {
  for (const EngineReduction& red : reductions_) {
    LevelFrame& f = r.levels[red.level];
    const std::size_t rows = red.table->size();
    for_each_index(f.groups, [&](std::size_t g) { f.at(red.column, g) = red.program.over(rows_of(red.level, g, red.table_depth, rows)); });
  }
  for (const Combination& c : combinations_) {
    LevelFrame& coarse = r.levels[c.level];
    const LevelFrame& fine = r.levels[c.level + 1];
    for (std::size_t g = 0; g < coarse.groups; ++g) {
      const Range m = members(c.level, g);
      double acc = 0;
      if (c.weighted) {
        for (std::size_t k = m.begin; k < m.end; ++k) acc += fine.at(c.member_column, k) * fine.at(c.member_weight_column, k);
        const double w = coarse.at(c.weight_column, g);
        coarse.at(c.column, g) = w > 0 ? acc / w : kNaN;
      } else {
        for (std::size_t k = m.begin; k < m.end; ++k) acc += fine.at(c.member_column, k);
        coarse.at(c.column, g) = acc;
      }
    }
  }
  std::vector<double> slots;
  for (const Formula& f : formulas_) {
    LevelFrame& frame = r.levels[f.level];
    slots.resize(f.slots.size());
    for (std::size_t g = 0; g < frame.groups; ++g) {
      for (std::size_t k = 0; k < f.slots.size(); ++k) slots[k] = frame.at(f.slots[k], g);
      frame.at(f.column, g) = f.program.run(slots);
    }
  }
  if (!r.info.year_end())
    for (const auto& [level, column] : year_end_only_) {
      LevelFrame& frame = r.levels[level];
      std::fill_n(frame.values.begin() + static_cast<std::ptrdiff_t>(column * frame.groups), frame.groups, kNaN);
    }
  check_finite(r);
}

void OutputLayout::check_finite(const StepRecord& r) const {
  // Finest level first: the area where the value broke, not the sums above.
  for (auto it = finite_.rbegin(); it != finite_.rend(); ++it) {
    const FiniteCheck& c = *it;
    if (c.year_end_only && !r.info.year_end()) continue;
    const LevelFrame& frame = r.levels[c.level];
    for (std::size_t g = 0; g < frame.groups; ++g) {
      const double v = frame.at(c.column, g);
      if (!std::isinf(v) && (c.nan_allowed || !std::isnan(v))) continue;
      const IndicatorDecl& ind = model_->indicators[c.indicator];
      char when[32];
      std::snprintf(when, sizeof when, "%04d-%02d", r.info.year, r.info.month);
      const std::string rule = std::isnan(v) ? std::string(ind.reduce.table.empty() ? "a sum" : "a reduction") +
                                                   " is never NaN"
                                             : std::string("no indicator is infinite");
      throw Error(Status::failure, "indicator '" + ind.name + "' is " + (std::isnan(v) ? "NaN" : v > 0 ? "+inf" : "-inf") +
                                       " at level '" + spec_.levels[c.level].name + "' (group " + std::to_string(g) +
                                       " of " + std::to_string(frame.groups) + ") in step " + std::to_string(r.info.step) +
                                       " (" + when + "), and " + rule + " (docs/output.md): a value of the scenario "
                                       "(a zero pay, price or share?) has made it undefined, so the run stops");
    }
  }
}

}  // namespace sim
