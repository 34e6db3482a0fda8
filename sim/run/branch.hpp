#pragma once
// Whether a scenario may continue from a checkpoint of another (branching):
// only if the steps already run would have been the same under it.
#include <string>
#include <vector>

#include "sim/io/checkpoint.hpp"
#include "sim/model/description.hpp"
#include "sim/scenario/scenario.hpp"

namespace sim {

// The checkpoint's own scenario, as it was loaded.
scenario::Scenario checkpoint_scenario(const ModelDescription& model, const scenario::Schema& schema,
                                       const io::CheckpointHeader& header);

// One line per key of `branch` that would have changed the past of the
// checkpoint ("run.seed: keys every random draw of the steps already run");
// empty if the branch may continue from it. A restart (the same scenario)
// has none.
std::vector<std::string> branch_conflicts(const ModelDescription& model, const scenario::Scenario& past,
                                          const scenario::Scenario& branch, const io::CheckpointHeader& header);

// Throws Error(invalid_input) listing branch_conflicts() of `scenario`
// against the checkpoint at `path`, if there are any.
void check_branch(const ModelDescription& model, const scenario::Scenario& scenario, const io::CheckpointHeader& header,
                  const std::string& path);

// The last step the checkpoint covers, as a calendar month.
StepInfo checkpoint_last_step(const io::CheckpointHeader& header);

}  // namespace sim
