#include <gtest/gtest.h>

#include <tbb/global_control.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "sim/core/error.hpp"
#include "sim/core/hierarchy.hpp"
#include "sim/core/parallel.hpp"
#include "sim/core/schedule.hpp"

namespace {

// A floating-point sum whose result depends on the order of additions, so a
// thread-dependent order would show up in the bits.
double noisy_sum(int threads) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  const std::size_t n = 1'000'003;
  return sim::reduce_blocks(
      n, 1000, 0.0,
      [](sim::Range r) {
        double s = 0;
        for (std::size_t i = r.begin; i < r.end; ++i) s += 1.0 / (1.0 + static_cast<double>(i % 977)) * 1e-3 + 1e10 * (i % 2 ? 1 : -1);
        return s;
      },
      [](double& a, double b) { a += b; });
}

TEST(Parallel, ReductionIsBitwiseIdenticalAtAnyThreadCount) {
  const double one = noisy_sum(1);
  for (int t : {2, 3, 8}) {
    const double other = noisy_sum(t);
    EXPECT_EQ(std::memcmp(&one, &other, sizeof one), 0) << t << " threads";
  }
}

TEST(Parallel, BlocksCoverEveryIndexOnce) {
  std::vector<int> hits(10007, 0);
  sim::for_blocks(hits.size(), 64, [&](sim::Range r) {
    for (std::size_t i = r.begin; i < r.end; ++i) ++hits[i];
  });
  for (int h : hits) ASSERT_EQ(h, 1);
}

TEST(Hierarchy, RangesAndParents) {
  // Two counties with 2 and 1 villages; villages with 3, 0 and 2 households.
  const sim::Hierarchy h({"county", "village", "household"}, {{2, 1}, {3, 0, 2}});
  EXPECT_EQ(h.count(0), 2u);
  EXPECT_EQ(h.count(1), 3u);
  EXPECT_EQ(h.count(2), 5u);
  EXPECT_EQ(h.children(0, 1).begin, 2u);
  EXPECT_EQ(h.children(1, 1).size(), 0u);
  const sim::Range hh = h.descendants(0, 0, 2);
  EXPECT_EQ(hh.begin, 0u);
  EXPECT_EQ(hh.end, 3u);
  EXPECT_EQ(h.descendants(0, 1, 2).begin, 3u);
  EXPECT_EQ(h.parents(2), (std::vector<std::uint32_t>{0, 0, 0, 2, 2}));
  EXPECT_EQ(h.level_index("village"), 1u);
  EXPECT_THROW(h.level_index("province"), sim::Error);
}

TEST(Hierarchy, RefusesMismatchedCounts) {
  EXPECT_THROW(sim::Hierarchy({"a", "b", "c"}, {{1, 1}, {3}}), sim::Error);
}

TEST(Schedule, RunsPhasesInOrderAndOnlyWhenActive) {
  std::vector<std::string> log;
  std::vector<int> items(5, 0);
  sim::Schedule s;
  s.once("first", [&](const sim::StepInfo&) { log.push_back("first"); })
      .each("items", items.size(), [&](std::size_t i, const sim::StepInfo&) { items[i] += 1; })
      .once("january", [&](const sim::StepInfo&) { log.push_back("january"); }, sim::at_year_start);
  for (std::uint32_t step = 0; step < 14; ++step) s.run_step(sim::step_info(step, 14, 2021));
  EXPECT_EQ(std::count(log.begin(), log.end(), "january"), 2);
  EXPECT_EQ(std::count(log.begin(), log.end(), "first"), 14);
  for (int v : items) EXPECT_EQ(v, 14);
  EXPECT_EQ(s.phases().size(), 3u);
}

TEST(Calendar, StepsMapToMonths) {
  const sim::StepInfo s = sim::step_info(13, 60, 2021);
  EXPECT_EQ(s.year, 2022);
  EXPECT_EQ(s.month, 2);
  EXPECT_TRUE(sim::step_info(11, 60, 2021).year_end());
  EXPECT_TRUE(sim::step_info(59, 60, 2021).year_end());
  EXPECT_FALSE(sim::step_info(58, 60, 2021).year_end());
  EXPECT_TRUE(sim::step_info(5, 6, 2021).year_end());  // a run ending mid-year closes its year
}

}  // namespace
