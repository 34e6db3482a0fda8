// The `ruralsim` program: the engine's command line over the transition model,
// the model's own `calibrate` command, and the analysis commands.
#include "models/transition/calibrate_command.hpp"
#include "models/transition/transition_model.hpp"
#include "sim/cli/app.hpp"
#include "sim/cli/python_tool.hpp"
#include "sim/serve/command.hpp"
#include "sim/sweep/command.hpp"

int main(int argc, char** argv) {
  sim::cli::App app(transition::description());
  transition::add_calibrate_command(app);
  sim::cli::add_python_command(app, "compare", "Compare scenario ensembles: indicators, paired differences, intervals");
  sim::cli::add_python_command(app, "report", "Write an HTML report with plots and tables comparing scenarios");
  sim::sweep::add_sweep_command(app);
  sim::serve::add_serve_command(app);
  sim::cli::add_python_command(app, "sensitivity", "Sobol or Morris sensitivity indices of a sweep, with bootstrap intervals and a plot");
  return app.main(argc, argv);
}
