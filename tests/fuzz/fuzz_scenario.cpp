// Fuzz target: a scenario file's text (as `ruralsim run FILE` reads it).
#include "models/transition/transition_model.hpp"
#include "sim/run/simulation.hpp"
#include "tests/fuzz/fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const sim::ModelDescription& model = transition::description();
  static const sim::scenario::Schema schema = sim::full_schema(model);
  fuzz::expect_value_or_clear_error(data, size, [&](const std::string& text) {
    (void)sim::scenario::load_text(text, "fuzz.yaml", schema, {}, model.embedded);
  });
  return 0;
}
