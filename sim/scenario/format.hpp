#pragma once
// Scenario values as text, the way messages, listings and resolved scenario
// files spell them.
#include <string>

#include "sim/scenario/schema.hpp"

namespace sim::scenario {

// Shortest text that reads back to the same double (".inf"/"-.inf" for
// infinities, as YAML spells them).
std::string format_real(double v);
// A value as it appears in messages and listings: 2400, true, "text", [1, 2].
std::string format_value(const Value& v);

}  // namespace sim::scenario
