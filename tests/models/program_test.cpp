// The `ruralsim` program over the transition model: the built-in baseline
// runs without arguments, every shipped scenario is valid, and the generated
// documents (parameters, the model as declared) are current.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/program.hpp"

namespace {

namespace fs = std::filesystem;
using testing_support::Result;

Result ruralsim(const std::string& args, const fs::path& cwd) {
  return testing_support::run_program(RURALSIM_BINARY, args, cwd);
}

class Program : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ruralsim-program-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

// A generated document: its body must equal what the program prints now.
std::string body_of(const fs::path& doc, int header_lines) {
  std::ifstream in(doc);
  std::string line, body;
  for (int i = 0; i < header_lines && std::getline(in, line); ++i) {
  }
  while (std::getline(in, line)) body += line + "\n";
  return body;
}

// Without arguments the default scenario runs: the historical baseline.
TEST_F(Program, DefaultScenarioRunsWithoutArgumentsAndPrintsYearlyValuesAndOutputPath) {
  const Result r = ruralsim("run --set population.scale=0.002 --set run.months=12", dir_);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("yearly values, all counties"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("income_per_capita                  yuan/person/year"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("net_public_cost                    yuan/year"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("output: runs/historical-s20210101-r0-"), std::string::npos) << r.output;
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "runs"), fs::directory_iterator{}), 1);
}

TEST_F(Program, EveryShippedScenarioValidates) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(fs::path(RURALSIM_SOURCE_DIR) / "scenarios")) {
    if (e.path().extension() != ".yaml") continue;
    const Result r = ruralsim("validate '" + e.path().string() + "'", dir_);
    EXPECT_EQ(r.code, 0) << e.path() << ": " << r.output;
    ++n;
  }
  EXPECT_GE(n, 13u);
}

// Values within a key's range must give a run whose indicators are defined:
// a zero share under 50,000 yuan (an infinite median collective income), a
// zero post pay (infinite posts) or a zero local wage (induced jobs 0/0) are
// out of range (status 3); the nearest values in range run to the end.
TEST_F(Program, KeyRangesExcludeValuesThatMakeIndicatorsUndefined) {
  const std::string small = " --set population.scale=0.002 --set run.months=12 -q";
  for (const char* set : {"population.collective_under_50k=0", "population.collective_under_50k=1", "labour.post_pay=0",
                          "labour.local_wage=0"}) {
    const Result r = ruralsim(std::string("run -o out.h5 --set ") + set + small, dir_);
    EXPECT_EQ(r.code, 3) << set << "\n" << r.output;
    EXPECT_NE(r.output.find(std::string("--set ") + set + ": "), std::string::npos) << set << "\n" << r.output;
    EXPECT_FALSE(fs::exists(dir_ / "out.h5")) << set;
  }
  for (const char* set : {"population.collective_under_50k=0.01", "population.collective_under_50k=0.99",
                          "labour.post_pay=1", "labour.local_wage=1"}) {
    const Result r = ruralsim(std::string("run -o ok.h5 --force --set ") + set + small, dir_);
    EXPECT_EQ(r.code, 0) << set << "\n" << r.output;
  }
}

// `validate` reads population.county_file as a run does: a county listed
// twice or a bad cell is refused (status 3) with file and line, a file that
// cannot be read with status 4, and the shipped table passes.
TEST_F(Program, ValidateReadsTheCountyFileAsARunDoes) {
  std::ifstream in(fs::path(RURALSIM_SOURCE_DIR) / "scenarios" / "data" / "counties.csv");
  std::string table, line, last;
  int lines = 0;
  while (std::getline(in, line)) {
    table += line + "\n";
    last = line;
    ++lines;
  }
  std::ofstream(dir_ / "counties.csv") << table;
  std::ofstream(dir_ / "duplicate.csv") << table << last << "\n";
  // The last row with its hazard_prone flag (the tenth cell) made 'x'.
  std::string bad_row = last;
  std::size_t at = 0;
  for (int cell = 0; cell < 9; ++cell) at = bad_row.find(',', at) + 1;
  bad_row.replace(at, bad_row.find(',', at) - at, "x");
  std::ofstream(dir_ / "bad_flag.csv") << table.substr(0, table.size() - last.size() - 1) << bad_row << "\n";
  const auto validate = [&](const std::string& file) {
    std::ofstream(dir_ / "s.yaml") << "extends: baseline\npopulation:\n  county_file: " << file << "\n";
    return ruralsim("validate s.yaml", dir_);
  };
  EXPECT_EQ(validate("counties.csv").code, 0);
  const Result duplicate = validate("duplicate.csv");
  EXPECT_EQ(duplicate.code, 3) << duplicate.output;
  EXPECT_NE(duplicate.output.find("s.yaml:3:3: population.county_file: duplicate.csv:" + std::to_string(lines + 1) +
                                  ": county"),
            std::string::npos)
      << duplicate.output;
  EXPECT_NE(duplicate.output.find("is already listed at line " + std::to_string(lines)), std::string::npos)
      << duplicate.output;
  const Result flag_error = validate("bad_flag.csv");
  EXPECT_EQ(flag_error.code, 3) << flag_error.output;
  EXPECT_NE(flag_error.output.find("bad_flag.csv:" + std::to_string(lines) + ": column 'hazard_prone'"), std::string::npos)
      << flag_error.output;
  const Result missing = validate("nowhere.csv");
  EXPECT_EQ(missing.code, 4) << missing.output;
  EXPECT_NE(missing.output.find("nowhere.csv': no such file"), std::string::npos) << missing.output;
}

TEST_F(Program, SchemaListsEveryKeyWithDocumentation) {
  const Result r = ruralsim("schema --markdown", dir_);
  ASSERT_EQ(r.code, 0);
  for (const char* key : {"land.quota_mu", "funds.integration_end_year", "monitoring.threshold.yunnan", "run.seed"})
    EXPECT_NE(r.output.find(key), std::string::npos) << key;
}

// docs/parameters.md is the schema listing plus a four-line header; it must
// be regenerated whenever a key or its documentation changes.
TEST_F(Program, ParameterDocumentationIsCurrent) {
  EXPECT_EQ(body_of(fs::path(RURALSIM_SOURCE_DIR) / "docs" / "parameters.md", 4), ruralsim("schema --markdown", dir_).output)
      << "regenerate docs/parameters.md (see its header)";
}

// docs/model.md is `ruralsim describe` (tables, levels, indicators, events)
// plus a two-line header.
TEST_F(Program, ModelDocumentationIsCurrent) {
  EXPECT_EQ(body_of(fs::path(RURALSIM_SOURCE_DIR) / "docs" / "model.md", 2), ruralsim("describe", dir_).output)
      << "regenerate docs/model.md (see its header)";
}

}  // namespace
