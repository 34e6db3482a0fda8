// Fuzz target: one `--set KEY=VALUE` override on the default scenario.
#include "models/transition/transition_model.hpp"
#include "sim/run/simulation.hpp"
#include "tests/fuzz/fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const sim::ModelDescription& model = transition::description();
  static const sim::scenario::Schema schema = sim::full_schema(model);
  fuzz::expect_value_or_clear_error(data, size, [&](const std::string& text) {
    const std::string overrides[] = {text};
    (void)sim::scenario::load(model.default_scenario, schema, overrides, model.embedded);
  });
  return 0;
}
