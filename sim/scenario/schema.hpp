#pragma once
// The declared schema of a scenario: every key a scenario may set, with its
// type, default, allowed range, unit and one line of documentation. Each
// component (the engine's run and output settings, each model) declares its
// own keys; a Schema is the union. Keys are dotted paths ("land.quota_mu").
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sim::scenario {

enum class Type {
  boolean,
  integer,
  real,
  string,
  choice,     // a string from a fixed list
  real_list,  // a YAML sequence of reals, e.g. one value per year
  path,       // a file path, resolved relative to the scenario file that sets it
};

const char* type_name(Type t);

using Value = std::variant<bool, std::int64_t, double, std::string, std::vector<double>>;

struct KeySpec {
  std::string path;
  Type type = Type::real;
  Value default_value;
  double min = -std::numeric_limits<double>::infinity();  // for integer, real and each real_list element
  double max = std::numeric_limits<double>::infinity();
  std::vector<std::string> choices;  // for choice
  std::size_t min_length = 0;        // for real_list
  std::size_t max_length = std::numeric_limits<std::size_t>::max();
  std::string unit;                  // "yuan", "mu", "1/month", "" when not a quantity
  std::string doc;                   // one line; cite the source or say "assumption"
  // For a path key: reads and checks the file it names as a run would (e.g.
  // parses a data table), throwing sim::Error; `validate` calls it.
  std::function<void(const std::string& file)> check_file{};
};

class Schema {
 public:
  // Builders; each returns *this so that a component declares its keys in one
  // readable block. Throws on a duplicate path or a default outside its range.
  Schema& boolean(std::string path, bool def, std::string doc);
  Schema& integer(std::string path, std::int64_t def, double min, double max, std::string unit, std::string doc);
  Schema& real(std::string path, double def, double min, double max, std::string unit, std::string doc);
  Schema& string(std::string path, std::string def, std::string doc);
  Schema& choice(std::string path, std::string def, std::vector<std::string> choices, std::string doc);
  Schema& reals(std::string path, std::vector<double> def, double min, double max, std::size_t min_length,
                std::size_t max_length, std::string unit, std::string doc);
  Schema& file(std::string path, std::string def, std::string doc);
  // Sets the check of the file a path key names (see KeySpec::check_file).
  Schema& check_file(std::string_view path, std::function<void(const std::string& file)> check);
  Schema& add(KeySpec spec);
  Schema& merge(const Schema& other);

  const KeySpec* find(std::string_view path) const;
  const std::vector<KeySpec>& keys() const { return keys_; }

 private:
  std::vector<KeySpec> keys_;
};

// Questions about a schema's keys, for loaders' messages:
// "unknown key; did you mean 'a.b'?" with suggestions from every key and
// section of the schema.
std::string unknown_key_message(const Schema& schema, std::string_view path);
// True if `path` is a proper prefix (at a dot) of some key: a section.
bool is_section(const Schema& schema, std::string_view path);
// The keys directly or indirectly under a section, for messages.
std::vector<std::string> section_keys(const Schema& schema, std::string_view section);

}  // namespace sim::scenario
