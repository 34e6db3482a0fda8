#include "models/transition/calibrate_command.hpp"

#include <cstdio>

#include "models/transition/transition_model.hpp"
#include "models/transition/population.hpp"

namespace transition {

namespace {
struct CalibrateArgs {
  std::string scenario;
  std::vector<std::string> sets;
  double tolerance = 0.03;
};
}  // namespace

void add_calibrate_command(sim::cli::App& app) {
  auto args = std::make_shared<CalibrateArgs>();
  auto* cmd = app.cli().add_subcommand(
      "calibrate", "Build a scenario's population and compare it with the calibration targets (exit 1 if any is off)");
  cmd->add_option("scenario", args->scenario, "Scenario file or built-in name (default: the model's default scenario)");
  cmd->add_option("--set", args->sets, "Override a scenario key (as for run)");
  cmd->add_option("--tolerance", args->tolerance, "Largest relative error accepted (default 0.03)");
  cmd->callback([&app, args] {
    const sim::scenario::Scenario sc = app.load_scenario(args->scenario, args->sets);
    const TransitionModel model(sc, sim::RunIdentity{static_cast<std::uint64_t>(sc.integer("run.seed")), 0},
                                description().embedded);
    const World& w = model.world();
    std::printf("calibration of %s at scale %g (%zu households)\n\n", sc.source().c_str(), w.params.population.scale,
                w.households.size());
    std::printf("%-52s %-12s %14s %14s %9s\n", "target", "unit", "expected", "generated", "rel.err");
    bool all_ok = true;
    for (const CalibrationRow& r : calibration_rows(w)) {
      const bool ok = !r.checked || r.relative_error() <= args->tolerance;
      all_ok = all_ok && ok;
      std::printf("%-52s %-12s %14.6g %14.6g %8.2f%% %s\n", r.target.c_str(), r.unit.c_str(), r.expected, r.generated,
                  100.0 * r.relative_error(), !r.checked ? "(info)" : ok ? "ok" : "OFF");
    }
    const Calibration& c = w.calibration;
    std::printf("\ncalibration factors found: market wages %.4g, operating income %.4g, property income %.4g, "
                "other transfers %.4g, non-PA productivity %.4g\n",
                c.market_wage, c.operating, c.property, c.other_transfer, c.non_pa_productivity);
    const World::CalibrationFit& f = w.calibration_fit;
    std::printf("fit: Levenberg-Marquardt least squares of the five factors to the five income targets; %d fits, %d "
                "iterations, %d evaluations; sum of squared relative errors %.3g (%s: %s)\n",
                f.rounds, f.iterations, f.evaluations, 2 * f.cost, f.converged ? "converged" : "not converged",
                f.stop.c_str());
    if (f.recalibrated) {
      std::printf("fitted with this scenario's own parameters (population.recalibrate)\n");
    } else if (f.differing.empty()) {
      std::printf("fitted with the calibration parameters (the documented defaults), which this scenario shares\n");
    } else {
      std::string keys;
      for (const auto& k : f.differing) keys += (keys.empty() ? "" : ", ") + k;
      std::printf("fitted with the calibration parameters (the documented defaults) and kept; this scenario's own "
                  "2020 differs through %s, so its incomes move from the targets by what those keys do "
                  "(population.recalibrate fits them anew)\n",
                  keys.c_str());
    }
    std::printf("%s\n", all_ok ? "all targets within tolerance" : "some targets are off");
    if (!all_ok) throw CLI::RuntimeError(1);
  });
}

}  // namespace transition
