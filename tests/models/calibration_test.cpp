// The synthetic population meets the calibration targets at any scale, and
// the county data parser refuses bad files naming the file and the line.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "models/transition/county_data.hpp"
#include "models/transition/population.hpp"
#include "run_helper.hpp"
#include "sim/core/error.hpp"

namespace {

void expect_calibrated(const std::string& scale) {
  const auto model = models_test::build_model("baseline", {"population.scale=" + scale});
  const auto rows = transition::calibration_rows(model->world());
  std::string offenders;
  int checked = 0;
  for (const auto& r : rows) {
    if (!r.checked) continue;
    ++checked;
    if (!(r.relative_error() <= 0.03))
      offenders += "\n  " + r.target + ": expected " + std::to_string(r.expected) + " " + r.unit + ", generated " +
                   std::to_string(r.generated) + " (" + std::to_string(100 * r.relative_error()) + " %)";
  }
  // 160 counties, 10 provinces, 10 prefectures, 5 flags, population counts
  // in total and per province (3 x 10), income level and composition: at
  // least 60 checked rows.
  EXPECT_GE(checked, 60) << "calibration rows went missing";
  EXPECT_TRUE(offenders.empty()) << "calibration targets off by more than 3 % at scale " << scale << ":" << offenders;
}

TEST(Calibration, EveryTargetWithin3PercentAtTheDefaultScale) { expect_calibrated("0.02"); }

TEST(Calibration, EveryTargetWithin3PercentAtASmallScale) { expect_calibrated("0.005"); }

// Calibration does not cancel the levers users vary: the factors are fitted
// once with the documented defaults and kept, so a higher migrant wage (the
// parameter of the quick-start sweep) raises incomes. Expected: more migrant
// workers and higher 2021 income per head, with an elasticity of income to
// the migrant wage between 0.3 and 1.1 (migrant wages are about a third of
// income and more workers migrate at a higher wage; measured 0.66 for 3,500
// and 0.92 for 5,500 against 4,432 at scale 0.02).
TEST(Calibration, KeepsTheBaselineFactorsSoAMigrantWageSweepMovesIncome) {
  std::vector<double> income, migrants;
  const std::vector<double> wages = {3500, 4432, 5500};
  for (double wage : wages) {
    const auto& run = models_test::run("baseline", {models_test::kScale, "labour.migrant_wage=" + std::to_string(wage)});
    income.push_back(run.total("income_per_capita", 2021));
    migrants.push_back(run.total("workers_migrant", 2021));
  }
  const auto base = models_test::build_model("baseline", {models_test::kScale});
  const auto high = models_test::build_model("baseline", {models_test::kScale, "labour.migrant_wage=5500"});
  EXPECT_EQ(high->world().calibration.market_wage, base->world().calibration.market_wage)
      << "the factors must be the baseline's";
  EXPECT_EQ(high->world().calibration_fit.differing, std::vector<std::string>{"labour.migrant_wage"});
  for (std::size_t k = 1; k < wages.size(); ++k) {
    EXPECT_GT(income[k], income[k - 1]) << "income should rise with the migrant wage";
    EXPECT_GT(migrants[k], migrants[k - 1]) << "more workers should migrate at a higher wage";
    const double elasticity = std::log(income[k] / income[k - 1]) / std::log(wages[k] / wages[k - 1]);
    models_test::record("income_elasticity_" + std::to_string(k), elasticity);
    EXPECT_GE(elasticity, 0.3) << "between " << wages[k - 1] << " and " << wages[k];
    EXPECT_LE(elasticity, 1.1) << "between " << wages[k - 1] << " and " << wages[k];
  }
  // With population.recalibrate the factors absorb the change (the old
  // behaviour, on request): 2020 incomes meet their targets again.
  const auto refit =
      models_test::build_model("baseline", {models_test::kScale, "labour.migrant_wage=5500", "population.recalibrate=true"});
  EXPECT_TRUE(refit->world().calibration_fit.recalibrated);
  EXPECT_LT(refit->world().calibration.market_wage, base->world().calibration.market_wage);
  for (const auto& r : transition::calibration_rows(refit->world()))
    if (r.target.rfind("income of", 0) == 0) {
      EXPECT_TRUE(r.checked) << r.target;
      EXPECT_LT(r.relative_error(), 0.001) << r.target;
    }
}

// Parses `text` as "bad.csv" and returns the error message ("" if it parsed).
std::string parse_error(const std::string& text) {
  try {
    transition::parse_counties(text, "bad.csv");
  } catch (const sim::Error& e) {
    EXPECT_EQ(e.status(), sim::Status::invalid_input);
    return e.what();
  }
  return "";
}

const std::string kComment = "# a comment line counts in line numbers\n";
const std::string kHeader =
    "name,province,prefecture,hazard_prone,ethnic_area,old_revolutionary,no_railway,no_expressway\n";
const std::string kGoodRow = "A,Sichuan,Liangshan,1,1,0,1,0\n";

TEST(CountyData, AGoodFileParses) {
  const auto counties =
      transition::parse_counties(kComment + kHeader + kGoodRow + "B,guizhou,Bijie,0,0,1,0,0\n", "good.csv");
  ASSERT_EQ(counties.size(), 2u);
  EXPECT_EQ(counties[0].province, "Sichuan");
  EXPECT_TRUE(counties[0].hazard_prone);
  EXPECT_EQ(counties[1].province, "Guizhou") << "province keys are accepted and normalised";
  EXPECT_TRUE(counties[1].old_revolutionary);
  EXPECT_LT(counties[1].rural_households, 0) << "optional columns absent: not given";
}

// The real list: counties per province (notice of 27 August 2021), per
// prefecture (the ten most concentrated hold 68, speech), the five flag
// totals (speech), and the sizes every row carries.
TEST(CountyData, TheBuiltInFileHoldsThe160KeyCounties) {
  const auto& def = transition::description();
  const auto counties = transition::read_counties("builtin:scenarios/data/counties.csv", def.embedded);
  ASSERT_EQ(counties.size(), 160u);
  std::map<std::string, int> province, prefecture;
  int hazard = 0, ethnic = 0, old_rev = 0, no_rail = 0, no_expressway = 0;
  for (const auto& c : counties) {
    ++province[c.province];
    ++prefecture[c.province + "/" + c.prefecture];
    hazard += c.hazard_prone;
    ethnic += c.ethnic_area;
    old_rev += c.old_revolutionary;
    no_rail += c.no_railway;
    no_expressway += c.no_expressway;
    EXPECT_FALSE(c.name_zh.empty()) << c.name;
    EXPECT_FALSE(c.prefecture_zh.empty()) << c.name;
    EXPECT_EQ(c.code.size(), 6u) << c.name;
    EXPECT_GT(c.lat, 20) << c.name;
    EXPECT_GT(c.rural_population, 0) << c.name;
    EXPECT_GT(c.rural_households, 0) << c.name;
    EXPECT_GT(c.villages, 0) << c.name;
    EXPECT_GT(c.pa_people, 0) << c.name;
    EXPECT_GE(c.relocated_people, 0) << c.name;
    EXPECT_GE(c.large_sites, 0) << c.name;
  }
  const std::map<std::string, int> per_province = {
      {"Inner Mongolia", 10}, {"Guangxi", 20}, {"Chongqing", 4}, {"Sichuan", 25}, {"Guizhou", 20},
      {"Yunnan", 27},         {"Shaanxi", 11}, {"Gansu", 23},    {"Qinghai", 15}, {"Ningxia", 5}};
  EXPECT_EQ(province, per_province);
  const std::map<std::string, int> top_ten = {
      {"Sichuan/Liangshan", 10}, {"Sichuan/Ganzi", 9}, {"Yunnan/Zhaotong", 8}, {"Guangxi/Hechi", 7},
      {"Guangxi/Baise", 7},      {"Sichuan/Aba", 6},   {"Gansu/Linxia", 6},    {"Yunnan/Honghe", 5},
      {"Qinghai/Guoluo", 5},     {"Qinghai/Yushu", 5}};
  int in_top = 0;
  for (const auto& [name, n] : top_ten) {
    EXPECT_EQ(prefecture[name], n) << name;
    in_top += prefecture[name];
  }
  EXPECT_EQ(in_top, 68) << "the ten most concentrated prefectures hold 68 counties";
  for (const auto& [name, n] : prefecture)
    if (!top_ten.count(name) && name != "Chongqing/Chongqing") {
      EXPECT_LT(n, 5) << name << " would be in the top ten";
    }
  EXPECT_EQ(hazard, 73);
  EXPECT_EQ(ethnic, 114);
  EXPECT_EQ(old_rev, 44);
  EXPECT_EQ(no_rail, 106);
  EXPECT_EQ(no_expressway, 69);
}

// Shares differ by county as the file says: Liangshan is not Ningxia.
TEST(CountyData, CountiesDifferAsTheFileSays) {
  const auto model = models_test::build_model("baseline", {models_test::kScale});
  const transition::World& w = model->world();
  const auto& h = w.households;
  double lo = 1, hi = 0, lo_size = 100, hi_size = 0;
  for (std::size_t c = 0; c < w.counties.size(); ++c) {
    const sim::Range r = w.hierarchy.descendants(0, c, 2);
    double people = 0, pa = 0;
    for (std::size_t i = r.begin; i < r.end; ++i) {
      people += h.members[i];
      if (h.flags[i] & transition::kPovertyAlleviated) pa += h.members[i];
    }
    lo = std::min(lo, pa / people);
    hi = std::max(hi, pa / people);
    lo_size = std::min(lo_size, people / static_cast<double>(r.size()));
    hi_size = std::max(hi_size, people / static_cast<double>(r.size()));
  }
  models_test::record("pa_share_lowest_county", lo);
  models_test::record("pa_share_highest_county", hi);
  EXPECT_GT(hi, 2 * lo) << "poverty-alleviated shares should differ between counties";
  EXPECT_GT(hi_size, 1.3 * lo_size) << "household sizes should differ between counties";
}

TEST(CountyData, MissingColumnIsRefusedWithFileAndLine) {
  const std::string msg =
      parse_error(kComment + "name,province,prefecture,ethnic_area,old_revolutionary,no_railway,no_expressway\n");
  EXPECT_NE(msg.find("bad.csv:2:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("hazard_prone"), std::string::npos) << msg;
}

TEST(CountyData, BadFlagIsRefusedWithFileAndLine) {
  const std::string msg = parse_error(kComment + kHeader + kGoodRow + "B,Sichuan,Ganzi,yes,1,0,1,0\n");
  EXPECT_NE(msg.find("bad.csv:4:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("hazard_prone"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'yes'"), std::string::npos) << msg;
}

TEST(CountyData, UnknownProvinceIsRefusedWithFileAndLine) {
  const std::string msg = parse_error(kComment + kHeader + kGoodRow + "B,Tibet,Nagqu,1,1,0,1,0\n");
  EXPECT_NE(msg.find("bad.csv:4:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("Tibet"), std::string::npos) << msg;
}

TEST(CountyData, WrongCellCountIsRefusedWithFileAndLine) {
  const std::string too_few = parse_error(kComment + kHeader + "A,Sichuan,Liangshan,1,1,0,1\n");
  EXPECT_NE(too_few.find("bad.csv:3:"), std::string::npos) << too_few;
  EXPECT_NE(too_few.find("7 cells"), std::string::npos) << too_few;
  const std::string too_many =
      parse_error(kComment + kHeader + kGoodRow + "B,Sichuan,Ganzi,1,1,0,1,0\n" + "C,Sichuan,Aba,1,1,0,1,0,9\n");
  EXPECT_NE(too_many.find("bad.csv:5:"), std::string::npos) << too_many;
  EXPECT_NE(too_many.find("9 cells"), std::string::npos) << too_many;
}

// A county listed twice is refused, however its name is written, and so is
// one whose Chinese name repeats within its prefecture.
TEST(CountyData, ACountyListedTwiceIsRefused) {
  for (const char* again : {"A,Sichuan,Liangshan,1,1,0,1,0\n", "a,sichuan,Liangshan,1,1,0,1,0\n",
                            " A ,Sichuan,Liangshan,1,1,0,1,0\n", "A ,Sichuan,Liangshan,0,0,0,0,0\n"}) {
    const std::string msg = parse_error(kComment + kHeader + kGoodRow + "B,Sichuan,Ganzi,1,1,0,1,0\n" + again);
    EXPECT_NE(msg.find("bad.csv:5: county"), std::string::npos) << again << msg;
    EXPECT_NE(msg.find("already listed at line 3"), std::string::npos) << again << msg;
  }
  const std::string zh =
      parse_error(kComment + "name,name_zh,province,prefecture,prefecture_zh,hazard_prone,ethnic_area,old_revolutionary,"
                  "no_railway,no_expressway\n" + "Butuo,布拖县,Sichuan,Liangshan,凉山州,1,1,0,1,0\n" +
                  "Butuo County,布拖县,Sichuan,Liangshan,凉山州,1,1,0,1,0\n");
  EXPECT_NE(zh.find("bad.csv:4: county 布拖县 (Butuo County) of Sichuan is already listed at line 3"), std::string::npos)
      << zh;
}

}  // namespace
