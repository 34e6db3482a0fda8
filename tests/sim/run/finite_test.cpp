// A run whose model produces a value its description forbids (an infinite
// sum, say, from a scenario value that divides by zero) fails loudly: the
// run throws Error(failure) naming the indicator, and its output is kept as
// NAME.partial marked "failed", never renamed to look complete.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "sim/io/data_file.hpp"
#include "sim/run/simulation.hpp"
#include "sim/toy/toy_model.hpp"

namespace {

namespace fs = std::filesystem;

TEST(NonFinite, RunFailsAndKeepsItsPartialMarkedFailed) {
  const fs::path dir = fs::temp_directory_path() / ("ruralsim-finite-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  // Infinite once a walker's wealth exceeds 100, some months into the run.
  const sim::ModelDescription def = toy::description_with(
      {{.name = "boom", .unit = "coins", .yearly = sim::Yearly::last, .description = "Overflows for the rich",
        .reduce = {"walker", "sum", "(wealth > 100) * 1e308 * 10"}}});
  const auto schema = sim::full_schema(def);
  const std::vector<std::string> sets = {"toy.walkers=200", "toy.drift=5"};
  const auto sc = sim::scenario::load(def.default_scenario, schema, sets, def.embedded);
  sim::RunOptions o;
  o.output = dir / "out.h5";
  try {
    (void)sim::run(def, sc, o);
    ADD_FAILURE() << "expected the run to fail";
  } catch (const sim::Error& e) {
    EXPECT_EQ(e.status(), sim::Status::failure);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("indicator 'boom' is +inf"));
  }
  EXPECT_FALSE(fs::exists(dir / "out.h5"));
  ASSERT_TRUE(fs::exists(dir / "out.h5.partial"));
  const auto f = sim::io::DataFile::open(dir / "out.h5.partial");
  EXPECT_EQ(f.text("/", "status"), "failed");
  EXPECT_EQ(f.integer("/", "complete"), 0);
  EXPECT_LT(f.integer("/", "steps_written"), 24);
  fs::remove_all(dir);
}

}  // namespace
