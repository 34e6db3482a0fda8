#include "sim/model/description_text.hpp"

#include <sstream>

#include "sim/core/json.hpp"

namespace sim {

namespace {

std::string list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + json_string(v[i]);
  return out + "]";
}

const char* boolean(bool b) { return b ? "true" : "false"; }

// Markdown table cells may not hold a bare '|'.
std::string cell(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

}  // namespace

std::string source_text(const IndicatorDecl& i) {
  if (!i.reduce.table.empty()) {
    std::string s = i.reduce.op == "count" ? "count of " + i.reduce.table : "sum of " + i.reduce.of + " over " + i.reduce.table;
    if (!i.reduce.where.empty()) s += " where " + i.reduce.where;
    return s;
  }
  if (!i.set_at.empty()) return "set at " + i.set_at + (i.rule.empty() ? "" : " by " + i.rule);
  return i.formula;
}

std::string to_json(const ModelDescription& d) {
  std::ostringstream o;
  o << "{\n\"format\": \"ruralsim-model-description\", \"format_version\": 1,\n"
    << "\"name\": " << json_string(d.name) << ", \"version\": " << json_string(d.version)
    << ", \"description\": " << json_string(d.description) << ",\n"
    << "\"calendar\": {\"seed\": " << d.calendar.seed << ", \"start_year\": " << d.calendar.start_year
    << ", \"start_month\": " << d.calendar.start_month << ", \"months\": " << d.calendar.months << "},\n"
    << "\"hierarchy\": " << list(d.hierarchy) << ",\n\"tables\": [\n";
  for (std::size_t t = 0; t < d.tables.size(); ++t) {
    const TableDecl& tab = d.tables[t];
    o << "{\"kind\": " << json_string(tab.kind) << ", \"plural\": " << json_string(tab.plural)
      << ", \"description\": " << json_string(tab.description) << ",\n \"columns\": [\n";
    for (std::size_t c = 0; c < tab.columns.size(); ++c) {
      const ColumnInfo& col = tab.columns[c];
      o << "  {\"name\": " << json_string(col.name) << ", \"type\": " << json_string(dtype_name(col.type))
        << ", \"unit\": " << json_string(col.unit) << ", \"fixed\": " << boolean(col.fixed)
        << ", \"description\": " << json_string(col.description) << "}" << (c + 1 < tab.columns.size() ? "," : "") << "\n";
    }
    o << " ],\n \"predicates\": [";
    for (std::size_t p = 0; p < tab.predicates.size(); ++p)
      o << (p ? ",\n  " : "\n  ") << "{\"name\": " << json_string(tab.predicates[p].name)
        << ", \"expression\": " << json_string(tab.predicates[p].expression)
        << ", \"description\": " << json_string(tab.predicates[p].description) << "}";
    o << "]}" << (t + 1 < d.tables.size() ? "," : "") << "\n";
  }
  o << "],\n\"levels\": [\n";
  for (std::size_t l = 0; l < d.levels.size(); ++l)
    o << "{\"name\": " << json_string(d.levels[l].name) << ", \"table\": " << json_string(d.levels[l].table)
      << ", \"label\": " << json_string(d.levels[l].label)
      << ", \"single_precision\": " << boolean(d.levels[l].single_precision) << "}" << (l + 1 < d.levels.size() ? "," : "")
      << "\n";
  o << "],\n\"indicators\": [\n";
  for (std::size_t k = 0; k < d.indicators.size(); ++k) {
    const IndicatorDecl& i = d.indicators[k];
    o << "{\"name\": " << json_string(i.name) << ", \"unit\": " << json_string(i.unit)
      << ", \"yearly_unit\": " << json_string(i.yearly_unit()) << ", \"yearly\": " << json_string(name_of(i.yearly))
      << ", \"description\": " << json_string(i.description) << ",\n \"source\": "
      << json_string(!i.reduce.table.empty() ? "reduction" : !i.set_at.empty() ? "set" : "formula");
    if (!i.reduce.table.empty())
      o << ", \"reduce\": {\"table\": " << json_string(i.reduce.table) << ", \"op\": " << json_string(i.reduce.op)
        << ", \"of\": " << json_string(i.reduce.of) << ", \"where\": " << json_string(i.reduce.where) << "}";
    o << ", \"set_at\": " << json_string(i.set_at) << ", \"rule\": " << json_string(i.rule)
      << ", \"formula\": " << json_string(i.formula) << ", \"combine\": " << json_string(name_of(i.combine))
      << ", \"weight\": " << json_string(i.weight) << ",\n \"year_end_only\": " << boolean(i.year_end_only)
      << ", \"hand_tuned\": " << boolean(i.hand_tuned) << ", \"recorded\": " << boolean(i.recorded)
      << ", \"label\": " << json_string(i.label) << ", \"topic\": " << json_string(i.topic)
      << ", \"format\": " << json_string(i.format) << ", \"better\": " << i.better << ", \"key\": " << boolean(i.key)
      << ", \"summary\": " << boolean(i.summary) << "}"
      << (k + 1 < d.indicators.size() ? "," : "") << "\n";
  }
  o << "],\n\"events\": {\"table\": " << json_string(d.event_table) << ", \"kinds\": [";
  for (std::size_t e = 0; e < d.events.size(); ++e)
    o << (e ? ",\n  " : "\n  ") << "{\"code\": " << e << ", \"name\": " << json_string(d.events[e].name)
      << ", \"description\": " << json_string(d.events[e].description) << "}";
  o << "]},\n\"panel_table\": " << json_string(d.panel_table) << ",\n";
  const AnalysisDecl& a = d.analysis;
  o << "\"analysis\": {\"package\": " << json_string(a.package) << ", \"level\": " << json_string(a.level)
    << ", \"groupings\": " << list(a.groupings) << ", \"flags\": " << list(a.flags) << ", \"topics\": " << list(a.topics) << ", \"cost\": " << json_string(a.cost) << ",\n \"cost_effectiveness\": [";
  for (std::size_t c = 0; c < a.cost_effectiveness.size(); ++c) {
    const auto& ce = a.cost_effectiveness[c];
    o << (c ? ",\n  " : "\n  ") << "{\"name\": " << json_string(ce.name) << ", \"label\": " << json_string(ce.label)
      << ", \"outcome\": " << json_string(ce.outcome) << ", \"direction\": " << ce.direction
      << ", \"definition\": " << json_string(ce.definition) << "}";
  }
  o << "],\n \"area_plots\": " << list(a.area_plots) << ", \"stack_title\": " << json_string(a.stack_title)
    << ",\n \"stack\": [";
  for (std::size_t p = 0; p < a.stack.size(); ++p)
    o << (p ? ",\n  " : "\n  ") << "{\"label\": " << json_string(a.stack[p].label)
      << ", \"indicators\": " << list(a.stack[p].indicators) << "}";
  o << "],\n \"panels_title\": " << json_string(a.panels_title) << ",\n \"panels\": [";
  for (std::size_t p = 0; p < a.panels.size(); ++p) {
    o << (p ? ",\n  " : "\n  ") << "{\"label\": " << json_string(a.panels[p].label) << ", \"parts\": [";
    for (std::size_t k = 0; k < a.panels[p].parts.size(); ++k)
      o << (k ? ", " : "") << "{\"label\": " << json_string(a.panels[p].parts[k].label)
        << ", \"indicators\": " << list(a.panels[p].parts[k].indicators) << "}";
    o << "]}";
  }
  o << "]}\n}\n";
  return o.str();
}

std::string to_markdown(const ModelDescription& d) {
  std::ostringstream o;
  o << "# The " << d.name << " model as declared (version " << d.version << ")\n\n"
    << "The model's description as `describe` prints it: every part of the program reads this one\n"
    << "description (the engine, the recorder, the analysis package), and every output file carries\n"
    << "it as its root attribute `model_description` (JSON; `describe --format json`).\n\n"
    << d.description << ".\n\n";
  o << "## Agent tables\n\n";
  if (!d.hierarchy.empty()) {
    o << "Nesting: ";
    for (std::size_t h = 0; h < d.hierarchy.size(); ++h) o << (h ? " > " : "") << d.hierarchy[h];
    o << " (each group's members are contiguous rows).\nFixed columns are set when the agents are created "
         "and written once to `/static/<table>`.\n\n";
  }
  for (const TableDecl& t : d.tables) {
    o << "### " << t.kind << "\n\n" << t.description << "\n\n| column | type | unit | description |\n|---|---|---|---|\n";
    for (const ColumnInfo& c : t.columns)
      o << "| `" << c.name << "` | " << dtype_name(c.type) << " | " << cell(c.unit) << " | " << (c.fixed ? "(fixed) " : "")
        << cell(c.description) << " |\n";
    if (!t.predicates.empty()) {
      o << "\nPredicates used by reductions:\n\n| predicate | expression | meaning |\n|---|---|---|\n";
      for (const PredicateDecl& p : t.predicates)
        o << "| `" << p.name << "` | `" << cell(p.expression) << "` | " << cell(p.description) << " |\n";
    }
    o << "\n";
  }
  o << "## Levels\n\nEvery step is recorded at these levels; level 0 is the whole.\n\n| level | groups are rows of | single precision |\n|---|---|---|\n";
  for (const LevelDecl& l : d.levels)
    o << "| `" << l.name << "` | " << (l.table.empty() ? "(one group" + (l.label.empty() ? std::string() : ": " + l.label) + ")" : l.table)
      << " | " << (l.single_precision ? "yes" : "no") << " |\n";
  o << "\n## Indicators\n\nYearly rule: `sum` of the months, `last` month, `mean` of the months, or `derived`\n"
    << "again from the components' yearly sums (`sum(x)`) and last values (`last(x)`). Indicators\n"
    << "marked (yearly) are defined for yearly analysis only and not recorded per step; (year end):\n"
    << "recorded in the last month of a year, NaN in the others.\n\n"
    << "The topic groups indicators for the analysis (`compare --indicators TOPIC`); (key) marks\n"
    << "the headline ones.\n\n"
    << "| indicator | topic | unit per step (per year) | yearly | from | description |\n|---|---|---|---|---|---|\n";
  for (const IndicatorDecl& i : d.indicators) {
    std::string unit = cell(i.unit);
    if (i.yearly_unit() != i.unit) unit += " (" + cell(i.yearly_unit()) + ")";
    std::string from = "`" + cell(source_text(i)) + "`";
    if (!i.reduce.table.empty() && i.hand_tuned) from += " (computed in the model's loop)";
    if (!i.set_at.empty() && !i.formula.empty()) from += "; elsewhere `" + cell(i.formula) + "`";
    if (i.combine == Combine::weighted_mean) from += "; mean weighted by " + i.weight + " above";
    if (i.combine == Combine::none && !i.set_at.empty()) from += "; set at each level";
    std::string notes = !i.recorded ? "(yearly) " : i.year_end_only ? "(year end) " : "";
    const std::string topic = cell(i.topic) + (i.key ? " (key)" : "");
    o << "| `" << i.name << "` | " << topic << " | " << unit << " | " << name_of(i.yearly) << " | " << from << " | "
      << notes << cell(i.description) << " |\n";
  }
  if (!d.events.empty()) {
    o << "\n## Events\n\nEach event names the " << d.event_table << " it happened to; `/events/kind` holds the code.\n\n"
      << "| code | event | description |\n|---|---|---|\n";
    for (std::size_t e = 0; e < d.events.size(); ++e)
      o << "| " << e << " | `" << d.events[e].name << "` | " << cell(d.events[e].description) << " |\n";
  }
  return o.str();
}

}  // namespace sim
