#include "sim/scenario/scenario.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/scenario/value_checks.hpp"

namespace sim::scenario {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// Files

bool is_builtin(std::string_view path) { return path.starts_with(kBuiltinPrefix); }

bool embedded_has(std::string_view builtin_path, std::span<const EmbeddedFile> embedded) {
  if (!is_builtin(builtin_path)) return false;
  const std::string_view name = builtin_path.substr(kBuiltinPrefix.size());
  for (const auto& f : embedded)
    if (f.name == name) return true;
  return false;
}

std::optional<std::string> try_read(const std::string& path, std::span<const EmbeddedFile> embedded,
                                    std::string& reason) {
  if (is_builtin(path)) {
    const std::string_view name = std::string_view(path).substr(kBuiltinPrefix.size());
    for (const auto& f : embedded)
      if (f.name == name) return std::string(f.text);
    reason = "no such built-in file";
    return std::nullopt;
  }
  // Only a regular file, and only so much of it: a device (/dev/zero), a
  // FIFO or a huge file would be read until memory runs out or block for
  // ever. O_NONBLOCK keeps opening a FIFO from waiting for a writer.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    reason = errno == ENOENT ? "no such file" : std::strerror(errno);
    return std::nullopt;
  }
  struct stat st {};
  const auto fail = [&](std::string why) {
    ::close(fd);
    reason = std::move(why);
    return std::nullopt;
  };
  if (::fstat(fd, &st) != 0) return fail(std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return fail("is a directory");
  if (!S_ISREG(st.st_mode)) return fail("not a regular file (a device, FIFO or socket is not read)");
  const std::string too_large = "larger than " + std::to_string(kMaxInputBytes >> 20) + " MiB";
  if (static_cast<std::uintmax_t>(st.st_size) > kMaxInputBytes) return fail(too_large);
  std::string text;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(std::strerror(errno));
    if (n == 0) break;
    if (text.size() + static_cast<std::size_t>(n) > kMaxInputBytes) return fail(too_large);  // it grew
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

std::string read_text(const std::string& path, std::span<const EmbeddedFile> embedded) {
  std::string reason;
  if (auto text = try_read(path, embedded, reason)) return std::move(*text);
  throw Error(Status::io, "cannot read '" + path + "': " + reason);
}

void check_files(const Scenario& sc) {
  for (const KeySpec& k : sc.schema().keys()) {
    if (!k.check_file) continue;
    const std::string& file = sc.string(k.path);
    if (file.empty()) continue;
    try {
      k.check_file(file);
    } catch (const Error& e) {
      const Origin& o = sc.origin_of(k.path);
      const std::string from = o.line > 0 ? o.file + ":" + std::to_string(o.line) + ":" + std::to_string(o.column) + ": "
                               : o.file == "--set" ? "--set " : "";
      throw Error(e.status(), from + k.path + ": " + e.what());
    }
  }
}

std::string resolve_relative(const std::string& base, const std::string& relative) {
  if (relative.empty() || is_builtin(relative) || fs::path(relative).is_absolute()) return relative;
  if (is_builtin(base)) {
    // Embedded names are plain strings, not files: join and tidy the text.
    const std::string inner = base.substr(kBuiltinPrefix.size());
    const std::size_t slash = inner.rfind('/');
    const std::string joined = slash == std::string::npos ? relative : inner.substr(0, slash + 1) + relative;
    return std::string(kBuiltinPrefix) + fs::path(joined).lexically_normal().generic_string();
  }
  return (fs::path(base).parent_path() / relative).lexically_normal().string();
}

// ---------------------------------------------------------------------------
// Scenario

Scenario::Scenario(const Schema& schema) : schema_(&schema) {
  for (const auto& k : schema.keys()) {
    values_.emplace(k.path, k.default_value);
    origins_.emplace(k.path, Origin{"default", 0, 0});
  }
}

namespace {

[[noreturn]] void not_in_schema(std::string_view path) {
  throw Error(Status::failure, "scenario key '" + std::string(path) + "' is not in the schema");
}

[[noreturn]] void wrong_type(const Schema* schema, std::string_view path, const char* wanted) {
  const KeySpec* spec = schema ? schema->find(path) : nullptr;
  throw Error(Status::failure, "scenario key '" + std::string(path) + "' is a " + (spec ? type_name(spec->type) : "?") +
                                   " key, read as " + wanted);
}

}  // namespace

const Value& Scenario::get(std::string_view path) const {
  const auto it = values_.find(path);
  if (it == values_.end()) not_in_schema(path);
  return it->second;
}

bool Scenario::boolean(std::string_view path) const {
  const auto* v = std::get_if<bool>(&get(path));
  if (!v) wrong_type(schema_, path, "a boolean");
  return *v;
}

std::int64_t Scenario::integer(std::string_view path) const {
  const auto* v = std::get_if<std::int64_t>(&get(path));
  if (!v) wrong_type(schema_, path, "an integer");
  return *v;
}

double Scenario::real(std::string_view path) const {
  const Value& v = get(path);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  wrong_type(schema_, path, "a real");
}

const std::string& Scenario::string(std::string_view path) const {
  const auto* v = std::get_if<std::string>(&get(path));
  if (!v) wrong_type(schema_, path, "a string");
  return *v;
}

const std::vector<double>& Scenario::reals(std::string_view path) const {
  const auto* v = std::get_if<std::vector<double>>(&get(path));
  if (!v) wrong_type(schema_, path, "a real list");
  return *v;
}

const Origin& Scenario::origin_of(std::string_view path) const {
  const auto it = origins_.find(path);
  if (it == origins_.end()) not_in_schema(path);
  return it->second;
}

void Scenario::set(std::string_view path, const Value& value, Origin origin) {
  if (!schema_) throw Error(Status::failure, "Scenario::set on a scenario without a schema");
  std::string where = origin.file;
  if (origin.line > 0) where += ":" + std::to_string(origin.line) + ":" + std::to_string(origin.column);
  where += ": " + std::string(path) + ": ";
  const KeySpec* spec = schema_->find(path);
  if (!spec) throw Error(Status::invalid_input, where + unknown_key_message(*schema_, path));
  Value v = value;
  if (auto problem = detail::check_value(*spec, v)) throw Error(Status::invalid_input, where + problem.message);
  if (spec->type == Type::path) v = resolve_relative(origin.file, std::get<std::string>(v));
  values_.insert_or_assign(spec->path, std::move(v));
  origins_.insert_or_assign(spec->path, std::move(origin));
}

std::vector<std::string> Scenario::differing_keys(const Scenario& other) const {
  std::vector<std::string> out;
  if (!schema_) return out;
  for (const auto& k : schema_->keys()) {
    const auto it = other.values_.find(k.path);
    if (it == other.values_.end() || it->second != values_.at(k.path)) out.push_back(k.path);
  }
  return out;
}

// ---------------------------------------------------------------------------
// to_yaml

namespace {

// Double-quoted YAML, so that no string can be mistaken for a number, a
// boolean or YAML syntax when the text is loaded again.
std::string yaml_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\t': out += "\\t"; continue;
      default: break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(u));
      out += buf;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string yaml_value(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return yaml_quote(*s);
  return format_value(v);  // numbers, booleans and lists are already YAML
}

struct TreeNode {
  std::string name;
  const KeySpec* spec = nullptr;
  std::vector<TreeNode> children;
};

void emit(const TreeNode& node, const std::map<std::string, Value, std::less<>>& values, int depth, std::string& out) {
  for (const auto& child : node.children) {
    out.append(static_cast<std::size_t>(depth) * 2, ' ');
    out += child.name + ":";
    if (child.spec) {
      out += " " + yaml_value(values.at(child.spec->path));
      // "1" marks a dimensionless quantity; as a comment it would only puzzle.
      if (!child.spec->unit.empty() && child.spec->unit != "1") out += "  # " + child.spec->unit;
      out += '\n';
    } else {
      out += '\n';
      emit(child, values, depth + 1, out);
    }
  }
}

std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

}  // namespace

std::string Scenario::to_yaml() const {
  std::string out = "# Resolved scenario '" + one_line(name_) + "' from " + one_line(source_) +
                    ": every key of the schema with its value.\n";
  if (!description_.empty()) out += "description: " + yaml_quote(description_) + "\n";
  if (!schema_) return out;
  // Sections nest in order of first appearance, so a section declared in two
  // places is still written once.
  TreeNode root;
  for (const auto& k : schema_->keys()) {
    TreeNode* at = &root;
    std::size_t start = 0;
    for (;;) {
      const std::size_t dot = k.path.find('.', start);
      const std::string part = k.path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      auto it =
          std::find_if(at->children.begin(), at->children.end(), [&](const TreeNode& n) { return n.name == part; });
      if (it == at->children.end()) {
        at->children.push_back({part, nullptr, {}});
        it = std::prev(at->children.end());
      }
      at = &*it;
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    at->spec = &k;
  }
  emit(root, values_, 0, out);
  return out;
}

}  // namespace sim::scenario
