// Loading scenario files: accepted values, extends, and the exact position and
// wording of every kind of error a person can make in a file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "helpers.hpp"

namespace sim::scenario {
namespace {

using test::error_of;
using test::fixture;
using test::load_error;
using test::test_schema;
using ::testing::ContainsRegex;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(Load, GoodFileSetsEveryType) {
  const Scenario sc = load(fixture("good.yaml"), test_schema());
  EXPECT_EQ(sc.name(), "good");
  EXPECT_EQ(sc.source(), fixture("good.yaml"));
  EXPECT_EQ(sc.description(), "Good fixture: every type");
  EXPECT_EQ(sc.integer("run.seed"), 7);
  EXPECT_EQ(sc.integer("run.months"), 24);
  EXPECT_TRUE(sc.boolean("run.verbose"));
  EXPECT_DOUBLE_EQ(sc.real("land.quota_mu"), 2000.5);
  EXPECT_DOUBLE_EQ(sc.real("land.use_rate"), 1.0);  // written as the integer 1
  EXPECT_TRUE(std::holds_alternative<double>(sc.get("land.use_rate")));
  EXPECT_DOUBLE_EQ(sc.real("monitoring.detection"), 0.9);  // written flat
  EXPECT_EQ(sc.string("funds.allocation"), "equal");
  EXPECT_THAT(sc.reals("funds.shares"), ElementsAre(0.5, 0.25));
  EXPECT_EQ(sc.string("output.label"), "hello: world");
  EXPECT_DOUBLE_EQ(sc.real("output.panel.fraction"), 0.05);  // nested, then flat inside
  // Not set by the file: the default.
  EXPECT_EQ(sc.integer("monitoring.delay_months"), 3);
  EXPECT_EQ(sc.origin_of("monitoring.delay_months").file, "default");
}

TEST(Load, OriginsNameFileLineAndColumnOfTheKey) {
  const Scenario sc = load(fixture("good.yaml"), test_schema());
  const Origin& o = sc.origin_of("land.quota_mu");
  EXPECT_EQ(o.file, fixture("good.yaml"));
  EXPECT_EQ(o.line, 8);
  EXPECT_EQ(o.column, 3);
  EXPECT_EQ(sc.origin_of("monitoring.detection").line, 10);
  EXPECT_EQ(sc.origin_of("monitoring.detection").column, 1);
}

TEST(Load, PathKeyIsResolvedAgainstTheFileThatSetsIt) {
  const Scenario sc = load(fixture("good.yaml"), test_schema());
  EXPECT_EQ(sc.string("population.county_file"), fixture("data/counties.csv"));
  // Defaults are kept as declared.
  EXPECT_EQ(Scenario(test_schema()).string("population.county_file"), "builtin:data/counties.csv");
}

TEST(Load, ExtendsAppliesTheBaseFirst) {
  const Scenario sc = load(fixture("sub/derived.yaml"), test_schema());
  EXPECT_EQ(sc.name(), "derived");
  EXPECT_DOUBLE_EQ(sc.real("land.quota_mu"), 1500);        // derived wins
  EXPECT_DOUBLE_EQ(sc.real("land.use_rate"), 0.25);        // from base
  EXPECT_DOUBLE_EQ(sc.real("monitoring.detection"), 0.6);  // from base
  EXPECT_EQ(sc.integer("run.months"), 12);
  EXPECT_EQ(sc.integer("run.seed"), 42);  // default
  EXPECT_EQ(sc.origin_of("land.quota_mu").file, fixture("sub/derived.yaml"));
  EXPECT_EQ(sc.origin_of("land.use_rate").file, fixture("base.yaml"));
  EXPECT_EQ(sc.description(), "base scenario");  // derived has none of its own
  // A path set in the base is relative to the base, not to the derived file.
  EXPECT_EQ(sc.string("population.county_file"), fixture("data/base_counties.csv"));
}

TEST(Load, PathSetInDerivedFileIsRelativeToIt) {
  const Scenario sc = load(fixture("sub/derived_path.yaml"), test_schema());
  EXPECT_EQ(sc.string("population.county_file"), fixture("sub/local/counties.csv"));
}

TEST(Load, ExtendsChainWrittenAfterTheKeys) {
  const Scenario sc = load(fixture("chain.yaml"), test_schema());
  EXPECT_DOUBLE_EQ(sc.real("monitoring.detection"), 0.7);  // chain.yaml over base.yaml
  EXPECT_DOUBLE_EQ(sc.real("land.quota_mu"), 1500);        // from sub/derived.yaml
  EXPECT_DOUBLE_EQ(sc.real("land.use_rate"), 0.25);        // from base.yaml
  EXPECT_EQ(sc.integer("run.months"), 12);
  EXPECT_EQ(sc.name(), "chain");
}

TEST(Load, OverridesAreAppliedAfterExtends) {
  const std::vector<std::string> sets = {"land.quota_mu=42",
                                         "funds.shares=[1, 0]",
                                         "run.verbose=true",
                                         "monitoring.detection = 0.5",
                                         "output.label=a: b",
                                         "land.quota_mu=43",
                                         "population.county_file=x/../c.csv"};
  const Scenario sc = load(fixture("sub/derived.yaml"), test_schema(), sets);
  EXPECT_DOUBLE_EQ(sc.real("land.quota_mu"), 43);  // the last --set wins
  EXPECT_THAT(sc.reals("funds.shares"), ElementsAre(1.0, 0.0));
  EXPECT_TRUE(sc.boolean("run.verbose"));
  EXPECT_DOUBLE_EQ(sc.real("monitoring.detection"), 0.5);
  EXPECT_EQ(sc.string("output.label"), "a: b");             // strings need no YAML quoting
  EXPECT_EQ(sc.string("population.county_file"), "c.csv");  // relative to the working directory
  EXPECT_EQ(sc.origin_of("land.quota_mu").file, "--set");
  EXPECT_EQ(sc.origin_of("land.quota_mu").line, 0);
  EXPECT_DOUBLE_EQ(sc.real("land.use_rate"), 0.25);  // untouched, from base
}

TEST(Load, OverrideErrors) {
  const auto set_error = [](std::string s) {
    return error_of([&] {
      const std::vector<std::string> sets = {s};
      (void)load(fixture("good.yaml"), test_schema(), sets);
    });
  };
  EXPECT_THAT(set_error("land.quota_mu=abc"), StartsWith("--set land.quota_mu=abc: expected a real number"));
  EXPECT_EQ(set_error("monitoring.detecton=0.5"),
            "--set monitoring.detecton=0.5: unknown key; did you mean 'monitoring.detection'?");
  EXPECT_EQ(set_error("run.months=0"), "--set run.months=0: 0 is below the minimum 1 (months)");
  EXPECT_EQ(set_error("run.months=2.5"), "--set run.months=2.5: expected an integer, found 2.5");
  EXPECT_EQ(set_error("land.quota_mu"), "--set land.quota_mu: expected path=value");
  EXPECT_EQ(set_error("=3"), "--set =3: expected path=value");
  EXPECT_THAT(set_error("funds.shares=[0.5, 2]"), HasSubstr("element 2: 2 is above the maximum 1"));
  EXPECT_THAT(set_error("funds.allocation=needy"), HasSubstr("did you mean 'need'?"));
  EXPECT_THAT(set_error("land=1"), HasSubstr("'land' is a section"));
  EXPECT_THAT(set_error("run.verbose=yes"), HasSubstr("expected true or false"));
  EXPECT_THAT(set_error("run.months=[1"), StartsWith("--set run.months=[1: not a valid YAML value: "));
}

TEST(Load, OverrideStringsTakeQuotesOff) {
  const std::vector<std::string> quoted = {"output.label=\" padded \""};
  EXPECT_EQ(load_text("", "q.yaml", test_schema(), quoted).string("output.label"), " padded ");
  const std::vector<std::string> empty = {"output.label="};
  EXPECT_EQ(load_text("", "q.yaml", test_schema(), empty).string("output.label"), "");
}

TEST(Load, EmptyDescriptionIsAllowed) {
  EXPECT_EQ(load_text("description:\n", "d.yaml", test_schema()).description(), "");
}

TEST(Load, EmptyTextGivesDefaults) {
  const Scenario sc = load_text("# nothing set\n", "empty.yaml", test_schema());
  EXPECT_TRUE(sc.differing_keys(Scenario(test_schema())).empty());
  EXPECT_EQ(sc.name(), "empty");
}

// --- errors, each at the position a person has to edit ---------------------

TEST(LoadErrors, UnknownKeyInNestedSection) {
  EXPECT_THAT(load_error("typo.yaml"),
              HasSubstr("typo.yaml:3:3: monitoring.detecton: unknown key; did you mean 'monitoring.detection'?"));
}

TEST(LoadErrors, UnknownSectionSuggestsTheSection) {
  EXPECT_THAT(load_error("unknown_section.yaml"),
              HasSubstr("unknown_section.yaml:3:1: monitorin: unknown key; did you mean 'monitoring'?"));
}

TEST(LoadErrors, MessageStartsWithTheFile) {
  EXPECT_THAT(load_error("typo.yaml"), StartsWith(fixture("typo.yaml") + ":3:3: "));
}

TEST(LoadErrors, DuplicateKey) {
  EXPECT_THAT(load_error("dup.yaml"), HasSubstr("dup.yaml:7:3: land.quota_mu: duplicate key (first set at line 5)"));
}

TEST(LoadErrors, DuplicateKeyFlatAndNested) {
  EXPECT_THAT(load_error("dup_flat.yaml"),
              HasSubstr("dup_flat.yaml:5:1: land.quota_mu: duplicate key (first set at line 3)"));
}

TEST(LoadErrors, DuplicateSection) {
  EXPECT_EQ(error_of([] { (void)load_text("land: {quota_mu: 1}\nland: {use_rate: 0.5}\n", "s.yaml", test_schema()); }),
            "s.yaml:2:1: land: duplicate key (first set at line 1)");
}

TEST(LoadErrors, OutOfRange) {
  EXPECT_THAT(load_error("bad_range.yaml"),
              HasSubstr("bad_range.yaml:4:16: land.quota_mu: 5000 is above the maximum 2400 (mu)"));
}

TEST(LoadErrors, StringForReal) {
  EXPECT_THAT(load_error("bad_type_string.yaml"),
              HasSubstr("bad_type_string.yaml:2:13: land.quota_mu: expected a real number, found 'lots'"));
}

TEST(LoadErrors, RealForInteger) {
  EXPECT_THAT(load_error("bad_type_integer.yaml"),
              HasSubstr("bad_type_integer.yaml:2:11: run.months: expected an integer, found 1.5"));
}

TEST(LoadErrors, BadChoiceListsTheChoices) {
  EXPECT_THAT(load_error("bad_choice.yaml"),
              HasSubstr("bad_choice.yaml:2:15: funds.allocation: 'needs' is not one of the choices: "
                        "households, equal, need; did you mean 'need'?"));
}

TEST(LoadErrors, ListTooLong) {
  EXPECT_THAT(load_error("list_too_long.yaml"),
              HasSubstr("list_too_long.yaml:2:11: funds.shares: has 6 values; at most 5 allowed"));
}

TEST(LoadErrors, ListElementOutOfRangePointsAtTheElement) {
  EXPECT_THAT(load_error("list_bad_element.yaml"),
              HasSubstr("list_bad_element.yaml:4:7: funds.shares: element 2: 1.5 is above the maximum 1"));
}

TEST(LoadErrors, YamlSyntaxError) {
  const std::string msg = load_error("syntax.yaml");
  EXPECT_THAT(msg, StartsWith(fixture("syntax.yaml") + ":"));
  EXPECT_THAT(msg, ContainsRegex("syntax\\.yaml:[0-9]+:[0-9]+: end of sequence flow not found"));
}

TEST(LoadErrors, MappingWhereScalarExpected) {
  EXPECT_THAT(load_error("mapping_for_scalar.yaml"),
              HasSubstr("mapping_for_scalar.yaml:3:5: land.quota_mu: expected a real number, found a mapping"));
}

TEST(LoadErrors, ScalarWhereMappingExpected) {
  EXPECT_THAT(load_error("scalar_for_mapping.yaml"),
              HasSubstr("scalar_for_mapping.yaml:1:13: monitoring: is a section; expected a mapping of its keys "
                        "(detection, delay_months), found '0.8'"));
}

TEST(LoadErrors, ExtendsCycleNamesTheChain) {
  const std::string msg = load_error("cycle_a.yaml");
  EXPECT_THAT(msg, HasSubstr("cycle_b.yaml:3:10: extends: cycle "));
  EXPECT_THAT(msg,
              HasSubstr(fixture("cycle_a.yaml") + " -> " + fixture("cycle_b.yaml") + " -> " + fixture("cycle_a.yaml")));
}

TEST(LoadErrors, ExtendsItself) {
  EXPECT_THAT(error_of([] { (void)load_text("extends: self.yaml\n", "self.yaml", test_schema()); }),
              HasSubstr("self.yaml:1:10: extends: cycle self.yaml -> self.yaml"));
}

TEST(LoadErrors, ExtendsMissingFile) {
  const std::string msg =
      error_of([] { (void)load_text("run: {months: 2}\nextends: nowhere.yaml\n", fixture("x.yaml"), test_schema()); },
               Status::io);
  EXPECT_THAT(msg,
              HasSubstr("x.yaml:2:10: extends: cannot read scenario '" + fixture("nowhere.yaml") + "': no such file"));
}

TEST(LoadErrors, MissingFile) {
  EXPECT_EQ(error_of([] { (void)load("no/such/scenario.yaml", test_schema()); }, Status::io),
            "cannot read scenario 'no/such/scenario.yaml': no such file");
}

TEST(LoadErrors, ValueChecksFromText) {
  const auto err = [](const std::string& text) {
    return error_of([&] { (void)load_text(text, "t.yaml", test_schema()); });
  };
  EXPECT_EQ(err("run:\n  verbose: yes\n"), "t.yaml:2:12: run.verbose: expected true or false, found 'yes'");
  EXPECT_EQ(err("run:\n  verbose: 1\n"), "t.yaml:2:12: run.verbose: expected true or false, found '1'");
  EXPECT_EQ(err("land:\n  quota_mu: \"5\"\n"),
            "t.yaml:2:13: land.quota_mu: expected a real number, found the quoted string \"5\"");
  EXPECT_EQ(err("land:\n  quota_mu:\nrun: {}\n"), "t.yaml:2:3: land.quota_mu: expected a real number, found nothing");
  EXPECT_EQ(err("run.seed: 99999999999999999999\n"),
            "t.yaml:1:11: run.seed: 99999999999999999999 does not fit a 64-bit integer");
  EXPECT_EQ(err("run.seed: -1\n"), "t.yaml:1:11: run.seed: -1 is below the minimum 0");
  EXPECT_EQ(err("land.use_rate: .nan\n"), "t.yaml:1:16: land.use_rate: expected a real number, found '.nan'");
  EXPECT_EQ(err("land.use_rate: 1e999\n"), "t.yaml:1:16: land.use_rate: 1e999 is not representable as a double");
  EXPECT_EQ(err("funds.shares: 0.5\n"), "t.yaml:1:15: funds.shares: expected a list of real numbers, found '0.5'");
  EXPECT_EQ(err("funds.shares: []\n"), "t.yaml:1:15: funds.shares: has 0 values; at least 1 required");
  EXPECT_EQ(err("funds.shares: [0.1, x]\n"), "t.yaml:1:21: funds.shares: element 2: expected a real number, found 'x'");
  EXPECT_EQ(err("funds.allocation: [need]\n"),
            "t.yaml:1:19: funds.allocation: expected one of households, equal, need, found a list");
  EXPECT_EQ(err("- run\n"), "t.yaml:1:1: a scenario must be a mapping of keys to values, found a list");
  EXPECT_EQ(err("[a, b]: 1\n"), "t.yaml:1:1: keys must be names, found a list");
  EXPECT_EQ(err("description: [a]\n"), "t.yaml:1:14: description: expected a string, found a list");
  EXPECT_EQ(err("extends: {a: 1}\n"), "t.yaml:1:10: extends: expected the name of a scenario file, found a mapping");
  EXPECT_EQ(err("run: {months: 2}\n---\nrun: {months: 3}\n"),
            "t.yaml:3:1: a scenario file holds one YAML document, found 2");
  EXPECT_THAT(err("land:\n  quota_mu: 1\n  land.quota_mu: 2\n"), HasSubstr("land.land.quota_mu: unknown key"));
}

TEST(Load, AcceptedNumberSpellings) {
  const Scenario sc = load_text(
      "land: {quota_mu: +1.5e3, use_rate: .5}\nrun: {seed: +12, months: 007}\nmonitoring.detection: 1.\n"
      "funds.shares: [0, 1, 1e-1]\n",
      "n.yaml", test_schema());
  EXPECT_DOUBLE_EQ(sc.real("land.quota_mu"), 1500);
  EXPECT_DOUBLE_EQ(sc.real("land.use_rate"), 0.5);
  EXPECT_EQ(sc.integer("run.seed"), 12);
  EXPECT_EQ(sc.integer("run.months"), 7);
  EXPECT_DOUBLE_EQ(sc.real("monitoring.detection"), 1.0);
  EXPECT_THAT(sc.reals("funds.shares"), ElementsAre(0.0, 1.0, 0.1));
}

TEST(Load, EmptySectionIsAllowed) {
  const Scenario sc = load_text("monitoring:\nrun:\n  months: 5\n", "e.yaml", test_schema());
  EXPECT_EQ(sc.integer("run.months"), 5);
}

}  // namespace
}  // namespace sim::scenario
