// Google Benchmark of the monthly household step (the hot loop of a run):
// every household of the baseline population at a given scale, one month, at
// 1 and 2 threads. Scale: RURALSIM_BENCH_SCALE (default 0.02).
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <cstdlib>
#include <memory>

#include "models/transition/transition_model.hpp"
#include "models/transition/rules.hpp"
#include "sim/core/parallel.hpp"
#include "sim/run/simulation.hpp"

namespace {

struct Fixture {
  sim::scenario::Schema schema;
  sim::scenario::Scenario scenario;
  std::unique_ptr<transition::TransitionModel> model;

  Fixture() {
    const char* env = std::getenv("RURALSIM_BENCH_SCALE");
    const std::string scale = env ? env : "0.02";
    schema = sim::full_schema(transition::description());
    const std::vector<std::string> sets = {"population.scale=" + scale};
    scenario = sim::scenario::load(transition::description().default_scenario, schema, sets,
                                   transition::description().embedded);
    model = std::make_unique<transition::TransitionModel>(scenario, sim::RunIdentity{1, 0},
                                                          transition::description().embedded);
    // Run January so that every yearly plan is in place.
    model->schedule().run_step(sim::step_info(0, 60, 2021));
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_HouseholdMonth(benchmark::State& state) {
  Fixture& f = fixture();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
  transition::World& w = f.model->world();
  const std::size_t villages = w.villages.size();
  std::uint32_t step = 1;
  for (auto _ : state) {
    const sim::StepInfo info = sim::step_info(step, 60, 2021);
    sim::for_each_index(villages, [&](std::size_t v) { w.household_month(v, info); });
    step = step % 59 + 1;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(w.households.size()));
  state.counters["households"] = static_cast<double>(w.households.size());
}

}  // namespace

BENCHMARK(BM_HouseholdMonth)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
