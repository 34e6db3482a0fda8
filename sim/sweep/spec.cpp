// Reading sweep files with the scenario schema machinery: the sweep file has a
// schema of its own, values are judged by the scenario rules and scenario
// values by the scenario's schema, and every complaint names file:line:col.
#include "sim/sweep/spec.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>

#include "sim/scenario/format.hpp"
#include "sim/scenario/yaml_documents.hpp"
#include "sim/scenario/yaml_values.hpp"

namespace sim::sweep {

namespace fs = std::filesystem;
using scenario::KeySpec;
using scenario::Schema;
using scenario::Type;
using scenario::Value;

std::string Location::text() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

const char* name_of(Distribution d) {
  switch (d) {
    case Distribution::uniform: return "uniform";
    case Distribution::loguniform: return "loguniform";
    case Distribution::normal: return "normal";
  }
  return "?";
}

const char* name_of(DesignType d) {
  switch (d) {
    case DesignType::grid: return "grid";
    case DesignType::list: return "list";
    case DesignType::lhs: return "lhs";
    case DesignType::sobol: return "sobol";
    case DesignType::morris: return "morris";
  }
  return "?";
}

const char* name_of(SeedRule r) { return r == SeedRule::same ? "same" : "per_point"; }

const Schema& sweep_schema() {
  static const Schema schema = [] {
    Schema s;
    s.file("base", "", "Scenario the points vary: a file relative to the sweep file, or a built-in name (default: the model's default scenario).")
        .string("set", "", "Mapping of scenario keys fixed for every point, e.g. {population.scale: 0.005}.")
        .string("parameters", "", "List of varied keys: {key, values: [...]} or {key, min, max, distribution}.")
        .choice("design.type", "grid", {"grid", "list", "lhs", "sobol", "morris"},
                "grid: every combination; list: the i-th value of each; lhs: Latin hypercube; sobol: Saltelli design for Sobol indices; morris: elementary-effect trajectories.")
        .integer("design.samples", 1, 1, 1e7, "points", "lhs: number of points; sobol: base samples N (N * (parameters + 2) points).")
        .integer("design.levels", 4, 2, 1000, "", "morris: grid levels p (even); grid: levels of a parameter given by min and max.")
        .integer("design.trajectories", 10, 1, 1e6, "", "morris: number of trajectories r (r * (parameters + 1) points).")
        .integer("design.seed", 1, 0, 9.2e18, "", "Seed of the design's random numbers (lhs, sobol digital shift, morris).")
        .integer("replicates", 1, 1, 1e6, "", "Replicate runs per point (replicate indices 0..K-1).")
        .choice("seed_rule", "same", {"same", "per_point"},
                "same: every point uses the base seed, so replicate k has the same random streams at every point (common random numbers); per_point: a seed derived from the base seed and the point.")
        .integer("from_year", 0, 0, 2200, "year",
                 "Branch every task from one run of the base scenario to December of the year before (a checkpoint "
                 "per replicate, made once): the points differ only from January of this year (0: every task runs "
                 "from the start). Needs seed_rule: same.")
        .string("outputs", "", "Indicators of the total level collected into the index (default: all).");
    return s;
  }();
  return schema;
}

const Schema& parameter_schema() {
  static const Schema schema = [] {
    Schema s;
    s.string("key", "", "Scenario key varied, e.g. land.quota_mu.")
        .string("name", "", "Column name in the index (default: the key).")
        .string("values", "", "Discrete values of the key.")
        .real("min", -std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
              std::numeric_limits<double>::infinity(), "", "Lower end of the range (truncation for normal).")
        .real("max", std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
              std::numeric_limits<double>::infinity(), "", "Upper end of the range (truncation for normal).")
        .choice("distribution", "uniform", {"uniform", "loguniform", "normal"}, "How a unit coordinate maps into the range.")
        .real("mean", 0, -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(), "",
              "normal: mean.")
        .real("sd", 1, 0, std::numeric_limits<double>::infinity(), "", "normal: standard deviation.");
    return s;
  }();
  return schema;
}

namespace {

constexpr std::int64_t kMaxTasks = 100'000'000;

using scenario::yaml::checked_value;
using scenario::yaml::exists_on_disk;
using scenario::yaml::fail;
using scenario::yaml::found;
using scenario::yaml::mark_of;
using scenario::yaml::ValueError;
using scenario::yaml::where;

Location location(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

// The entries of one YAML mapping checked against a schema: nested sections
// or dotted paths, duplicates refused, unknown keys with suggestions.
struct Entry {
  YAML::Node key;
  YAML::Node value;
};
using Entries = std::map<std::string, Entry>;  // full key path -> nodes

// Keys gathered first and read afterwards, since which ones are present
// decides how the others are judged.
Entries walk(const std::string& file, const YAML::Node& map, const Schema& schema, const std::string& label,
             std::initializer_list<std::string_view> root_keys = {}) {
  Entries out;
  scenario::yaml::walk(file, map, schema, label, root_keys,
                         [&](const std::string& path, const YAML::Node& key, const YAML::Node& value) {
                           out[path] = Entry{key, value};
                         });
  return out;
}

bool valid_name(const std::string& s) {
  // A name is a column of the index and a dataset in plan.h5: "." and ".."
  // (dots alone) cannot be.
  if (s.empty() || s.find_first_not_of('.') == std::string::npos) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
      return false;
  return true;
}

class Reader {
 public:
  Reader(const std::string& file, const Schema& scenario_schema, std::span<const scenario::EmbeddedFile> embedded)
      : file_(file), scenario_schema_(scenario_schema), embedded_(embedded) {}

  SweepSpec read(const std::string& text, const std::string& default_base) {
    spec_.file = file_;
    spec_.text = text;
    const YAML::Node root = load_root(text);
    if (root.IsDefined() && !root.IsNull()) entries_ = walk(file_, root, sweep_schema(), "", {"description"});

    read_base(default_base);
    if (has("description")) {
      const Entry& d = entries_.at("description");
      if (!d.value.IsNull() && !d.value.IsScalar())
        fail(file_, mark_of(d.value, d.key.Mark()), "description: expected a string, found " + found(d.value));
      if (d.value.IsScalar()) spec_.description = d.value.Scalar();
    }
    if (has("set")) read_set(entries_.at("set"));
    if (!has("parameters"))
      fail(file_, root.Mark(), "parameters: missing; list the scenario keys to vary, e.g. parameters: [{key: land.quota_mu, values: [0, 600]}]");
    read_parameters(entries_.at("parameters"));
    read_design();
    if (has("replicates")) spec_.replicates = static_cast<std::uint32_t>(std::get<std::int64_t>(value_of("replicates")));
    if (has("seed_rule")) spec_.seed_rule = string_of("seed_rule") == "same" ? SeedRule::same : SeedRule::per_point;
    if (has("outputs")) read_outputs_entry(entries_.at("outputs"));
    if (has("from_year")) {
      spec_.from_year = std::get<std::int64_t>(value_of("from_year"));
      spec_.from_year_at = Location{file_, entries_.at("from_year").key.Mark().line + 1,
                                    entries_.at("from_year").key.Mark().column + 1};
      if (spec_.from_year > 0 && spec_.seed_rule != SeedRule::same)
        fail(file_, entries_.at("from_year").key.Mark(),
             "from_year: the points share their past, so they share its random numbers: use seed_rule: same");
    }
    check_seed_rule();
    return std::move(spec_);
  }

  OutputsEntry outputs_only(const std::string& text) {
    const YAML::Node root = load_root(text);
    if (!root.IsDefined() || root.IsNull()) return {};
    for (auto it = root.begin(); it != root.end(); ++it) {
      if (it->first.IsScalar() && it->first.Scalar() == "outputs") {
        read_outputs_entry(Entry{it->first, it->second});
        break;
      }
    }
    return {spec_.outputs, spec_.output_at};
  }

 private:
  YAML::Node load_root(const std::string& text) {
    std::vector<YAML::Node> docs;
    try {
      docs = scenario::yaml::load_documents(text);
    } catch (const YAML::Exception& e) {
      fail(file_, e.mark, e.msg);
    }
    if (docs.empty() || !docs[0].IsDefined() || docs[0].IsNull()) fail(file_, YAML::Mark::null_mark(), "the sweep file is empty");
    if (docs.size() > 1) fail(file_, docs[1].Mark(), "a sweep file holds one YAML document, found " + std::to_string(docs.size()));
    if (!docs[0].IsMap()) fail(file_, docs[0].Mark(), "a sweep must be a mapping of keys to values, found " + found(docs[0]));
    return docs[0];
  }

  bool has(const std::string& path) const { return entries_.count(path) > 0; }

  Value value_of(const std::string& path) const { return value_in(sweep_schema(), entries_, path, ""); }

  Value value_in(const Schema& schema, const Entries& entries, const std::string& path, const std::string& label) const {
    const Entry& e = entries.at(path);
    try {
      return checked_value(*schema.find(path), e.value, e.key.Mark());
    } catch (const ValueError& err) {
      fail(file_, err.mark, label + path + ": " + err.message);
    }
  }

  std::string string_of(const std::string& path) const { return std::get<std::string>(value_of(path)); }

  void read_base(const std::string& default_base) {
    if (!has("base")) {
      spec_.base = default_base;
      return;
    }
    const Entry& e = entries_.at("base");
    const YAML::Mark mark = mark_of(e.value, e.key.Mark());
    const std::string written = string_of("base");
    if (written.empty()) fail(file_, mark, "base: expected the name of a scenario file, found nothing");
    std::string target = scenario::resolve_relative(file_, written);
    if (!scenario::is_builtin(target) && !exists_on_disk(target) && !fs::path(written).is_absolute()) {
      if (auto builtin = scenario::yaml::builtin_scenario(written, embedded_)) target = std::move(*builtin);
    }
    std::string reason;
    if (!scenario::try_read(target, embedded_, reason))
      throw Error(Status::io, where(file_, mark) + "base: cannot read scenario '" + target + "': " + reason);
    spec_.base = target;
  }

  void read_set(const Entry& e) {
    if (e.value.IsNull()) return;
    if (!e.value.IsMap())
      fail(file_, mark_of(e.value, e.key.Mark()), "set: expected a mapping of scenario keys to values, found " + found(e.value));
    const Entries keys = walk(file_, e.value, scenario_schema_, "set: ");
    // In file order, so that messages and the resolved text follow the file.
    std::vector<std::pair<int, std::string>> order;
    for (const auto& [path, entry] : keys) order.emplace_back(entry.key.Mark().pos, path);
    std::sort(order.begin(), order.end());
    for (const auto& [pos, path] : order) {
      Value v = value_in(scenario_schema_, keys, path, "set: ");
      const KeySpec* spec = scenario_schema_.find(path);
      if (spec->type == Type::path) v = scenario::resolve_relative(file_, std::get<std::string>(v));
      spec_.fixed.push_back({path, std::move(v), location(file_, keys.at(path).key.Mark())});
    }
  }

  void read_parameters(const Entry& e) {
    const YAML::Mark mark = mark_of(e.value, e.key.Mark());
    if (!e.value.IsSequence() || e.value.size() == 0)
      fail(file_, mark, "parameters: expected a list of {key: ..., values: [...]} or {key: ..., min: ..., max: ...}, found " +
                            (e.value.IsSequence() ? std::string("an empty list") : found(e.value)));
    std::map<std::string, Location> seen_keys;
    std::map<std::string, Location> seen_names;
    std::size_t index = 0;
    for (const auto& item : e.value) {
      ++index;
      const std::string label = "parameters[" + std::to_string(index) + "]: ";
      if (!item.IsMap())
        fail(file_, mark_of(item, mark), label + "expected a mapping {key: ..., values: [...]}, found " + found(item));
      const Entries p = walk(file_, item, parameter_schema(), label);
      Parameter par = read_parameter(item, p, label);
      if (const auto [first, fresh] = seen_keys.emplace(par.key, par.at); !fresh)
        fail(file_, item.Mark(), label + "key " + par.key + " is varied twice (first at " + first->second.text() + ")");
      if (const auto [first, fresh] = seen_names.emplace(par.name, par.at); !fresh)
        fail(file_, item.Mark(), label + "name " + par.name + " is used twice (first at " + first->second.text() + ")");
      for (const auto& f : spec_.fixed)
        if (f.key == par.key)
          fail(file_, item.Mark(), label + "key " + par.key + " is also fixed under set: (" + f.at.text() + "); remove one");
      spec_.parameters.push_back(std::move(par));
    }
  }

  Parameter read_parameter(const YAML::Node& item, const Entries& p, const std::string& label) {
    Parameter par;
    par.at = location(file_, item.Mark());
    if (!p.count("key")) fail(file_, item.Mark(), label + "key: missing; name the scenario key to vary");
    const Entry& ke = p.at("key");
    const YAML::Mark key_mark = mark_of(ke.value, ke.key.Mark());
    par.key = std::get<std::string>(value_in(parameter_schema(), p, "key", label));
    const KeySpec* spec = scenario_schema_.find(par.key);
    if (!spec) {
      if (scenario::is_section(scenario_schema_, par.key))
        fail(file_, key_mark, label + "key: '" + par.key + "' is a section; vary one of its keys, e.g. " + par.key + "." +
                                  scenario::section_keys(scenario_schema_, par.key).front());
      fail(file_, key_mark, label + "key: " + par.key + ": " + scenario::unknown_key_message(scenario_schema_, par.key));
    }
    par.type = spec->type;
    const std::string plabel = label.substr(0, label.size() - 2) + " (" + par.key + "): ";
    par.name = par.key;
    if (p.count("name")) {
      par.name = std::get<std::string>(value_in(parameter_schema(), p, "name", plabel));
      if (!valid_name(par.name))
        fail(file_, mark_of(p.at("name").value, p.at("name").key.Mark()),
             plabel + "name: '" + par.name + "' is not a plain name (letters, digits, _ . -)");
    }
    const bool has_values = p.count("values") > 0;
    const bool has_range = p.count("min") || p.count("max") || p.count("mean") || p.count("sd") || p.count("distribution");
    if (has_values && has_range)
      fail(file_, item.Mark(), plabel + "give either values or a range (min, max, distribution, mean, sd), not both");
    if (!has_values && !has_range)
      fail(file_, item.Mark(), plabel + "give values: [...] or a range (min and max, or distribution: normal with mean and sd)");
    if (has_values) {
      const Entry& ve = p.at("values");
      const YAML::Mark vmark = mark_of(ve.value, ve.key.Mark());
      if (!ve.value.IsSequence() || ve.value.size() == 0)
        fail(file_, vmark, plabel + "values: expected a list of values of " + par.key + ", found " +
                               (ve.value.IsSequence() ? std::string("an empty list") : found(ve.value)));
      std::size_t k = 0;
      for (const auto& v : ve.value) {
        ++k;
        try {
          Value value = checked_value(*spec, v, vmark);
          if (spec->type == Type::path) value = scenario::resolve_relative(file_, std::get<std::string>(value));
          par.values.push_back(std::move(value));
          par.value_at.push_back(location(file_, mark_of(v, vmark)));
        } catch (const ValueError& err) {
          fail(file_, err.mark, plabel + "values: element " + std::to_string(k) + ": " + err.message);
        }
      }
      return par;
    }
    if (!par.numeric())
      fail(file_, item.Mark(), plabel + "a range (min, max, distribution) needs an integer or real key; " + par.key + " is " +
                                   scenario::type_name(par.type) + ": list its values instead");
    par.ranged = true;
    const auto real = [&](const char* k) { return std::get<double>(value_in(parameter_schema(), p, k, plabel)); };
    const auto mark = [&](const char* k) { return mark_of(p.at(k).value, p.at(k).key.Mark()); };
    if (p.count("distribution")) {
      const std::string d = std::get<std::string>(value_in(parameter_schema(), p, "distribution", plabel));
      par.distribution = d == "uniform" ? Distribution::uniform : d == "loguniform" ? Distribution::loguniform : Distribution::normal;
    }
    const bool lo = p.count("min") > 0;
    const bool hi = p.count("max") > 0;
    if (lo) par.min = real("min");
    if (hi) par.max = real("max");
    if (par.distribution == Distribution::normal) {
      if (!p.count("mean") || !p.count("sd")) fail(file_, item.Mark(), plabel + "distribution normal needs mean and sd");
      par.mean = real("mean");
      par.sd = real("sd");
      if (!(par.sd > 0)) fail(file_, mark("sd"), plabel + "sd: must be above 0");
      if (!std::isfinite(par.mean)) fail(file_, mark("mean"), plabel + "mean: must be finite");
      if (lo != hi) fail(file_, item.Mark(), plabel + "truncate a normal distribution with both min and max, or neither");
    } else {
      for (const char* k : {"mean", "sd"})
        if (p.count(k)) fail(file_, mark(k), plabel + k + ": only a normal distribution takes mean and sd");
      if (!lo || !hi) fail(file_, item.Mark(), plabel + "a " + name_of(par.distribution) + " range needs min and max");
      if (!std::isfinite(par.min) || !std::isfinite(par.max)) fail(file_, mark("min"), plabel + "min and max must be finite");
      if (par.distribution == Distribution::loguniform && !(par.min > 0))
        fail(file_, mark("min"), plabel + "min: a loguniform range needs min above 0");
    }
    if (lo && hi && !(par.min < par.max))
      fail(file_, mark("max"), plabel + "max: " + scenario::format_real(par.max) + " is not above min " +
                                   scenario::format_real(par.min));
    // The range must lie inside the key's own range.
    const std::string unit = spec->unit.empty() || spec->unit == "1" ? "" : " " + spec->unit;
    if (lo && par.min < spec->min)
      fail(file_, mark("min"), plabel + "min: " + scenario::format_real(par.min) + " is below the minimum " +
                                   scenario::format_real(spec->min) + unit + " of " + par.key);
    if (hi && par.max > spec->max)
      fail(file_, mark("max"), plabel + "max: " + scenario::format_real(par.max) + " is above the maximum " +
                                   scenario::format_real(spec->max) + unit + " of " + par.key);
    if (lo && hi && par.type == Type::integer && std::floor(par.max) < std::ceil(par.min))
      fail(file_, mark("max"), plabel + "no integer lies between min and max");
    return par;
  }

  void read_design() {
    Design& d = spec_.design;
    if (has("design.type")) {
      const std::string t = string_of("design.type");
      d.type = t == "grid" ? DesignType::grid : t == "list" ? DesignType::list : t == "lhs" ? DesignType::lhs
               : t == "sobol" ? DesignType::sobol : DesignType::morris;
    }
    const auto integer = [&](const char* k) { return std::get<std::int64_t>(value_of(k)); };
    if (has("design.samples")) d.samples = integer("design.samples");
    if (has("design.levels")) d.levels = integer("design.levels");
    if (has("design.trajectories")) d.trajectories = integer("design.trajectories");
    if (has("design.seed")) d.seed = static_cast<std::uint64_t>(integer("design.seed"));
    const auto key_mark = [&](const char* k) { return entries_.at(k).key.Mark(); };
    const std::string type = name_of(d.type);
    const auto unused = [&](const char* k, const std::string& why) {
      if (has(k)) fail(file_, key_mark(k), std::string(k) + ": not used by a " + type + " design (" + why + ")");
    };
    const auto& ps = spec_.parameters;
    const YAML::Mark type_mark = has("design.type") ? entries_.at("design.type").value.Mark() : YAML::Mark::null_mark();
    const auto param_fail = [&](const Parameter& p, const std::string& message) {
      throw Error(Status::invalid_input, p.at.text() + ": parameter " + p.key + ": " + message);
    };
    switch (d.type) {
      case DesignType::grid: {
        unused("design.samples", "a grid has one point per combination of values");
        unused("design.trajectories", "only morris has trajectories");
        unused("design.seed", "a grid draws no random numbers");
        bool any_range = false;
        for (const auto& p : ps) {
          if (p.ranged && p.distribution == Distribution::normal)
            param_fail(p, "a grid needs values, or a uniform or loguniform range spread over design.levels");
          any_range = any_range || p.ranged;
        }
        if (!any_range) unused("design.levels", "every parameter lists its values");
        break;
      }
      case DesignType::list: {
        for (const char* k : {"design.samples", "design.levels", "design.trajectories", "design.seed"})
          unused(k, "a list design takes the i-th value of every parameter");
        for (const auto& p : ps) {
          if (p.ranged) param_fail(p, "a list design needs values: [...] for every parameter");
          if (p.values.size() != ps.front().values.size())
            param_fail(p, "a list design needs the same number of values for every parameter (" +
                              std::to_string(p.values.size()) + " here, " + std::to_string(ps.front().values.size()) +
                              " for " + ps.front().key + ")");
        }
        break;
      }
      case DesignType::lhs:
      case DesignType::sobol:
        unused("design.levels", "only grid and morris designs have levels");
        unused("design.trajectories", "only morris has trajectories");
        if (!has("design.samples"))
          fail(file_, type_mark, std::string("design.samples: missing; a ") + type + " design needs a number of " +
                                     (d.type == DesignType::sobol ? "base samples N (N * (parameters + 2) points)" : "points"));
        if (d.type == DesignType::sobol && d.samples < 2)
          fail(file_, entries_.at("design.samples").value.Mark(), "design.samples: a sobol design needs at least 2 base samples");
        break;
      case DesignType::morris:
        unused("design.samples", "morris takes design.trajectories and design.levels");
        if (d.levels % 2 != 0)
          fail(file_, entries_.at("design.levels").value.Mark(), "design.levels: morris needs an even number of levels");
        for (const auto& p : ps)
          if (p.ranged && p.distribution == Distribution::normal && !std::isfinite(p.min))
            param_fail(p, "morris reaches the ends of every range: truncate the normal distribution with min and max");
        break;
    }
    // Guard against designs too large to plan.
    long double points = 1;
    switch (d.type) {
      case DesignType::grid:
        for (const auto& p : ps) points *= static_cast<long double>(p.ranged ? static_cast<std::size_t>(d.levels) : p.values.size());
        break;
      case DesignType::list: points = static_cast<long double>(ps.front().values.size()); break;
      case DesignType::lhs: points = static_cast<long double>(d.samples); break;
      case DesignType::sobol: points = static_cast<long double>(d.samples) * static_cast<long double>(ps.size() + 2); break;
      case DesignType::morris: points = static_cast<long double>(d.trajectories) * static_cast<long double>(ps.size() + 1); break;
    }
    const long double replicates = has("replicates") ? static_cast<long double>(std::get<std::int64_t>(value_of("replicates"))) : 1;
    if (points * replicates > kMaxTasks)
      fail(file_, type_mark, "design.type: the sweep would have " + std::to_string(static_cast<double>(points * replicates)) +
                                 " tasks, more than the " + std::to_string(kMaxTasks) + " a sweep may hold");
  }

  void read_outputs_entry(const Entry& e) {
    const YAML::Mark mark = mark_of(e.value, e.key.Mark());
    if (!e.value.IsSequence())
      fail(file_, mark, "outputs: expected a list of indicator names, found " + found(e.value));
    std::map<std::string, Location> seen;
    for (const auto& n : e.value) {
      const YAML::Mark m = mark_of(n, mark);
      if (!n.IsScalar() || n.Scalar().empty()) fail(file_, m, "outputs: expected an indicator name, found " + found(n));
      if (!valid_name(n.Scalar())) fail(file_, m, "outputs: '" + n.Scalar() + "' is not an indicator name");
      if (const auto [first, fresh] = seen.emplace(n.Scalar(), location(file_, m)); !fresh)
        fail(file_, m, "outputs: " + n.Scalar() + " is listed twice (first at " + first->second.text() + ")");
      spec_.outputs.push_back(n.Scalar());
      spec_.output_at.push_back(location(file_, m));
    }
  }

  void check_seed_rule() {
    if (spec_.seed_rule != SeedRule::per_point) return;
    for (const auto& p : spec_.parameters)
      if (p.key == "run.seed")
        throw Error(Status::invalid_input, p.at.text() + ": parameter run.seed: seed_rule per_point derives the seed of each "
                                                         "point itself; vary run.seed with seed_rule: same");
  }

  std::string file_;
  const Schema& scenario_schema_;
  std::span<const scenario::EmbeddedFile> embedded_;
  Entries entries_;
  SweepSpec spec_;
};

}  // namespace

SweepSpec load_spec_text(const std::string& text, const std::string& file, const Schema& scenario_schema,
                         std::span<const scenario::EmbeddedFile> embedded, const std::string& default_base) {
  return Reader(file, scenario_schema, embedded).read(text, default_base);
}

SweepSpec load_spec(const std::string& file, const Schema& scenario_schema,
                    std::span<const scenario::EmbeddedFile> embedded, const std::string& default_base) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(file, ec);
  const std::string path = ec ? file : absolute.lexically_normal().string();
  std::string reason;
  const auto text = scenario::try_read(path, {}, reason);
  if (!text) throw Error(Status::io, "cannot read sweep file '" + file + "': " + reason);
  return load_spec_text(*text, path, scenario_schema, embedded, default_base);
}

OutputsEntry read_outputs(const std::string& text, const std::string& file) {
  static const Schema empty;
  return Reader(file, empty, {}).outputs_only(text);
}

}  // namespace sim::sweep
