// The expression language of model descriptions: what parses, how it prints
// back, what it computes (a ratio is NaN unless its denominator is positive),
// and how mistakes are reported.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "sim/core/error.hpp"
#include "sim/model/expression.hpp"

namespace sim::expr {
namespace {

using ::testing::HasSubstr;

double eval(const std::string& text, const std::map<std::string, double>& names = {}) {
  return evaluate(parse(text), [&](const Node& n) {
    const std::string key = n.op == Op::call ? n.name + "(" + n.args.at(0).name + ")" : n.name;
    return names.at(key);
  });
}

TEST(Expression, ArithmeticFollowsPrecedenceAndAssociativity) {
  EXPECT_EQ(eval("1 + 2 * 3"), 7);
  EXPECT_EQ(eval("(1 + 2) * 3"), 9);
  EXPECT_EQ(eval("10 - 4 - 3"), 3);  // left to right
  EXPECT_EQ(eval("24 / 4 / 2"), 3);
  EXPECT_EQ(eval("-2 * -3"), 6);
  EXPECT_EQ(eval("2.5e2 + .5"), 250.5);
}

TEST(Expression, RatiosAreNaNUnlessTheDenominatorIsPositive) {
  EXPECT_EQ(eval("6 / 3"), 2);
  EXPECT_TRUE(std::isnan(eval("6 / 0")));
  EXPECT_TRUE(std::isnan(eval("6 / -3")));
  EXPECT_TRUE(std::isnan(eval("1 + 0 / 0")));
}

TEST(Expression, ComparisonsLogicAndFlagBits) {
  const std::map<std::string, double> row = {{"flags", 5}, {"months", 3}};
  EXPECT_EQ(eval("flags & 1", row), 1);
  EXPECT_EQ(eval("flags & 2", row), 0);
  EXPECT_EQ(eval("flags & 4 and months > 2", row), 1);
  EXPECT_EQ(eval("flags & 4 and months > 3", row), 0);
  EXPECT_EQ(eval("not months >= 3 or flags == 5", row), 1);
  EXPECT_EQ(eval("months != 3", row), 0);
}

TEST(Expression, CallsReachTheLeafFunction) {
  const std::map<std::string, double> v = {{"sum(income)", 1200}, {"sum(people)", 100}, {"last(people)", 99}};
  EXPECT_EQ(eval("12 * (sum(income) / sum(people))", v), 144);
  EXPECT_DOUBLE_EQ(eval("sum(income) / last(people)", v), 1200.0 / 99);
}

TEST(Expression, PrintsBackToTheSameTree) {
  for (const char* text : {"12 * (sum(income) / sum(people))", "a - (b - c)", "(a - b) - c", "a / (b * c)",
                           "-(a + b)", "not (a and b) or c", "flags & 1 and months > 0", "f(a, b + 1)"}) {
    const std::string printed = to_string(parse(text));
    EXPECT_EQ(to_string(parse(printed)), printed) << text;
  }
  EXPECT_EQ(to_string(parse("(a - b) - c")), "a - b - c");
  EXPECT_EQ(to_string(parse("a - (b - c)")), "a - (b - c)");
}

TEST(Expression, CompiledProgramsGiveTheTreesBits) {
  const Node n = parse("12 * (a / b) - c * (d + 1)");
  std::vector<std::string> names;
  const Program p(n, [&](const Node& leaf) {
    names.push_back(leaf.name);
    return names.size() - 1;
  });
  const std::vector<double> slots = {1.0 / 3.0, 7.0, 0.1, 2.2};
  const double by_tree = evaluate(n, [&](const Node& leaf) {
    for (std::size_t k = 0; k < names.size(); ++k)
      if (names[k] == leaf.name) return slots[k];
    return 0.0;
  });
  EXPECT_EQ(p.run(slots), by_tree);  // bit for bit
}

TEST(Expression, MistakesNameTheColumn) {
  const auto error = [](const std::string& text) {
    try {
      parse(text);
    } catch (const Error& e) {
      EXPECT_EQ(e.status(), Status::invalid_input);
      return std::string(e.what());
    }
    ADD_FAILURE() << "no error for " << text;
    return std::string();
  };
  EXPECT_THAT(error("12 * (sum(income) / sum(people)"), HasSubstr("at column 32: expected ')'"));
  EXPECT_THAT(error("a + * b"), HasSubstr("at column 5: expected a number, a name or '('"));
  EXPECT_THAT(error("a b"), HasSubstr("at column 3: unexpected 'b'"));
  EXPECT_THAT(error("sum(a b)"), HasSubstr("expected ')' or ',' in the arguments of sum()"));
  EXPECT_THAT(error("and a"), HasSubstr("'and' needs an operand before it"));
}

}  // namespace
}  // namespace sim::expr
