#include "sim/scenario/schema.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>

#include "sim/core/error.hpp"
#include "sim/scenario/value_checks.hpp"
#include "sim/scenario/scenario.hpp"

namespace sim::scenario {

const char* type_name(Type t) {
  switch (t) {
    case Type::boolean: return "boolean";
    case Type::integer: return "integer";
    case Type::real: return "real";
    case Type::string: return "string";
    case Type::choice: return "choice";
    case Type::real_list: return "real list";
    case Type::path: return "path";
  }
  return "?";
}

std::string format_real(double v) {
  if (std::isinf(v)) return v > 0 ? ".inf" : "-.inf";
  if (std::isnan(v)) return ".nan";
  std::array<char, 32> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return std::string(buf.data(), r.ptr);
}

std::string format_value(const Value& v) {
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return format_real(*d);
  if (const auto* s = std::get_if<std::string>(&v)) return '"' + *s + '"';
  const auto& list = std::get<std::vector<double>>(v);
  std::string out = "[";
  for (std::size_t i = 0; i < list.size(); ++i) out += (i ? ", " : "") + format_real(list[i]);
  return out + "]";
}

namespace detail {

const char* expected_text(Type t) {
  switch (t) {
    case Type::boolean: return "true or false";
    case Type::integer: return "an integer";
    case Type::real: return "a real number";
    case Type::string: return "a string";
    case Type::choice: return "one of the choices";
    case Type::real_list: return "a list of real numbers";
    case Type::path: return "a file path";
  }
  return "?";
}

namespace {

const char* alternative_name(const Value& v) {
  switch (v.index()) {
    case 0: return "a boolean";
    case 1: return "an integer";
    case 2: return "a real number";
    case 3: return "a string";
    default: return "a list";
  }
}

// A dimensionless unit ("1") says nothing in a message.
std::string unit_suffix(const KeySpec& spec) {
  return spec.unit.empty() || spec.unit == "1" ? "" : " (" + spec.unit + ")";
}

// Empty when `v` lies in [min, max]; `text` is the value as the user should
// recognise it.
std::string range_problem(double v, const std::string& text, const KeySpec& spec) {
  if (std::isnan(v)) return "NaN is not an acceptable value";
  if (v < spec.min) return text + " is below the minimum " + format_real(spec.min) + unit_suffix(spec);
  if (v > spec.max) return text + " is above the maximum " + format_real(spec.max) + unit_suffix(spec);
  return {};
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? std::string(sep) : "") + items[i];
  return out;
}

// Every key and every section, the candidates for "did you mean".
std::vector<std::string> all_names(const Schema& schema) {
  std::vector<std::string> names;
  for (const auto& k : schema.keys()) {
    for (std::size_t dot = k.path.find('.'); dot != std::string::npos; dot = k.path.find('.', dot + 1))
      names.push_back(k.path.substr(0, dot));
    names.push_back(k.path);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::string did_you_mean(const std::vector<std::string>& options) {
  if (options.empty()) return {};
  std::string out = "; did you mean ";
  for (std::size_t i = 0; i < options.size(); ++i) {
    if (i) out += i + 1 == options.size() ? " or " : ", ";
    out += "'" + options[i] + "'";
  }
  return out + "?";
}

}  // namespace

Problem check_value(const KeySpec& spec, Value& value) {
  const auto mismatch = [&] {
    return Problem{std::string("expected ") + expected_text(spec.type) + ", found " + alternative_name(value), {}};
  };
  switch (spec.type) {
    case Type::boolean:
      if (!std::holds_alternative<bool>(value)) return mismatch();
      return {};
    case Type::integer: {
      const auto* i = std::get_if<std::int64_t>(&value);
      if (!i) return mismatch();
      return {range_problem(static_cast<double>(*i), std::to_string(*i), spec), {}};
    }
    case Type::real: {
      if (const auto* i = std::get_if<std::int64_t>(&value)) value = static_cast<double>(*i);
      const auto* d = std::get_if<double>(&value);
      if (!d) return mismatch();
      return {range_problem(*d, format_real(*d), spec), {}};
    }
    case Type::string:
    case Type::path:
      if (!std::holds_alternative<std::string>(value)) return mismatch();
      return {};
    case Type::choice: {
      const auto* s = std::get_if<std::string>(&value);
      if (!s) return mismatch();
      if (std::find(spec.choices.begin(), spec.choices.end(), *s) != spec.choices.end()) return {};
      return {"'" + *s + "' is not one of the choices: " + join(spec.choices, ", ") +
                  did_you_mean(suggest(*s, spec.choices, 1)),
              {}};
    }
    case Type::real_list: {
      const auto* list = std::get_if<std::vector<double>>(&value);
      if (!list) return mismatch();
      const std::size_t n = list->size();
      const auto count = [](std::size_t k) { return std::to_string(k) + (k == 1 ? " value" : " values"); };
      if (spec.min_length == spec.max_length && n != spec.min_length)
        return {"has " + count(n) + "; exactly " + std::to_string(spec.min_length) + " required", {}};
      if (n < spec.min_length)
        return {"has " + count(n) + "; at least " + std::to_string(spec.min_length) + " required", {}};
      if (n > spec.max_length)
        return {"has " + count(n) + "; at most " + std::to_string(spec.max_length) + " allowed", {}};
      for (std::size_t e = 0; e < n; ++e) {
        std::string p = range_problem((*list)[e], format_real((*list)[e]), spec);
        if (!p.empty()) return {"element " + std::to_string(e + 1) + ": " + p, e};
      }
      return {};
    }
  }
  return {};
}

}  // namespace detail

bool is_section(const Schema& schema, std::string_view path) {
  if (path.empty()) return false;
  for (const auto& k : schema.keys())
    if (k.path.size() > path.size() && k.path[path.size()] == '.' && std::string_view(k.path).starts_with(path))
      return true;
  return false;
}

std::vector<std::string> section_keys(const Schema& schema, std::string_view section) {
  std::vector<std::string> out;
  for (const auto& k : schema.keys())
    if (k.path.size() > section.size() && k.path[section.size()] == '.' &&
        std::string_view(k.path).starts_with(section))
      out.push_back(k.path.substr(section.size() + 1));
  return out;
}

std::string unknown_key_message(const Schema& schema, std::string_view path) {
  return "unknown key" + detail::did_you_mean(suggest(path, detail::all_names(schema)));
}

namespace {

[[noreturn]] void schema_error(const std::string& path, const std::string& what) {
  throw Error(Status::failure, "schema key '" + path + "': " + what);
}

bool valid_component(std::string_view c) {
  if (c.empty()) return false;
  return std::all_of(c.begin(), c.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
  });
}

// True if `a` is `b` followed by a dot and more, i.e. b is a section of a.
bool under(std::string_view a, std::string_view b) {
  return a.size() > b.size() && a[b.size()] == '.' && a.starts_with(b);
}

// The parts every key has, and those of a key with a numeric range.
KeySpec key(std::string path, Type type, Value def, std::string doc) {
  KeySpec s;
  s.path = std::move(path);
  s.type = type;
  s.default_value = std::move(def);
  s.doc = std::move(doc);
  return s;
}

KeySpec ranged(KeySpec s, double min, double max, std::string unit) {
  s.min = min;
  s.max = max;
  s.unit = std::move(unit);
  return s;
}

}  // namespace

Schema& Schema::boolean(std::string path, bool def, std::string doc) {
  return add(key(std::move(path), Type::boolean, def, std::move(doc)));
}

Schema& Schema::integer(std::string path, std::int64_t def, double min, double max, std::string unit, std::string doc) {
  return add(ranged(key(std::move(path), Type::integer, def, std::move(doc)), min, max, std::move(unit)));
}

Schema& Schema::real(std::string path, double def, double min, double max, std::string unit, std::string doc) {
  return add(ranged(key(std::move(path), Type::real, def, std::move(doc)), min, max, std::move(unit)));
}

Schema& Schema::string(std::string path, std::string def, std::string doc) {
  return add(key(std::move(path), Type::string, std::move(def), std::move(doc)));
}

Schema& Schema::choice(std::string path, std::string def, std::vector<std::string> choices, std::string doc) {
  KeySpec s = key(std::move(path), Type::choice, std::move(def), std::move(doc));
  s.choices = std::move(choices);
  return add(std::move(s));
}

Schema& Schema::reals(std::string path, std::vector<double> def, double min, double max, std::size_t min_length,
                      std::size_t max_length, std::string unit, std::string doc) {
  KeySpec s = ranged(key(std::move(path), Type::real_list, std::move(def), std::move(doc)), min, max, std::move(unit));
  s.min_length = min_length;
  s.max_length = max_length;
  return add(std::move(s));
}

Schema& Schema::file(std::string path, std::string def, std::string doc) {
  return add(key(std::move(path), Type::path, std::move(def), std::move(doc)));
}

Schema& Schema::check_file(std::string_view path, std::function<void(const std::string& file)> check) {
  for (KeySpec& k : keys_) {
    if (k.path != path) continue;
    if (k.type != Type::path) schema_error(k.path, "only a path key names a file to check");
    k.check_file = std::move(check);
    return *this;
  }
  schema_error(std::string(path), "no such key to check the file of");
}

Schema& Schema::add(KeySpec spec) {
  const std::string& p = spec.path;
  for (std::size_t start = 0;;) {
    const std::size_t dot = p.find('.', start);
    if (!valid_component(std::string_view(p).substr(start, dot == std::string::npos ? std::string::npos : dot - start)))
      schema_error(p, "each part of a key must be letters, digits, '_' or '-'");
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  // These are the scenario file's own top-level keys.
  const std::string first = p.substr(0, p.find('.'));
  if (first == "extends" || first == "description") schema_error(p, "'" + first + "' is reserved");
  for (const auto& k : keys_) {
    if (k.path == p) schema_error(p, "declared twice");
    if (under(k.path, p) || under(p, k.path))
      schema_error(p, "conflicts with '" + k.path + "': a key cannot also be a section");
  }
  if (std::isnan(spec.min) || std::isnan(spec.max) || spec.min > spec.max) schema_error(p, "minimum above maximum");
  if (spec.min_length > spec.max_length) schema_error(p, "minimum length above maximum length");
  if (spec.type == Type::choice && spec.choices.empty()) schema_error(p, "a choice needs at least one option");
  if (auto problem = detail::check_value(spec, spec.default_value))
    schema_error(p, "default " + format_value(spec.default_value) + ": " + problem.message);
  keys_.push_back(std::move(spec));
  return *this;
}

Schema& Schema::merge(const Schema& other) {
  if (&other == this) {
    if (!keys_.empty()) schema_error(keys_.front().path, "declared twice");
    return *this;
  }
  for (const auto& k : other.keys_) add(k);
  return *this;
}

const KeySpec* Schema::find(std::string_view path) const {
  for (const auto& k : keys_)
    if (k.path == path) return &k;
  return nullptr;
}

// ---------------------------------------------------------------------------
// describe

namespace {

std::string default_text(const KeySpec& k) {
  if (const auto* list = std::get_if<std::vector<double>>(&k.default_value)) {
    // Long per-year lists would swamp the listing; say what they hold.
    if (list->size() > 6) {
      const bool all_same = std::all_of(list->begin(), list->end(), [&](double v) { return v == list->front(); });
      if (all_same) return "[" + format_real(list->front()) + " x " + std::to_string(list->size()) + "]";
      return "[" + format_real(list->front()) + ", " + format_real((*list)[1]) + ", ..., " +
             format_real(list->back()) + "] (" + std::to_string(list->size()) + " values)";
    }
  }
  return format_value(k.default_value);
}

std::string bounds_text(const KeySpec& k) {
  const bool lo = std::isfinite(k.min), hi = std::isfinite(k.max);
  if (lo && hi) return "[" + format_real(k.min) + ", " + format_real(k.max) + "]";
  if (lo) return ">= " + format_real(k.min);
  if (hi) return "<= " + format_real(k.max);
  return {};
}

std::string range_text(const KeySpec& k) {
  switch (k.type) {
    case Type::integer:
    case Type::real: return bounds_text(k);
    case Type::choice: {
      std::string out = "one of ";
      for (std::size_t i = 0; i < k.choices.size(); ++i) out += (i ? ", " : "") + k.choices[i];
      return out;
    }
    case Type::real_list: {
      const bool unbounded = k.max_length == std::numeric_limits<std::size_t>::max();
      std::string length;
      if (k.min_length == k.max_length) {
        length = std::to_string(k.min_length) + " values";
      } else if (unbounded) {
        if (k.min_length) length = "at least " + std::to_string(k.min_length) + " values";
      } else {
        length = std::to_string(k.min_length) + " to " + std::to_string(k.max_length) + " values";
      }
      const std::string b = bounds_text(k);
      if (b.empty()) return length;
      return length.empty() ? "each " + b : length + ", each " + b;
    }
    default: return {};
  }
}

std::string markdown_cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '|': out += "\\|"; break;
      case '\n': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

std::string pad(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

}  // namespace

std::string describe(const Schema& schema, bool markdown) {
  std::string out;
  if (markdown) {
    out += "| Key | Type | Default | Range | Unit | Description |\n";
    out += "|---|---|---|---|---|---|\n";
    for (const auto& k : schema.keys()) {
      const std::string range = range_text(k);
      out += "| `" + k.path + "` | " + type_name(k.type) + " | `" + markdown_cell(default_text(k)) + "` | " +
             markdown_cell(range) + " | " + markdown_cell(k.unit) + " | " + markdown_cell(k.doc) + " |\n";
    }
    return out;
  }

  // Grouped by top-level section in order of first appearance, so that keys a
  // component declared apart still list together.
  std::vector<std::string> sections;
  std::map<std::string, std::vector<const KeySpec*>> by_section;
  std::size_t w_path = 0, w_type = 0, w_default = 0, w_range = 0;
  for (const auto& k : schema.keys()) {
    const std::size_t dot = k.path.find('.');
    const std::string section = dot == std::string::npos ? "" : k.path.substr(0, dot);
    if (!by_section.count(section)) sections.push_back(section);
    by_section[section].push_back(&k);
    w_path = std::max(w_path, k.path.size());
    w_type = std::max(w_type, std::string(type_name(k.type)).size());
    w_default = std::max(w_default, std::min<std::size_t>(default_text(k).size(), 24));
    w_range = std::max(w_range, std::min<std::size_t>(range_text(k).size(), 24));
  }
  for (const auto& section : sections) {
    if (!out.empty()) out += '\n';
    out += (section.empty() ? std::string("(top level)") : section) + '\n';
    for (const KeySpec* k : by_section[section]) {
      std::string line = "  " + pad(k->path, w_path) + "  " + pad(type_name(k->type), w_type) + "  " +
                         pad(default_text(*k), w_default) + "  " + pad(range_text(*k), w_range) + "  " + k->unit;
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + '\n';
      if (!k->doc.empty()) out += "      " + k->doc + '\n';
    }
  }
  return out;
}

}  // namespace sim::scenario
