#pragma once
// A model description as text: JSON (written into every output file as the
// root attribute `model_description`, read by the analysis package) and
// Markdown (`describe --markdown`, the generated docs/model.md).
#include <string>

#include "sim/model/description.hpp"

namespace sim {

std::string to_json(const ModelDescription& model);
std::string to_markdown(const ModelDescription& model);

// Where an indicator's values come from, in words: "sum of members over
// household where poverty_alleviated", "set at county by the county year
// plan", "12 * (sum(income) / sum(people))".
std::string source_text(const IndicatorDecl& indicator);

}  // namespace sim
