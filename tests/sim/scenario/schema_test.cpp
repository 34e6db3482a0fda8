// Schema declaration rules, the listing for `ruralsim schema`, and the
// "did you mean" ranking.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "helpers.hpp"

namespace sim::scenario {
namespace {

using test::error_of;
using test::test_schema;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

TEST(Schema, BuildersRecordSpecs) {
  const Schema& s = test_schema();
  ASSERT_EQ(s.keys().size(), 12u);
  const KeySpec* k = s.find("land.quota_mu");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->type, Type::real);
  EXPECT_EQ(k->min, 0);
  EXPECT_EQ(k->max, 2400);
  EXPECT_EQ(k->unit, "mu");
  EXPECT_EQ(std::get<double>(k->default_value), 1200);
  EXPECT_EQ(s.find("land"), nullptr);
  EXPECT_EQ(s.find("land.quota"), nullptr);
  EXPECT_EQ(s.find("funds.shares")->max_length, 5u);
  EXPECT_THAT(s.find("funds.allocation")->choices, ElementsAre("households", "equal", "need"));
  EXPECT_STREQ(type_name(Type::real_list), "real list");
  EXPECT_STREQ(type_name(Type::path), "path");
}

TEST(Schema, RefusesBadDeclarations) {
  const auto err = [](const std::function<void(Schema&)>& f) {
    return error_of(
        [&] {
          Schema s;
          s.real("a.b", 1, 0, 2, "", "");
          f(s);
        },
        Status::failure);
  };
  EXPECT_THAT(err([](Schema& s) { s.real("a.b", 1, 0, 2, "", ""); }), HasSubstr("'a.b': declared twice"));
  EXPECT_THAT(err([](Schema& s) { s.real("a.c", 5, 0, 2, "", ""); }), HasSubstr("5 is above the maximum 2"));
  EXPECT_THAT(err([](Schema& s) { s.integer("a.c", -1, 0, 2, "", ""); }), HasSubstr("below the minimum"));
  EXPECT_THAT(err([](Schema& s) { s.boolean("a", true, ""); }), HasSubstr("cannot also be a section"));
  EXPECT_THAT(err([](Schema& s) { s.boolean("a.b.c", true, ""); }), HasSubstr("cannot also be a section"));
  EXPECT_THAT(err([](Schema& s) { s.choice("a.c", "x", {"y", "z"}, ""); }), HasSubstr("not one of the choices"));
  EXPECT_THAT(err([](Schema& s) { s.reals("a.c", {}, 0, 1, 1, 3, "", ""); }), HasSubstr("at least 1 required"));
  EXPECT_THAT(err([](Schema& s) { s.real("a.c", 1, 2, 0, "", ""); }), HasSubstr("minimum above maximum"));
  EXPECT_THAT(err([](Schema& s) { s.real("a..c", 1, 0, 2, "", ""); }), HasSubstr("letters, digits"));
  EXPECT_THAT(err([](Schema& s) { s.real("a.c d", 1, 0, 2, "", ""); }), HasSubstr("letters, digits"));
  EXPECT_THAT(err([](Schema& s) { s.string("extends", "", ""); }), HasSubstr("reserved"));
  EXPECT_THAT(err([](Schema& s) { s.string("description.text", "", ""); }), HasSubstr("reserved"));
}

TEST(Schema, MergeAddsKeysAndRefusesDuplicates) {
  Schema a, b;
  a.real("x.a", 1, 0, 2, "", "");
  b.integer("y.b", 1, 0, 2, "", "").boolean("x.c", true, "");
  a.merge(b);
  EXPECT_EQ(a.keys().size(), 3u);
  EXPECT_NE(a.find("x.c"), nullptr);
  EXPECT_THAT(error_of([&] { a.merge(b); }, Status::failure), HasSubstr("declared twice"));
}

TEST(Describe, MarkdownTable) {
  const std::string md = describe(test_schema(), true);
  EXPECT_THAT(md, StartsWith("| Key | Type | Default | Range | Unit | Description |\n|---|"));
  EXPECT_THAT(md, HasSubstr("| `land.quota_mu` | real | `1200` | [0, 2400] | mu | Land quota per county. |\n"));
  EXPECT_THAT(md, HasSubstr("| `funds.allocation` | choice | `\"need\"` | one of households, equal, need |  |"));
  EXPECT_THAT(md, HasSubstr("| `funds.shares` | real list | `[0.1, 0.2, 0.3]` | 1 to 5 values, each [0, 1] | 1 |"));
  EXPECT_THAT(md, HasSubstr("| `run.seed` | integer | `42` | [0, 9.2e+18] |  |"));
  // One row per key, plus header and rule.
  EXPECT_EQ(std::count(md.begin(), md.end(), '\n'), 14);
}

TEST(Describe, TextGroupsBySection) {
  const std::string text = describe(test_schema(), false);
  EXPECT_THAT(text, StartsWith("run\n  run.seed "));
  EXPECT_THAT(text, HasSubstr("\nland\n  land.quota_mu "));
  EXPECT_THAT(text, HasSubstr("      Land quota per county.\n"));
  EXPECT_THAT(text, HasSubstr("\noutput\n  output.label "));
  // Columns are aligned: every key's type starts at the same column.
  const auto column_of = [&](const std::string& key, const std::string& type) {
    const auto line = text.find("  " + key + " ");
    return text.find(type, line) - line;
  };
  EXPECT_EQ(column_of("run.seed", "integer"), column_of("output.panel.fraction", "real"));
}

TEST(Suggest, Ranking) {
  const std::vector<std::string> keys = {"monitoring", "monitoring.detection", "monitoring.delay_months",
                                         "land",       "land.quota_mu",        "land.use_rate",
                                         "run",        "run.months",           "run.seed"};
  EXPECT_THAT(suggest("monitoring.detecton", keys), ElementsAre("monitoring.detection"));
  EXPECT_THAT(suggest("lnad.quota_mu", keys), ElementsAre("land.quota_mu"));  // transposition
  EXPECT_THAT(suggest("monitorin", keys), ElementsAre("monitoring"));
  EXPECT_THAT(suggest("Land.Quota_MU", keys), ElementsAre("land.quota_mu"));  // case
  // The right name in the wrong section.
  EXPECT_THAT(suggest("land.detection", keys), ElementsAre("monitoring.detection"));
  EXPECT_THAT(suggest("seed", keys), ElementsAre("run.seed"));
  EXPECT_THAT(suggest("completely.different", keys), IsEmpty());
  EXPECT_THAT(suggest("", keys), IsEmpty());
}

TEST(Suggest, ClosestFirstAndAtMostN) {
  const std::vector<std::string> words = {"rate", "rats", "date", "gate", "rat", "rates", "mate"};
  // Distance 1 first ("rate", "rates"), then distance 2, alphabetical within a distance.
  EXPECT_THAT(suggest("rate_", words, 10), ElementsAre("rate", "rates", "date", "gate", "mate", "rat", "rats"));
  // Nothing far worse than the best: "rat" is exact, so two-edit candidates are dropped.
  EXPECT_THAT(suggest("rat", words, 10), ElementsAre("rat", "rate", "rats"));
  const auto three = suggest("rxte", words);
  EXPECT_EQ(three.size(), 3u);
  EXPECT_EQ(three.front(), "rate");
  EXPECT_THAT(suggest("rxte", words, 1), ElementsAre("rate"));
  EXPECT_THAT(suggest("need", {"need", "needs", "need"}, 5), ElementsAre("need", "needs"));  // no duplicates
}

}  // namespace
}  // namespace sim::scenario
