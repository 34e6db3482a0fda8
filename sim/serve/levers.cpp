#include "sim/serve/levers.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/error.hpp"
#include "sim/scenario/format.hpp"
#include "sim/serve/request.hpp"

namespace sim::serve {

namespace {

std::string text(double v) { return scenario::format_real(v); }

std::string range_text(double lo, double hi, const std::string& unit) {
  return text(lo) + " to " + text(hi) + (unit.empty() || unit == "1" ? "" : " " + unit);
}

}  // namespace

Levers::Levers(const ClassroomDecl& decl, const scenario::Scenario& base, double max_scale)
    : decl_(decl), base_(base) {
  const scenario::Schema& schema = base.schema();
  for (const auto& d : decl.levers) {
    const scenario::KeySpec* spec = schema.find(d.key);
    if (!spec) throw Error(Status::failure, "classroom lever '" + d.key + "' is not a scenario key");
    Lever l{d, d.index < 0 ? d.key : d.key + "[" + std::to_string(d.index) + "]", spec->unit, 0, false};
    if (d.index < 0) {
      if (spec->type != scenario::Type::real && spec->type != scenario::Type::integer)
        throw Error(Status::failure, "classroom lever '" + d.key + "' is not a number key");
      l.integer = spec->type == scenario::Type::integer;
      l.default_value = base.real(d.key);
    } else {
      if (spec->type != scenario::Type::real_list)
        throw Error(Status::failure, "classroom lever '" + l.name + "': '" + d.key + "' is not a list key");
      const auto& list = base.reals(d.key);
      if (static_cast<std::size_t>(d.index) >= list.size())
        throw Error(Status::failure, "classroom lever '" + l.name + "': the base scenario's list is shorter");
      l.default_value = list[static_cast<std::size_t>(d.index)];
    }
    if (d.min < spec->min || d.max > spec->max || d.min >= d.max || d.step <= 0)
      throw Error(Status::failure, "classroom lever '" + l.name + "': range " + range_text(d.min, d.max, "") +
                                       " is not within the key's " + range_text(spec->min, spec->max, ""));
    l.default_value = std::clamp(l.default_value, d.min, d.max);
    levers_.push_back(std::move(l));
  }
  scale_spec_ = schema.find(decl.scale_key);
  seed_spec_ = schema.find("run.seed");
  if (!scale_spec_ || !seed_spec_) throw Error(Status::failure, "classroom: the scale key '" + decl.scale_key + "' or run.seed is not a scenario key");
  max_scale_ = std::min({max_scale, decl.max_scale, scale_spec_->max});
  default_scale_ = std::clamp(decl.default_scale, min_scale(), max_scale_);
}

double Levers::min_scale() const { return std::max(scale_spec_->min, 0.001); }

Choice Levers::defaults() const {
  Choice c;
  for (const auto& l : levers_) c.levers[l.name] = l.default_value;
  c.scale = default_scale_;
  c.seed = base_.integer("run.seed");
  return c;
}

void Levers::apply(const YAML::Node& levers, const YAML::Node& scale, const YAML::Node& seed, Choice& choice) const {
  if (levers.IsDefined() && !levers.IsNull()) {
    if (!levers.IsMap()) throw BadRequest(400, "levers: expected an object of lever name -> value");
    check_unique_keys(levers, "levers");
    std::vector<std::string> names;
    for (const auto& l : levers_) names.push_back(l.name);
    for (const auto& kv : levers) {
      const std::string name = kv.first.Scalar();
      const auto it = std::find_if(levers_.begin(), levers_.end(), [&](const Lever& l) { return l.name == name; });
      if (it == levers_.end()) {
        const auto near = scenario::suggest(name, names, 1);
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        throw BadRequest(400, "unknown lever '" + name + "'" +
                                  (near.empty() ? "" : "; did you mean '" + near.front() + "'?") + " (levers: " + list + ")");
      }
      const double v = number(kv.second, "lever " + name);
      if (v < it->decl.min || v > it->decl.max)
        throw BadRequest(400, "lever " + name + " (" + it->decl.label + "): " + text(v) + " is outside its range " +
                                  range_text(it->decl.min, it->decl.max, it->unit));
      if (it->integer && v != std::floor(v))
        throw BadRequest(400, "lever " + name + " (" + it->decl.label + "): " + text(v) + " is not a whole number");
      choice.levers[name] = v;
    }
  }
  if (scale.IsDefined() && !scale.IsNull()) {
    const double v = number(scale, "scale");
    if (v < min_scale() || v > max_scale_)
      throw BadRequest(400, "scale: " + text(v) + " is outside the classroom's range " + range_text(min_scale(), max_scale_, "") +
                                " (the server's --max-scale sets the upper end; a larger scale needs `ruralsim run`)");
    choice.scale = v;
  }
  if (seed.IsDefined() && !seed.IsNull()) {
    const double v = number(seed, "seed");
    if (v < seed_spec_->min || v > std::min(seed_spec_->max, 9.0e15) || v != std::floor(v))
      throw BadRequest(400, "seed: " + text(v) + " is not a whole number from " + text(seed_spec_->min) + " to 9e15");
    choice.seed = static_cast<std::int64_t>(v);
  }
}

scenario::Scenario Levers::scenario(const Choice& choice) const {
  scenario::Scenario sc = base_;
  const scenario::Origin origin{"classroom", 0, 0};
  for (const auto& l : levers_) {
    const double v = choice.levers.at(l.name);
    if (l.decl.index >= 0) {
      std::vector<double> list = sc.reals(l.decl.key);
      list[static_cast<std::size_t>(l.decl.index)] = v;
      sc.set(l.decl.key, list, origin);
    } else if (l.integer) {
      sc.set(l.decl.key, static_cast<std::int64_t>(v), origin);
    } else {
      sc.set(l.decl.key, v, origin);
    }
  }
  sc.set(decl_.scale_key, choice.scale, origin);
  sc.set("run.seed", choice.seed, origin);
  return sc;
}

}  // namespace sim::serve
