// Scenario values, programmatic set, the resolved YAML, built-in files and
// path resolution.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>

#include "helpers.hpp"

namespace sim::scenario {
namespace {

using test::error_of;
using test::fixture;
using test::test_schema;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(Scenario, DefaultsAreFilled) {
  const Scenario sc(test_schema());
  EXPECT_EQ(sc.integer("run.seed"), 42);
  EXPECT_EQ(sc.integer("run.months"), 60);
  EXPECT_FALSE(sc.boolean("run.verbose"));
  EXPECT_DOUBLE_EQ(sc.real("land.quota_mu"), 1200);
  EXPECT_EQ(sc.string("funds.allocation"), "need");
  EXPECT_THAT(sc.reals("funds.shares"), ElementsAre(0.1, 0.2, 0.3));
  EXPECT_EQ(sc.string("output.label"), "run");
  for (const auto& k : test_schema().keys()) {
    EXPECT_EQ(sc.origin_of(k.path).file, "default") << k.path;
    EXPECT_EQ(sc.origin_of(k.path).line, 0);
  }
  EXPECT_EQ(sc.name(), "default");
  EXPECT_EQ(sc.source(), "default");
}

TEST(Scenario, AccessorsRefuseUnknownKeysAndWrongTypes) {
  const Scenario sc(test_schema());
  EXPECT_THAT(error_of([&] { (void)sc.get("land.quota"); }, Status::failure), HasSubstr("'land.quota'"));
  EXPECT_THAT(error_of([&] { (void)sc.boolean("land.quota_mu"); }, Status::failure),
              HasSubstr("'land.quota_mu' is a real key"));
  (void)error_of([&] { (void)sc.integer("land.quota_mu"); }, Status::failure);
  (void)error_of([&] { (void)sc.string("run.seed"); }, Status::failure);
  (void)error_of([&] { (void)sc.reals("run.seed"); }, Status::failure);
  (void)error_of([&] { (void)sc.real("output.label"); }, Status::failure);
  (void)error_of([&] { (void)sc.origin_of("nope"); }, Status::failure);
  EXPECT_DOUBLE_EQ(sc.real("run.months"), 60.0);                                // integer keys read as reals too
  EXPECT_EQ(sc.string("population.county_file"), "builtin:data/counties.csv");  // path keys are strings
}

TEST(Scenario, SetChecksLikeAFile) {
  Scenario sc(test_schema());
  sc.set("land.quota_mu", std::int64_t{100});
  EXPECT_TRUE(std::holds_alternative<double>(sc.get("land.quota_mu")));
  EXPECT_DOUBLE_EQ(sc.real("land.quota_mu"), 100);
  EXPECT_EQ(sc.origin_of("land.quota_mu").file, "api");
  sc.set("funds.shares", std::vector<double>{0.5}, {"sweep", 0, 0});
  EXPECT_EQ(sc.origin_of("funds.shares").file, "sweep");

  EXPECT_EQ(error_of([&] { sc.set("land.quota_mu", 3000.0); }),
            "api: land.quota_mu: 3000 is above the maximum 2400 (mu)");
  EXPECT_EQ(error_of([&] { sc.set("run.months", 2.5); }), "api: run.months: expected an integer, found a real number");
  EXPECT_EQ(error_of([&] { sc.set("run.monthz", std::int64_t{2}); }),
            "api: run.monthz: unknown key; did you mean 'run.months'?");
  EXPECT_THAT(error_of([&] { sc.set("funds.allocation", std::string("all")); }),
              HasSubstr("'all' is not one of the choices: households, equal, need"));
  EXPECT_EQ(error_of([&] {
              sc.set("funds.shares", std::vector<double>(6, 0.1), {"f.yaml", 3, 5});
            }),
            "f.yaml:3:5: funds.shares: has 6 values; at most 5 allowed");
  EXPECT_DOUBLE_EQ(sc.real("land.quota_mu"), 100);  // failed sets change nothing

  sc.set("population.county_file", std::string("data/../c.csv"), {"dir/s.yaml", 1, 1});
  EXPECT_EQ(sc.string("population.county_file"), "dir/c.csv");
}

TEST(Scenario, DifferingKeys) {
  const Scenario a(test_schema());
  Scenario b(test_schema());
  EXPECT_TRUE(a.differing_keys(b).empty());
  b.set("run.months", std::int64_t{12});
  b.set("output.label", std::string("x"));
  b.set("land.quota_mu", 1200.0);  // same value as the default
  EXPECT_THAT(a.differing_keys(b), ElementsAre("run.months", "output.label"));
  EXPECT_THAT(b.differing_keys(a), ElementsAre("run.months", "output.label"));
}

TEST(ToYaml, IsNestedInSchemaOrderWithAHeader) {
  const Scenario sc = load(fixture("good.yaml"), test_schema());
  const std::string y = sc.to_yaml();
  EXPECT_THAT(y, StartsWith("# "));
  EXPECT_THAT(y.substr(0, y.find('\n')), HasSubstr(fixture("good.yaml")));
  EXPECT_THAT(y, HasSubstr("description: \"Good fixture: every type\"\n"));
  EXPECT_THAT(y, HasSubstr("run:\n  seed: 7\n  months: 24  # months\n  verbose: true\n"));
  EXPECT_THAT(y, HasSubstr("land:\n  quota_mu: 2000.5  # mu\n  use_rate: 1\n"));
  EXPECT_THAT(y, HasSubstr("funds:\n  allocation: \"equal\"\n  shares: [0.5, 0.25]\n"));
  EXPECT_THAT(y, HasSubstr("output:\n  label: \"hello: world\"\n  panel:\n    fraction: 0.05\n"));
  EXPECT_LT(y.find("run:"), y.find("land:"));
  EXPECT_LT(y.find("land:"), y.find("monitoring:"));
}

TEST(ToYaml, RoundTripsExactly) {
  const std::vector<std::string> sets = {"run.seed=9000000000000000000"};
  Scenario sc = load(fixture("sub/derived.yaml"), test_schema(), sets);
  // Values chosen to break naive printing: no short decimal, extremes,
  // strings that look like other types or YAML syntax.
  sc.set("land.quota_mu", 1.0 / 3.0);
  sc.set("land.use_rate", 4.9406564584124654e-324);
  sc.set("monitoring.detection", 0.1 + 0.2);
  sc.set("funds.shares", std::vector<double>{1e-300, 0.7, 1.0 / 7.0});
  sc.set("output.label", std::string("true # not \"a\" comment: \\ \n\t[1]"));
  sc.set("output.panel.fraction", 0.0);
  const Scenario again = load_text(sc.to_yaml(), "resolved.yaml", test_schema());
  EXPECT_TRUE(sc.differing_keys(again).empty()) << sc.to_yaml();
  EXPECT_EQ(again.real("land.quota_mu"), 1.0 / 3.0);
  EXPECT_EQ(again.string("output.label"), sc.string("output.label"));
  EXPECT_EQ(again.string("population.county_file"), fixture("data/base_counties.csv"));
  EXPECT_EQ(again.description(), sc.description());
  // And the text is stable once resolved.
  EXPECT_EQ(again.to_yaml().substr(again.to_yaml().find('\n')), sc.to_yaml().substr(sc.to_yaml().find('\n')));
}

TEST(ToYaml, DefaultScenarioRoundTrips) {
  const Scenario sc(test_schema());
  const Scenario again = load_text(sc.to_yaml(), "d.yaml", test_schema());
  EXPECT_TRUE(sc.differing_keys(again).empty());
}

// --- built-in files ---------------------------------------------------------

constexpr std::array<EmbeddedFile, 3> kEmbedded = {{
    {"scenarios/mini.yaml", "# built in\nextends: base.yaml\nland:\n  quota_mu: 10\n"},
    {"scenarios/base.yaml", "run:\n  months: 6\npopulation:\n  county_file: data/c.csv\n"},
    {"scenarios/broken.yaml", "land:\n  quota_mu: 10\n  bogus: 1\n"},
}};

TEST(Builtin, FallbackByNameOrFileName) {
  for (const std::string name : {"mini", "mini.yaml", "builtin:scenarios/mini.yaml"}) {
    const Scenario sc = load(name, test_schema(), {}, kEmbedded);
    EXPECT_EQ(sc.source(), "builtin:scenarios/mini.yaml") << name;
    EXPECT_EQ(sc.name(), "mini");
    EXPECT_DOUBLE_EQ(sc.real("land.quota_mu"), 10);
    EXPECT_EQ(sc.integer("run.months"), 6);  // from the embedded base
    EXPECT_EQ(sc.string("population.county_file"), "builtin:scenarios/data/c.csv");
    EXPECT_EQ(sc.origin_of("run.months").file, "builtin:scenarios/base.yaml");
  }
}

TEST(Builtin, DiskFileCanExtendABuiltin) {
  const Scenario sc = load_text("extends: mini\nrun.months: 9\n", fixture("user.yaml"), test_schema(), {}, kEmbedded);
  EXPECT_DOUBLE_EQ(sc.real("land.quota_mu"), 10);
  EXPECT_EQ(sc.integer("run.months"), 9);
}

TEST(Builtin, ErrorsNameTheBuiltin) {
  EXPECT_THAT(error_of([] { (void)load("broken", test_schema(), {}, kEmbedded); }),
              HasSubstr("builtin:scenarios/broken.yaml:3:3: land.bogus: unknown key"));
  EXPECT_EQ(error_of([] { (void)load("absent", test_schema(), {}, kEmbedded); }, Status::io),
            "cannot read scenario 'absent': no such file");
  EXPECT_EQ(error_of([] { (void)load("builtin:scenarios/absent.yaml", test_schema(), {}, kEmbedded); }, Status::io),
            "cannot read scenario 'builtin:scenarios/absent.yaml': no such built-in file");
}

TEST(ReadText, DiskAndBuiltin) {
  EXPECT_EQ(read_text("builtin:scenarios/base.yaml", kEmbedded), kEmbedded[1].text);
  EXPECT_THAT(read_text(fixture("typo.yaml"), {}), StartsWith("# A typo in a nested key.\n"));
  EXPECT_THAT(error_of([] { (void)read_text("builtin:nothing.csv", kEmbedded); }, Status::io),
              HasSubstr("builtin:nothing.csv"));
  EXPECT_EQ(error_of([] { (void)read_text("/no/such/file.csv", {}); }, Status::io),
            "cannot read '/no/such/file.csv': no such file");
  EXPECT_THAT(error_of([] { (void)read_text(RURALSIM_TEST_DIR, {}); }, Status::io), HasSubstr("is a directory"));
}

TEST(ResolveRelative, Cases) {
  EXPECT_EQ(resolve_relative("scenarios/a.yaml", "data/c.csv"), "scenarios/data/c.csv");
  EXPECT_EQ(resolve_relative("scenarios/sub/a.yaml", "../data/./c.csv"), "scenarios/data/c.csv");
  EXPECT_EQ(resolve_relative("a.yaml", "c.csv"), "c.csv");
  EXPECT_EQ(resolve_relative("/abs/dir/a.yaml", "c.csv"), "/abs/dir/c.csv");
  EXPECT_EQ(resolve_relative("scenarios/a.yaml", "/etc/c.csv"), "/etc/c.csv");
  EXPECT_EQ(resolve_relative("scenarios/a.yaml", "builtin:data/c.csv"), "builtin:data/c.csv");
  EXPECT_EQ(resolve_relative("builtin:scenarios/a.yaml", "base.yaml"), "builtin:scenarios/base.yaml");
  EXPECT_EQ(resolve_relative("builtin:scenarios/a.yaml", "../data/c.csv"), "builtin:data/c.csv");
  EXPECT_EQ(resolve_relative("builtin:a.yaml", "c.csv"), "builtin:c.csv");
  EXPECT_EQ(resolve_relative("scenarios/a.yaml", ""), "");
}

// A path key's file check runs on the value the scenario resolved, and its
// error names where the key was set and the key.
TEST(CheckFiles, RunsEachFileKeysCheckAndSaysWhereTheKeyWasSet) {
  Schema schema = test_schema();
  std::vector<std::string> seen;
  schema.check_file("population.county_file", [&](const std::string& file) {
    seen.push_back(file);
    if (file.find("bad") != std::string::npos) throw Error(Status::invalid_input, file + ":2: county listed twice");
  });
  EXPECT_THROW(schema.check_file("run.months", [](const std::string&) {}), Error);  // not a path key
  check_files(load_text("population:\n  county_file: good.csv\n", "dir/t.yaml", schema));
  EXPECT_THAT(seen, ElementsAre("dir/good.csv"));
  const Scenario bad = load_text("run: {months: 2}\npopulation:\n  county_file: bad.csv\n", "dir/t.yaml", schema);
  EXPECT_EQ(error_of([&] { check_files(bad); }),
            "dir/t.yaml:3:3: population.county_file: dir/bad.csv:2: county listed twice");
  const std::vector<std::string> sets = {"population.county_file=bad.csv"};
  const Scenario set = load_text("", "t.yaml", schema, sets);
  EXPECT_EQ(error_of([&] { check_files(set); }), "--set population.county_file: bad.csv:2: county listed twice");
}

}  // namespace
}  // namespace sim::scenario
