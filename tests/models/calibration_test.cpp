// The synthetic population meets the calibration targets at any scale, and
// the county data parser refuses bad files naming the file and the line.
#include <gtest/gtest.h>

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
  // 160 counties, 10 provinces, 6 prefectures, 5 flags, population counts,
  // income level and composition: at least 30 checked rows.
  EXPECT_GE(checked, 30) << "calibration rows went missing";
  EXPECT_TRUE(offenders.empty()) << "calibration targets off by more than 3 % at scale " << scale << ":" << offenders;
}

TEST(Calibration, EveryTargetWithin3PercentAtTheDefaultScale) { expect_calibrated("0.02"); }

TEST(Calibration, EveryTargetWithin3PercentAtASmallScale) { expect_calibrated("0.005"); }

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

TEST(CountyData, TheBuiltInFileHas160Counties) {
  const auto& def = transition::description();
  EXPECT_EQ(transition::read_counties("builtin:scenarios/data/counties.csv", def.embedded).size(), 160u);
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

}  // namespace
