#include "sim/core/record.hpp"

#include "sim/core/error.hpp"

namespace sim {

std::size_t LevelSpec::indicator_index(const std::string& indicator) const {
  for (std::size_t i = 0; i < indicators.size(); ++i)
    if (indicators[i].name == indicator) return i;
  throw Error(Status::failure, "level '" + name + "' has no indicator '" + indicator + "'");
}

const LevelSpec& OutputSpec::level(const std::string& name) const {
  for (const auto& l : levels)
    if (l.name == name) return l;
  throw Error(Status::failure, "output has no level '" + name + "'");
}

void StepRecord::reset(const OutputSpec& spec, const StepInfo& step) {
  info = step;
  levels.resize(spec.levels.size());
  for (std::size_t l = 0; l < spec.levels.size(); ++l) {
    LevelFrame& f = levels[l];
    f.groups = spec.levels[l].groups;
    f.indicators = spec.levels[l].indicators.size();
    f.values.assign(f.groups * f.indicators, 0.0);
  }
  events.clear();
}

}  // namespace sim
