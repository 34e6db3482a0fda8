#pragma once
// The classroom's levers over a base scenario: their ranges, units and
// defaults, and the scenario a set of lever values makes. Every value is
// checked here, so a run is only ever set up from an acceptable scenario.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/model/description.hpp"
#include "sim/scenario/scenario.hpp"

namespace sim::serve {

struct Lever {
  ClassroomDecl::Lever decl;
  std::string name;  // what requests call it: the key, or KEY[i] for a list element
  std::string unit;
  double default_value = 0;
  bool integer = false;
};

struct Choice {
  std::map<std::string, double> levers;  // every lever, by name
  double scale = 0;
  std::int64_t seed = 0;
};

class Levers {
 public:
  // `base` and `schema` must outlive this. Throws Error(failure) when the
  // declaration names a key the schema lacks or a range outside the key's.
  Levers(const ClassroomDecl& decl, const scenario::Scenario& base, double max_scale);

  const std::vector<Lever>& levers() const { return levers_; }
  const scenario::KeySpec& scale_spec() const { return *scale_spec_; }
  double min_scale() const;
  double max_scale() const { return max_scale_; }
  double default_scale() const { return default_scale_; }

  // The defaults: every lever at the base scenario's value.
  Choice defaults() const;
  // Applies the request's "levers" (a JSON object of lever name -> number),
  // "scale" and "seed" to `choice`; throws BadRequest(400) naming the lever.
  void apply(const YAML::Node& levers, const YAML::Node& scale, const YAML::Node& seed, Choice& choice) const;
  // The scenario the choice makes.
  scenario::Scenario scenario(const Choice& choice) const;

 private:
  const ClassroomDecl& decl_;
  const scenario::Scenario& base_;
  std::vector<Lever> levers_;
  const scenario::KeySpec* scale_spec_ = nullptr;
  const scenario::KeySpec* seed_spec_ = nullptr;
  double max_scale_ = 0, default_scale_ = 0;
};

}  // namespace sim::serve
