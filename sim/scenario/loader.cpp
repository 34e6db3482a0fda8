// Reading scenario files: YAML to checked values, with every complaint tied to
// the file, line and column a person has to edit.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>
#include <vector>

#include "sim/scenario/value_checks.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/yaml_documents.hpp"
#include "sim/scenario/yaml_values.hpp"

namespace sim::scenario {

namespace fs = std::filesystem;

namespace {

using yaml::checked_value;
using yaml::exists_on_disk;
using yaml::fail;
using yaml::found;
using yaml::mark_of;
using yaml::plain;
using yaml::ValueError;
using yaml::where;

std::string stem_of(const std::string& source) {
  const std::string inner = is_builtin(source) ? source.substr(kBuiltinPrefix.size()) : source;
  const std::string stem = fs::path(inner).stem().string();
  return stem.empty() ? source : stem;
}

// Two spellings of one file must count as the same for cycle detection.
std::string identity(const std::string& file) {
  if (is_builtin(file)) return file;
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(file, ec);
  return ec ? fs::path(file).lexically_normal().string() : p.string();
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

  static void rename(Scenario& sc, const std::string& name, const std::string& source) {
    sc.name_ = name;
    sc.source_ = source;
  }

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
  void apply_file(Scenario& sc, const std::string& file, const std::string& text) {
    std::vector<YAML::Node> docs;
    try {
      docs = yaml::load_documents(text);
    } catch (const YAML::Exception& e) {
      fail(file, e.mark, e.msg);
    }
    if (docs.empty() || !docs[0].IsDefined() || docs[0].IsNull()) return;  // an empty file sets nothing
    if (docs.size() > 1)
      fail(file, docs[1].Mark(), "a scenario file holds one YAML document, found " + std::to_string(docs.size()));
    const YAML::Node& root = docs[0];
    if (!root.IsMap())
      fail(file, root.Mark(), "a scenario must be a mapping of keys to values, found " + yaml::kind_of(root));

    // The base must be applied before this file's values, wherever `extends` is written.
    for (const auto& kv : root) {
      if (kv.first.IsScalar() && kv.first.Scalar() == "extends") {
        apply_extends(sc, file, kv.first, kv.second);
        break;  // a second `extends` is a duplicate key, refused by walk()
      }
    }
    walk(sc, file, root);
  }

  void apply_extends(Scenario& sc, const std::string& file, const YAML::Node& key, const YAML::Node& value) {
    const YAML::Mark mark = mark_of(value, key.Mark());
    if (!value.IsScalar() || value.Scalar().empty())
      fail(file, mark, "extends: expected the name of a scenario file, found " + found(value));
    const std::string& written = value.Scalar();
    std::string target = resolve_relative(file, written);
    // As on the command line, a name not on disk may be a built-in scenario.
    if (!is_builtin(target) && !exists_on_disk(target) && !fs::path(written).is_absolute()) {
      if (auto builtin = yaml::builtin_scenario(written, embedded_)) target = std::move(*builtin);
    }
    const std::string id = identity(target);
    for (std::size_t i = 0; i < chain_ids_.size(); ++i) {
      if (chain_ids_[i] != id) continue;
      std::string cycle;
      for (std::size_t j = i; j < chain_.size(); ++j) cycle += chain_[j] + " -> ";
      fail(file, mark, "extends: cycle " + cycle + target);
    }
    std::string reason;
    const auto text = try_read(target, embedded_, reason);
    if (!text) throw Error(Status::io, where(file, mark) + "extends: cannot read scenario '" + target + "': " + reason);
    chain_.push_back(target);
    chain_ids_.push_back(id);
    apply_file(sc, target, *text);
    chain_.pop_back();
    chain_ids_.pop_back();
  }

  void walk(Scenario& sc, const std::string& file, const YAML::Node& root) {
    yaml::walk(file, root, schema_, "", {"extends", "description"},
                 [&](const std::string& path, const YAML::Node& key, const YAML::Node& value) {
                   if (path == "extends") return;  // applied before the walk
                   if (path == "description") {
                     if (value.IsMap() || value.IsSequence())
                       fail(file, mark_of(value, key.Mark()), "description: expected a string, found " + found(value));
                     sc.description_ = value.IsScalar() ? value.Scalar() : std::string();
                     return;
                   }
                   set_from_node(sc, *schema_.find(path), file, key, value);
                 });
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
      if (is_section(schema_, path))
        throw Error(Status::invalid_input, prefix + "'" + path + "' is a section; set one of its keys, e.g. " + path +
                                               "." + section_keys(schema_, path).front() + "=...");
      throw Error(Status::invalid_input, prefix + unknown_key_message(schema_, path));
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
  if (!is_builtin(file) && !exists_on_disk(file)) {
    if (auto builtin = yaml::builtin_scenario(file, embedded)) source = std::move(*builtin);
  }
  std::string reason;
  const auto text = try_read(source, embedded, reason);
  if (!text) throw Error(Status::io, "cannot read scenario '" + file + "': " + reason);
  return Loader(schema, embedded).run(source, *text, overrides);
}

Scenario load_text(const std::string& text, const std::string& origin_name, const Schema& schema,
                   std::span<const std::string> overrides, std::span<const EmbeddedFile> embedded) {
  return Loader(schema, embedded).run(origin_name, text, overrides);
}

Scenario load_resolved(const std::string& yaml, const std::string& name, const std::string& source,
                       const Schema& schema, std::span<const EmbeddedFile> embedded) {
  // Read from no file (""), so that the resolved paths stay as they are.
  Scenario sc = Loader(schema, embedded).run("", yaml, {});
  Loader::rename(sc, name, source);
  return sc;
}

}  // namespace sim::scenario
