#pragma once
// YAML::LoadAll with a bound. yaml-cpp 0.7 hands out empty documents forever
// for some texts (a lone ",", found by fuzzing the loaders), so LoadAll never
// returns; the documents are counted first, with a handler that builds
// nothing, and a text that never ends is refused as a parse error.
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace sim::scenario::yaml {

// Every document of `text`; throws YAML::ParserException where yaml-cpp does,
// and for a text whose documents do not end.
std::vector<YAML::Node> load_documents(const std::string& text);

}  // namespace sim::scenario::yaml
