// Reading scenario files: YAML to checked values, with every complaint tied to
// the file, line and column a person has to edit.
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "sim/scenario/detail.hpp"
#include "sim/scenario/scenario.hpp"

namespace sim::scenario {

namespace fs = std::filesystem;

namespace {

// A value that cannot be accepted, and where it was; the caller knows the file
// (or that it came from --set) and turns this into an Error.
struct ValueError {
  std::string message;
  YAML::Mark mark;
};

std::string where(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return file + ": ";
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) + ": ";
}

[[noreturn]] void fail(const std::string& file, const YAML::Mark& mark, const std::string& message) {
  throw Error(Status::invalid_input, where(file, mark) + message);
}

// yaml-cpp marks an empty value at the token after it (often the next line),
// so a missing value is reported at its key.
YAML::Mark mark_of(const YAML::Node& value, const YAML::Mark& key_mark) {
  if (!value.IsDefined() || value.IsNull() || value.Mark().is_null()) return key_mark;
  return value.Mark();
}

// Plain scalars only: a quoted "5" is a string by YAML's rules, and an
// explicit tag says the author meant something else.
bool plain(const YAML::Node& n) { return n.IsScalar() && n.Tag() == "?"; }

std::string found(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing";
  if (n.IsMap()) return "a mapping";
  if (n.IsSequence()) return "a list";
  if (n.Tag() == "!") return "the quoted string \"" + n.Scalar() + "\"";
  if (n.Tag() != "?") return "'" + n.Scalar() + "' tagged " + n.Tag();
  return "'" + n.Scalar() + "'";
}

bool digits(std::string_view s, std::size_t& i) {
  const std::size_t start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  return i > start;
}

bool is_integer_text(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  return digits(s, i) && i == s.size();
}

// YAML 1.2 core schema floats (integers included), without .nan.
bool is_real_text(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const std::string_view rest = s.substr(i);
  if (rest == ".inf" || rest == ".Inf" || rest == ".INF") return true;
  bool mantissa = digits(s, i);
  if (i < s.size() && s[i] == '.') {
    ++i;
    mantissa = digits(s, i) || mantissa;
  }
  if (!mantissa) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits(s, i)) return false;
  }
  return i == s.size();
}

std::string_view unsigned_part(std::string_view s, bool& negative) {
  negative = !s.empty() && s[0] == '-';
  return !s.empty() && (s[0] == '+' || s[0] == '-') ? s.substr(1) : s;
}

std::int64_t parse_integer(const YAML::Node& n, const YAML::Mark& mark) {
  const std::string& s = n.Scalar();
  if (!plain(n) || !is_integer_text(s)) {
    std::string msg = "expected an integer, found " + found(n);
    if (plain(n) && is_real_text(s)) msg = "expected an integer, found " + s;
    throw ValueError{msg, mark};
  }
  // from_chars takes no '+'; a leading '-' it does take.
  const std::string_view text = s[0] == '+' ? std::string_view(s).substr(1) : std::string_view(s);
  std::int64_t v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size())
    throw ValueError{s + " does not fit a 64-bit integer", mark};
  return v;
}

double parse_real(const YAML::Node& n, const YAML::Mark& mark, const std::string& what = "a real number") {
  const std::string& s = n.Scalar();
  if (!plain(n) || !is_real_text(s)) throw ValueError{"expected " + what + ", found " + found(n), mark};
  bool negative = false;
  const std::string_view u = unsigned_part(s, negative);
  double v = 0;
  if (u.starts_with('.') && u.size() == 4 && (u[1] == 'i' || u[1] == 'I')) {
    v = std::numeric_limits<double>::infinity();
  } else {
    const auto r = std::from_chars(u.data(), u.data() + u.size(), v);
    if (r.ec != std::errc() || r.ptr != u.data() + u.size())
      throw ValueError{s + " is not representable as a double", mark};
  }
  return negative ? -v : v;
}

// The value's syntax and type; ranges are check_value's business.
Value parse_value(const KeySpec& spec, const YAML::Node& n, const YAML::Mark& key_mark) {
  const YAML::Mark mark = mark_of(n, key_mark);
  const auto expected = [&](const std::string& what) {
    return ValueError{"expected " + what + ", found " + found(n), mark};
  };
  switch (spec.type) {
    case Type::boolean: {
      if (plain(n)) {
        const std::string& s = n.Scalar();
        if (s == "true" || s == "True" || s == "TRUE") return true;
        if (s == "false" || s == "False" || s == "FALSE") return false;
      }
      throw expected("true or false");
    }
    case Type::integer:
      if (!n.IsScalar()) throw expected("an integer");
      return parse_integer(n, mark);
    case Type::real:
      if (!n.IsScalar()) throw expected("a real number");
      return parse_real(n, mark);
    case Type::string:
    case Type::path:
    case Type::choice:
      if (!n.IsScalar()) {
        if (spec.type == Type::choice) {
          std::string list;
          for (const auto& c : spec.choices) list += (list.empty() ? "" : ", ") + c;
          throw expected("one of " + list);
        }
        throw expected(detail::expected_text(spec.type));
      }
      return n.Scalar();
    case Type::real_list: {
      if (!n.IsSequence()) throw expected("a list of real numbers");
      std::vector<double> list;
      list.reserve(n.size());
      std::size_t index = 0;
      for (const auto& e : n) {
        ++index;
        try {
          if (!e.IsScalar()) throw ValueError{"expected a real number, found " + found(e), mark_of(e, mark)};
          list.push_back(parse_real(e, mark_of(e, mark)));
        } catch (ValueError& err) {
          err.message = "element " + std::to_string(index) + ": " + err.message;
          throw;
        }
      }
      return list;
    }
  }
  throw expected("a value");
}

// Parses and checks; throws a ValueError pointing at the offending element of
// a list where there is one.
Value checked_value(const KeySpec& spec, const YAML::Node& n, const YAML::Mark& key_mark) {
  Value v = parse_value(spec, n, key_mark);
  if (auto problem = detail::check_value(spec, v)) {
    YAML::Mark mark = mark_of(n, key_mark);
    if (problem.element && n.IsSequence() && *problem.element < n.size()) mark = mark_of(n[*problem.element], mark);
    throw ValueError{problem.message, mark};
  }
  return v;
}

std::string stem_of(const std::string& source) {
  const std::string inner = detail::is_builtin(source) ? source.substr(kBuiltinPrefix.size()) : source;
  const std::string stem = fs::path(inner).stem().string();
  return stem.empty() ? source : stem;
}

// Two spellings of one file must count as the same for cycle detection.
std::string identity(const std::string& file) {
  if (detail::is_builtin(file)) return file;
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(file, ec);
  return ec ? fs::path(file).lexically_normal().string() : p.string();
}

// "baseline" or "baseline.yaml" as a built-in scenario, if there is one.
std::optional<std::string> builtin_scenario(const std::string& name, std::span<const EmbeddedFile> embedded) {
  for (const char* suffix : {"", ".yaml"}) {
    std::string candidate = "builtin:scenarios/" + name + suffix;
    if (detail::embedded_has(candidate, embedded)) return candidate;
  }
  return std::nullopt;
}

bool exists_on_disk(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

}  // namespace

class Loader {
 public:
  Loader(const Schema& schema, std::span<const EmbeddedFile> embedded) : schema_(schema), embedded_(embedded) {}

  Scenario run(const std::string& source, const std::string& text, std::span<const std::string> overrides) {
    Scenario sc(schema_);
    sc.source_ = source;
    sc.name_ = stem_of(source);
    chain_ = {source};
    chain_ids_ = {identity(source)};
    apply_file(sc, source, text);
    for (const auto& o : overrides) apply_override(sc, o);
    return sc;
  }

 private:
  using Lines = std::map<std::string, int>;  // key path -> line it was set at

  void apply_file(Scenario& sc, const std::string& file, const std::string& text) {
    std::vector<YAML::Node> docs;
    try {
      docs = YAML::LoadAll(text);
    } catch (const YAML::Exception& e) {
      fail(file, e.mark, e.msg);
    }
    if (docs.empty() || !docs[0].IsDefined() || docs[0].IsNull()) return;  // an empty file sets nothing
    if (docs.size() > 1)
      fail(file, docs[1].Mark(), "a scenario file holds one YAML document, found " + std::to_string(docs.size()));
    const YAML::Node& root = docs[0];
    if (!root.IsMap()) fail(file, root.Mark(), "a scenario must be a mapping of keys to values, found " + found(root));

    // The base must be applied before this file's values, wherever `extends` is written.
    for (const auto& kv : root) {
      if (kv.first.IsScalar() && kv.first.Scalar() == "extends") {
        apply_extends(sc, file, kv.first, kv.second);
        break;  // a second `extends` is a duplicate key, refused by walk()
      }
    }
    Lines leaves;
    walk(sc, file, root, "", leaves);
  }

  void apply_extends(Scenario& sc, const std::string& file, const YAML::Node& key, const YAML::Node& value) {
    const YAML::Mark mark = mark_of(value, key.Mark());
    if (!value.IsScalar() || value.Scalar().empty())
      fail(file, mark, "extends: expected the name of a scenario file, found " + found(value));
    const std::string& written = value.Scalar();
    std::string target = resolve_relative(file, written);
    // As on the command line, a name not on disk may be a built-in scenario.
    if (!detail::is_builtin(target) && !exists_on_disk(target) && !fs::path(written).is_absolute()) {
      if (auto builtin = builtin_scenario(written, embedded_)) target = std::move(*builtin);
    }
    const std::string id = identity(target);
    for (std::size_t i = 0; i < chain_ids_.size(); ++i) {
      if (chain_ids_[i] != id) continue;
      std::string cycle;
      for (std::size_t j = i; j < chain_.size(); ++j) cycle += chain_[j] + " -> ";
      fail(file, mark, "extends: cycle " + cycle + target);
    }
    std::string reason;
    const auto text = detail::try_read(target, embedded_, reason);
    if (!text) throw Error(Status::io, where(file, mark) + "extends: cannot read scenario '" + target + "': " + reason);
    chain_.push_back(target);
    chain_ids_.push_back(id);
    apply_file(sc, target, *text);
    chain_.pop_back();
    chain_ids_.pop_back();
  }

  void walk(Scenario& sc, const std::string& file, const YAML::Node& map, const std::string& prefix, Lines& leaves) {
    Lines here;  // raw keys of this mapping: yaml-cpp keeps repeated keys silently
    for (auto it = map.begin(); it != map.end(); ++it) {
      // Copies: yaml-cpp's iterator hands out a temporary pair.
      const YAML::Node key = it->first;
      const YAML::Node value = it->second;
      if (!key.IsScalar())
        fail(file, mark_of(key, map.Mark()),
             (prefix.empty() ? "" : prefix + ": ") + "keys must be names, found " + found(key));
      const std::string& raw = key.Scalar();
      const std::string path = prefix.empty() ? raw : prefix + "." + raw;
      const int line = key.Mark().line + 1;
      if (const auto [first, fresh] = here.emplace(raw, line); !fresh)
        fail(file, key.Mark(), path + ": duplicate key (first set at line " + std::to_string(first->second) + ")");

      if (prefix.empty() && raw == "extends") continue;  // applied before the walk
      if (prefix.empty() && raw == "description") {
        if (value.IsMap() || value.IsSequence())
          fail(file, mark_of(value, key.Mark()), "description: expected a string, found " + found(value));
        sc.description_ = value.IsScalar() ? value.Scalar() : std::string();
        continue;
      }
      if (const KeySpec* spec = schema_.find(path)) {
        // The same key reached once flat and once nested.
        if (const auto [first, fresh] = leaves.emplace(path, line); !fresh)
          fail(file, key.Mark(), path + ": duplicate key (first set at line " + std::to_string(first->second) + ")");
        set_from_node(sc, *spec, file, key, value);
      } else if (detail::is_section(schema_, path)) {
        if (value.IsMap()) {
          walk(sc, file, value, path, leaves);
        } else if (!value.IsNull()) {  // an empty section is harmless
          fail(file, mark_of(value, key.Mark()), path + ": " + section_message(path, value));
        }
      } else {
        fail(file, key.Mark(), path + ": " + detail::unknown_key_message(schema_, path));
      }
    }
  }

  std::string section_message(const std::string& path, const YAML::Node& value) const {
    const auto keys = detail::section_keys(schema_, path);
    std::string list;
    for (std::size_t i = 0; i < keys.size() && i < 4; ++i) list += (i ? ", " : "") + keys[i];
    if (keys.size() > 4) list += ", ...";
    return "is a section; expected a mapping of its keys (" + list + "), found " + found(value);
  }

  void set_from_node(Scenario& sc, const KeySpec& spec, const std::string& file, const YAML::Node& key,
                     const YAML::Node& value) {
    Value v;
    try {
      v = checked_value(spec, value, key.Mark());
    } catch (const ValueError& e) {
      fail(file, e.mark, spec.path + ": " + e.message);
    }
    if (spec.type == Type::path) v = resolve_relative(file, std::get<std::string>(v));
    sc.values_.insert_or_assign(spec.path, std::move(v));
    sc.origins_.insert_or_assign(spec.path, Origin{file, key.Mark().line + 1, key.Mark().column + 1});
  }

  void apply_override(Scenario& sc, const std::string& text) {
    const std::string prefix = "--set " + text + ": ";
    const std::size_t eq = text.find('=');
    const std::string path = trim(std::string_view(text).substr(0, eq == std::string::npos ? 0 : eq));
    if (eq == std::string::npos || path.empty()) throw Error(Status::invalid_input, prefix + "expected path=value");
    const std::string raw = text.substr(eq + 1);
    const KeySpec* spec = schema_.find(path);
    if (!spec) {
      if (detail::is_section(schema_, path))
        throw Error(Status::invalid_input, prefix + "'" + path + "' is a section; set one of its keys, e.g. " + path +
                                               "." + detail::section_keys(schema_, path).front() + "=...");
      throw Error(Status::invalid_input, prefix + detail::unknown_key_message(schema_, path));
    }
    const bool text_key = spec->type == Type::string || spec->type == Type::choice || spec->type == Type::path;
    YAML::Node node;
    try {
      node = YAML::Load(raw);
    } catch (const YAML::Exception& e) {
      if (!text_key) throw Error(Status::invalid_input, prefix + "not a valid YAML value: " + e.msg);
      node = YAML::Node();
    }
    // A string needs no YAML: `--set output.label=a: b` means the text "a: b".
    // YAML still helps for quoting, e.g. `--set 'output.label=" padded "'`.
    if (text_key && !plain(node) && !(node.IsScalar() && node.Tag() == "!")) node = YAML::Node(trim(raw));
    Value v;
    try {
      v = checked_value(*spec, node, YAML::Mark::null_mark());
    } catch (const ValueError& e) {
      throw Error(Status::invalid_input, prefix + e.message);
    }
    if (spec->type == Type::path) v = resolve_relative("--set", std::get<std::string>(v));
    sc.values_.insert_or_assign(spec->path, std::move(v));
    sc.origins_.insert_or_assign(spec->path, Origin{"--set", 0, 0});
  }

  const Schema& schema_;
  std::span<const EmbeddedFile> embedded_;
  std::vector<std::string> chain_;      // files being loaded, outermost first
  std::vector<std::string> chain_ids_;  // the same, canonical, for cycle detection
};

Scenario load(const std::string& file, const Schema& schema, std::span<const std::string> overrides,
              std::span<const EmbeddedFile> embedded) {
  std::string source = file;
  if (!detail::is_builtin(file) && !exists_on_disk(file)) {
    if (auto builtin = builtin_scenario(file, embedded)) source = std::move(*builtin);
  }
  std::string reason;
  const auto text = detail::try_read(source, embedded, reason);
  if (!text) throw Error(Status::io, "cannot read scenario '" + file + "': " + reason);
  return Loader(schema, embedded).run(source, *text, overrides);
}

Scenario load_text(const std::string& text, const std::string& origin_name, const Schema& schema,
                   std::span<const std::string> overrides, std::span<const EmbeddedFile> embedded) {
  return Loader(schema, embedded).run(origin_name, text, overrides);
}

}  // namespace sim::scenario
