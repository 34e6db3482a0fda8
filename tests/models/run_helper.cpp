#include "run_helper.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "sim/run/simulation.hpp"

namespace models_test {

namespace {

const sim::scenario::Schema& schema() {
  static const sim::scenario::Schema s = sim::full_schema(transition::description());
  return s;
}

std::string scenario_file(const std::string& scenario) {
  if (scenario.find(':') != std::string::npos || scenario.find('/') != std::string::npos) return scenario;
  return "builtin:scenarios/" + scenario + ".yaml";
}

// FNV-1a over raw bytes: a digest for equality, not for security.
struct Digest {
  std::uint64_t h = 1469598103934665603ULL;
  void add(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) {
      h ^= p[i];
      h *= 1099511628211ULL;
    }
  }
};

std::size_t year_index(const RunData& d, int year) {
  for (std::size_t y = 0; y < d.years.size(); ++y)
    if (d.years[y] == year) return y;
  throw std::out_of_range(d.key + ": year " + std::to_string(year) + " not in the run");
}

RunData execute(const std::string& scenario, const std::vector<std::string>& overrides, std::uint32_t replicate,
                const std::string& key) {
  const auto& def = transition::description();
  const sim::scenario::Scenario sc = load(scenario, overrides);
  RunData d;
  d.key = key;
  d.seed = static_cast<std::uint64_t>(sc.integer("run.seed"));
  d.replicate = replicate;
  d.first_year = static_cast<int>(sc.integer("run.start_year"));
  if (sc.integer("run.start_month") != 1) throw std::invalid_argument("run helper: runs must start in January");

  sim::RunOptions o;
  o.threads = 2;
  o.replicate = replicate;
  o.on_start = [&](const sim::OutputSpec& spec) {
    d.total_series = sim::LevelSeries(spec.levels.at(0));
    d.county_series = sim::LevelSeries(spec.levels.at(1));
    d.counties = spec.levels.at(1).groups;
  };
  o.observers.push_back([&](const sim::StepRecord& r) {
    Digest dig;
    for (const sim::LevelFrame& f : r.levels) dig.add(f.values.data(), f.values.size() * sizeof(double));
    for (const sim::Event& e : r.events) {
      dig.add(&e.agent, sizeof e.agent);
      dig.add(&e.kind, sizeof e.kind);
      d.events.push_back({r.info.year, r.info.month, e.agent, e.kind});
    }
    d.step_digest.push_back(dig.h);
    d.total_series.append(r.info, r.levels.at(0));
    d.county_series.append(r.info, r.levels.at(1));
    if (r.info.year_end()) d.years.push_back(r.info.year);
  });
  const sim::RunResult res = sim::run(def, sc, o);
  if (!res.complete) throw std::runtime_error(key + ": run did not complete");
  return d;
}

}  // namespace

double RunData::total(const std::string& indicator, int year) const {
  const sim::YearlyAggregator yearly(transition::description(), total_series);
  return yearly.value(indicator, 0, total_series.years().at(year_index(*this, year)));
}

double RunData::total_sum(const std::string& indicator, int from, int to) const {
  double s = 0;
  for (int y = from; y <= to; ++y) s += total(indicator, y);
  return s;
}

double RunData::county(const std::string& indicator, int year, std::size_t c) const {
  const sim::YearlyAggregator yearly(transition::description(), county_series);
  return yearly.value(indicator, c, county_series.years().at(year_index(*this, year)));
}

std::size_t RunData::first_step(int year) const { return static_cast<std::size_t>(12 * (year - first_year)); }

std::size_t RunData::end_step(int year) const {
  return std::min(step_digest.size(), static_cast<std::size_t>(12 * (year - first_year + 1)));
}

bool RunData::identical_through(const RunData& other, int from, int to) const {
  const std::size_t b = first_step(from), e = end_step(to);
  if (e > step_digest.size() || e > other.step_digest.size() || b >= e) return false;
  for (std::size_t s = b; s < e; ++s)
    if (step_digest[s] != other.step_digest[s]) return false;
  return true;
}

sim::scenario::Scenario load(const std::string& scenario, const std::vector<std::string>& overrides) {
  const auto& def = transition::description();
  return sim::scenario::load(scenario_file(scenario), schema(), overrides, def.embedded);
}

const RunData& run(const std::string& scenario, const std::vector<std::string>& overrides, std::uint32_t replicate) {
  static std::mutex mutex;
  static std::map<std::string, RunData> cache;
  std::string key = scenario;
  for (const auto& o : overrides) key += " --set " + o;
  key += " replicate=" + std::to_string(replicate);
  const std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, execute(scenario, overrides, replicate, key)).first;
  return it->second;
}

double mean_total_sum(const std::string& scenario, const std::vector<std::string>& overrides,
                      const std::string& indicator, int from, int to, std::uint32_t replicates) {
  double s = 0;
  for (std::uint32_t r = 0; r < replicates; ++r) s += run(scenario, overrides, r).total_sum(indicator, from, to);
  return s / replicates;
}

std::unique_ptr<transition::TransitionModel> build_model(const std::string& scenario,
                                                         const std::vector<std::string>& overrides,
                                                         std::uint32_t replicate) {
  const auto& def = transition::description();
  const sim::scenario::Scenario sc = load(scenario, overrides);
  return std::make_unique<transition::TransitionModel>(
      sc, sim::RunIdentity{static_cast<std::uint64_t>(sc.integer("run.seed")), replicate}, def.embedded);
}

void record(const std::string& name, double value) {
  std::ostringstream out;
  out.precision(6);
  out << value;
  ::testing::Test::RecordProperty(name, out.str());
}

}  // namespace models_test
