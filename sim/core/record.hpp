#pragma once
// What a run records, and one step's worth of it.
//
// The levels of aggregation of a model (from its description: the whole, then
// coarser to finer groups), each with the indicators recorded there, and the
// kinds of event. Every step fills a StepRecord: one value per (indicator,
// group) per level, plus events that happened to single agents. Observers
// (progress, a live view, a notebook) and the HDF5 recorder consume the same
// StepRecord.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/calendar.hpp"
#include "sim/core/columns.hpp"

namespace sim {

struct IndicatorSpec {
  std::string name;
  std::string unit;
  std::string description;
  // How a yearly value is read off the monthly series (sim::Yearly): "sum",
  // "last", "mean" or "derived"; stored as the dataset attribute `yearly`,
  // with `formula` for derived ones.
  std::string yearly = "last";
  std::string formula{};
};

struct LevelSpec {
  std::string name;               // dataset group in the output
  std::size_t groups = 0;         // number of groups at this level
  bool single_precision = false;  // store as float32 (large levels such as villages)
  std::vector<IndicatorSpec> indicators;
  std::size_t indicator_index(const std::string& indicator) const;  // throws if unknown
};

struct EventKind {
  std::string name;
  std::string description;
};

struct OutputSpec {
  std::vector<LevelSpec> levels;         // level 0: the whole, one group
  std::string event_agent_kind;          // what the agent id of an event refers to
  std::vector<EventKind> event_kinds;
  const LevelSpec& level(const std::string& name) const;  // throws if unknown
};

// Values of one level for one step, indicator-major: values[i * groups + g].
struct LevelFrame {
  std::size_t groups = 0;
  std::size_t indicators = 0;
  std::vector<double> values;
  double& at(std::size_t indicator, std::size_t group) { return values[indicator * groups + group]; }
  double at(std::size_t indicator, std::size_t group) const { return values[indicator * groups + group]; }
};

struct Event {
  std::uint32_t agent = 0;
  std::uint16_t kind = 0;
  // Events are stored ordered by (agent, kind): the order is part of the output.
  friend bool operator<(const Event& a, const Event& b) {
    return a.agent != b.agent ? a.agent < b.agent : a.kind < b.kind;
  }
};

struct StepRecord {
  StepInfo info;
  std::vector<LevelFrame> levels;  // in OutputSpec::levels order
  std::vector<Event> events;

  void reset(const OutputSpec& spec, const StepInfo& step);  // sizes frames, zeroes values
};

}  // namespace sim
