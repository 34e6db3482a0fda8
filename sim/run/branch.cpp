#include "sim/run/branch.hpp"

#include <algorithm>
#include <cstdio>

namespace sim {

scenario::Scenario checkpoint_scenario(const ModelDescription& model, const scenario::Schema& schema,
                                       const io::CheckpointHeader& header) {
  try {
    return scenario::load_resolved(header.scenario_yaml, header.scenario_name, header.scenario_source, schema,
                                   model.embedded);
  } catch (const Error& e) {
    throw Error(Status::invalid_input, "the checkpoint's scenario does not load in this build: " + std::string(e.what()));
  }
}

StepInfo checkpoint_last_step(const io::CheckpointHeader& header) {
  return step_info(header.step == 0 ? 0 : header.step - 1, header.steps, header.start_year, header.start_month);
}

std::vector<std::string> branch_conflicts(const ModelDescription& model, const scenario::Scenario& past,
                                          const scenario::Scenario& branch, const io::CheckpointHeader& header) {
  std::vector<std::string> out;
  const StepInfo last = checkpoint_last_step(header);
  char when[16];
  std::snprintf(when, sizeof when, "%04d-%02d", last.year, last.month);
  const std::vector<std::string> differing = branch.differing_keys(past);
  const auto differs = [&](const std::string& key) {
    return std::find(differing.begin(), differing.end(), key) != differing.end();
  };
  if (differs("run.seed")) out.push_back("run.seed: keys every random draw of the steps already run");
  for (const char* key : {"run.start_year", "run.start_month"})
    if (differs(key)) out.push_back(std::string(key) + ": the calendar of the steps already run");
  for (const char* key : {"output.panel.fraction", "output.panel.every_months"})
    if (differs(key)) out.push_back(std::string(key) + ": the agent panel already recorded");
  const std::int64_t months = branch.integer("run.months");
  if (months == static_cast<std::int64_t>(header.step) && header.step == header.steps)
    out.push_back("run.months: the checkpoint's run is complete (" + std::to_string(header.steps) +
                  " months, to " + when + "); nothing is left to run; `run SCENARIO --from CHECKPOINT --set run.months=N` continues it to N months");
  else if (months <= static_cast<std::int64_t>(header.step))
    out.push_back("run.months: " + std::to_string(months) + " leaves no step after the checkpoint (" +
                  std::to_string(header.step) + " steps run, to " + when + ")");
  else if (header.step == header.steps && last.month != 12 && months != static_cast<std::int64_t>(header.steps))
    out.push_back(std::string("run.months: the checkpoint's run ended in ") + when +
                  ", and its year-end rules ran then; a longer run would not have run them");
  std::vector<std::string> model_keys;
  for (const std::string& key : differing)
    if (key.rfind("run.", 0) != 0 && key.rfind("output.", 0) != 0) model_keys.push_back(key);
  if (model.branch_conflicts) {
    if (!model_keys.empty())
      for (std::string& line : model.branch_conflicts(past, branch, last)) out.push_back(std::move(line));
  } else {
    for (const std::string& key : model_keys)
      out.push_back(key + ": the model does not say which of its keys leave the past unchanged");
  }
  return out;
}

void check_branch(const ModelDescription& model, const scenario::Scenario& sc, const io::CheckpointHeader& h,
                  const std::string& path) {
  const scenario::Scenario past = checkpoint_scenario(model, sc.schema(), h);
  const std::vector<std::string> conflicts = branch_conflicts(model, past, sc, h);
  if (conflicts.empty()) return;
  const StepInfo last = checkpoint_last_step(h);
  char when[16];
  std::snprintf(when, sizeof when, "%04d-%02d", last.year, last.month);
  std::string lines;
  for (const std::string& c : conflicts) lines += "\n  " + c;
  throw Error(Status::invalid_input, "checkpoint '" + path + "': scenario '" + sc.name() + "' cannot continue from it (scenario '" +
                                         h.scenario_name + "' to " + when +
                                         "): it differs in what would have changed the steps already run:" + lines);
}

}  // namespace sim
