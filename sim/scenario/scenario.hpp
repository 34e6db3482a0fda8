#pragma once
// A resolved scenario: a value for every key of a schema (defaults filled in),
// where each value came from, and the YAML text of the whole resolved
// scenario, which outputs store so that a run can be repeated from its file.
//
// Loading rules (see docs/scenarios.md):
// - a YAML mapping, nested by dots in the key path; `extends: OTHER.yaml`
//   (relative to the file) loads OTHER first and applies this file on top;
// - unknown keys, duplicate keys, wrong types, values out of range, choices not
//   in the list are errors naming file:line:column and the key path, with a
//   "did you mean" suggestion for unknown keys;
// - `--set path=value` overrides are applied last, value parsed as YAML;
// - a file name that is not found on disk and names a built-in resource
//   ("baseline" or "baseline.yaml") is read from the resources compiled in.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/core/error.hpp"
#include "sim/scenario/schema.hpp"

namespace sim::scenario {

// A file compiled into the binary, addressed as "builtin:" + name,
// e.g. "builtin:scenarios/baseline.yaml".
struct EmbeddedFile {
  std::string_view name;
  std::string_view text;
};

inline constexpr std::string_view kBuiltinPrefix = "builtin:";

// Reads a file from disk or, with the builtin: prefix, from the embedded set.
std::string read_text(const std::string& path, std::span<const EmbeddedFile> embedded);
// True for a "builtin:" path.
bool is_builtin(std::string_view path);
// Input files (scenarios, sweeps, data files) are read whole, from regular
// files of at most this size.
inline constexpr std::uintmax_t kMaxInputBytes = std::uintmax_t{64} << 20;
// Reads `path` from disk or the embedded set; nullopt with `reason` set
// ("no such file", "not a regular file ...", "larger than 64 MiB", ...) when
// it cannot.
std::optional<std::string> try_read(const std::string& path, std::span<const EmbeddedFile> embedded,
                                    std::string& reason);
bool embedded_has(std::string_view builtin_path, std::span<const EmbeddedFile> embedded);
class Scenario;
// Reads and checks every file the scenario's path keys name, by their
// schema's checks (KeySpec::check_file), as a run would read them; throws
// sim::Error naming the key and the file.
void check_files(const Scenario& sc);
// Resolves `relative` against the directory of `base` (keeping the builtin:
// prefix if base has it); absolute paths are returned unchanged.
std::string resolve_relative(const std::string& base, const std::string& relative);

struct Origin {
  std::string file;  // file path, "builtin:...", "--set" or "default"
  int line = 0;      // 1-based; 0 when not from a file
  int column = 0;    // 1-based
};

class Scenario {
 public:
  Scenario() = default;
  explicit Scenario(const Schema& schema);  // all defaults

  const Schema& schema() const { return *schema_; }

  const Value& get(std::string_view path) const;  // throws Error(failure) if not in schema
  bool boolean(std::string_view path) const;
  std::int64_t integer(std::string_view path) const;
  double real(std::string_view path) const;  // also accepts integer keys
  const std::string& string(std::string_view path) const;  // string, choice and path keys
  const std::vector<double>& reals(std::string_view path) const;
  const Origin& origin_of(std::string_view path) const;

  // Sets a value programmatically (sweeps); checked against the schema like
  // a value from a file; throws Error(invalid_input).
  void set(std::string_view path, const Value& value, Origin origin = {"api", 0, 0});

  const std::string& name() const { return name_; }      // file stem, e.g. "baseline"
  const std::string& source() const { return source_; }  // what was loaded, e.g. "scenarios/baseline.yaml"
  // The file's `description:` (the nearest file of an extends chain that has one).
  const std::string& description() const { return description_; }
  // Every key, with its resolved value, as nested YAML in schema order.
  std::string to_yaml() const;
  // Keys whose values differ from `other` (for reports).
  std::vector<std::string> differing_keys(const Scenario& other) const;

 private:
  friend class Loader;
  const Schema* schema_ = nullptr;
  std::map<std::string, Value, std::less<>> values_;
  std::map<std::string, Origin, std::less<>> origins_;
  std::string name_ = "default";
  std::string source_ = "default";
  std::string description_;
};

// Loads a scenario file (or built-in resource) and applies `overrides`
// ("path=value"). The schema must outlive the scenario.
// Throws Error(invalid_input) with "file:line:col: key.path: message".
Scenario load(const std::string& file, const Schema& schema, std::span<const std::string> overrides = {},
              std::span<const EmbeddedFile> embedded = {});
// As load(), from text already in memory; `origin_name` names it in messages
// and is the base for relative paths.
Scenario load_text(const std::string& text, const std::string& origin_name, const Schema& schema,
                   std::span<const std::string> overrides = {}, std::span<const EmbeddedFile> embedded = {});

// A scenario as an output or a checkpoint stores it (to_yaml(): every key,
// paths already resolved), under the name and source it was loaded as.
Scenario load_resolved(const std::string& yaml, const std::string& name, const std::string& source,
                       const Schema& schema, std::span<const EmbeddedFile> embedded = {});

// Closest candidates to `word` by edit distance, for "did you mean".
std::vector<std::string> suggest(std::string_view word, const std::vector<std::string>& candidates,
                                 std::size_t max_suggestions = 3);

// Human-readable listing of every key (for `ruralsim schema`): text or markdown.
std::string describe(const Schema& schema, bool markdown);

}  // namespace sim::scenario
