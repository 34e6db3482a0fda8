#pragma once
// Internal to sim/scenario: the checks and formatting shared by the schema
// builders, Scenario::set and the YAML loader, so that a value is judged by
// the same rules and reported in the same words whichever way it arrives.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/format.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/schema.hpp"

namespace sim::scenario::detail {

// What a value of this type is called in "expected ..." messages.
const char* expected_text(Type t);

struct Problem {
  std::string message;                 // empty: the value is acceptable
  std::optional<std::size_t> element;  // for real_list: the offending element
  explicit operator bool() const { return !message.empty(); }
};

// Checks a typed value against its spec (type, range, choices, length) and
// normalises it: an integer given for a real key becomes a double.
Problem check_value(const KeySpec& spec, Value& value);



}  // namespace sim::scenario::detail
