#include "sim/model/description.hpp"

#include <algorithm>
#include <functional>
#include <set>

#include "sim/model/expression.hpp"

namespace sim {

const char* name_of(Yearly y) {
  switch (y) {
    case Yearly::sum: return "sum";
    case Yearly::last: return "last";
    case Yearly::mean: return "mean";
    case Yearly::derived: return "derived";
  }
  return "?";
}

const char* name_of(Combine c) {
  switch (c) {
    case Combine::sum: return "sum";
    case Combine::weighted_mean: return "weighted_mean";
    case Combine::none: return "none";
  }
  return "?";
}

std::string IndicatorDecl::yearly_unit() const {
  const std::string per_month = "/month";
  if (yearly == Yearly::sum && unit.size() > per_month.size() &&
      unit.compare(unit.size() - per_month.size(), per_month.size(), per_month) == 0)
    return unit.substr(0, unit.size() - per_month.size()) + "/year";
  return unit;
}

const TableDecl& ModelDescription::table(const std::string& kind) const {
  for (const auto& t : tables)
    if (t.kind == kind) return t;
  throw Error(Status::failure, "model '" + name + "' has no table '" + kind + "'");
}

const IndicatorDecl* ModelDescription::find_indicator(const std::string& n) const {
  for (const auto& i : indicators)
    if (i.name == n) return &i;
  return nullptr;
}

const IndicatorDecl& ModelDescription::indicator(const std::string& n) const {
  if (const IndicatorDecl* i = find_indicator(n)) return *i;
  throw Error(Status::failure, "model '" + name + "' has no indicator '" + n + "'");
}

std::size_t ModelDescription::level_index(const std::string& n) const {
  for (std::size_t l = 0; l < levels.size(); ++l)
    if (levels[l].name == n) return l;
  throw Error(Status::failure, "model '" + name + "' has no level '" + n + "'");
}

std::size_t ModelDescription::event_code(const std::string& n) const {
  for (std::size_t k = 0; k < events.size(); ++k)
    if (events[k].name == n) return k;
  throw Error(Status::failure, "model '" + name + "' has no event kind '" + n + "'");
}

namespace {

// Names an expression over a table may use: its columns and predicates.
void check_table_expression(const ModelDescription& d, const TableDecl& t, const std::string& text,
                            const std::string& where) {
  const expr::Node n = expr::parse(text);
  expr::visit(n, [&](const expr::Node& leaf) {
    if (leaf.op == expr::Op::call)
      throw Error(Status::failure, "model '" + d.name + "': " + where + ": '" + text + "' calls " + leaf.name +
                                       "(); expressions over a table use its columns and predicates only");
    const bool column = std::any_of(t.columns.begin(), t.columns.end(), [&](const ColumnInfo& c) { return c.name == leaf.name; });
    const bool predicate =
        std::any_of(t.predicates.begin(), t.predicates.end(), [&](const PredicateDecl& p) { return p.name == leaf.name; });
    if (!column && !predicate)
      throw Error(Status::failure, "model '" + d.name + "': " + where + ": '" + leaf.name + "' is neither a column nor a predicate of table '" +
                                       t.kind + "'");
  });
}

}  // namespace

void ModelDescription::validate() const {
  const auto fail = [&](const std::string& what) { throw Error(Status::failure, "model '" + name + "': " + what); };
  std::set<std::string> seen;
  for (const auto& t : tables) {
    if (!seen.insert(t.kind).second) fail("table '" + t.kind + "' declared twice");
    std::set<std::string> names;
    for (const auto& c : t.columns)
      if (!names.insert(c.name).second) fail("table '" + t.kind + "': column '" + c.name + "' declared twice");
    for (const auto& p : t.predicates) {
      if (!names.insert(p.name).second) fail("table '" + t.kind + "': predicate '" + p.name + "' clashes with another name");
      check_table_expression(*this, t, p.expression, "predicate '" + p.name + "'");
    }
  }
  for (const auto& h : hierarchy) table(h);
  if (levels.empty() || !levels[0].table.empty()) fail("level 0 must be the whole (no table)");
  seen.clear();
  std::size_t previous = 0;
  for (std::size_t l = 0; l < levels.size(); ++l) {
    if (!seen.insert(levels[l].name).second) fail("level '" + levels[l].name + "' declared twice");
    if (l == 0) continue;
    const auto at = std::find(hierarchy.begin(), hierarchy.end(), levels[l].table);
    if (at == hierarchy.end()) fail("level '" + levels[l].name + "': table '" + levels[l].table + "' is not in the hierarchy");
    const auto index = static_cast<std::size_t>(at - hierarchy.begin()) + 1;
    if (index <= previous) fail("levels must follow the hierarchy from the top");
    previous = index;
  }
  seen.clear();
  for (const auto& e : events)
    if (!seen.insert(e.name).second) fail("event kind '" + e.name + "' declared twice");
  if (!events.empty()) table(event_table);
  if (!panel_table.empty()) table(panel_table);

  seen.clear();
  for (const auto& i : indicators)
    if (!seen.insert(i.name).second) fail("indicator '" + i.name + "' declared twice");
  for (const auto& i : indicators) {
    const std::string what = "indicator '" + i.name + "'";
    const int sources = (i.reduce.table.empty() ? 0 : 1) + (i.set_at.empty() ? 0 : 1);
    if (sources > 1) fail(what + ": both a reduction and a level it is set at");
    if (sources == 0 && i.formula.empty()) fail(what + ": no reduction, level or formula says where its values come from");
    if (i.derived() != (i.yearly == Yearly::derived))
      fail(what + ": the yearly rule 'derived' belongs to formulas alone");
    if (!i.recorded && !i.derived()) fail(what + ": only formulas can be left unrecorded");
    if (!i.reduce.table.empty()) {
      const TableDecl& t = table(i.reduce.table);
      if (i.reduce.op != "sum" && i.reduce.op != "count") fail(what + ": reduction '" + i.reduce.op + "' is not sum or count");
      if (i.reduce.op == "sum") check_table_expression(*this, t, i.reduce.of, what);
      else if (!i.reduce.of.empty()) fail(what + ": a count has no 'of'");
      if (!i.reduce.where.empty()) check_table_expression(*this, t, i.reduce.where, what);
    }
    if (!i.set_at.empty()) level_index(i.set_at);
    if (i.combine == Combine::weighted_mean) {
      const IndicatorDecl* w = find_indicator(i.weight);
      if (!w || w->derived()) fail(what + ": weight '" + i.weight + "' is not a declared indicator with values of its own");
    }
    if (!i.formula.empty()) {
      const expr::Node n = expr::parse(i.formula);
      // Inside sum(), last() and growth() a single indicator; the members_*
      // functions take two expressions (value and weight) of those.
      std::function<void(const expr::Node&, bool)> check = [&](const expr::Node& node, bool in_members) {
        if (node.op == expr::Op::name) fail(what + ": '" + node.name + "' must be inside sum(), last() or growth()");
        if (node.op == expr::Op::call) {
          if (node.name == "sum" || node.name == "last" || node.name == "growth") {
            if (node.args.size() != 1 || node.args[0].op != expr::Op::name)
              fail(what + ": " + node.name + "() takes the name of one indicator");
            const IndicatorDecl* arg = find_indicator(node.args[0].name);
            if (!arg) fail(what + ": " + node.name + "(" + node.args[0].name + ") names no declared indicator");
            if (node.name != "growth" && arg->derived())
              fail(what + ": " + node.name + "(" + arg->name + ") needs an indicator with values of its own, not a formula");
            if (node.name == "growth" && in_members) fail(what + ": growth() inside members_*()");
            if (i.recorded && node.name == "growth") fail(what + ": growth() is for unrecorded (yearly) indicators");
            return;
          }
          if (node.name == "members_mean" || node.name == "members_gini") {
            if (node.args.size() != 2) fail(what + ": " + node.name + "() takes a value and a weight");
            if (in_members) fail(what + ": members_*() inside members_*()");
            if (i.recorded && i.derived()) fail(what + ": " + node.name + "() is for yearly analysis, not recorded formulas");
            for (const auto& a : node.args) check(a, true);
            return;
          }
          fail(what + ": unknown function " + node.name + "() (known: sum, last, growth, members_mean, members_gini)");
        }
        for (const auto& a : node.args) check(a, in_members);
      };
      check(n, false);
    }
    if (!i.format.empty() && i.format != "int" && i.format != "num" && i.format != "money" && i.format != "pct" &&
        i.format != "ratio" && i.format != "months")
      fail(what + ": format '" + i.format + "' is not one of int, num, money, pct, ratio, months");
    if (i.better < -1 || i.better > 1) fail(what + ": better must be -1, 0 or +1");
  }
  const auto known = [&](const std::string& n, const std::string& where) {
    if (!find_indicator(n)) fail(where + ": '" + n + "' is not a declared indicator");
  };
  if (!analysis.cost.empty()) known(analysis.cost, "analysis cost");
  for (const auto& c : analysis.cost_effectiveness) known(c.outcome, "cost-effectiveness '" + c.name + "'");
  for (const auto& n : analysis.area_plots) known(n, "analysis area plots");
  for (const auto& part : analysis.stack)
    for (const auto& n : part.indicators) known(n, "analysis stack '" + part.label + "'");
  for (const auto& panel : analysis.panels)
    for (const auto& part : panel.parts)
      for (const auto& n : part.indicators) known(n, "analysis panel '" + panel.label + "'");
  if (!analysis.level.empty()) {
    const std::size_t l = level_index(analysis.level);
    const TableDecl& t = table(levels[l].table);
    for (const auto& g : analysis.groupings)
      if (std::none_of(t.columns.begin(), t.columns.end(), [&](const ColumnInfo& c) { return c.name == g && c.fixed; }))
        fail("analysis grouping '" + g + "' is not a fixed column of table '" + t.kind + "'");
    for (const auto& g : analysis.flags) {
      if (std::none_of(t.columns.begin(), t.columns.end(), [&](const ColumnInfo& c) { return c.name == g && c.fixed; }))
        fail("analysis flag '" + g + "' is not a fixed column of table '" + t.kind + "'");
      if (std::find(analysis.groupings.begin(), analysis.groupings.end(), g) != analysis.groupings.end())
        fail("analysis flag '" + g + "' is also a grouping");
    }
  }
}

}  // namespace sim
