#pragma once
// A small model for the recorder tests: three levels (one single precision),
// two event kinds, a household table with bound columns and a static village
// table with a string column, all with values that are known functions of the
// step so that tests can check what comes back.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "sim/core/calendar.hpp"
#include "sim/core/columns.hpp"
#include "sim/core/record.hpp"
#include "sim/io/data_file.hpp"
#include "sim/io/h5.hpp"
#include "sim/io/recorder.hpp"

namespace sim::io::testing {

namespace fs = std::filesystem;

inline constexpr std::uint32_t kHouseholds = 20;
inline constexpr std::uint32_t kSteps = 30;
inline constexpr int kStartYear = 2021;
inline constexpr int kStartMonth = 7;

inline OutputSpec make_spec() {
  OutputSpec spec;
  spec.levels.push_back({"total", 1, false,
                         {{"population", "persons", "people living in the area"},
                          {"income", "yuan", "mean household income"}}});
  spec.levels.push_back({"county", 3, false,
                         {{"income", "yuan", "mean household income per county"},
                          {"migrants", "persons", "people away for work"}}});
  spec.levels.push_back({"village", 7, true, {{"share_farming", "1", "share of households farming"}}});
  spec.event_agent_kind = "household";
  spec.event_kinds = {{"moved", "household left its village"}, {"split", "household divided in two"}};
  return spec;
}

// Value of (level, indicator, group) at a step; exact in float32 too.
inline double level_value(std::size_t level, std::size_t indicator, std::size_t group, std::uint32_t step) {
  return 1000.0 * static_cast<double>(level) + 100.0 * static_cast<double>(indicator) + static_cast<double>(group) +
         0.25 * static_cast<double>(step);
}

// Events of a step, deliberately out of (agent, kind) order.
inline std::vector<Event> step_events(std::uint32_t step) {
  std::vector<Event> ev;
  if (step % 3 == 0) ev.push_back({(step * 7) % kHouseholds, static_cast<std::uint16_t>(step % 2)});
  if (step % 5 == 0) {
    ev.push_back({2, 1});
    ev.push_back({2, 0});
  }
  return ev;
}

struct Model {
  OutputSpec spec = make_spec();
  std::vector<std::uint8_t> members;
  std::vector<std::uint32_t> village;
  std::vector<float> land;
  std::vector<double> income;
  AgentTable households{"household"};
  std::vector<std::string> village_names{"Dongcun", "Xicun", "Nanshan", "Beihe", "Zhong", "Shangping", "Xiaping"};
  std::vector<std::int32_t> village_pop{120, 80, 95, 60, 140, 33, 71};
  AgentTable villages{"village"};

  Model() {
    members.resize(kHouseholds);
    village.resize(kHouseholds);
    land.resize(kHouseholds);
    income.resize(kHouseholds);
    households.bind(members, "members", "persons", "people in the household");
    households.bind(village, "village", "", "village id");
    households.bind(land, "land", "mu", "land farmed");
    households.bind(income, "income", "yuan", "household income of the month");
    villages.bind(village_names, "name", "", "village name");
    villages.bind(village_pop, "population", "persons", "registered residents");
    set_state(0);
  }

  // Agent state during `step`: a known function so that panel rows can be checked.
  static std::uint8_t members_at(std::uint32_t a, std::uint32_t s) { return static_cast<std::uint8_t>(1 + (a + s) % 7); }
  static std::uint32_t village_at(std::uint32_t a, std::uint32_t s) { return (a + s / 12) % 7; }
  static float land_at(std::uint32_t a, std::uint32_t s) { return static_cast<float>(a) + 0.5f * static_cast<float>(s); }
  static double income_at(std::uint32_t a, std::uint32_t s) { return 1000.0 * a + 3.0 * s + 0.125; }

  void set_state(std::uint32_t s) {
    for (std::uint32_t a = 0; a < kHouseholds; ++a) {
      members[a] = members_at(a, s);
      village[a] = village_at(a, s);
      land[a] = land_at(a, s);
      income[a] = income_at(a, s);
    }
  }

  StepRecord record(std::uint32_t step, std::uint32_t steps = kSteps) const {
    StepRecord r;
    r.reset(spec, step_info(step, steps, kStartYear, kStartMonth));
    for (std::size_t l = 0; l < spec.levels.size(); ++l)
      for (std::size_t i = 0; i < r.levels[l].indicators; ++i)
        for (std::size_t g = 0; g < r.levels[l].groups; ++g) r.levels[l].at(i, g) = level_value(l, i, g, step);
    r.events = step_events(step);
    return r;
  }
};

inline RunMetadata make_meta(int threads = 4, std::string started = "2024-05-01T10:00:00Z") {
  RunMetadata m;
  m.model = "transition";
  m.model_version = "0.3.1";
  m.engine_version = "0.1.0";
  m.git_commit = "abc1234";
  m.scenario_name = "baseline";
  m.scenario_source = "scenarios/baseline.yaml";
  m.scenario_yaml = "run:\n  steps: 30\n  seed: 18364758544493064720\n";
  m.seed = 0xFEDCBA9876543210ull;  // above INT64_MAX: must survive as uint64
  m.replicate = 2;
  m.threads = threads;
  m.steps = kSteps;
  m.start_year = kStartYear;
  m.start_month = kStartMonth;
  m.command_line = "ruralsim run baseline --threads " + std::to_string(threads);
  m.started_at = std::move(started);
  return m;
}

inline const std::vector<std::uint32_t>& panel_agents() {
  static const std::vector<std::uint32_t> a{1, 4, 9, 15};
  return a;
}

// Writes a whole run (static table, panel every 12 steps) and finishes it.
inline void write_run(const fs::path& path, Model& model, const RunMetadata& meta, RecorderOptions opt = {},
                      std::uint32_t steps = kSteps, const std::string& ended = "2024-05-01T10:05:00Z") {
  Recorder rec(path, model.spec, meta, opt);
  rec.write_table("villages", model.villages);
  rec.set_panel(PanelSpec{&model.households, panel_agents(), 12, {}});
  for (std::uint32_t s = 0; s < steps; ++s) {
    model.set_state(s);
    rec.push(model.record(s, steps));
  }
  rec.finish(ended);
}

// A fresh directory per test, removed afterwards.
class IoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("ruralsim_io_" + std::to_string(::getpid()) + "_" + info->test_suite_name() + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path file(const std::string& name) const { return dir_ / name; }
  fs::path dir_;
};

inline std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::string root_string(hid_t file, const std::string& name) {
  Group root(H5Gopen2(file, "/", H5P_DEFAULT));
  return read_attr_string(root.get(), name);
}
inline std::int64_t root_int(hid_t file, const std::string& name) {
  Group root(H5Gopen2(file, "/", H5P_DEFAULT));
  return read_attr_int(root.get(), name);
}

inline std::string dataset_type(hid_t file, const std::string& path) {
  Dataset d(check(H5Dopen2(file, path.c_str(), H5P_DEFAULT), "open " + path));
  Datatype t(H5Dget_type(d.get()));
  return type_name(t.get());
}

inline std::string dataset_attr(hid_t file, const std::string& path, const std::string& name) {
  Handle<H5Oclose> obj(check(H5Oopen(file, path.c_str(), H5P_DEFAULT), "open " + path));
  return read_attr_string(obj.get(), name);
}

inline std::int64_t object_attr_int(hid_t file, const std::string& path, const std::string& name) {
  Handle<H5Oclose> obj(check(H5Oopen(file, path.c_str(), H5P_DEFAULT), "open " + path));
  return read_attr_int(obj.get(), name);
}

}  // namespace sim::io::testing
