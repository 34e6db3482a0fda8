#pragma once
// A small schema of every key type, independent of any model, and helpers to
// capture the message of an expected error.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "sim/core/error.hpp"
#include "sim/scenario/scenario.hpp"

namespace sim::scenario::test {

inline const Schema& test_schema() {
  static const Schema schema = [] {
    Schema s;
    s.integer("run.seed", 42, 0, 9.2e18, "", "Seed of the random streams.")
        .integer("run.months", 60, 1, 1200, "months", "Number of monthly steps.")
        .boolean("run.verbose", false, "Print more.")
        .real("land.quota_mu", 1200, 0, 2400, "mu", "Land quota per county.")
        .real("land.use_rate", 0.5, 0, 1, "1", "Share of the quota used.")
        .real("monitoring.detection", 0.8, 0, 1, "1", "Chance that a household at risk is detected.")
        .integer("monitoring.delay_months", 3, 0, 24, "months", "Delay before assistance starts.")
        .choice("funds.allocation", "need", {"households", "equal", "need"}, "How funds are split among counties.")
        .reals("funds.shares", {0.1, 0.2, 0.3}, 0, 1, 1, 5, "1", "Share of funds per year.")
        .file("population.county_file", "builtin:data/counties.csv", "County table.")
        .string("output.label", "run", "Free label stored with the output.")
        .real("output.panel.fraction", 0.01, 0, 1, "1", "Share of agents in the panel.");
    return s;
  }();
  return schema;
}

inline std::string fixture(const std::string& name) { return std::string(RURALSIM_TEST_DIR) + "/fixtures/" + name; }

// The message of the sim::Error that `f` throws, after checking its status.
inline std::string error_of(const std::function<void()>& f, Status expected = Status::invalid_input) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(static_cast<int>(e.status()), static_cast<int>(expected)) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no sim::Error thrown";
  return {};
}

inline std::string load_error(const std::string& name, Status expected = Status::invalid_input) {
  return error_of([&] { (void)load(fixture(name), test_schema()); }, expected);
}

}  // namespace sim::scenario::test
