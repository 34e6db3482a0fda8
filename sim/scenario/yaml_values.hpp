#pragma once
// The YAML reading rules of scenario files, also used by sweep files (whose
// `set:` and `values:` hold scenario values), so that a value is accepted or
// refused, and the refusal worded and placed, the same way in either file.
#include <yaml-cpp/yaml.h>

#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/schema.hpp"

namespace sim::scenario::yaml {

// A value that cannot be accepted, and where it was; the caller knows the file
// (or that it came from --set) and the key's label, and turns this into an Error.
struct ValueError {
  std::string message;
  YAML::Mark mark;
};

// "file:line:col: ", or "file: " where yaml-cpp gives no position.
std::string where(const std::string& file, const YAML::Mark& mark);
[[noreturn]] void fail(const std::string& file, const YAML::Mark& mark, const std::string& message);

// yaml-cpp marks an empty value at the token after it (often the next line),
// so a missing value is reported at its key.
YAML::Mark mark_of(const YAML::Node& value, const YAML::Mark& key_mark);

// Plain scalars only: a quoted "5" is a string by YAML's rules, and an
// explicit tag says the author meant something else.
bool plain(const YAML::Node& n);

// What the author wrote, for "found ..." in messages.
std::string found(const YAML::Node& n);
// What kind of node it is, without its text ("a single value", "a list"...):
// for a whole file that may not be a scenario at all, whose content must not
// be echoed.
std::string kind_of(const YAML::Node& n);
// A key as messages quote it: only a key name (letters, digits, _ - .) is
// shown; anything else (a line of a file that is no scenario) is not echoed.
std::string shown_key(const std::string& key);

// Parses `n` as a value of `spec` and checks it against the spec; throws a
// ValueError pointing at the offending element of a list where there is one.
Value checked_value(const KeySpec& spec, const YAML::Node& n, const YAML::Mark& key_mark);

// Walks one YAML mapping against a schema, nested sections and dotted paths
// alike, and hands every key to `leaf` in file order. Keys that are not names,
// duplicates (also one key reached once flat and once nested), unknown keys and
// sections given a non-mapping fail here, each message prefixed by `label`.
// `root_keys` are top-level keys outside the schema that the caller handles
// itself (e.g. `description`); they reach `leaf` like schema keys.
using Leaf = std::function<void(const std::string& path, const YAML::Node& key, const YAML::Node& value)>;
void walk(const std::string& file, const YAML::Node& map, const Schema& schema, const std::string& label,
          std::initializer_list<std::string_view> root_keys, const Leaf& leaf);

// "baseline" or "baseline.yaml" as a built-in scenario, if there is one.
std::optional<std::string> builtin_scenario(const std::string& name, std::span<const EmbeddedFile> embedded);
bool exists_on_disk(const std::string& path);

}  // namespace sim::scenario::yaml
