// Fuzz target: a county data file (population.county_file).
#include "models/transition/county_data.hpp"
#include "tests/fuzz/fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::expect_value_or_clear_error(data, size, [](const std::string& text) {
    (void)transition::parse_counties(text, "fuzz-counties.csv");
  });
  return 0;
}
