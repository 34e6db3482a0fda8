#include "sim/scenario/yaml_values.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <vector>

#include "sim/scenario/value_checks.hpp"

namespace sim::scenario::yaml {

namespace {

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

double parse_real(const YAML::Node& n, const YAML::Mark& mark) {
  const std::string& s = n.Scalar();
  if (!plain(n) || !is_real_text(s)) throw ValueError{"expected a real number, found " + found(n), mark};
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

using Lines = std::map<std::string, int>;  // key path -> line it was set at

void walk_map(const std::string& file, const YAML::Node& map, const std::string& prefix, const Schema& schema,
              const std::string& label, std::initializer_list<std::string_view> root_keys, Lines& leaves,
              const Leaf& leaf) {
  Lines here;  // raw keys of this mapping: yaml-cpp keeps repeated keys silently
  for (auto it = map.begin(); it != map.end(); ++it) {
    // Copies: yaml-cpp's iterator hands out a temporary pair.
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    if (!key.IsScalar())
      fail(file, mark_of(key, map.Mark()),
           label + (prefix.empty() ? "" : prefix + ": ") + "keys must be names, found " + found(key));
    const std::string& raw = key.Scalar();
    const std::string path = prefix.empty() ? raw : prefix + "." + raw;
    const int line = key.Mark().line + 1;
    if (const auto [first, fresh] = here.emplace(raw, line); !fresh)
      fail(file, key.Mark(),
           label + shown_key(path) + ": duplicate key (first set at line " + std::to_string(first->second) + ")");

    bool claimed = false;
    if (prefix.empty())
      for (std::string_view k : root_keys) claimed = claimed || path == k;
    if (claimed || schema.find(path)) {
      // The same key reached once flat and once nested.
      if (const auto [first, fresh] = leaves.emplace(path, line); !fresh)
        fail(file, key.Mark(),
             label + path + ": duplicate key (first set at line " + std::to_string(first->second) + ")");
      leaf(path, key, value);
    } else if (is_section(schema, path)) {
      if (value.IsMap()) {
        walk_map(file, value, path, schema, label, {}, leaves, leaf);
      } else if (!value.IsNull()) {  // an empty section is harmless
        const auto keys = section_keys(schema, path);
        std::string list;
        for (std::size_t i = 0; i < keys.size() && i < 4; ++i) list += (i ? ", " : "") + keys[i];
        if (keys.size() > 4) list += ", ...";
        fail(file, mark_of(value, key.Mark()),
             label + path + ": is a section; expected a mapping of its keys (" + list + "), found " + found(value));
      }
    } else {
      fail(file, key.Mark(), label + shown_key(path) + ": " + unknown_key_message(schema, path));
    }
  }
}

}  // namespace

std::string where(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return file + ": ";
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) + ": ";
}

void fail(const std::string& file, const YAML::Mark& mark, const std::string& message) {
  throw Error(Status::invalid_input, where(file, mark) + message);
}

YAML::Mark mark_of(const YAML::Node& value, const YAML::Mark& key_mark) {
  if (!value.IsDefined() || value.IsNull() || value.Mark().is_null()) return key_mark;
  return value.Mark();
}

bool plain(const YAML::Node& n) { return n.IsScalar() && n.Tag() == "?"; }

std::string kind_of(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing";
  if (n.IsMap()) return "a mapping";
  if (n.IsSequence()) return "a list";
  return "a single value";
}

std::string shown_key(const std::string& key) {
  const bool name = !key.empty() && key.size() <= 128 && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
  });
  return name ? key : std::string("a key that is not a key name (not shown)");
}

std::string found(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing";
  if (n.IsMap()) return "a mapping";
  if (n.IsSequence()) return "a list";
  if (n.Tag() == "!") return "the quoted string \"" + n.Scalar() + "\"";
  if (n.Tag() != "?") return "'" + n.Scalar() + "' tagged " + n.Tag();
  return "'" + n.Scalar() + "'";
}

Value checked_value(const KeySpec& spec, const YAML::Node& n, const YAML::Mark& key_mark) {
  Value v = parse_value(spec, n, key_mark);
  if (auto problem = detail::check_value(spec, v)) {
    YAML::Mark mark = mark_of(n, key_mark);
    if (problem.element && n.IsSequence() && *problem.element < n.size()) mark = mark_of(n[*problem.element], mark);
    throw ValueError{problem.message, mark};
  }
  return v;
}

void walk(const std::string& file, const YAML::Node& map, const Schema& schema, const std::string& label,
          std::initializer_list<std::string_view> root_keys, const Leaf& leaf) {
  Lines leaves;
  walk_map(file, map, "", schema, label, root_keys, leaves, leaf);
}

std::optional<std::string> builtin_scenario(const std::string& name, std::span<const EmbeddedFile> embedded) {
  for (const char* suffix : {"", ".yaml"}) {
    std::string candidate = "builtin:scenarios/" + name + suffix;
    if (embedded_has(candidate, embedded)) return candidate;
  }
  return std::nullopt;
}

bool exists_on_disk(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

}  // namespace sim::scenario::yaml
