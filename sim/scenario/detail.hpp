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

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/schema.hpp"

namespace sim::scenario::detail {

// Shortest text that reads back to the same double (".inf"/"-.inf" for
// infinities, as YAML spells them).
std::string format_real(double v);
// A value as it appears in messages and listings: 2400, true, "text", [1, 2].
std::string format_value(const Value& v);

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

// "unknown key; did you mean 'a.b'?" with suggestions from every key and
// section of the schema.
std::string unknown_key_message(const Schema& schema, std::string_view path);
// True if `path` is a proper prefix (at a dot) of some key: a section.
bool is_section(const Schema& schema, std::string_view path);
// The keys directly or indirectly under a section, for messages.
std::vector<std::string> section_keys(const Schema& schema, std::string_view section);

bool is_builtin(std::string_view path);
// Reads `path` from disk or the embedded set; nullopt with `reason` set
// ("no such file", ...) when it cannot.
std::optional<std::string> try_read(const std::string& path, std::span<const EmbeddedFile> embedded,
                                    std::string& reason);
bool embedded_has(std::string_view builtin_path, std::span<const EmbeddedFile> embedded);

}  // namespace sim::scenario::detail
