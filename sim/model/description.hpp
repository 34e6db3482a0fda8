#pragma once
// A model declared as data (in the spirit of FLAME GPU 2's ModelDescription):
// its agent tables and their nesting, the levels it records, every indicator
// with its unit, yearly rule and where its values come from, its events, its
// calendar and its scenario schema. The engine runs, records, aggregates and
// documents a model from this one description; the output file carries it,
// so that the analysis package and the docs read it too.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/core/calendar.hpp"
#include "sim/core/columns.hpp"
#include "sim/scenario/scenario.hpp"

namespace sim {

class ModelInstance;

// Identity of one run: the random streams are keyed by (seed, replicate).
struct RunIdentity {
  std::uint64_t seed = 0;
  std::uint32_t replicate = 0;
};

// How a year (or the whole run) is read off the monthly values of an
// indicator: the sum of the months (flows), the last month (stocks), the mean
// of the months, or recomputed from the components by the formula (ratios).
enum class Yearly : std::uint8_t { sum, last, mean, derived };
const char* name_of(Yearly y);

// How a value set at one level makes the value of the level above: the sum
// over the members, their mean weighted by another indicator, or none (the
// model sets every level itself, e.g. a Gini coefficient).
enum class Combine : std::uint8_t { sum, weighted_mean, none };
const char* name_of(Combine c);

// A reduction over an agent table, per group of a level (FLAME GPU 2's
// logSum/logCount): `op` "sum" of the expression `of`, or "count", over the
// agents for which `where` holds (empty: all). Expressions name the table's
// columns and predicates.
struct Reduction {
  std::string table{};
  std::string op = "sum";
  std::string of{};
  std::string where{};
};

struct IndicatorDecl {
  std::string name{};
  std::string unit{};  // of one step's value; the yearly unit follows from the rule (yearly_unit())
  Yearly yearly = Yearly::last;
  std::string description{};
  // Where the values come from, exactly one of:
  Reduction reduce{};       // reduce.table set: a reduction over an agent table,
  bool hand_tuned = false;  //   which the model's own loop computes (a test holds it to the declared form);
  std::string set_at{};     // a level at which the model's rules set the value,
  std::string rule{};       //   and the rule that sets it (documentation);
  std::string formula{};    // derived from other indicators (see expression.hpp): sum(x), last(x), growth(x),
                          // members_mean(e, w), members_gini(e, w). With set_at: used where it is not set.
  Combine combine = Combine::sum;  // for reductions and set values
  std::string weight{};              // the weighting indicator of Combine::weighted_mean
  bool year_end_only = false;      // recorded at year ends (and the run's last step); NaN in other steps
  bool recorded = true;            // false: defined for yearly analysis only, never written per step
  // How people read it: a short label, a topic to group it under, a format
  // (int, num, money, pct, ratio, months), which direction is better (+1, -1,
  // 0), whether it is a key indicator (default tables and plots of the
  // analysis) and whether the table printed after a run shows it.
  std::string label{}, topic{}, format{};
  int better = 0;
  bool key = false;
  bool summary = false;

  bool derived() const { return !formula.empty() && reduce.table.empty() && set_at.empty(); }
  std::string yearly_unit() const;  // e.g. "yuan/month" summed over a year reads "yuan/year"
};

struct PredicateDecl {
  std::string name;
  std::string expression;  // over the table's columns, e.g. "flags & 1"
  std::string description;
};

struct TableDecl {
  std::string kind;         // e.g. "household"; also the name in /static and the panel
  std::string plural;       // e.g. "households": the column counting them in coarser tables' /static
  std::string description;
  std::vector<ColumnInfo> columns;
  std::vector<PredicateDecl> predicates;
};

// A level of aggregation recorded every step: level 0 is the whole (one
// group); each further level is the table whose rows are its groups.
struct LevelDecl {
  std::string name;
  std::string table;   // empty for level 0
  std::string label;   // e.g. "all counties" for level 0
  bool single_precision = false;
};

struct EventDecl {
  std::string name;
  std::string description;
};

struct Calendar {
  std::int64_t seed = 1;
  std::int64_t start_year = 2000;
  std::int64_t start_month = 1;
  std::int64_t months = 12;
  std::string period;  // what the default months cover, for the schema's documentation
};

// What the analysis commands of the program need from the model: the Python
// package that runs them and where it lives, the level it reads, how areas
// group that level's rows (static columns), and the figures it draws.
struct AnalysisDecl {
  std::string package;             // e.g. "ruralsim_analysis"
  std::string directory;           // folder holding the package (build-time default)
  std::string level;               // the level compared by area, e.g. "county"
  std::vector<std::string> groupings;  // static columns of that level grouping its rows into areas, each nested in the one before
  std::vector<std::string> flags;      // static 0/1 columns of that level, each splitting its rows in two (not nested)
  std::vector<std::string> topics;     // the order in which indicators' topics are shown
  std::string cost;                // the indicator that counts public spending
  struct CostEffectiveness {
    std::string name, label, outcome;
    int direction = 1;             // +1: more outcome is the gain; -1: less
    std::string definition;
  };
  std::vector<CostEffectiveness> cost_effectiveness;
  std::vector<std::string> area_plots;  // indicators drawn by area
  struct StackPart {
    std::string label;
    std::vector<std::string> indicators;
  };
  std::string stack_title;
  std::vector<StackPart> stack;    // indicators drawn stacked (e.g. income by source)
  // Panels of stacked bars, one per panel label (e.g. a household group),
  // each stacking its parts (e.g. income categories).
  struct Panel {
    std::string label;
    std::vector<StackPart> parts;
  };
  std::string panels_title;
  std::vector<Panel> panels;
};

// What the classroom server (`serve`) shows of a model: the levers a
// teacher moves (scenario keys, or one element of a list key), the charts,
// the map's indicators, a short lesson and the limits of a class.
struct ClassroomDecl {
  struct Lever {
    std::string key;          // a real or integer scenario key, or a list key with `index`
    int index = -1;           // the list element the lever sets (-1: the key is a number)
    std::string label;        // short, e.g. "Land quota"
    std::string explanation;  // one line a student reads
    double min = 0, max = 0, step = 1;  // the slider's range (within the key's own range)
  };
  struct Chart {
    std::string title;
    std::vector<std::string> indicators;  // level-0 indicators drawn together
  };
  struct LessonStep {
    std::string title, text;
    std::vector<std::pair<std::string, double>> try_levers;  // suggested moves: lever key, value
  };
  std::vector<Lever> levers;
  std::vector<Chart> charts;
  // The map: one mark per row of a recorded level's table, placed by two of
  // its fixed columns and labelled by others (the first label is the name).
  std::string map_level;                    // e.g. "county"
  std::vector<std::string> map_indicators;  // indicators recorded at map_level
  std::vector<std::string> map_labels;      // fixed string columns of the table, e.g. name, province
  std::string map_lat, map_lon;             // fixed columns: degrees
  std::vector<LessonStep> lesson;
  std::string scale_key;  // the key that sets the population's size (e.g. population.scale)
  std::string scale_explanation;
  double default_scale = 0.005, max_scale = 0.05;
};

struct ModelDescription {
  std::string name;
  std::string version;
  std::string description;
  Calendar calendar;
  std::vector<TableDecl> tables;
  std::vector<std::string> hierarchy;  // tables nested by contiguous ranges, from the top
  std::vector<LevelDecl> levels;
  std::vector<IndicatorDecl> indicators;
  std::string event_table;             // what an event's agent id refers to
  std::vector<EventDecl> events;
  std::string panel_table;             // table the agent panel samples, if any
  AnalysisDecl analysis;
  ClassroomDecl classroom;  // empty levers: the model has no classroom

  // The model's scenario keys; the engine adds its own run.* and output.* keys.
  std::function<void(scenario::Schema&)> declare_schema;
  std::function<std::unique_ptr<ModelInstance>(const scenario::Scenario&, const RunIdentity&)> create;
  // Branching a run from a checkpoint (`run SCENARIO --from CHECKPOINT`):
  // the model's keys on which `branch` differs from `past` (the checkpoint's
  // scenario) in a way that would have changed the steps already run (up to
  // and including `last`), each with why ("population.scale: shapes the
  // population built at set-up"). The engine checks its own keys itself.
  // Unset: every differing model key counts as changing the past.
  std::function<std::vector<std::string>(const scenario::Scenario& past, const scenario::Scenario& branch,
                                         const StepInfo& last)>
      branch_conflicts;
  // Peak resident memory, in bytes, of one run of the scenario, estimated
  // before anything is built (unset or 0: unknown). Runs sharing a process
  // (--jobs of an ensemble or a sweep) start only while their estimates fit
  // together (sim/run/memory_gate.hpp). May throw for a scenario the model
  // cannot run; the run itself then reports the error.
  std::function<double(const scenario::Scenario&)> peak_memory;
  // Scenario files and data compiled into the binary ("scenarios/baseline.yaml", ...).
  std::span<const scenario::EmbeddedFile> embedded;
  std::string default_scenario;  // e.g. "builtin:scenarios/baseline.yaml"

  const TableDecl& table(const std::string& kind) const;        // throws if unknown
  const IndicatorDecl& indicator(const std::string& name) const;  // throws if unknown
  const IndicatorDecl* find_indicator(const std::string& name) const;
  std::size_t level_index(const std::string& name) const;         // throws if unknown
  std::size_t event_code(const std::string& name) const;          // throws if unknown

  // Checks the description as a whole: unique names, every formula parses and
  // names declared indicators, every reduction names a declared table,
  // columns and predicates, levels follow the hierarchy. Throws
  // Error(failure) naming the model and the entry: a model bug.
  void validate() const;
};

// The tables' columns as the model binds them: a default-constructed table
// struct bound to a scratch AgentTable (the one list of a table's columns).
template <class Table>
std::vector<ColumnInfo> columns_of() {
  Table t{};
  AgentTable scratch("scratch");
  t.bind(scratch);
  std::vector<ColumnInfo> out;
  for (const auto& c : scratch.columns()) out.push_back(c->info());
  return out;
}

}  // namespace sim
