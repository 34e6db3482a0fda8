// The `ruralsim` program: the engine's command line over the transition model,
// plus the model's own `calibrate` command.
#include "models/transition/calibrate_command.hpp"
#include "models/transition/model.hpp"
#include "sim/cli/app.hpp"

int main(int argc, char** argv) {
  sim::cli::App app(transition::definition());
  transition::add_calibrate_command(app);
  return app.main(argc, argv);
}
