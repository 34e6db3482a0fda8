// Whole-run benchmark: builds the population and runs every month of a
// scenario, then prints household-steps per second, time per phase, resident
// bytes per household and peak memory.
// Usage: bench_whole_run [--scale S] [--threads N] [--months M] [--output FILE] [--set k=v]...
#include <sys/resource.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "models/transition/transition_model.hpp"
#include "sim/run/simulation.hpp"
#include "triad.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> sets;
  sim::RunOptions options;
  std::string scenario_file = transition::description().default_scenario;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--scale") sets.push_back("population.scale=" + next());
    else if (a == "--months") sets.push_back("run.months=" + next());
    else if (a == "--threads") options.threads = std::stoi(next());
    else if (a == "--output") options.output = next();
    else if (a == "--set") sets.push_back(next());
    else if (a == "--scenario") scenario_file = next();
    else {
      std::fprintf(stderr, "usage: %s [--scenario F] [--scale S] [--threads N] [--months M] [--output FILE] [--set k=v]\n", argv[0]);
      return 2;
    }
  }
  options.force = true;
  const auto& def = transition::description();
  const auto schema = sim::full_schema(def);
  const auto sc = sim::scenario::load(scenario_file, schema, sets, def.embedded);
  const sim::RunResult r = sim::run(def, sc, options);

  std::size_t households = 0;
  for (const auto& [kind, n] : r.agents)
    if (kind == "household") households = n;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  double stepping = 0;
  for (const auto& p : r.phases) stepping += p.seconds;
  const double hs = static_cast<double>(households) * r.steps_run;
  std::printf("scale %g, %zu households, %u months, %d threads\n", sc.real("population.scale"), households,
              r.steps_run, r.threads);
  std::printf("set-up (population)      %10.2f s\n", r.setup_seconds);
  std::printf("stepping (all phases)    %10.2f s\n", stepping);
  std::printf("whole run                %10.2f s\n", r.seconds);
  std::printf("household-steps/s (step) %10.3g\n", hs / stepping);
  std::printf("household-steps/s (run)  %10.3g\n", hs / r.seconds);
  std::printf("state bytes/household    %10.1f  (all agent columns / households)\n",
              static_cast<double>(r.state_bytes) / static_cast<double>(households));
  std::printf("peak resident memory     %10.1f MiB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  // The roofline: if every household-step read and wrote all of the
  // household's state once (2 x its bytes), memory bandwidth would allow
  // triad / (2 x bytes) household-steps per second.
  const double bytes = static_cast<double>(r.state_bytes) / static_cast<double>(households);
  const double triad = bench::triad_bytes_per_second(r.threads);
  const double roofline = triad / (2.0 * bytes);
  double household_month = 0;
  for (const auto& p : r.phases)
    if (p.name == "household month") household_month = p.seconds;
  std::printf("triad bandwidth          %10.2f GB/s  (%d threads, same run)\n", triad / 1e9, r.threads);
  std::printf("roofline                 %10.3g household-steps/s  (triad / (2 x state bytes))\n", roofline);
  std::printf("household month          %10.3g household-steps/s  = %.1f %% of the roofline\n",
              hs / household_month, 100.0 * hs / household_month / roofline);
  std::printf("all phases               %10.3g household-steps/s  = %.1f %% of the roofline\n", hs / stepping,
              100.0 * hs / stepping / roofline);
  std::printf("\n%-28s %10s\n", "phase", "seconds");
  for (const auto& p : r.phases) std::printf("%-28s %10.3f\n", p.name.c_str(), p.seconds);
  return 0;
}
