// A model description is checked as a whole when the engine first meets it:
// each mistake is named with the model and the entry.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "sim/core/error.hpp"
#include "sim/model/description.hpp"
#include "sim/model/description_text.hpp"
#include "sim/toy/toy_model.hpp"

namespace sim {
namespace {

using ::testing::HasSubstr;

std::string error_of(const std::function<void(ModelDescription&)>& change) {
  ModelDescription d = toy::description();
  change(d);
  try {
    d.validate();
  } catch (const Error& e) {
    return e.what();
  }
  return "valid";
}

IndicatorDecl& named(ModelDescription& d, const std::string& name) {
  for (auto& i : d.indicators)
    if (i.name == name) return i;
  throw std::runtime_error("no " + name);
}

TEST(Description, TheToyModelIsValid) { EXPECT_EQ(error_of([](ModelDescription&) {}), "valid"); }

TEST(Description, IndicatorMistakesAreNamed) {
  EXPECT_THAT(error_of([](auto& d) { d.indicators.push_back(d.indicators[0]); }),
              HasSubstr("model 'toy': indicator 'walkers' declared twice"));
  EXPECT_THAT(error_of([](auto& d) { named(d, "mean_wealth").formula = "last(wealth) / last(walker)"; }),
              HasSubstr("indicator 'mean_wealth': last(walker) names no declared indicator"));
  EXPECT_THAT(error_of([](auto& d) { named(d, "mean_wealth").formula = "wealth / walkers"; }),
              HasSubstr("'wealth' must be inside sum(), last() or growth()"));
  EXPECT_THAT(error_of([](auto& d) { named(d, "mean_wealth").formula = "last(wealth) / median(walkers)"; }),
              HasSubstr("unknown function median()"));
  EXPECT_THAT(error_of([](auto& d) { named(d, "mean_wealth").formula = "last(wealth) / (last(walkers)"; }),
              HasSubstr("expected ')'"));
  EXPECT_THAT(error_of([](auto& d) { named(d, "income_per_walker").formula = "growth(mean_wealth)"; }),
              HasSubstr("growth() is for unrecorded (yearly) indicators"));
  EXPECT_THAT(error_of([](auto& d) { named(d, "mean_wealth").formula = "sum(income_per_walker)"; }),
              HasSubstr("sum(income_per_walker) needs an indicator with values of its own, not a formula"));
  EXPECT_THAT(error_of([](auto& d) { named(d, "rich").reduce.where = "wealth > 60 and poor"; }),
              HasSubstr("'poor' is neither a column nor a predicate of table 'walker'"));
  EXPECT_THAT(error_of([](auto& d) { named(d, "rich").reduce.table = "cat"; }), HasSubstr("has no table 'cat'"));
  EXPECT_THAT(error_of([](auto& d) { named(d, "rich").reduce.op = "max"; }), HasSubstr("reduction 'max' is not sum or count"));
  EXPECT_THAT(error_of([](auto& d) { named(d, "income").set_at = "planet"; }), HasSubstr("has no level 'planet'"));
  EXPECT_THAT(error_of([](auto& d) { named(d, "income").set_at = ""; }),
              HasSubstr("indicator 'income': no reduction, level or formula says where its values come from"));
  EXPECT_THAT(error_of([](auto& d) { named(d, "wealth_index").weight = "mean_wealth"; }),
              HasSubstr("weight 'mean_wealth' is not a declared indicator with values of its own"));
  EXPECT_THAT(error_of([](auto& d) { named(d, "income").recorded = false; }),
              HasSubstr("only formulas can be left unrecorded"));
  EXPECT_THAT(error_of([](auto& d) { named(d, "income").yearly = Yearly::derived; }),
              HasSubstr("the yearly rule 'derived' belongs to formulas alone"));
  EXPECT_THAT(error_of([](auto& d) { named(d, "income").format = "percent"; }),
              HasSubstr("format 'percent' is not one of"));
}

TEST(Description, TableAndLevelMistakesAreNamed) {
  EXPECT_THAT(error_of([](auto& d) { d.tables[1].predicates.push_back({"wealth", "1", ""}); }),
              HasSubstr("table 'walker': predicate 'wealth' clashes with another name"));
  EXPECT_THAT(error_of([](auto& d) { d.tables[1].predicates[0].expression = "wealth > cash"; }),
              HasSubstr("predicate 'rich': 'cash' is neither a column nor a predicate"));
  EXPECT_THAT(error_of([](auto& d) { d.levels[1].table = "walker_groups"; }),
              HasSubstr("level 'region': table 'walker_groups' is not in the hierarchy"));
  EXPECT_THAT(error_of([](auto& d) { d.levels[0].table = "region"; }), HasSubstr("level 0 must be the whole"));
  EXPECT_THAT(error_of([](auto& d) { d.events.push_back(d.events[0]); }), HasSubstr("event kind 'bankrupt' declared twice"));
}

TEST(Description, YearlyUnitsFollowTheRule) {
  IndicatorDecl i;
  i.unit = "yuan/month";
  i.yearly = Yearly::sum;
  EXPECT_EQ(i.yearly_unit(), "yuan/year");
  i.yearly = Yearly::last;
  EXPECT_EQ(i.yearly_unit(), "yuan/month");
  i.unit = "households";
  i.yearly = Yearly::sum;
  EXPECT_EQ(i.yearly_unit(), "households");
}

TEST(Description, SourceTextSaysWhereValuesComeFrom) {
  const ModelDescription& d = toy::description();
  EXPECT_EQ(source_text(d.indicator("rich")), "count of walker where rich");
  EXPECT_EQ(source_text(d.indicator("wealth")), "sum of wealth over walker");
  EXPECT_EQ(source_text(d.indicator("income")), "set at region by walk");
  EXPECT_EQ(source_text(d.indicator("mean_wealth")), "last(wealth) / last(walkers)");
}

}  // namespace
}  // namespace sim
